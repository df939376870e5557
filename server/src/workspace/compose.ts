/**
 * Builds declared in Docker Compose files: which Dockerfile is built with which context.
 * Only what dockopt needs is read (services → build → context, dockerfile, target); the rest
 * of the file is none of our business. Bad YAML gives an error message, never an exception.
 */
import * as path from 'node:path';
import { YAMLMap, YAMLSeq, parse as parseYaml, type Tags } from 'yaml';

export interface ComposeBuildSpec {
  /** As written (after interpolation); undefined means `.`. */
  context?: string;
  /** As written, relative to the context; undefined means the default Dockerfile. */
  dockerfile?: string;
  target?: string;
}

export interface ComposeService {
  name: string;
  /** Undefined for services that only pull an image or build something dockopt cannot read. */
  build?: ComposeBuildSpec;
  /** Why the service's build is not followed (inline Dockerfile, remote context). */
  skipped?: string;
}

export interface ComposeFileParse {
  path: string;
  services: ComposeService[];
  /** A message for the user when the file could not be read as YAML. */
  error?: string;
}

/** One build of a service, with absolute paths. */
export interface ComposeBuild {
  service: string;
  composeFile: string;
  contextDir: string;
  dockerfilePath: string;
  target?: string;
}

const BASE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
/** `compose.prod.yaml`, `docker-compose.override.yml`, `docker-compose-dev.yml`, … */
const OVERRIDE_NAME = /^(docker-)?compose[.-][^/\\]+\.ya?ml$/;

/**
 * Compose's own YAML tags for merging files: `!reset` (drop the value) and `!override`
 * (replace instead of merge). Declared so they parse as their values, without warnings.
 */
const COMPOSE_TAGS: Tags = ['!reset', '!override'].flatMap((tag) => [
  { tag, collection: 'map' as const, nodeClass: YAMLMap, identify: () => false },
  { tag, collection: 'seq' as const, nodeClass: YAMLSeq, identify: () => false },
  { tag, identify: () => false, resolve: (value: string) => (tag === '!reset' || value === 'null' || value === '~' || value === '' ? null : value) },
]);

export function isComposeFileName(basename: string): boolean {
  return BASE_NAMES.includes(basename) || OVERRIDE_NAME.test(basename);
}

function isOverrideName(basename: string): boolean {
  return !BASE_NAMES.includes(basename) && OVERRIDE_NAME.test(basename);
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads one compose file. `env` feeds `${VAR}` interpolation; without it defaults are used. */
export function parseComposeFile(text: string, filePath: string, env: Env = {}): ComposeFileParse {
  let doc: unknown;
  try {
    doc = parseYaml(text, { merge: true, uniqueKeys: false, maxAliasCount: 10_000, prettyErrors: true, customTags: COMPOSE_TAGS, logLevel: 'error' });
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { path: filePath, services: [], error: `${path.basename(filePath)} is not valid YAML: ${message}` };
  }
  const services: ComposeService[] = [];
  const raw = isRecord(doc) ? doc.services : undefined;
  if (!isRecord(raw)) return { path: filePath, services };
  for (const [name, value] of Object.entries(raw)) {
    services.push(readService(name, value, env));
  }
  return { path: filePath, services };
}

function readService(name: string, value: unknown, env: Env): ComposeService {
  const build = isRecord(value) ? value.build : undefined;
  if (build === undefined || build === null) return { name };
  if (typeof build === 'string') {
    const context = interpolate(build, env);
    return isRemoteContext(context) ? { name, skipped: 'remote build context' } : { name, build: { context } };
  }
  if (!isRecord(build)) return { name };
  if (typeof build.dockerfile_inline === 'string') return { name, skipped: 'inline Dockerfile' };
  const spec: ComposeBuildSpec = {};
  if (typeof build.context === 'string') spec.context = interpolate(build.context, env);
  if (typeof build.dockerfile === 'string') spec.dockerfile = interpolate(build.dockerfile, env);
  if (typeof build.target === 'string') spec.target = interpolate(build.target, env);
  if (spec.context !== undefined && isRemoteContext(spec.context)) return { name, skipped: 'remote build context' };
  return { name, build: spec };
}

/**
 * The builds of every compose file given. Files in one folder form a project: an override
 * (`docker-compose.prod.yml`) adds a build for each service whose build it changes, merged
 * over the base file's settings, because the project can be built with or without it.
 */
export function resolveComposeBuilds(files: readonly ComposeFileParse[]): ComposeBuild[] {
  const builds: ComposeBuild[] = [];
  const byDir = new Map<string, ComposeFileParse[]>();
  for (const file of files) {
    const dir = path.dirname(file.path);
    byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
  }
  for (const [dir, group] of byDir) {
    const bases = group.filter((f) => !isOverrideName(path.basename(f.path)));
    const overrides = group.filter((f) => isOverrideName(path.basename(f.path)));
    const baseSpecs = new Map<string, { spec: ComposeBuildSpec; file: string }>();
    for (const file of bases) {
      for (const service of file.services) {
        if (!service.build) continue;
        baseSpecs.set(service.name, { spec: service.build, file: file.path });
        pushBuild(builds, dir, file.path, service.name, service.build);
      }
    }
    for (const file of overrides) {
      for (const service of file.services) {
        if (!service.build) continue;
        const base = baseSpecs.get(service.name)?.spec ?? {};
        pushBuild(builds, dir, file.path, service.name, { ...base, ...definedOnly(service.build) });
      }
    }
  }
  return dedupeBuilds(builds);
}

function pushBuild(out: ComposeBuild[], projectDir: string, composeFile: string, service: string, spec: ComposeBuildSpec) {
  const contextDir = path.resolve(projectDir, spec.context || '.');
  const dockerfilePath = path.resolve(contextDir, spec.dockerfile || 'Dockerfile');
  out.push({ service, composeFile, contextDir, dockerfilePath, target: spec.target || undefined });
}

function dedupeBuilds(builds: ComposeBuild[]): ComposeBuild[] {
  const seen = new Set<string>();
  return builds.filter((b) => {
    const id = `${b.service}\0${b.contextDir}\0${b.dockerfilePath}\0${b.target ?? ''}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function definedOnly(spec: ComposeBuildSpec): ComposeBuildSpec {
  const out: ComposeBuildSpec = {};
  if (spec.context !== undefined) out.context = spec.context;
  if (spec.dockerfile !== undefined) out.dockerfile = spec.dockerfile;
  if (spec.target !== undefined) out.target = spec.target;
  return out;
}

/** Git URLs, URLs and Git shorthands: contexts that are not folders on this disk. */
function isRemoteContext(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context) || /^github\.com\//.test(context) || /\.git(#.*)?$/.test(context);
}

/**
 * Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `$VAR` and `$$`,
 * best effort: unset variables take their default, else become empty.
 */
export function interpolate(value: string, env: Env): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
      if (match === '$$') return '$';
      const name = braced ?? bare!;
      const set = env[name];
      if (!op) return set ?? '';
      const empty = set === undefined || (op.startsWith(':') && set === '');
      switch (op.replace(':', '')) {
        case '-':
          return empty ? interpolate(arg ?? '', env) : set!;
        case '+':
          return empty ? '' : interpolate(arg ?? '', env);
        default: // `?`: compose would stop with the message; we carry on with what we have
          return set ?? '';
      }
    },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
