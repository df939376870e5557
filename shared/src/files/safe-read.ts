/**
 * Reading files of a repository nobody reviewed. A Dockerfile, compose file or .dockerignore
 * is read only when it is a regular file of at most MAX_READ_BYTES, through a symbolic link only
 * when the link resolves inside a workspace folder, and without ever blocking on open (a FIFO
 * opened for reading waits for a writer; O_NONBLOCK makes the open return, and the fstat then
 * turns it away). Anything else is "skipped", with the reason a user can act on.
 */
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { isInsideAny, realRoots } from './containment';

/** No Dockerfile, compose file or .dockerignore is this large; a larger one is not read. */
export const MAX_READ_BYTES = 2 * 1024 * 1024;

export type ReadResult =
  | { kind: 'absent' }
  /** `utf8: false`: the bytes are not valid UTF-8; `text` is a lossy decoding, fine to lint, never to write back. */
  | { kind: 'text'; text: string; utf8: boolean }
  | { kind: 'skipped'; reason: string };

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LOSSY_UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * `roots`: the workspace folders a symbolic link may point into. Without roots (an editor with
 * no folder open) no link is followed.
 */
export function readTextFileSync(abs: string, roots: readonly string[]): ReadResult {
  let link: fs.Stats | undefined;
  try {
    // Most reads look for files that may be there (pyproject.toml, .python-version…): an absent
    // one without building an ENOENT error, which costs more than the lstat itself.
    link = fs.lstatSync(abs, { throwIfNoEntry: false });
  } catch (error) {
    return absentOrSkipped(error);
  }
  if (!link) return { kind: 'absent' };
  const refused = refusedLink(abs, link, roots, (p) => fs.realpathSync.native(p));
  if (refused) return refused;
  let fd: number;
  try {
    fd = fs.openSync(abs, OPEN_FLAGS);
  } catch (error) {
    return absentOrSkipped(error);
  }
  try {
    const stat = fs.fstatSync(fd);
    const notRegular = checkRegular(stat);
    if (notRegular) return notRegular;
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, MAX_READ_BYTES) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > MAX_READ_BYTES) return tooLarge();
      if (length === buffer.length) return tooLarge(); // grew while read: stop at the bound
    }
    return decode(buffer.subarray(0, length));
  } catch (error) {
    return absentOrSkipped(error);
  } finally {
    fs.closeSync(fd);
  }
}

/** The same as `readTextFileSync`, without blocking the event loop. */
export async function readTextFile(abs: string, roots: readonly string[]): Promise<ReadResult> {
  let link: fs.Stats;
  try {
    link = await fsp.lstat(abs);
  } catch (error) {
    return absentOrSkipped(error);
  }
  const real = await fsp.realpath(abs).catch(() => undefined);
  const refused = refusedLink(abs, link, roots, () => {
    if (real === undefined) throw new Error('dangling');
    return real;
  });
  if (refused) return refused;
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(abs, OPEN_FLAGS);
  } catch (error) {
    return absentOrSkipped(error);
  }
  try {
    const stat = await handle.stat();
    const notRegular = checkRegular(stat);
    if (notRegular) return notRegular;
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, MAX_READ_BYTES) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_READ_BYTES || length === buffer.length) return tooLarge();
    }
    return decode(buffer.subarray(0, length));
  } catch (error) {
    return absentOrSkipped(error);
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * A path that resolves elsewhere (the file or a folder on its way is a link) is read only when
 * it resolves inside a workspace folder. A path without links is read wherever it is: a compose
 * file may name a build context above the folder, as `docker compose` allows.
 */
function refusedLink(abs: string, link: fs.Stats, roots: readonly string[], realpath: (p: string) => string): ReadResult | undefined {
  let real: string;
  try {
    real = realpath(abs);
  } catch {
    return link.isSymbolicLink() ? { kind: 'skipped', reason: 'is a symbolic link to nothing' } : undefined;
  }
  if (real === abs || real === path.resolve(abs)) return undefined;
  if (roots.length === 0 || !isInsideAny(real, realRoots(roots))) {
    return { kind: 'skipped', reason: `resolves through a symbolic link to ${real}, outside the workspace` };
  }
  return undefined;
}

function checkRegular(stat: fs.Stats): ReadResult | undefined {
  if (stat.isDirectory()) return { kind: 'skipped', reason: 'is a folder' };
  if (!stat.isFile()) return { kind: 'skipped', reason: 'is not a regular file (a FIFO, socket or device)' };
  if (stat.size > MAX_READ_BYTES) return tooLarge();
  return undefined;
}

function tooLarge(): ReadResult {
  return { kind: 'skipped', reason: `is larger than ${MAX_READ_BYTES / 1024 / 1024} MiB` };
}

function decode(bytes: Buffer): ReadResult {
  try {
    return { kind: 'text', text: STRICT_UTF8.decode(bytes), utf8: true };
  } catch {
    return { kind: 'text', text: LOSSY_UTF8.decode(bytes), utf8: false };
  }
}

function absentOrSkipped(error: unknown): ReadResult {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
  if (code === 'EISDIR') return { kind: 'skipped', reason: 'is a folder' };
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'skipped', reason: 'cannot be read (permission denied)' };
  if (code === 'ELOOP') return { kind: 'skipped', reason: 'is a loop of symbolic links' };
  return { kind: 'skipped', reason: `cannot be read (${code ?? (error as Error)?.message ?? error})` };
}

/** For messages: `abs` relative to the first root that holds it, else as it is. */
export function shownPath(abs: string, roots: readonly string[]): string {
  for (const root of roots) {
    const rel = path.relative(root, abs);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return abs;
}
