/**
 * The .dockerignore patterns dockopt recommends, and the one decision rules 5 and 6 share:
 * which of them are safe for a build and which would leave real files out of its context.
 *
 * Safe means the build cannot break: a pattern never excludes a source of a COPY/ADD (without
 * --from) or of a RUN bind mount; content patterns (docs, tests, .env) also never exclude a
 * file below a copied directory, since the image may serve or read it, while artifact patterns
 * (caches, node_modules, logs, editor files) may, unless they would empty the folder: nothing
 * needs `src/__pycache__`, but `COPY logs/ …` wants its logs. A group is
 * skipped when a RUN/CMD/ENTRYPOINT visibly uses what it excludes (`pytest` needs the tests,
 * `git describe` needs .git). `COPY . .` is no constraint: shaping what it sends is what
 * .dockerignore is for.
 *
 * Decisions:
 * - `**\/*.md` comes with `!README.md`: packaging metadata (pyproject's `readme`, setup.py's
 *   long_description) reads the README during `pip install .`, which no COPY source shows.
 *   Only the root README is kept, so BuildKit can still skip excluded directories wholesale.
 * - `dist/` and `build/` are not recommended: they are often inputs (prebuilt wheels, bundles).
 * - Exceptions (`!x`) are only added when the user's own lines do not already exclude `x`,
 *   and a pattern is not proposed when it would undo one of the user's own exceptions.
 */
import * as path from 'node:path';
import { parseDockerfile, type DockerfileModel } from '../dockerfile/model';
import { readMounts } from '../dockerfile/mounts';
import type { BuildContext, ContextScan } from '../workspace/build-context';
import type { TextEdit } from './types';
import { indicesUnder } from '../workspace/context-scan';
import { cleanPattern, compileIgnore, compilePatterns, parseIgnoreLines, type IgnoreMatcher } from '../workspace/ignore-matcher';
import { formatBytes } from '../format-bytes';

export interface RecommendedPattern {
  pattern: string;
  /** Exceptions written right after it (without `!`). */
  keep?: string[];
}

export interface PatternGroup {
  id: string;
  title: string;
  patterns: RecommendedPattern[];
  /** Content may be needed below a copied directory; artifacts never are. */
  kind: 'content' | 'artifact';
  /** A RUN/CMD/ENTRYPOINT matching this uses what the group excludes: the group is skipped. */
  usedBy?: RegExp;
}

const p = (pattern: string, keep?: string[]): RecommendedPattern => (keep ? { pattern, keep } : { pattern });

