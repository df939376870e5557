/**
 * Dev container definitions (`.devcontainer/devcontainer.json`, `.devcontainer/<name>/devcontainer.json`,
 * `.devcontainer.json`) that build an image: `build.dockerfile` and `build.context`, both relative
 * to the file's folder (the older top-level `dockerFile` / `context` too). They are read like a
 * compose file with one service, so a Dockerfile named there gets the context it is built with.
 * The files are JSON with comments and trailing commas.
 */
import * as path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { ComposeFileParse } from './compose';

export function isDevcontainerFile(filePath: string): boolean {
  const base = path.basename(filePath);
  if (base === '.devcontainer.json') return true;
  if (base !== 'devcontainer.json') return false;
  const parts = path.dirname(filePath).split(/[\\/]/);
  return parts.at(-1) === '.devcontainer' || parts.at(-2) === '.devcontainer';
}

export function parseDevcontainerFile(text: string, filePath: string): ComposeFileParse {
  const errors: ParseError[] = [];
  const doc = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 && !isRecord(doc)) {
    return { path: filePath, services: [], error: `${path.basename(filePath)} is not valid JSON: ${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset}` };
  }
  if (!isRecord(doc)) return { path: filePath, services: [] };
  const build = isRecord(doc.build) ? doc.build : {};
  const dockerfile = stringOf(build.dockerfile) ?? stringOf(build.dockerFile) ?? stringOf(doc.dockerFile) ?? stringOf(doc.dockerfile);
  if (dockerfile === undefined) return { path: filePath, services: [] }; // an image, or compose files: read elsewhere
  const context = stringOf(build.context) ?? stringOf(doc.context) ?? '.';
  const dir = path.dirname(filePath);
  const contextDir = path.resolve(dir, context);
  const name = stringOf(doc.name) ?? 'devcontainer';
  // Compose's `dockerfile` is relative to the context; the dev container's to its own folder.
  return { path: filePath, services: [{ name, build: { context, dockerfile: path.relative(contextDir, path.resolve(dir, dockerfile)) } }] };
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
