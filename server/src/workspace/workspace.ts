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
import type { ContextOverride } from '../settings';
import type { BuildContext, IgnoreFileRef } from './build-context';
import { defaultSpec, dockerfilesAffectedBy, DOT_ENV, IGNORE_NAME, indexBuilds, parseBuildFile, unique, type BuildIndex, type BuildSpec } from './build-index';
import type { ComposeFileParse, Env } from './compose';
import { ContextScanner } from './context-scan';
import { discover, kindOf, type FileKind } from './discover';
import { compileExcludeGlobs, type ExcludeTest } from './exclude-globs';
import { FileStates, type FileState } from './file-states';
import { ignoreFileCandidates } from '../../../shared/src/dockerignore/ignore-file-choice';
import { isInside, isInsideAny } from '../../../shared/src/files/containment';

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

export class WorkspaceModel {
  readonly scanner: ContextScanner;
  /**
   * Work done so far, for tests that catch a quadratic without timing anything: file states
   * looked up (overlay, cache or disk), build specs visited while answering queries, and build
   * indexes built (each visits every build of the workspace).
   */
  readonly work = { fileLookups: 0, specVisits: 0, indexBuilds: 0 };
  private roots: string[] = [];
  private defaultSettings: WorkspaceSettings = { contextOverrides: [], exclude: [] };
  private readonly rootSettings = new Map<string, WorkspaceSettings>();
  private readonly env: Env;

  private readonly fileStates = new FileStates(() => this.roots, this.work);
  private readonly composeParses = new Map<string, ComposeFileParse>();
  private readonly known = { dockerfiles: new Set<string>(), composeFiles: new Set<string>(), dockerignores: new Set<string>() };

