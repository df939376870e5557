/**
 * Where a stage's project files (its pyproject.toml, .python-version…) may sit in the build
 * context: the context's root, the Dockerfile's folder, and the folders the stage (and the stages
 * built on it) copy from.
 */
import * as path from 'node:path';
import type { DockerfileModel, Stage } from '../dockerfile/model';
import { readCopy } from '../dockerfile/copy-instructions';
import { stageFamily } from '../dockerfile/stage-family';
import type { BuildContext } from '../workspace/build-context';
import { isInside } from '../../../shared/src/files/containment';
import { remember } from '../../../shared/src/bounded-cache';

/** More folders than a project's files are spread over: the search stops there. */
const MAX_FOLDERS = 32;

/** Context-relative folders (posix, '' for the root), the root first. */
export function stageProjectFolders(model: DockerfileModel, build: BuildContext, stage: Stage): string[] {
  const folders = new Set<string>(['']);
  const dockerfileDir = path.dirname(build.dockerfilePath);
  if (isInside(build.contextDir, dockerfileDir)) {
    const own = path.relative(build.contextDir, dockerfileDir).split(path.sep).join('/');
    if (own) folders.add(own);
  }
  for (const built of stageFamily(model, stage)) {
    for (const info of built.instructions) {
      const copy = readCopy(model, info);
      if (!copy || copy.fromOther) continue;
      for (const source of copy.sources) {
        const found = sourceFolders(build.contextDir, source);
        if (found.length === 0) continue;
        for (const folder of found) folders.add(folder);
        if (folders.size > MAX_FOLDERS) return [...folders];
      }
    }
  }
  return [...folders];
}

/** `sourceFolders` by context and source: the same few sources recur in every stage and every check. */
const FOLDERS_OF_SOURCE = new Map<string, readonly string[]>();
const MAX_REMEMBERED_SOURCES = 4096;

/**
 * The folders a COPY source may hold project files in: the folder it names (the source may be
 * one) and the folder it is in (it may be a file of it); none for `$` sources, URLs, the
 * context's root and what is outside the context.
 */
function sourceFolders(contextDir: string, source: string): readonly string[] {
  return remember(FOLDERS_OF_SOURCE, `${contextDir}\0${source}`, () => readSourceFolders(contextDir, source), MAX_REMEMBERED_SOURCES);
}

function readSourceFolders(contextDir: string, source: string): readonly string[] {
  if (source.includes('$') || /^[a-z][\w+.-]*:\/\//i.test(source)) return [];
  const segments = source.replace(/^(\.\/|\/)+/, '').split('/');
  const cut = segments.findIndex((s) => /[*?[]/.test(s));
  const dir = path.posix.normalize(segments.slice(0, cut < 0 ? segments.length : cut).join('/') || '.').replace(/\/$/, '');
  // A source outside the context (`../shared`) is none of its folders.
  if (dir === '.' || !isInside(contextDir, path.join(contextDir, dir))) return [];
  const parent = path.posix.dirname(dir);
  return parent === '.' ? [dir] : [dir, parent];
}
