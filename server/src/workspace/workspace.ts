/**
 * The workspace as builds: which Dockerfile is built with which context, and which
 * .dockerignore BuildKit reads for it. `refresh()` discovers and reads files in the
 * background; every other read is synchronous and served from caches (a cache miss reads
 * one small file), so the language server can answer a keystroke without waiting.
 *
 * Where a build's context comes from, strongest first: a settings override for that
 * Dockerfile, the compose files that build it (one build per service), the Dockerfile's folder.
 */
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ContextOverride } from '../settings';
import type { BuildContext, IgnoreFileRef } from './build-context';
import { parseComposeFile, parseDotEnv, resolveComposeBuilds, type ComposeFileParse, type Env } from './compose';
import { ContextScanner } from './context-scan';
import { discover, kindOf } from './discover';
import { ignoreFileCandidates } from './ignore-file-choice';
import { compilePatterns, type IgnoreMatcher } from './ignore-matcher';

export interface WorkspaceSettings {
  contextOverrides: ContextOverride[];
  exclude: string[];
}

export interface WorkspaceOptions {
  roots?: string[];
  /** Settings for every root (see `setSettings` for one root). */
  settings?: WorkspaceSettings;
  /** Shared with whoever else scans contexts; one is created otherwise. */
  scanner?: ContextScanner;
  /** Variables for `${VAR}` in compose files; unset ones take their default. */
  env?: Env;
}

/** A build before its files are looked at. */
type BuildSpec = Pick<BuildContext, 'dockerfilePath' | 'contextDir' | 'source' | 'service' | 'composeFile' | 'target'>;

interface FileState {
  exists: boolean;
  text?: string;
}

const IGNORE_NAME = '.dockerignore';
const DOT_ENV = '.env';

export class WorkspaceModel {
  readonly scanner: ContextScanner;
  private roots: string[] = [];
  private defaultSettings: WorkspaceSettings = { contextOverrides: [], exclude: [] };
  private readonly rootSettings = new Map<string, WorkspaceSettings>();
  private readonly env: Env;

  private readonly overlay = new Map<string, string>();
  private readonly files = new Map<string, FileState>();
  private readonly composeParses = new Map<string, ComposeFileParse>();
  private readonly known = { dockerfiles: new Set<string>(), composeFiles: new Set<string>(), dockerignores: new Set<string>() };

  private index?: {
    byDockerfile: Map<string, BuildSpec[]>;
    byDockerfileDir: Map<string, BuildSpec[]>;
    byContextDir: Map<string, BuildSpec[]>;
  };

  constructor(options: WorkspaceOptions = {}) {
    this.scanner = options.scanner ?? new ContextScanner();
    this.env = options.env ?? {};
    if (options.settings) this.defaultSettings = options.settings;
    this.setRoots(options.roots ?? []);
  }

  // ---- configuration -------------------------------------------------------------------------

  /** The workspace folders. Call `refresh()` afterwards to discover their files. */
  setRoots(roots: readonly string[]): void {
    this.roots = roots.map((r) => path.resolve(r));
    this.index = undefined;
  }

  /** Context overrides and excludes, for one root or (without `root`) for all. */
  setSettings(settings: WorkspaceSettings, root?: string): void {
    if (root) this.rootSettings.set(path.resolve(root), settings);
    else this.defaultSettings = settings;
    this.index = undefined;
  }

  /** The text of an open editor, which wins over the disk; undefined when it closes. */
  setOverlay(filePath: string, text: string | undefined): void {
    const abs = path.resolve(filePath);
    if (text === undefined) this.overlay.delete(abs);
    else this.overlay.set(abs, text);
    this.dropFile(abs);
  }

  // ---- loading -------------------------------------------------------------------------------

  /** Discovers the roots' files and reads compose and ignore files, without blocking. */
  async refresh(): Promise<void> {
    const found = await Promise.all(
      this.roots.map((root) => discover(root, { exclude: this.settingsOf(root).exclude })),
    );
    this.known.dockerfiles = new Set(found.flatMap((f) => f.dockerfiles));
    this.known.composeFiles = new Set(found.flatMap((f) => f.composeFiles));
    this.known.dockerignores = new Set(found.flatMap((f) => f.dockerignores));
    this.files.clear();
    this.composeParses.clear();
    await Promise.all([...this.known.composeFiles].map((file) => this.readAsync(file)));
    this.index = undefined;
    // Warm what the synchronous reads will ask for: both candidate ignore files per build.
    const specs = [...this.buildIndex().byDockerfile.values()].flat();
    const wanted = new Set<string>();
    for (const spec of specs) {
      wanted.add(`${spec.dockerfilePath}.dockerignore`);
      wanted.add(path.join(spec.contextDir, IGNORE_NAME));
      wanted.add(path.join(path.dirname(spec.dockerfilePath), IGNORE_NAME));
    }
    await Promise.all([...wanted].map((file) => this.readAsync(file)));
  }

