/**
 * Finds the files dockopt reads under a workspace folder: Dockerfiles, compose files and
 * .dockerignore files. Skips `node_modules`, `.git` and the user's exclude globs without
 * walking into them.
 */
import * as path from 'node:path';
import { fdir } from 'fdir';
import { isComposeFileName } from './compose';
import { isDevcontainerFile } from './devcontainer';
import { compileExcludeGlobs } from './exclude-globs';

export interface DiscoveredFiles {
  dockerfiles: string[];
  composeFiles: string[];
  dockerignores: string[];
}

export interface DiscoverOptions {
  /** VS Code globs relative to the folder, as in settings' `exclude` (see exclude-globs.ts). */
  exclude?: readonly string[];
}

const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);

export function isDockerignoreName(basename: string): boolean {
  return basename === '.dockerignore' || (basename.endsWith('.dockerignore') && basename.length > '.dockerignore'.length);
}

/**
 * What people name Dockerfiles, in any case: `Dockerfile`, `Dockerfile.<x>`, `Dockerfile-<x>`,
 * `Dockerfile_<x>`, `<x>.Dockerfile`, `<x>.dockerfile`, `Containerfile` and the same forms of it.
 * Not: documents, backups and templates that only carry the name (`Dockerfile.md`,
 * `Dockerfile.orig`, `Dockerfile.j2`: a template is not what BuildKit reads).
 */
export function isDockerfileName(basename: string): boolean {
  if (isDockerignoreName(basename)) return false; // Dockerfile.dockerignore is an ignore file
  const named = /^(dockerfile|containerfile)([._-].+)?$/i.test(basename) || /^.+\.(dockerfile|containerfile)$/i.test(basename);
  return named && !NOT_A_DOCKERFILE.test(basename);
}

const NOT_A_DOCKERFILE = /\.(md|markdown|rst|txt|adoc|html|orig|bak|rej|swp|old|j2|jinja2?|tmpl|tpl|template|mustache|hbs|erb|in|sh|ps1|py|json|ya?ml|lock)$/i;

export type FileKind = 'dockerfile' | 'compose' | 'dockerignore';

export function kindOf(filePath: string): FileKind | undefined {
  const base = path.basename(filePath);
  if (isDockerignoreName(base)) return 'dockerignore';
  if (isComposeFileName(base) || isDevcontainerFile(filePath)) return 'compose';
  if (isDockerfileName(base)) return 'dockerfile';
  return undefined;
}

export async function discover(root: string, options: DiscoverOptions = {}): Promise<DiscoveredFiles> {
  try {
    return sortOut(await crawler(root, options).withPromise());
  } catch {
    return { dockerfiles: [], composeFiles: [], dockerignores: [] };
  }
}

/** The same as `discover`, blocking: for the CLI, which has nothing else to do meanwhile. */
export function discoverSync(root: string, options: DiscoverOptions = {}): DiscoveredFiles {
  try {
    return sortOut(crawler(root, options).sync());
  } catch {
    return { dockerfiles: [], composeFiles: [], dockerignores: [] };
  }
}

/**
 * A quick test every kinded name passes: a Dockerfile or Containerfile name holds `docker` or
 * `container` (in any case), a .dockerignore `docker`, a compose file `compose`, a dev container
 * file `container`. The walk asks it of every file of the tree (10⁵ in a large monorepo) and
 * asks `kindOf` only of the few that pass.
 */
const MAY_HAVE_KIND = new RegExp(`(?:docker|compose|container)[^${path.sep === '/' ? '/' : '\\\\/'}]*$`, 'i');

function crawler(root: string, options: DiscoverOptions) {
  const absRoot = path.resolve(root);
  const excluded = options.exclude?.length ? compileExcludeGlobs(options.exclude) : undefined;
  const rel = (p: string) => path.relative(absRoot, p).split(path.sep).join('/');
  return new fdir()
    .withFullPaths()
    .exclude((dirName, dirPath) => ALWAYS_SKIPPED.has(dirName) || (!!excluded && excluded(rel(dirPath))))
    .filter((filePath) => MAY_HAVE_KIND.test(filePath) && kindOf(filePath) !== undefined && !(excluded && excluded(rel(filePath))))
    .crawl(absRoot);
}

function sortOut(files: string[]): DiscoveredFiles {
  const out: DiscoveredFiles = { dockerfiles: [], composeFiles: [], dockerignores: [] };
  for (const file of files) {
    const kind = kindOf(file);
    if (kind === 'dockerfile') out.dockerfiles.push(path.normalize(file));
    else if (kind === 'compose') out.composeFiles.push(path.normalize(file));
    else if (kind === 'dockerignore') out.dockerignores.push(path.normalize(file));
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}