  private index?: BuildIndex;

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
    this.fileStates.clear(); // what a link may resolve to depends on the roots
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
    this.fileStates.setOverlay(abs, text);
    this.dropFile(abs);
  }

  /**
   * A fix's result, kept in memory (the CLI writes it later, the editor turns it into an edit):
   * the text the workspace sees for `filePath` from now on. Unlike `invalidate`, nothing on disk
   * changed, so context scans stay valid (a rescan would find the same files, and a new scan
   * object would throw away the analyses cached on the old one), and the build index is rebuilt
   * only when the edit can change it: a compose or .env file, a Dockerfile created.
   * A fix that edits every service's files thus costs work in proportion to the services, not
   * their square.
   */
  editInMemory(filePath: string, text: string): void {
    const abs = path.resolve(filePath);
    const kind = kindOf(abs);
    // A Dockerfile compose names under another file name is indexed only when it can be read.
    const unreadableBefore = kind === undefined && this.read(abs).text === undefined;
    this.fileStates.setOverlay(abs, text);
    this.dropFile(abs); // drops the index itself for compose and .env files
    if (kind) {
      const set = this.knownSetOf(kind);
      const had = set.has(abs);
      if (this.isExcluded(abs)) set.delete(abs);
      else set.add(abs);
      if (kind === 'dockerfile' && had !== set.has(abs)) this.index = undefined;
    } else if (unreadableBefore) {
      this.index = undefined;
    }
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
    this.fileStates.clear();
    this.foundAbove.clear();
    this.composeParses.clear();
    // An index built before these files were known (a request during discovery) is stale now.
    this.index = undefined;
    await this.fileStates.readAll([...this.known.composeFiles]);
    this.index = undefined;
    // Warm what the synchronous reads will ask for: both candidate ignore files per build.
    const specs = [...this.buildIndex().byDockerfile.values()].flat();
    const wanted = new Set<string>();
    for (const spec of specs) {
      wanted.add(`${spec.dockerfilePath}.dockerignore`);
      wanted.add(path.join(spec.contextDir, IGNORE_NAME));
      wanted.add(path.join(path.dirname(spec.dockerfilePath), IGNORE_NAME));
    }
    await this.fileStates.readAll([...wanted]);
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
      const set = this.knownSetOf(kind);
      const had = set.has(abs);
      if (this.read(abs).exists && !this.isExcluded(abs)) set.add(abs);
      else set.delete(abs);
      // A Dockerfile's text is not in the index (compose files are, dropped by dropFile above):
      // only one created or deleted changes it, so a burst of edits (a branch switch) does not
      // rebuild it once per file.
      if (kind === 'compose' || (kind === 'dockerfile' && had !== set.has(abs))) this.index = undefined;
    } else {
      // Perhaps a directory: forget everything below it that is gone.
      this.fileStates.dropBelow(abs);
      const prefix = abs + path.sep;
      let dropped = false;
      for (const key of [...this.composeParses.keys()]) {
        if (!key.startsWith(prefix)) continue;
        this.composeParses.delete(key);
        dropped = true;
      }
      for (const set of Object.values(this.known)) {
        for (const file of [...set]) {
          if (!file.startsWith(prefix) || fs.existsSync(file)) continue;
          set.delete(file);
          dropped = true;
        }
      }
      // The index changes with a folder that held known files, or with a Dockerfile compose names
      // under another name (at or below the path: whether it can be read decides whether it is
      // checked). Any other path, a source file being the most common event, leaves it: a branch
      // switch of thousands of files rebuilt the index of every service once per file.
      const names = (file: string) => file === abs || file.startsWith(prefix);
      if (dropped || (this.index && [...this.index.byDockerfile.keys()].some(names))) this.index = undefined;
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
    return this.fileStates.skippedFiles();
  }

  /**
   * Why a fix may not write `filePath` (outside the workspace folders, through a link, not a
   * regular file, bytes that are not UTF-8), or undefined when it may. Cached until the path
   * is invalidated.
   */
  writeRefusal(filePath: string): string | undefined {
    return this.fileStates.writeRefusal(path.resolve(filePath));
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
    return this.dockerfileSpecs(path.resolve(dockerfilePath)).map((spec) => this.toBuildContext(spec, false));
  }

  /**
   * The builds a .dockerignore concerns: those that read it, and those whose Dockerfile sits
   * beside it but read another file (their context is elsewhere). Each carries its Dockerfile's text.
   */
  buildsForIgnoreFile(ignorePath: string): BuildContext[] {
    return this.ignoreFileSpecs(path.resolve(ignorePath)).map((spec) => this.toBuildContext(spec, true));
  }

  /**
   * The context folders of the builds a file is checked with (`buildsForIgnoreFile` for a
   * .dockerignore, else `buildsFor`), without making the builds: what a workspace check waits
   * to have scanned before it checks the file.
   */
  contextDirsOf(filePath: string): string[] {
    const abs = path.resolve(filePath);
    const specs = kindOf(abs) === 'dockerignore' ? this.ignoreFileSpecs(abs) : this.dockerfileSpecs(abs);
    return unique(specs.map((spec) => spec.contextDir));
  }

  /** Builds whose context is `dir`: to re-check when a scan of it lands. */
  buildsUsingContext(dir: string): BuildContext[] {
    const specs = this.buildIndex().byContextDir.get(path.resolve(dir)) ?? [];
    return specs.map((spec) => this.toBuildContext(spec, false));
  }

  /** Starts (or joins) the scans of the builds' contexts; resolves when all have landed. */
  async ensureScans(builds: readonly BuildContext[]): Promise<void> {
    await this.ensureContextScans(builds.map((b) => b.contextDir));
  }

  /** Starts (or joins) the scans of these context folders; resolves when all have landed. */
  async ensureContextScans(contextDirs: readonly string[]): Promise<void> {
    await Promise.all(unique([...contextDirs]).map((dir) => this.scanner.ensure(dir)));
  }

  // ---- internals -----------------------------------------------------------------------------

  private dockerfileSpecs(abs: string): BuildSpec[] {
    const specs = this.buildIndex().byDockerfile.get(abs) ?? [this.defaultSpec(abs)];
    this.work.specVisits += specs.length;
    return specs;
  }

  /** The builds of `buildsForIgnoreFile`, as specs. */
  private ignoreFileSpecs(abs: string): BuildSpec[] {
    const dir = path.dirname(abs);
    const index = this.buildIndex();
    const candidates: BuildSpec[] = [];
    if (path.basename(abs) === IGNORE_NAME) candidates.push(...(index.byContextDir.get(dir) ?? []));
    else candidates.push(...(index.byDockerfile.get(abs.slice(0, -IGNORE_NAME.length)) ?? []));
    candidates.push(...(index.byDockerfileDir.get(dir) ?? []));
    const seen = new Set<BuildSpec>();
    const out: BuildSpec[] = [];
    for (const spec of candidates) {
      this.work.specVisits++;
      if (seen.has(spec)) continue;
      seen.add(spec);
      if (!this.read(spec.dockerfilePath).exists) continue;
      const reads = this.ignoreFileOf(spec).path === abs;
      const beside = path.dirname(spec.dockerfilePath) === dir;
      if (reads || beside) out.push(spec);
    }
    return out;
  }

  private toBuildContext(spec: BuildSpec, withText: boolean): BuildContext {
    const ignoreFile = this.ignoreFileOf(spec);
    const build: BuildContext = {
      dockerfilePath: spec.dockerfilePath,
      contextDir: spec.contextDir,
      source: spec.source,
      ignoreFile,
      scan: this.scanner.peek(spec.contextDir),
      readFile: (relPath) => (isInsideDir(spec.contextDir, relPath) ? this.read(path.resolve(spec.contextDir, relPath)).text : undefined),
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

  private buildIndex(): BuildIndex {
    if (this.index) return this.index;
    this.work.indexBuilds++;
    this.index = indexBuilds({
      composeParses: [...this.known.composeFiles].sort().map((file) => this.composeParse(file)),
      roots: this.roots,
      overridesOf: (root) => this.settingsOf(root).contextOverrides,
      dockerfiles: this.known.dockerfiles,
      mayName: (dockerfile) => isInsideAny(dockerfile, this.roots) && !this.isExcluded(dockerfile) && this.read(dockerfile).text !== undefined,
      work: this.work,
    });
    return this.index;
  }

  private defaultSpec(dockerfilePath: string): BuildSpec {
    return defaultSpec(dockerfilePath, this.roots, (root) => this.settingsOf(root).contextOverrides);
  }

  private composeParse(file: string): ComposeFileParse {
    let parsed = this.composeParses.get(file);
    if (!parsed) {
      parsed = parseBuildFile(file, (abs) => this.read(abs), this.env);
      this.composeParses.set(file, parsed);
    }
    return parsed;
  }

  /** Dockerfiles whose builds involve this path as a compose file, ignore file, Dockerfile or context. */
  private affectedDockerfiles(abs: string): string[] {
    return dockerfilesAffectedBy(this.buildIndex(), abs, this.work);
  }

  private knownSetOf(kind: FileKind): Set<string> {
    return kind === 'dockerfile' ? this.known.dockerfiles : kind === 'compose' ? this.known.composeFiles : this.known.dockerignores;
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
    this.fileStates.drop(abs);
    if (this.composeParses.delete(abs) || kindOf(abs) === 'compose') this.index = undefined;
    if (path.basename(abs) === DOT_ENV) {
      // The compose files beside it read their variables from it.
      for (const file of [...this.composeParses.keys()]) if (path.dirname(file) === path.dirname(abs)) this.composeParses.delete(file);
      this.index = undefined;
    }
  }

  /** A file's state, from the overlay, the cache, or (once) the disk. */
  private read(abs: string): FileState {
    return this.fileStates.read(abs);
  }
}

/** Whether `relPath`, joined to `dir`, names something strictly below it (`..x` is a name, `../x` is not). */
export function isInsideDir(dir: string, relPath: string): boolean {
  // The common case, a plain name below the folder (`pyproject.toml`, `app/setup.cfg`), asked
  // for every candidate project file of every build: no `..`, not absolute, and some character
  // besides `.` and `/` (`.`, `./` name the folder itself).
  if (path.sep === '/' && relPath[0] !== '/' && !relPath.includes('..')) return /[^./]/.test(relPath);
  const full = path.join(dir, relPath);
  return path.relative(dir, full) !== '' && isInside(dir, full);
}
