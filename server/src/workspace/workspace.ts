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
import * as path from 'node:path';
// A compose project's `.env` (beside the compose file): `KEY=value` lines, `export `, quotes, `#` comments.
import { parse as parseDotEnv } from 'dotenv';
import type { ContextOverride } from '../settings';
import type { BuildContext, IgnoreFileRef } from './build-context';
import { parseComposeFile, resolveComposeBuilds, type ComposeFileParse, type Env } from './compose';
import { ContextScanner } from './context-scan';
import { isDevcontainerFile, parseDevcontainerFile } from './devcontainer';
import { discover, kindOf } from './discover';
import { compileExcludeGlobs, type ExcludeTest } from './exclude-globs';
import { ignoreFileCandidates } from '../../../shared/src/dockerignore/ignore-file-choice';
import { isInside, isInsideAny } from '../../../shared/src/files/containment';
import { readTextFile, readTextFileSync, shownPath, type ReadResult } from '../../../shared/src/files/safe-read';
import { writeRefusal } from './write-policy';

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
  /** Why an existing path was not read (a link out of the workspace, a FIFO, too large…). */
  skipped?: string;
  /** False when the bytes are not valid UTF-8: `text` is then for linting, never to write back. */
  utf8?: boolean;
}

const IGNORE_NAME = '.dockerignore';
const DOT_ENV = '.env';

export class WorkspaceModel {
  readonly scanner: ContextScanner;
  /**
   * Work done so far, for tests that catch a quadratic without timing anything: file states
   * looked up (overlay, cache or disk) and build specs visited while answering queries.
   */
  readonly work = { fileLookups: 0, specVisits: 0 };
  private roots: string[] = [];
  private defaultSettings: WorkspaceSettings = { contextOverrides: [], exclude: [] };
  private readonly rootSettings = new Map<string, WorkspaceSettings>();
  private readonly env: Env;

  private readonly overlay = new Map<string, string>();
  private readonly files = new Map<string, FileState>();
  private readonly refusals = new Map<string, string | undefined>();
  private readonly composeParses = new Map<string, ComposeFileParse>();
  private readonly known = { dockerfiles: new Set<string>(), composeFiles: new Set<string>(), dockerignores: new Set<string>() };

