// What the CLI of the installed package says, to compare the editor with: `dockopt check` and
// `dockopt fix` run with node on the dist/cli.js that --install-extension unpacked.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** `dockopt check --format json` findings of one file of the folder (path relative to it). */
export function cliFindings(cli, folder, relPath) {
  const result = spawnSync(process.execPath, [cli, 'check', folder, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`dockopt check failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout).filter((f) => f.file === join(folder, relPath));
}

/** A copy of `folder` that `dockopt fix` has run on. */
export function cliFixedCopy(cli, folder, copy) {
  cpSync(folder, copy, { recursive: true });
  const result = spawnSync(process.execPath, [cli, 'fix', copy], { encoding: 'utf8' });
  if (result.status === 2 || result.status === null) throw new Error(`dockopt fix failed (${result.status}): ${result.stderr}`);
  return copy;
}

/** Dockerfiles, .dockerignore and compose files under `folder`, relative paths, sorted. */
export function dockerFiles(folder) {
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/Dockerfile|\.dockerignore$|compose.*\.ya?ml$/.test(name)) found.push(relative(folder, path));
    }
  };
  walk(folder);
  return found.sort();
}

/** Path → text (undefined: no such file) of the Docker files of either folder. */
export function snapshot(folder, files) {
  return new Map(files.map((f) => [f, existsSync(join(folder, f)) ? readFileSync(join(folder, f), 'utf8') : undefined]));
}

/** The files whose text differs between two snapshots. */
export function differences(actual, expected) {
  return [...expected.keys()].filter((f) => actual.get(f) !== expected.get(f));
}