export const RECOMMENDED_GROUPS: readonly PatternGroup[] = [
  {
    id: 'vcs',
    kind: 'artifact',
    title: 'Version control',
    patterns: [p('**/.git'), p('**/.hg'), p('**/.svn')],
    usedBy: /\bgit\b|setuptools[-_]scm|versioneer|\bhg\b|\bsvn\b/,
  },
  {
    id: 'docs',
    kind: 'content',
    title: 'Docs',
    patterns: [p('docs'), p('**/*.md', ['README.md'])],
    usedBy: /\bmkdocs\b|\bsphinx|\bdocs\/|\.md\b/,
  },
  {
    id: 'tests',
    kind: 'content',
    title: 'Tests and test reports',
    patterns: [
      p('**/tests'),
      p('test'),
      p('**/__tests__'),
      p('**/.pytest_cache'),
      p('**/.coverage'),
      p('**/.coverage.*'),
      p('**/htmlcov'),
      p('coverage'),
      p('**/.tox'),
      p('**/.nox'),
      p('**/test-results'),
      p('**/test-reports'),
    ],
    usedBy: /\b(pytest|py\.test|tox|nox|unittest|jest|mocha|vitest|coverage)\b|\btests?\/|\bnpm (run )?test\b/,
  },
  { id: 'logs', kind: 'artifact', title: 'Logs', patterns: [p('**/*.log'), p('logs')], usedBy: /\blogs\// },
  {
    id: 'python',
    kind: 'artifact',
    title: 'Python artifacts',
    patterns: [
      p('**/__pycache__'),
      p('**/*.py[cod]'),
      p('**/*.egg-info'),
      p('**/.mypy_cache'),
      p('**/.ruff_cache'),
      p('**/.ipynb_checkpoints'),
    ],
  },
  {
    id: 'node',
    kind: 'artifact',
    title: 'Node artifacts',
    patterns: [p('**/node_modules'), p('**/npm-debug.log*'), p('**/yarn-debug.log*'), p('**/yarn-error.log*')],
  },
  { id: 'venv', kind: 'artifact', title: 'Virtual environments', patterns: [p('**/.venv'), p('venv')] },
  { id: 'env', kind: 'content', title: 'Local environment files (secrets)', patterns: [p('**/.env'), p('**/.env.*', ['.env.example'])] },
  {
    id: 'temp',
    kind: 'artifact',
    title: 'Temporary files',
    patterns: [p('**/*.tmp'), p('**/*.swp'), p('**/*.swo'), p('**/*~'), p('**/.DS_Store'), p('**/Thumbs.db')],
  },
  { id: 'editor', kind: 'artifact', title: 'Editor settings', patterns: [p('**/.vscode'), p('**/.idea')] },
];

// ---------------------------------------------------------------------------------------------
// What a Dockerfile reads from its context

export interface BuildInputs {
  /** Context-relative sources of COPY/ADD (without --from) and RUN bind mounts; may be globs. */
  sources: string[];
  /** The text of RUN, CMD and ENTRYPOINT instructions, to see what they use. */
  commands: string;
}

const inputsCache = new WeakMap<DockerfileModel, BuildInputs>();

export function buildInputs(model: DockerfileModel): BuildInputs {
  const cached = inputsCache.get(model);
  if (cached) return cached;
  const sources: string[] = [];
  const commands: string[] = [];
  for (const info of model.instructions) {
    try {
      if (info.keyword === 'COPY' || info.keyword === 'ADD') sources.push(...copySources(model, info));
      else if (info.keyword === 'RUN') {
        for (const mount of readMounts(info.ast)) {
          if (mount.type !== 'bind' || mount.options.has('from')) continue;
          sources.push(mount.options.get('source') ?? mount.options.get('src') ?? '.');
        }
      }
      if (info.keyword === 'RUN' || info.keyword === 'CMD' || info.keyword === 'ENTRYPOINT') {
        commands.push(model.text.slice(info.startOffset, info.endOffset));
      }
    } catch {
      // an instruction dockerfile-ast cannot describe reads nothing we can name
    }
  }
  const result = { sources: sources.map(normalizeSource).filter((s): s is string => s !== undefined), commands: commands.join('\n') };
  inputsCache.set(model, result);
  return result;
}

type InstructionInfo = DockerfileModel['instructions'][number];

function copySources(model: DockerfileModel, info: InstructionInfo): string[] {
  const { ast, keyword } = info;
  const flags = (ast as any).getFlags?.() as Array<{ getName(): string }> | undefined;
  if (flags?.some((f) => f.getName().toLowerCase() === 'from')) return [];
  const json = execFormArguments(model, info);
  let args: string[];
  if (json) {
    args = json;
  } else {
    const all = ast.getArguments();
    // A heredoc's body follows the line that opens it; the sources are before.
    const opener = all.find((a) => a.getValue().startsWith('<<'));
    const lastLine = opener ? opener.getRange().start.line : Infinity;
    args = all.filter((a) => a.getRange().start.line <= lastLine).map((a) => a.getValue()).filter((v) => !v.startsWith('<<'));
  }
  const sources = args.slice(0, -1);
  return keyword === 'ADD' ? sources.filter((s) => !/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(s)) : sources;
}

type Bracket = { getRange(): { start: { line: number; character: number }; end: { line: number; character: number } } } | null;

/** `COPY ["a b.txt", "/app/"]`: read as JSON (dockerfile-ast's own values lose the spaces). */
function execFormArguments(model: DockerfileModel, info: InstructionInfo): string[] | undefined {
  const open = (info.ast as any).getOpeningBracket?.() as Bracket | undefined;
  if (!open) return undefined;
  // dockerfile-ast misses the closing bracket after a backtick continuation: read to the end then.
  const close = (info.ast as any).getClosingBracket?.() as Bracket | undefined;
  const end = close ? model.offsetAt(close.getRange().end) : info.endOffset;
  const raw = model.text.slice(model.offsetAt(open.getRange().start), end).trimEnd();
  const escape = model.escapeChar.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const joined = raw.replace(new RegExp(`${escape}[ \\t]*\\r?\\n`, 'g'), ''); // line continuations
  try {
    const value: unknown = JSON.parse(joined);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined; // not valid JSON: Docker reads it as shell form
  }
}

/** Context-relative, cleaned; `$VAR` becomes `*` (unknown here); undefined when outside the context. */
function normalizeSource(source: string): string | undefined {
  const withVars = source.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, '*');
  const cleaned = cleanPattern(withVars.replace(/^\/+/, ''));
  if (cleaned === '..' || cleaned.startsWith('../')) return undefined;
  return cleaned === '' ? '.' : cleaned;
}

