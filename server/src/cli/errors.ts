/**
 * Errors the CLI reports as exit 2 with one line. A usage error adds the pointer to --help;
 * an input error (a path that cannot be read) does not: the fix is the path, not the syntax.
 */
export class InputError extends Error {}

/** Node's I/O errors already start with their code ("ENOENT: no such file…"): print them once. */
export function ioMessage(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  const message = err?.message ?? String(error);
  return err?.code && !message.startsWith(err.code) ? `${err.code}: ${message}` : message;
}
