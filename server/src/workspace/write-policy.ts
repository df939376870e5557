/**
 * Where a fix may write. A repository can hold links to files outside it (`svc/.dockerignore ->
 * ~/.bashrc`), dangling links that a write would create at their target, and compose contexts
 * that point above it; a fix must never reach any of those. So: only inside the workspace
 * folders it was asked to fix, compared after resolving links; never through a link; only
 * regular files; only into folders that exist (nothing is created on the way).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInsideAny, realRoots } from '../../../shared/src/files/containment';
import { shownPath } from '../../../shared/src/files/safe-read';

/** Why `abs` may not be written by a fix, or undefined when it may. */
export function writeRefusal(abs: string, roots: readonly string[]): string | undefined {
  const shown = shownPath(abs, roots);
  if (roots.length === 0 || !isInsideAny(abs, roots.map((r) => path.resolve(r)))) {
    return `${shown} is outside the workspace folder${roots.length === 1 ? '' : 's'} being fixed`;
  }
  let stat: fs.Stats | undefined;
  try {
    stat = fs.lstatSync(abs, { throwIfNoEntry: false }); // a file a fix creates: no error built
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') return `${shown} cannot be inspected (${code})`;
  }
  if (stat?.isSymbolicLink()) return `${shown} is a symbolic link, and dockopt never writes through one`;
  if (stat && !stat.isFile()) return `${shown} is not a regular file`;
  const dir = path.dirname(abs);
  let realDir: string;
  try {
    realDir = fs.realpathSync.native(dir);
  } catch {
    return `the folder of ${shown} does not exist`;
  }
  if (!isInsideAny(realDir, realRoots(roots))) {
    return `the folder of ${shown} resolves through a symbolic link to ${realDir}, outside the workspace`;
  }
  return undefined;
}
