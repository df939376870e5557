/**
 * What the CLI's PATH arguments mean: a folder is a workspace; a file is checked alone, in the
 * workspace of the nearest folder above it that has a compose file (so its build context is right).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_SETTINGS, type ResolvedSettings } from '../settings';
import { isComposeFileName } from '../workspace/compose';
import { kindOf } from '../workspace/discover';
import { WorkspaceModel } from '../workspace/workspace';
import { UsageError } from './args';

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
    if (!existsSync(target)) throw new UsageError(`no such file or folder: ${target}`);
    if (statSync(target).isDirectory()) {
      roots.add(target);
      onlyFiles = false;
    } else {
      if (!kindOf(target)) throw new UsageError(`not a Dockerfile, compose file or .dockerignore: ${target}`);
      roots.add(workspaceRootOf(target));
      files.push(target);
    }
  }
  const settings = DEFAULT_SETTINGS;
  // Compose files' `${VAR}` take the caller's environment, as `docker compose` does.
  const workspace = new WorkspaceModel({ roots: [...roots], settings, env });
  await workspace.refresh();
  return { workspace, files: onlyFiles ? files.filter((f) => kindOf(f) !== 'compose') : undefined, settings };
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
