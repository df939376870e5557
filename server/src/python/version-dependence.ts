/**
 * What in a Dockerfile ties it to its Python version, beyond the FROM line: a tag change would
 * then break the build, so python-base-version offers its fix but does not apply it by itself.
 * Each cause was seen in real Dockerfiles:
 * - a path or command spelled with the old version (`/usr/local/lib/python3.10/site-packages`,
 *   `python3.10 -m pip`): the new image has no such path or binary;
 * - `pyvenv`, removed in Python 3.8;
 * - `python setup.py …` when moving to 3.12 or later: the official 3.12 images ship no setuptools;
 * - a Dockerfile named for its version (`py310.Dockerfile`, `Dockerfile.python3.9`): one of a test
 *   matrix, where the version is the point of the file.
 */
import * as path from 'node:path';
import type { DockerfileModel } from '../dockerfile/model';

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
