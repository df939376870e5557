/**
 * Which Dockerfile is built with which context: the builds that compose files, dev container
 * files and the `contextOverrides` setting name, else the Dockerfile's own folder; indexed by
 * Dockerfile, by the Dockerfile's folder and by context, and asked which Dockerfiles a changed
 * path concerns. Pure over what it is given: the file cache lives in file-states.ts and the
 * invalidation in workspace.ts.
 */
import * as path from 'node:path';
// A compose project's `.env` (beside the compose file): `KEY=value` lines, `export `, quotes, `#` comments.
import { parse as parseDotEnv } from 'dotenv';
import type { ContextOverride } from '../settings';
import type { BuildContext } from './build-context';
import { parseComposeFile, resolveComposeBuilds, type ComposeFileParse, type Env } from './compose';
import { isDevcontainerFile, parseDevcontainerFile } from './devcontainer';
import { kindOf } from './discover';
import type { FileState } from './file-states';

/** A build before its files are looked at. */
export type BuildSpec = Pick<BuildContext, 'dockerfilePath' | 'contextDir' | 'source' | 'service' | 'composeFile' | 'target'>;

export interface BuildIndex {
  /** Dockerfiles that compose or dev container files name, whatever their file names. */
  named: Set<string>;
  byDockerfile: Map<string, BuildSpec[]>;
  byDockerfileDir: Map<string, BuildSpec[]>;
  byContextDir: Map<string, BuildSpec[]>;
}

export const IGNORE_NAME = '.dockerignore';
export const DOT_ENV = '.env';

export interface IndexInput {
  composeParses: readonly ComposeFileParse[];
  /** The workspace folders; the current directory stands for them when there are none. */
  roots: readonly string[];
  overridesOf(root: string): readonly ContextOverride[];
  /** Dockerfiles found by name or given explicitly. */
  dockerfiles: Iterable<string>;
  /** Whether a Dockerfile that compose names under another file name is checked (in a root, not excluded, readable). */
  mayName(dockerfilePath: string): boolean;
  /** Counts the build specs visited, for tests that catch a quadratic. */
  work: { specVisits: number };
}

export function indexBuilds(input: IndexInput): BuildIndex {
  const byDockerfile = new Map<string, BuildSpec[]>();
  const add = (spec: BuildSpec) => push(byDockerfile, spec.dockerfilePath, spec);

  for (const build of resolveComposeBuilds([...input.composeParses])) add({ ...build, source: 'compose' });
  // A settings override replaces whatever compose says for that Dockerfile.
  for (const root of input.roots.length ? input.roots : [process.cwd()]) {
    for (const override of input.overridesOf(root)) {
      const dockerfilePath = path.resolve(root, override.dockerfile);
      byDockerfile.set(dockerfilePath, [{ dockerfilePath, contextDir: path.resolve(root, override.context), source: 'setting' }]);
    }
  }
  for (const dockerfile of input.dockerfiles) {
    if (!byDockerfile.has(dockerfile)) add(defaultSpec(dockerfile, input.roots, input.overridesOf));
  }

  const named = new Set<string>();
  for (const [dockerfile, specs] of byDockerfile) {
    if (specs.some((s) => s.source === 'compose') && kindOf(dockerfile) !== 'dockerfile' && input.mayName(dockerfile)) named.add(dockerfile);
  }

  const byDockerfileDir = new Map<string, BuildSpec[]>();
  const byContextDir = new Map<string, BuildSpec[]>();
  for (const specs of byDockerfile.values()) {
    for (const spec of specs) {
      input.work.specVisits++;
      push(byDockerfileDir, path.dirname(spec.dockerfilePath), spec);
      push(byContextDir, spec.contextDir, spec);
    }
  }
  return { named, byDockerfile, byDockerfileDir, byContextDir };
}

/** The build of a Dockerfile no compose file names: a settings override, else its own folder. */
export function defaultSpec(dockerfilePath: string, roots: readonly string[], overridesOf: (root: string) => readonly ContextOverride[]): BuildSpec {
  for (const root of roots) {
    for (const override of overridesOf(root)) {
      if (path.resolve(root, override.dockerfile) === dockerfilePath) {
        return { dockerfilePath, contextDir: path.resolve(root, override.context), source: 'setting' };
      }
    }
  }
  return { dockerfilePath, contextDir: path.dirname(dockerfilePath), source: 'dockerfile-folder' };
}

/**
 * The builds a compose file (or a dev container file) declares. As `docker compose` does, the
 * project's .env fills `${VAR}`, and the environment wins over it.
 */
export function parseBuildFile(file: string, read: (abs: string) => FileState, env: Env): ComposeFileParse {
  const state = read(file);
  if (isDevcontainerFile(file)) return state.text !== undefined ? parseDevcontainerFile(state.text, file) : { path: file, services: [] };
  const dotEnv = read(path.join(path.dirname(file), DOT_ENV));
  const withDotEnv = dotEnv.exists ? { ...parseDotEnv(dotEnv.text ?? ''), ...env } : env;
  return state.exists ? parseComposeFile(state.text ?? '', file, withDotEnv) : { path: file, services: [] };
}

/** Dockerfiles whose builds involve this path as a compose file, ignore file, Dockerfile or context. */
export function dockerfilesAffectedBy(index: BuildIndex, abs: string, work: { specVisits: number }): string[] {
  const out: string[] = [];
  const kind = kindOf(abs);
  if (kind === 'dockerfile') out.push(abs);
  for (const specs of index.byDockerfile.values()) {
    for (const spec of specs) {
      work.specVisits++;
      if (
        spec.composeFile === abs ||
        spec.contextDir === abs ||
        (kind === 'dockerignore' && path.dirname(abs) === path.dirname(spec.dockerfilePath)) ||
        (kind === 'dockerignore' && (abs === path.join(spec.contextDir, IGNORE_NAME) || abs === `${spec.dockerfilePath}.dockerignore`))
      ) {
        out.push(spec.dockerfilePath);
      }
    }
  }
  return unique(out);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
