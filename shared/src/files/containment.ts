/**
 * "Is this path inside that folder?", asked after resolving links: a string-prefix test says
 * `/repo-evil` is inside `/repo`, and a lexical test says `/repo/link/x` is inside `/repo` when
 * `link` points at the home folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Lexically: `child` is `dir` or below it (no `..` out of it). Both absolute. */
export function isInside(dir: string, child: string): boolean {
  const rel = path.relative(dir, child);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

export function isInsideAny(child: string, dirs: readonly string[]): boolean {
  return dirs.some((dir) => isInside(dir, child));
}

const realRootCache = new Map<string, string>();

/** The workspace folders with their links resolved (a folder that does not exist stays as given). */
export function realRoots(roots: readonly string[]): string[] {
  return roots.map((root) => {
    let real = realRootCache.get(root);
    if (real === undefined) {
      try {
        real = fs.realpathSync(root);
      } catch {
        real = path.resolve(root);
      }
      if (realRootCache.size > 1000) realRootCache.clear();
      realRootCache.set(root, real);
    }
    return real;
  });
}