// ---------------------------------------------------------------------------------------------
// Per-scan analysis (cached: the scan object is immutable, its contents change only with it)

interface ScanAnalysis {
  /** Entry lines → indices of files they exclude. */
  excludedBy: Map<string, number[]>;
  /** Ignore-file text → per-file flags: 1 excluded, 2 matched by one of the user's exceptions. */
  states: Map<string, Uint8Array>;
  /** Sources key → indices of the files the build copies by name. */
  protectedBy: Map<string, ProtectedFiles>;
  /** Plans of one build, by everything they depend on besides the scan. */
  plans: Map<string, PatternPlan>;
}

const analyses = new WeakMap<ContextScan, ScanAnalysis>();
const MAX_CACHED_TEXTS = 8;

function analysisOf(scan: ContextScan): ScanAnalysis {
  let a = analyses.get(scan);
  if (!a) {
    a = { excludedBy: new Map(), states: new Map(), protectedBy: new Map(), plans: new Map() };
    analyses.set(scan, a);
  }
  return a;
}

function remember<V>(map: Map<string, V>, key: string, make: () => V, max = MAX_CACHED_TEXTS): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    if (map.size >= max) map.delete(map.keys().next().value as string);
    map.set(key, value);
  }
  return value;
}

const pathLists = new WeakMap<ContextScan, string[]>();

function pathsOf(scan: ContextScan): string[] {
  let paths = pathLists.get(scan);
  if (!paths) {
    paths = scan.files.map((f) => f.path);
    pathLists.set(scan, paths);
  }
  return paths;
}

const EXCLUDED = 1;
const USER_EXCEPTION = 2;

function stateOf(scan: ContextScan, text: string): Uint8Array {
  return remember(analysisOf(scan).states, text, () => {
    const paths = pathsOf(scan);
    const matcher = compileIgnore(text);
    const flags = matcher.ignoresAll(paths);
    const exceptions = matcher.rules.filter((r) => r.exception).map((r) => r.pattern);
    if (exceptions.length > 0) {
      compilePatterns(exceptions).ignoresAll(paths).forEach((hit, i) => {
        if (hit) flags[i] |= USER_EXCEPTION;
      });
    }
    return flags;
  });
}

/** Room for every recommended entry, in both its forms (with and without its exceptions). */
const MAX_CACHED_ENTRIES = 256;

function excludedBy(scan: ContextScan, lines: string[]): number[] {
  const key = lines.join('\n');
  return remember(analysisOf(scan).excludedBy, key, () => {
    const out: number[] = [];
    compilePatterns(lines).ignoresAll(pathsOf(scan)).forEach((hit, i) => {
      if (hit) out.push(i);
    });
    return out;
  }, MAX_CACHED_ENTRIES);
}

interface ProtectedFiles {
  /** Files a source names: a file path, or a file a glob matches. */
  named: Set<number>;
  /** Files below a directory a source names. */
  below: Set<number>;
  /** Per copied directory (or glob), the files below it: one must stay, or the COPY copies nothing. */
  folders: number[][];
}

function protectedFiles(scan: ContextScan, sources: readonly string[]): ProtectedFiles {
  return remember(analysisOf(scan).protectedBy, sources.join('\n'), () => {
    const out: ProtectedFiles = { named: new Set(), below: new Set(), folders: [] };
    for (const source of sources) {
      if (isWholeContext(source)) continue;
      const folder: number[] = [];
      if (isGlob(source)) {
        const matcher = compilePatterns([source]);
        const direct = matcher.rules[0]?.regex;
        scan.files.forEach((f, i) => {
          if (direct?.test(f.path)) out.named.add(i);
          else if (matcher.ignores(f.path)) folder.push(i);
        });
      } else {
        for (const i of indicesUnder(scan, source)) {
          if (scan.files[i].path === source) out.named.add(i);
          else folder.push(i);
        }
      }
      folder.forEach((i) => out.below.add(i));
      if (folder.length > 0) out.folders.push(folder);
    }
    return out;
  });
}