  private index?: {
    /** Dockerfiles that compose or dev container files name, whatever their file names. */
    named: Set<string>;
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
    this.files.clear(); // what a link may resolve to depends on the roots
    this.refusals.clear();
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
    this.refusals.clear();
    this.foundAbove.clear();
    this.composeParses.clear();
    // An index built before these files were known (a request during discovery) is stale now.
    this.index = undefined;
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
    this.foundAbove.clear(); // cheap to rebuild; a created or deleted file may be what it found
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
      // A folder that became (or stopped being) a link changes where everything below it resolves.
      for (const key of [...this.refusals.keys()]) if (key.startsWith(prefix) || key.startsWith(abs)) this.refusals.delete(key);
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

  /** The workspace folders, as given (absolute). */
  rootFolders(): string[] {
    return [...this.roots];
  }

  /** Files read so far that exist but were not read, with why (for a warning, never a finding). */
  skippedFiles(): Array<{ path: string; reason: string }> {
    return [...this.files].flatMap(([file, state]) => (state.skipped ? [{ path: file, reason: state.skipped }] : []));
  }

  /**
   * Why a fix may not write `filePath` (outside the workspace folders, through a link, not a
   * regular file, bytes that are not UTF-8), or undefined when it may. Cached until the path
   * is invalidated.
   */
  writeRefusal(filePath: string): string | undefined {
    const abs = path.resolve(filePath);
    if (this.refusals.has(abs)) return this.refusals.get(abs);
    let refusal: string | undefined;
    const state = this.read(abs);
    // An open editor's text is edited where the user sees it, and saved by the editor.
    if (this.overlay.has(abs)) refusal = undefined;
    else if (state.skipped) refusal = `${shownPath(abs, this.roots)} ${state.skipped}`;
    else if (state.utf8 === false) refusal = `${shownPath(abs, this.roots)} is not valid UTF-8, and dockopt keeps its bytes as they are`;
    else refusal = writeRefusal(abs, this.roots);
    this.refusals.set(abs, refusal);
    return refusal;
  }

  /** Dockerfiles found by name, named by a compose or dev container file, or given explicitly. */
  dockerfiles(): string[] {
    const named = [...this.buildIndex().named].filter((file) => !this.known.dockerfiles.has(file));
    return [...this.known.dockerfiles, ...named];
  }

  /** Whether `filePath` is checked as a Dockerfile, whatever its name. */
  isDockerfile(filePath: string): boolean {
    const abs = path.resolve(filePath);
    return this.known.dockerfiles.has(abs) || this.buildIndex().named.has(abs);
  }

  /** A file the user says is a Dockerfile (a CLI argument), whatever its name. */
  addDockerfile(filePath: string): void {
    this.known.dockerfiles.add(path.resolve(filePath));
    this.index = undefined;
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
    this.work.specVisits += specs.length;
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
      this.work.specVisits++;
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
    if (spec.source === 'dockerfile-folder') build.findAbove = (relPath) => this.findAbove(spec.contextDir, relPath);
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
      this.work.specVisits++;
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

    const named = new Set<string>();
    for (const [dockerfile, specs] of byDockerfile) {
      if (specs.some((s) => s.source === 'compose') && kindOf(dockerfile) !== 'dockerfile' && isInsideAny(dockerfile, this.roots) && !this.isExcluded(dockerfile) && this.read(dockerfile).text !== undefined) {
        named.add(dockerfile);
      }
    }

    const byDockerfileDir = new Map<string, BuildSpec[]>();
    const byContextDir = new Map<string, BuildSpec[]>();
    for (const specs of byDockerfile.values()) {
      for (const spec of specs) {
        this.work.specVisits++;
        push(byDockerfileDir, path.dirname(spec.dockerfilePath), spec);
        push(byContextDir, spec.contextDir, spec);
      }
    }
    this.index = { named, byDockerfile, byDockerfileDir, byContextDir };
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
      if (isDevcontainerFile(file)) {
        parsed = state.text !== undefined ? parseDevcontainerFile(state.text, file) : { path: file, services: [] };
        this.composeParses.set(file, parsed);
        return parsed;
      }
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
        this.work.specVisits++;
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

  private readonly foundAbove = new Map<string, string | undefined>();

  /** The nearest folder above `dir` (inside a workspace folder) that holds `relPath`, without following links. */
  private findAbove(dir: string, relPath: string): string | undefined {
    const key = `${dir}\0${relPath}`;
    if (this.foundAbove.has(key)) return this.foundAbove.get(key);
    let found: string | undefined;
    for (let up = path.dirname(dir); up !== dir && isInsideAny(up, this.roots); dir = up, up = path.dirname(up)) {
      const candidate = path.join(up, relPath);
      if (!isInsideDir(up, relPath)) break;
      if (fs.lstatSync(candidate, { throwIfNoEntry: false })) {
        found = up;
        break;
      }
    }
    if (this.foundAbove.size > 10_000) this.foundAbove.clear();
    this.foundAbove.set(key, found);
    return found;
  }

  private excludeTests = new Map<WorkspaceSettings, ExcludeTest | undefined>();

  private isExcluded(abs: string): boolean {
    const root = this.roots.find((r) => abs !== r && isInside(r, abs));
    if (!root) return false;
    const settings = this.settingsOf(root);
    if (settings.exclude.length === 0) return false;
    if (!this.excludeTests.has(settings)) this.excludeTests.set(settings, compileExcludeGlobs(settings.exclude));
    const excluded = this.excludeTests.get(settings);
    return !!excluded && excluded(path.relative(root, abs).split(path.sep).join('/'));
  }

  private dropFile(abs: string): void {
    this.files.delete(abs);
    this.refusals.delete(abs);
    if (this.composeParses.delete(abs) || kindOf(abs) === 'compose') this.index = undefined;
    if (path.basename(abs) === DOT_ENV) {
      // The compose files beside it read their variables from it.
      for (const file of [...this.composeParses.keys()]) if (path.dirname(file) === path.dirname(abs)) this.composeParses.delete(file);
      this.index = undefined;
    }
  }

  /** A file's state, from the overlay, the cache, or (once) the disk. */
  private read(abs: string): FileState {
    this.work.fileLookups++;
    const open = this.overlay.get(abs);
    if (open !== undefined) return { exists: true, text: open };
    let state = this.files.get(abs);
    if (!state) {
      state = toFileState(readTextFileSync(abs, this.roots));
      this.files.set(abs, state);
    }
    return state;
  }

  private async readAsync(abs: string): Promise<void> {
    if (this.overlay.has(abs) || this.files.has(abs)) return;
    const state = toFileState(await readTextFile(abs, this.roots));
    if (!this.files.has(abs)) this.files.set(abs, state);
  }
}

function toFileState(result: ReadResult): FileState {
  if (result.kind === 'absent') return { exists: false };
  if (result.kind === 'skipped') return { exists: true, skipped: result.reason };
  return { exists: true, text: result.text, utf8: result.utf8 };
}

/** A context-relative path that stays inside the context (no `..` out of it). */
/** Whether `relPath`, joined to `dir`, names something strictly below it (`..x` is a name, `../x` is not). */
export function isInsideDir(dir: string, relPath: string): boolean {
  const full = path.join(dir, relPath);
  return path.relative(dir, full) !== '' && isInside(dir, full);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