  /**
   * A file changed on disk (created, changed, deleted): drops what depended on it, including
   * that path in context scans. Returns the Dockerfiles whose diagnostics may change.
   */
  invalidate(filePath: string): string[] {
    const abs = path.resolve(filePath);
    const before = this.affectedDockerfiles(abs);
    this.scanner.invalidatePath(abs);
    this.dropFile(abs);
    const kind = kindOf(abs);
    if (kind) {
      const set = kind === 'dockerfile' ? this.known.dockerfiles : kind === 'compose' ? this.known.composeFiles : this.known.dockerignores;
      if (this.read(abs).exists && !this.isExcluded(abs)) set.add(abs);
      else set.delete(abs);
      if (kind !== 'dockerignore') this.index = undefined;
    } else {
      // Perhaps a directory: forget everything below it that is gone.
      const prefix = abs + path.sep;
      for (const key of [...this.files.keys()]) if (key.startsWith(prefix)) this.files.delete(key);
      for (const key of [...this.composeParses.keys()]) if (key.startsWith(prefix)) this.composeParses.delete(key);
      for (const set of Object.values(this.known)) {
        for (const file of [...set]) if (file.startsWith(prefix) && !fs.existsSync(file)) set.delete(file);
      }
      this.index = undefined;
    }
    return unique([...before, ...this.affectedDockerfiles(abs)]);
  }

  // ---- reading (synchronous) -----------------------------------------------------------------

  /** A file's text as builds see it: the open editor's, else the disk's; undefined when absent. */
  readText(filePath: string): string | undefined {
    return this.read(path.resolve(filePath)).text;
  }

  dockerfiles(): string[] {
    return [...this.known.dockerfiles];
  }

  composeFiles(): string[] {
    return [...this.known.composeFiles];
  }

  dockerignoreFiles(): string[] {
    return [...this.known.dockerignores];
  }

  /** Compose files that could not be read as YAML, with a message for the user. */
  composeErrors(): Array<{ path: string; message: string }> {
    return [...this.known.composeFiles]
      .map((file) => this.composeParse(file))
      .filter((p) => p.error)
      .map((p) => ({ path: p.path, message: p.error! }));
  }

  /** Every build of a Dockerfile: one per compose service that builds it, else one. */
  buildsFor(dockerfilePath: string): BuildContext[] {
    const abs = path.resolve(dockerfilePath);
    const specs = this.buildIndex().byDockerfile.get(abs) ?? [this.defaultSpec(abs)];
    return specs.map((spec) => this.toBuildContext(spec, false));
  }

  /**
   * The builds a .dockerignore concerns: those that read it, and those whose Dockerfile sits
   * beside it but read another file (their context is elsewhere). Each carries its Dockerfile's text.
   */
  buildsForIgnoreFile(ignorePath: string): BuildContext[] {
    const abs = path.resolve(ignorePath);
    const dir = path.dirname(abs);
    const index = this.buildIndex();
    const candidates: BuildSpec[] = [];
    if (path.basename(abs) === IGNORE_NAME) candidates.push(...(index.byContextDir.get(dir) ?? []));
    else candidates.push(...(index.byDockerfile.get(abs.slice(0, -IGNORE_NAME.length)) ?? []));
    candidates.push(...(index.byDockerfileDir.get(dir) ?? []));
    const seen = new Set<BuildSpec>();
    const out: BuildContext[] = [];
    for (const spec of candidates) {
      if (seen.has(spec)) continue;
      seen.add(spec);
      if (!this.read(spec.dockerfilePath).exists) continue;
      const build = this.toBuildContext(spec, true);
      const reads = build.ignoreFile.path === abs;
      const beside = path.dirname(spec.dockerfilePath) === dir;
      if (reads || beside) out.push(build);
    }
    return out;
  }