function isGlob(source: string): boolean {
  return /[*?[\\]/.test(source);
}

function isWholeContext(source: string): boolean {
  return source === '.' || source === '*';
}

/**
 * Does the expensive part of judging a fresh scan (which files each recommended pattern
 * matches) in slices, yielding between patterns, so that the first check after a large scan
 * lands does not hold up the caller's event loop. Optional: checks compute what is missing.
 */
export async function prepareScan(scan: ContextScan): Promise<void> {
  for (const group of RECOMMENDED_GROUPS) {
    for (const entry of group.patterns) {
      excludedBy(scan, entryLines(entry));
      if (entry.keep) excludedBy(scan, [entry.pattern]);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/** The lines an entry adds: the pattern, then its exceptions unless the user excludes them on purpose. */
export function entryLines(entry: RecommendedPattern, current?: IgnoreMatcher): string[] {
  return [entry.pattern, ...(entry.keep ?? []).filter((k) => !current?.ignores(k)).map((k) => '!' + k)];
}

// ---------------------------------------------------------------------------------------------
// Plans

export interface BuildToProtect {
  scan: ContextScan;
  inputs: BuildInputs;
}

/**
 * What a pattern added to this build's ignore file must not break: this Dockerfile's inputs,
 * and those of the other Dockerfiles of the context that read the same `<context>/.dockerignore`.
 */
export function buildsToProtect(build: BuildContext & { scan: ContextScan }, own: BuildInputs): BuildToProtect[] {
  const others = (build.coReaders ?? []).map((c) => ({ scan: build.scan, inputs: inputsOfText(c.dockerfileText).inputs }));
  return [{ scan: build.scan, inputs: own }, ...others];
}

export interface PatternPlan {
  /** Entries to add, in recommended order, with their groups. */
  entries: Array<{ group: PatternGroup; entry: RecommendedPattern; lines: string[] }>;
  /** Files (and their bytes) that the entries newly leave out of the context(s). */
  files: number;
  bytes: number;
  /** A context scan stopped at its limit: the counts are lower bounds. */
  truncated: boolean;
}

/**
 * The recommended entries that can be added to `currentText` (undefined: no file yet) without
 * breaking any of the builds. With `onlyEffective`, only entries that leave out real files.
 */
export function planPatterns(currentText: string | undefined, builds: readonly BuildToProtect[], onlyEffective: boolean): PatternPlan {
  const text = currentText ?? '';
  const scan = builds[0]?.scan;
  if (!scan || builds.some((b) => b.scan !== scan)) return computePlan(text, builds, onlyEffective);
  // The hot path: builds of one context, re-checked on every keystroke with mostly the same inputs.
  const vetoed = RECOMMENDED_GROUPS.filter((g) => builds.some((b) => g.usedBy?.test(b.inputs.commands))).map((g) => g.id);
  const sources = builds.map((b) => b.inputs.sources.join('\n')).join('\n');
  const key = [onlyEffective ? 1 : 0, vetoed.join(','), sources, text].join('\0');
  const cached = remember(analysisOf(scan).plans, key, () => computePlan(text, builds, onlyEffective));
  return { ...cached, entries: [...cached.entries] };
}

function computePlan(text: string, builds: readonly BuildToProtect[], onlyEffective: boolean): PatternPlan {
  const plan: PatternPlan = { entries: [], files: 0, bytes: 0, truncated: builds.some((b) => b.scan.truncated) };
  const newlyExcluded = builds.map(() => new Set<number>());
  const current = compileIgnore(text);
  for (const group of RECOMMENDED_GROUPS) {
    if (group.usedBy && builds.some((b) => group.usedBy!.test(b.inputs.commands))) continue;
    for (const entry of group.patterns) {
      const lines = entryLines(entry, current);
      const verdicts = builds.map((b) => judge(b, text, lines, group.kind));
      if (verdicts.some((v) => v === 'unsafe')) continue;
      const effective = verdicts.filter((v): v is number[] => Array.isArray(v));
      if (onlyEffective && !effective.some((files) => files.length > 0)) continue;
      plan.entries.push({ group, entry, lines });
      verdicts.forEach((v, i) => Array.isArray(v) && v.forEach((f) => newlyExcluded[i].add(f)));
    }
  }
  const counted = new Set<ContextScan>();
  builds.forEach((b, i) => {
    if (counted.has(b.scan)) return; // two builds of one context: count its files once
    counted.add(b.scan);
    for (const f of newlyExcluded[i]) {
      plan.files++;
      plan.bytes += b.scan.files[f].size;
    }
  });
  return plan;
}

/** 'unsafe', or the files of the build's context the entry would newly exclude. */
function judge(build: BuildToProtect, text: string, lines: string[], kind: PatternGroup['kind']): 'unsafe' | number[] {
  const matcher = compilePatterns(lines);
  for (const source of build.inputs.sources) {
    if (!isWholeContext(source) && !isGlob(source) && matcher.ignores(source)) return 'unsafe';
  }
  const state = stateOf(build.scan, text);
  const guarded = protectedFiles(build.scan, build.inputs.sources);
  const added: number[] = [];
  const excluded = excludedBy(build.scan, lines);
  for (const i of excluded) {
    if (guarded.named.has(i) || (kind === 'content' && guarded.below.has(i))) return 'unsafe';
    if (state[i] & EXCLUDED) continue;
    if (state[i] & USER_EXCEPTION) return 'unsafe'; // it would undo the user's own `!` line
    added.push(i);
  }
  if (guarded.folders.length > 0 && excluded.length > 0) {
    // Even an artifact pattern must leave something in a folder the Dockerfile copies.
    const gone = new Set(excluded);
    if (guarded.folders.some((folder) => folder.every((i) => gone.has(i)))) return 'unsafe';
  }
  return added;
}

// ---------------------------------------------------------------------------------------------
// Text

/** "12 files, 3.4 MB" (decimal units, as Docker prints sizes). */
export function describeSize(files: number, bytes: number, truncated = false): string {
  const atLeast = truncated ? 'at least ' : '';
  return `${atLeast}${files} file${files === 1 ? '' : 's'}, ${formatBytes(bytes)}`;
}


/** "a, b, c and 4 more" */
export function listPatterns(plan: PatternPlan, max = 5): string {
  const names = plan.entries.map((e) => e.entry.pattern);
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** The line ending a file uses (its first one), or `fallback` when it has none. */
export function eolOf(text: string, fallback: '\n' | '\r\n' = '\n'): '\n' | '\r\n' {
  const i = text.indexOf('\n');
  if (i < 0) return fallback;
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** The lines of a plan grouped under comment titles, each line ending with `eol`. */
export function renderGrouped(plan: PatternPlan, eol: string): string {
  let out = '';
  let group: PatternGroup | undefined;
  for (const { group: g, lines } of plan.entries) {
    if (g !== group) {
      out += `${eol}# ${g.title}${eol}`;
      group = g;
    }
    out += lines.map((l) => l + eol).join('');
  }
  return out;
}

/** The rules of a .dockerignore's text (for "is this pattern already there" checks). */
export function patternsOf(text: string): Array<{ pattern: string; exception: boolean }> {
  return parseIgnoreLines(text).map((r) => ({ pattern: r.pattern, exception: r.exception }));
}

// ---------------------------------------------------------------------------------------------
// Dockerfile texts (for .dockerignore rules, which get texts rather than models)

const textInputs = new Map<string, { inputs: BuildInputs; eol: '\n' | '\r\n' }>();

/** What a Dockerfile's text reads from its context, and its line ending; parsed once per text. */
export function inputsOfText(text: string): { inputs: BuildInputs; eol: '\n' | '\r\n' } {
  let hit = textInputs.get(text);
  if (!hit) {
    const model = parseDockerfile(text);
    hit = { inputs: buildInputs(model), eol: model.eol };
    if (textInputs.size >= MAX_CACHED_TEXTS) textInputs.delete(textInputs.keys().next().value as string);
    textInputs.set(text, hit);
  }
  return hit;
}

// ---------------------------------------------------------------------------------------------
// Moving patterns to where BuildKit reads them

/**
 * The lines of a .dockerignore in `fromDir`, rewritten for a context rooted at `contextDir`:
 * `tests/` in services/x/.dockerignore becomes `services/x/tests/`; `**\/x` stays (it matches at
 * every depth anyway); `!` exceptions and comments are kept. Undefined when `fromDir` is not
 * inside the context, where its paths cannot be expressed.
 */
export function rewriteForContext(text: string, fromDir: string, contextDir: string): string[] | undefined {
  const rel = path.relative(contextDir, fromDir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const prefix = rel.split(path.sep).join('/');
  const lines = text.split(/\r?\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (prefix === '') return lines;
  return lines.map((line) => {
    if (line.startsWith('#') || line.trim() === '') return line;
    let body = line.trim();
    const exception = body.startsWith('!');
    if (exception) body = body.slice(1).trim();
    const cleaned = cleanPattern(body);
    if (cleaned === '') return line;
    if (cleaned.startsWith('**')) return line.trim();
    const joined = cleaned === '.' ? prefix : `${prefix}/${cleaned}`;
    return `${exception ? '!' : ''}${joined}${body.endsWith('/') && cleaned !== '.' ? '/' : ''}`;
  });
}

/** Whether every rule of `lines` is already a rule of `targetText`. */
export function patternsPresent(lines: readonly string[], targetText: string | undefined): boolean {
  const wanted = parseIgnoreLines(lines.join('\n'));
  if (wanted.length === 0) return true;
  if (targetText === undefined) return false;
  const have = new Set(parseIgnoreLines(targetText).map((r) => `${r.exception ? '!' : ''}${r.pattern}`));
  return wanted.every((r) => have.has(`${r.exception ? '!' : ''}${r.pattern}`));
}

/**
 * The text of `<Dockerfile>.dockerignore` (or `<context>/.dockerignore`) created for a build:
 * the patterns of the context-root file it replaces (if any), the rewritten patterns of the
 * unread `.dockerignore` beside the Dockerfile (if any), then every safe recommended pattern not
 * yet there. Rules 5 and 7 both create it, so one pass of fixes gives the same file either way.
 */
export function newIgnoreFileText(
  build: BuildContext,
  targetPath: string,
  inputs: BuildInputs,
  dockerfileEol: '\n' | '\r\n',
): string {
  const stray = build.unreadIgnoreFile;
  const eol = stray && stray.text.includes('\n') ? eolOf(stray.text) : dockerfileEol;
  const targetDir = path.dirname(targetPath);
  const rel = (p: string) => path.relative(targetDir, p).split(path.sep).join('/') || '.';
  // The context root's file is read by every Dockerfile there: it names none of them, so that
  // whichever Dockerfile's fix creates it, the file is the same.
  const forContext = path.basename(targetPath) === '.dockerignore';
  const lines: string[] = [
    forContext
      ? '# Written by dockopt'
      : `# Written by dockopt for ${rel(build.dockerfilePath)} (build context: ${rel(build.contextDir)})`,
    '# Files matched here are not sent to BuildKit: a smaller context and fewer COPY cache misses.',
  ];
  if (!forContext) {
    lines.push(`# BuildKit reads this file instead of ${rel(path.join(build.contextDir, '.dockerignore'))}; paths are relative to the context.`);
  }
  // Other Dockerfiles read the new file too only when it is the context root's.
  const protect = (scan: ContextScan) =>
    forContext ? buildsToProtect({ ...build, scan }, inputs) : [{ scan, inputs }];
  const replaced = build.ignoreFile.exists && build.ignoreFile.path !== targetPath ? build.ignoreFile : undefined;
  if (replaced) {
    lines.push('', `# From ${rel(replaced.path)}, which this file replaces for this build`);
    lines.push(...splitLines(replaced.text ?? ''));
  }
  const moved = stray && stray.path !== targetPath ? rewriteForContext(stray.text, path.dirname(stray.path), build.contextDir) : undefined;
  if (stray && moved) {
    lines.push('', `# From ${rel(stray.path)}, which this build does not read (rewritten relative to the context)`);
    lines.push(...moved);
  }
  let text = lines.join(eol) + eol;
  if (build.scan) {
    const plan = planPatterns(text, protect(build.scan), false);
    const present = new Set(parseIgnoreLines(text).map((r) => r.pattern));
    plan.entries = plan.entries.filter((e) => !present.has(cleanPattern(e.entry.pattern)));
    text += renderGrouped(plan, eol);
  }
  return text;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * An edit that appends `lines` to `text` under a comment, leaving the user's lines untouched:
 * a line break first when the text does not end with one, the file's own line ending throughout.
 */
export function appendEdit(text: string, title: string, lines: readonly string[]): TextEdit {
  const eol = eolOf(text);
  let newText = '';
  if (text.length > 0) {
    if (!/[\r\n]$/.test(text)) newText += eol;
    newText += eol;
  }
  newText += `# ${title}${eol}` + lines.map((l) => l + eol).join('');
  return { start: text.length, end: text.length, newText };
}
