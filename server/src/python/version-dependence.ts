/**
 * What in a Dockerfile ties it to its Python version, beyond the FROM line: a tag change would
 * then break the build, so python-base-version offers its fix but does not apply it by itself.
 * Each cause was seen in real Dockerfiles:
 * - a path or command spelled with the old version (`/usr/local/lib/python3.10/site-packages`,
 *   `python3.10 -m pip`): the new image has no such path or binary;
 * - `pyvenv`, removed in Python 3.8;
 * - `python setup.py …` when moving to 3.12 or later: the official 3.12 images ship no setuptools;
 * - a Dockerfile named for its version (`py310.Dockerfile`, `Dockerfile.python3.9`): one of a test
 *   matrix, where the version is the point of the file;
 * - what the stage builds copied into a stage on another image (`COPY --from=build /app /app` into
 *   distroless's python3, Debian's): its wheels and compiled extensions are built for the new
 *   version, and that image's Python stays what it is.
 */
import * as path from 'node:path';
import type { DockerfileModel, Stage } from '../dockerfile/model';
import { readCopyArguments } from '../dockerfile/copy-instructions';
import { stageFamily } from '../dockerfile/stage-family';
import { imageRepository } from '../dockerfile/users';

const memo = new WeakMap<DockerfileModel, Map<string, string | undefined>>();

/** Why moving from `major.fromMinor` to `major.toMinor` may break this Dockerfile; once per model and versions. */
export function versionDependence(model: DockerfileModel, dockerfilePath: string, major: number, fromMinor: number, toMinor: number): string | undefined {
  let known = memo.get(model);
  if (!known) memo.set(model, (known = new Map()));
  const key = `${dockerfilePath}|${major}.${fromMinor}>${toMinor}`;
  if (!known.has(key)) known.set(key, findDependence(model, dockerfilePath, major, fromMinor, toMinor));
  return known.get(key);
}

function findDependence(model: DockerfileModel, dockerfilePath: string, major: number, fromMinor: number, toMinor: number): string | undefined {
  const named = new RegExp(`(?:^|[^0-9A-Za-z])py(?:thon)?[-_.]?${major}[._]?${fromMinor}(?![0-9])`, 'i');
  if (named.test(path.basename(dockerfilePath))) {
    return `The file is named for Python ${major}.${fromMinor} (one of a version matrix?): the fix is not applied automatically.`;
  }
  const spelled = new RegExp(`python${major}\\.${fromMinor}(?![0-9])`);
  const setuptoolsAt = model.text.search(/\bsetuptools\b/);
  for (const info of model.instructions) {
    if (info.keyword === 'FROM') continue;
    const text = model.text.slice(info.startOffset, info.endOffset);
    const line = info.range.start.line + 1;
    if (spelled.test(text)) {
      return `Line ${line} names python${major}.${fromMinor} in a path or command, which the new image does not have: the fix is not applied automatically.`;
    }
    if (info.keyword !== 'RUN') continue;
    if (fromMinor < 8 && toMinor >= 8 && /(?:^|[\s;&|(])pyvenv(?:\s|$)/.test(text)) {
      return `Line ${line} runs pyvenv, which Python 3.8 removed: the fix is not applied automatically.`;
    }
    if (fromMinor < 12 && toMinor >= 12 && /\bsetup\.py\b/.test(text) && (setuptoolsAt < 0 || setuptoolsAt > info.endOffset)) {
      return `Line ${line} runs setup.py, and the official Python 3.12 images ship no setuptools: the fix is not applied automatically.`;
    }
  }
  return undefined;
}

/**
 * Images that only serve the files copied into them (a site a Python stage generated): what they
 * get from a Python stage is not run by a Python.
 */
const STATIC_IMAGES = /^(?:scratch|nginx|httpd|caddy|nginxinc\/nginx-unprivileged)$/;

/** Each stage's `COPY --from` readers: the stage that copies, and the line. Once per parse. */
const READERS = new WeakMap<DockerfileModel, Map<Stage, Array<{ reader: Stage; line: number }>>>();

function readersOf(model: DockerfileModel): Map<Stage, Array<{ reader: Stage; line: number }>> {
  let readers = READERS.get(model);
  if (readers) return readers;
  readers = new Map();
  const named = new Map<string, Stage>();
  for (const stage of model.stages) {
    named.set(String(stage.index), stage);
    if (stage.name !== undefined && !named.has(stage.name)) named.set(stage.name, stage);
    for (const info of stage.instructions) {
      if (info.keyword !== 'COPY' && info.keyword !== 'ADD') continue;
      const from = readCopyArguments(model, info)?.from;
      const source = from === undefined ? undefined : named.get(from);
      if (!source || source === stage) continue;
      const list = readers.get(source) ?? [];
      list.push({ reader: stage, line: info.range.start.line + 1 });
      readers.set(source, list);
    }
  }
  READERS.set(model, readers);
  return readers;
}

/**
 * Why the stage's Python version cannot change alone: a later stage on another image copies what
 * this stage (or one built on it) built. Undefined when every such reader is built on it too, is
 * on an official Python image (its FROM is judged and fixed the same way), or only serves files.
 */
export function copiedToAnotherPython(model: DockerfileModel, stage: Stage): string | undefined {
  const readers = readersOf(model);
  if (readers.size === 0) return undefined;
  const family = new Set(stageFamily(model, stage));
  for (const source of family) {
    for (const { reader, line } of readers.get(source) ?? []) {
      if (family.has(reader)) continue;
      const image = reader.image;
      const repository = image === undefined ? undefined : imageRepository(image);
      if (repository === 'python' || (repository !== undefined && STATIC_IMAGES.test(repository))) continue;
      const on = image === undefined ? 'an image dockopt cannot resolve' : image;
      return `Line ${line} copies what this stage builds into a stage on ${on}, whose Python does not change with it: the fix is not applied automatically.`;
    }
  }
  return undefined;
}