  /** Builds whose context is `dir`: to re-check when a scan of it lands. */
  buildsUsingContext(dir: string): BuildContext[] {
    const specs = this.buildIndex().byContextDir.get(path.resolve(dir)) ?? [];
    return specs.map((spec) => this.toBuildContext(spec, false));
  }

  /** Starts (or joins) the scans of the builds' contexts; resolves when all have landed. */
  async ensureScans(builds: readonly BuildContext[]): Promise<void> {
    await Promise.all(unique(builds.map((b) => b.contextDir)).map((dir) => this.scanner.ensure(dir)));
  }

  // ---- internals -----------------------------------------------------------------------------

  private toBuildContext(spec: BuildSpec, withText: boolean): BuildContext {
    const ignoreFile = this.ignoreFileOf(spec);
    const build: BuildContext = {
      dockerfilePath: spec.dockerfilePath,
      contextDir: spec.contextDir,
      source: spec.source,
      ignoreFile,
      scan: this.scanner.peek(spec.contextDir),
      readFile: (relPath) => (isInsideDir(spec.contextDir, relPath) ? this.readText(path.join(spec.contextDir, relPath)) : undefined),
    };
    if (spec.service !== undefined) build.service = spec.service;
    if (spec.composeFile !== undefined) build.composeFile = spec.composeFile;
    if (spec.target !== undefined) build.target = spec.target;
    const besidePath = path.join(path.dirname(spec.dockerfilePath), IGNORE_NAME);
    if (besidePath !== ignoreFile.path) {
      const beside = this.read(besidePath);
      if (beside.exists) build.unreadIgnoreFile = { path: besidePath, text: beside.text ?? '' };
    }
    if (withText) build.dockerfileText = this.read(spec.dockerfilePath).text ?? '';
    if (ignoreFile.kind === 'context-root') {
      const coReaders = this.coReadersOf(spec);
      if (coReaders.length > 0) build.coReaders = coReaders;
    }
    return build;
  }

  /** Other Dockerfiles of the same context that have no `<Dockerfile>.dockerignore` of their own. */
  private coReadersOf(spec: BuildSpec): Array<{ dockerfilePath: string; dockerfileText: string }> {
    const out = new Map<string, string>();
    for (const other of this.buildIndex().byContextDir.get(spec.contextDir) ?? []) {
      if (other.dockerfilePath === spec.dockerfilePath || out.has(other.dockerfilePath)) continue;
      if (this.read(`${other.dockerfilePath}.dockerignore`).exists) continue;
      const dockerfile = this.read(other.dockerfilePath);
      if (dockerfile.exists) out.set(other.dockerfilePath, dockerfile.text ?? '');
    }
    return [...out].map(([dockerfilePath, dockerfileText]) => ({ dockerfilePath, dockerfileText }));
  }

  /** BuildKit's choice: `<Dockerfile>.dockerignore` beside the Dockerfile, else `<context>/.dockerignore`. */
  private ignoreFileOf(spec: BuildSpec): IgnoreFileRef {
    const [specific, root] = ignoreFileCandidates(spec.dockerfilePath, spec.contextDir);
    for (const candidate of [specific, root]) {
      const state = this.read(candidate.path);
      if (state.exists) return { ...candidate, exists: true, text: state.text };
    }
    // None yet. A Dockerfile in the context's root folder gets the usual `.dockerignore` (which
    // its neighbours read too); one built from another folder gets its own, so that the other
    // builds of that context (say, every service built from the repository root) do not change.
    return { ...(path.dirname(spec.dockerfilePath) === spec.contextDir ? root : specific), exists: false };
  }

  private buildIndex() {
    if (this.index) return this.index;
    const byDockerfile = new Map<string, BuildSpec[]>();
    const add = (spec: BuildSpec) => push(byDockerfile, spec.dockerfilePath, spec);

    const composeFiles = [...this.known.composeFiles].sort();
    for (const build of resolveComposeBuilds(composeFiles.map((file) => this.composeParse(file)))) {
      add({ ...build, source: 'compose' });
    }
    // A settings override replaces whatever compose says for that Dockerfile.
    for (const root of this.roots.length ? this.roots : [process.cwd()]) {
      for (const override of this.settingsOf(root).contextOverrides) {
        const dockerfilePath = path.resolve(root, override.dockerfile);
        byDockerfile.set(dockerfilePath, [{ dockerfilePath, contextDir: path.resolve(root, override.context), source: 'setting' }]);
      }
    }
    for (const dockerfile of this.known.dockerfiles) {
      if (!byDockerfile.has(dockerfile)) add(this.defaultSpec(dockerfile));
    }

    const byDockerfileDir = new Map<string, BuildSpec[]>();
    const byContextDir = new Map<string, BuildSpec[]>();
    for (const specs of byDockerfile.values()) {
      for (const spec of specs) {
        push(byDockerfileDir, path.dirname(spec.dockerfilePath), spec);
        push(byContextDir, spec.contextDir, spec);
      }
    }
    this.index = { byDockerfile, byDockerfileDir, byContextDir };
    return this.index;
  }

