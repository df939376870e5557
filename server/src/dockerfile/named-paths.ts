/**
 * Where the paths a command names (`rm -rf build`, `pip install ./dist/*.whl`) lie in the image,
 * against a folder a COPY fills: whether a path is, holds or lies in it, and whether another
 * stage's `COPY --from` is what put the path in place. A path is resolved from the shell's
 * directory (`cwd`, undefined when a `cd` went somewhere unknown) with the ENV in force.
 */
import { overlaps, pathWithin, resolveIn } from './container-paths';
import type { CopyInstruction } from './copy-instructions';
import { expandEnv } from './variables';

/**
 * Whether `COPY --from=… <sources> <dest>` put `path` in place: the path is the destination or
 * lies in it, and (unless a source is a whole folder) its file name is a source's file name
 * (`COPY --from=build /app/dist/*.whl .` places `*.whl`). `sourceDir` is the folder the broad
 * COPY fills: a `COPY --from` of a folder into it places nothing of its own.
 */
export function placedBy(copy: CopyInstruction, dest: string, path: string, cwd: string | undefined, env: ReadonlyMap<string, string>, sourceDir: string): boolean {
  const expanded = expandEnv(path, env).replace(/\/+$/, '');
  if (expanded.includes('$') || (!expanded.startsWith('/') && cwd === undefined)) return false;
  const resolved = resolveIn(cwd ?? '/', expanded);
  const slash = resolved.lastIndexOf('/');
  const dir = slash <= 0 ? '/' : resolved.slice(0, slash);
  const name = resolved.slice(slash + 1);
  // A folder of its own (`COPY --from=build /wheels/ /wheels/`), not the one COPY . . fills.
  const ownFolder = copy.sources.some((s) => s.endsWith('/')) && pathWithin(dest, sourceDir) === undefined;
  if (ownFolder && pathWithin(dest, resolved) !== undefined) return true;
  // Files named as the COPY names them, into a folder (`COPY --from=build /app/dist/*.whl .`).
  const intoFolder = copy.dest.endsWith('/') || copy.dest === '.' || copy.sources.length > 1;
  return intoFolder && dir === dest && copy.sources.some((source) => !source.endsWith('/') && source.slice(source.lastIndexOf('/') + 1) === name);
}

/** Whether a path a command names is, holds or lies in `dir` (unknown: yes). */
export function touches(path: string, cwd: string | undefined, dir: string, env: ReadonlyMap<string, string>): boolean {
  const expanded = expandEnv(path, env);
  if (expanded.includes('$') || expanded.startsWith('~')) return true;
  if (!expanded.startsWith('/') && cwd === undefined) return true;
  return overlaps(resolveIn(cwd ?? '/', expanded), dir);
}
