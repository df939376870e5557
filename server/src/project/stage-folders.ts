/**
 * Where a stage's project files (its pyproject.toml, .python-version…) may sit in the build
 * context: the context's root, the Dockerfile's folder, and the folders the stage (and the stages
 * built on it) copy from.
 */
import * as path from 'node:path';
import type { DockerfileModel, Stage } from '../dockerfile/model';
import { readCopy } from '../dockerfile/copy-instructions';
import type { BuildContext } from '../workspace/build-context';
import { isInside } from '../../../shared/src/files/containment';

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
  const stages = model.stages.filter((candidate) => {
    for (let s: Stage | undefined = candidate, hops = 0; s && hops <= model.stages.length; s = s.parent, hops++) {
      if (s === stage) return true;
    }
    return false;
  });
  for (const built of stages) {
    for (const info of built.instructions) {
      const copy = readCopy(model, info);
      if (!copy || copy.fromOther) continue;
      for (const source of copy.sources) {
        if (source.includes('$') || /^[a-z][\w+.-]*:\/\//i.test(source)) continue;
        const segments = source.replace(/^(\.\/|\/)+/, '').split('/');
        const cut = segments.findIndex((s) => /[*?[]/.test(s));
        const dir = path.posix.normalize(segments.slice(0, cut < 0 ? segments.length : cut).join('/') || '.').replace(/\/$/, '');
        // A source outside the context (`../shared`) is none of its folders.
        if (dir === '.' || !isInside(build.contextDir, path.join(build.contextDir, dir))) continue;
        folders.add(dir); // the source may be a folder…
        const parent = path.posix.dirname(dir);
        if (parent !== '.') folders.add(parent); // …or a file in one
        if (folders.size > MAX_FOLDERS) return [...folders];
      }
    }
  }
  return [...folders];
}