  private defaultSpec(dockerfilePath: string): BuildSpec {
    for (const root of this.roots) {
      for (const override of this.settingsOf(root).contextOverrides) {
        if (path.resolve(root, override.dockerfile) === dockerfilePath) {
          return { dockerfilePath, contextDir: path.resolve(root, override.context), source: 'setting' };
        }
      }
    }
    return { dockerfilePath, contextDir: path.dirname(dockerfilePath), source: 'dockerfile-folder' };
  }

  private composeParse(file: string): ComposeFileParse {
    let parsed = this.composeParses.get(file);
    if (!parsed) {
      const state = this.read(file);
      // As `docker compose` does: the project's .env fills `${VAR}`, the environment wins over it.
      const dotEnv = this.read(path.join(path.dirname(file), DOT_ENV));
      const env = dotEnv.exists ? { ...parseDotEnv(dotEnv.text ?? ''), ...this.env } : this.env;
      parsed = state.exists ? parseComposeFile(state.text ?? '', file, env) : { path: file, services: [] };
      this.composeParses.set(file, parsed);
    }
    return parsed;
  }

  /** Dockerfiles whose builds involve this path as a compose file, ignore file, Dockerfile or context. */
  private affectedDockerfiles(abs: string): string[] {
    const index = this.buildIndex();
    const out: string[] = [];
    const kind = kindOf(abs);
    if (kind === 'dockerfile') out.push(abs);
    for (const specs of index.byDockerfile.values()) {
      for (const spec of specs) {
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

  private settingsOf(root: string): WorkspaceSettings {
    return this.rootSettings.get(root) ?? this.defaultSettings;
  }

  private excludeMatchers = new Map<WorkspaceSettings, IgnoreMatcher>();

  private isExcluded(abs: string): boolean {
    const root = this.roots.find((r) => abs.startsWith(r + path.sep));
    if (!root) return false;
    const settings = this.settingsOf(root);
    if (settings.exclude.length === 0) return false;
    let matcher = this.excludeMatchers.get(settings);
    if (!matcher) {
      matcher = compilePatterns(settings.exclude);
      this.excludeMatchers.set(settings, matcher);
    }
    return matcher.ignores(path.relative(root, abs).split(path.sep).join('/'));
  }

  private dropFile(abs: string): void {
    this.files.delete(abs);
    if (this.composeParses.delete(abs) || kindOf(abs) === 'compose') this.index = undefined;
    if (path.basename(abs) === DOT_ENV) {
      // The compose files beside it read their variables from it.
      for (const file of [...this.composeParses.keys()]) if (path.dirname(file) === path.dirname(abs)) this.composeParses.delete(file);
      this.index = undefined;
    }
  }

  /** A file's state, from the overlay, the cache, or (once) the disk. */
  private read(abs: string): FileState {
    const open = this.overlay.get(abs);
    if (open !== undefined) return { exists: true, text: open };
    let state = this.files.get(abs);
    if (!state) {
      state = readSync(abs);
      this.files.set(abs, state);
    }
    return state;
  }

  private async readAsync(abs: string): Promise<void> {
    if (this.overlay.has(abs) || this.files.has(abs)) return;
    const state = await fsp.readFile(abs, 'utf8').then(
      (text): FileState => ({ exists: true, text }),
      (): FileState => ({ exists: false }),
    );
    if (!this.files.has(abs)) this.files.set(abs, state);
  }
}

/** A context-relative path that stays inside the context (no `..` out of it). */
function isInsideDir(dir: string, relPath: string): boolean {
  const rel = path.relative(dir, path.join(dir, relPath));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function readSync(abs: string): FileState {
  try {
    return { exists: true, text: fs.readFileSync(abs, 'utf8') };
  } catch {
    return { exists: false };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
