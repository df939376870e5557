/**
 * What the CLI's PATH arguments mean: a folder is a workspace; a file is checked alone, in the
 * workspace of the nearest folder above it that has a compose file (so its build context is right).
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { DEFAULT_SETTINGS, type ResolvedSettings } from '../settings';
import { isComposeFileName } from '../workspace/compose';
import { kindOf } from '../workspace/discover';
import { readTextFileSync } from '../../../shared/src/files/safe-read';
import { WorkspaceModel } from '../workspace/workspace';
import { InputError, ioMessage } from './errors';
import type { CliIo } from './io';
import { displayPath } from './report-formats';

export { ioMessage };

export interface CliWorkspace {
  workspace: WorkspaceModel;
  /** The files to report on: undefined means every file of the workspace. */
  files?: string[];
  settings: ResolvedSettings;
}

export async function loadWorkspace(paths: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliWorkspace> {
  const targets = (paths.length > 0 ? paths : ['.']).map((p) => resolve(cwd, p));
  const roots = new Set<string>();
  const files: string[] = [];
  let onlyFiles = true;
  for (const target of targets) {
    const shown = displayPath(target, cwd);
    let stat: Stats;
    try {
      stat = statSync(target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(code === 'ENOENT' ? `no such file or folder: ${shown}` : `${shown}: ${ioMessage(error)}`);
    }
    if (stat.isDirectory()) {
      // `dockopt check Dockerfile` that finds a folder must not pass a CI gate as "no problems".
      if (kindOf(basename(target))) throw new InputError(`${shown} is a folder, not a ${kindOf(basename(target)) === 'dockerignore' ? '.dockerignore' : kindOf(basename(target)) === 'compose' ? 'compose file' : 'Dockerfile'}`);
      roots.add(target);
      onlyFiles = false;
    } else {
      // A file named on the command line with no telling name is a Dockerfile: the user says so.
      const root = workspaceRootOf(target);
      const read = readTextFileSync(target, [root]);
      if (read.kind === 'skipped') throw new InputError(`${shown} ${read.reason}; it was not read`);
      roots.add(root);
      files.push(target);
    }
  }
  const settings = DEFAULT_SETTINGS;
  // Compose files' `${VAR}` take the caller's environment, as `docker compose` does.
  const workspace = new WorkspaceModel({ roots: [...roots], settings, env });
  await workspace.refresh();
  for (const file of files) if (!kindOf(file)) workspace.addDockerfile(file);
  return { workspace, files: onlyFiles ? files.filter((f) => kindOf(f) !== 'compose') : undefined, settings };
}

/** One line on stderr per file of the workspace that exists but was not read, and why. */
export function reportSkipped(workspace: WorkspaceModel, io: CliIo): void {
  for (const { path, reason } of workspace.skippedFiles()) io.stderr.write(`dockopt: skipped ${displayPath(path, io.cwd)}: it ${reason}\n`);
}

function workspaceRootOf(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      // unreadable: keep walking up
    }
    if (names.some(isComposeFileName)) return dir;
    if (names.includes('.git') || dirname(dir) === dir) return dirname(file);
  }
}
