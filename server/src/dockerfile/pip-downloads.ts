/**
 * What a pip call downloads, as far as the Dockerfile tells: nothing (`--no-index`, or only
 * wheels from a wheelhouse that a `pip wheel -w` of the same Dockerfile filled), little (pip's
 * own tools, a few packages without their dependencies), or the project's dependencies.
 * pip-cache-mount reports only calls that download, and ranks the small ones below the rest.
 */
import type { DockerfileModel } from './model';
import { findPipCall, type PipCall } from './package-managers';
import { parseRunScript } from './shell';

export type PipDownloads = 'none' | 'little' | 'packages';

/** pip's own tools and single-wheel installers: small, dependency-free, rarely changed. */
const PACKAGING_TOOLS = new Set(['pip', 'setuptools', 'wheel', 'build', 'uv']);

export function pipDownloads(model: DockerfileModel, call: PipCall): PipDownloads {
  if (call.noIndex) return 'none';
  if (call.subcommand === 'install' && !call.fromFiles && call.packages.length > 0) {
    const wheelhouses = wheelDirs(model);
    if (call.packages.every((p) => inWheelhouse(p, wheelhouses))) return 'none';
    const named = call.packages.every((p) => !isLocalPath(p));
    if (named && call.packages.every((p) => PACKAGING_TOOLS.has(packageName(p)))) return 'little';
    if (named && call.noDeps) return 'little';
  }
  return 'packages';
}

/** Whether every package of the call is one of pip's own tools (the message says so). */
export function installsOnlyPackagingTools(call: PipCall): boolean {
  return call.packages.length > 0 && !call.fromFiles && call.packages.every((p) => PACKAGING_TOOLS.has(packageName(p)));
}

const packageName = (spec: string) => spec.toLowerCase().replace(/\[.*$/, '').split(/[<>=!~;@ ]/)[0];
const isLocalPath = (spec: string) => /^[./~$]|\.(whl|tar\.gz|zip)$|[*?]/.test(spec) || spec.includes('/');

/**
 * `pip wheel -w DIR` writes a wheel for every package and every dependency: an install of
 * `DIR/*` (or of files in it) finds all it needs there. Folders as written, without a trailing slash.
 */
const wheelDirCache = new WeakMap<DockerfileModel, string[]>();
function wheelDirs(model: DockerfileModel): string[] {
  let dirs = wheelDirCache.get(model);
  if (dirs) return dirs;
  dirs = [];
  for (const info of model.instructions) {
    if (info.keyword !== 'RUN' || !/\bwheel\b/.test(model.text.slice(info.startOffset, info.endOffset))) continue;
    for (const command of parseRunScript(model, info.ast).commands) {
      const call = findPipCall(command);
      if (call?.subcommand === 'wheel' && call.wheelDir && !call.noDeps) dirs.push(trimSlash(call.wheelDir));
    }
  }
  wheelDirCache.set(model, dirs);
  return dirs;
}

const trimSlash = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') : path);

function inWheelhouse(spec: string, wheelhouses: readonly string[]): boolean {
  const slash = spec.lastIndexOf('/');
  return slash > 0 && wheelhouses.includes(trimSlash(spec.slice(0, slash)));
}
