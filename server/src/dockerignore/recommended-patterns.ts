/**
 * Which of the recommended .dockerignore patterns (pattern-groups.ts) are safe for a build and
 * which would leave real files out of its context: the one decision rules 5 and 6 share.
 *
 * Safe means the build cannot break: a pattern never excludes a source of a COPY/ADD (without
 * --from) or of a RUN bind mount. Content patterns (docs, tests, .env) also never reach into a
 * folder the image may read at run time: a copied directory, and under a `COPY . .` the
 * application's own folders (Python packages, what pyproject.toml or package.json declares; see
 * application-dirs.ts), whether or not a matching file is there yet. Where `**\/x` would reach
 * into one, the context root's `x` is proposed instead: top-level docs/ and tests/ beside the
 * application can still go. Artifact patterns (caches, node_modules, logs, test reports, editor
 * files) may exclude below copied folders, unless they would empty one: nothing needs
 * `src/__pycache__`, but `COPY logs/ …` wants its logs. A group is skipped when a
 * RUN/CMD/ENTRYPOINT visibly uses what it excludes (`pytest` needs the tests, `git describe`
 * needs .git). Beyond that, `COPY . .` is no constraint: shaping what it sends is what
 * .dockerignore is for.
 *
 * Exceptions (`!x`) are only added when the user's own lines do not already exclude `x`, and a
 * pattern is not proposed when it would undo one of the user's own exceptions.
 */
import type { BuildContext, ContextScan } from '../workspace/build-context';
import { applicationDirs, couldReachInside, hasFilesBelow, prepareApplicationDirs } from '../project/application-dirs';
import { compiledRules, compileIgnore, compilePatterns, type IgnoreMatcher } from '../../../shared/src/dockerignore/ignore-matcher';
import { formatBytes } from '../../../shared/src/format-bytes';
import { isCopyGlob } from '../../../shared/src/dockerfile/copy-globs';
import { inputsOfText, type BuildInputs } from './build-inputs';
import { entryLines, RECOMMENDED_GROUPS, type Drops, type PatternGroup, type PatternPlan, type RecommendedPattern } from './pattern-groups';
import { analysisOf, EXCLUDED, excludedBy, isWholeContext, MAX_CACHED_TEXTS, mayExclude, mayMatchAny, pathsOf, protectedFiles, stateOf, USER_EXCEPTION, type ProtectedFiles } from './scan-analysis';
import { remember } from '../../../shared/src/bounded-cache';

/**
 * Does the expensive part of judging a fresh scan (which files each recommended pattern
 * matches) in slices, yielding between patterns, so that the first check after a large scan
 * lands does not hold up the caller's event loop. Optional: checks compute what is missing.
 */
export async function prepareScan(scan: ContextScan): Promise<void> {
  prepareApplicationDirs(scan);
  await new Promise<void>((resolve) => setImmediate(resolve));
  for (const group of RECOMMENDED_GROUPS) {
    for (const recommended of group.patterns) {
      for (const entry of candidatesOf(recommended, recommended.kind ?? group.kind)) {
        excludedBy(scan, entryLines(entry));
        if (entry.keep) excludedBy(scan, [entry.pattern]);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Plans

export interface BuildToProtect {
  scan: ContextScan;
  inputs: BuildInputs;
  /** Reads a file of the context (pyproject.toml, package.json: what belongs to the application). */
  readFile?(relPath: string): string | undefined;
}

/**
 * What a pattern added to this build's ignore file must not break: this Dockerfile's inputs,
 * and those of the other Dockerfiles of the context that read the same `<context>/.dockerignore`.
 */
export function buildsToProtect(build: BuildContext & { scan: ContextScan }, own: BuildInputs): BuildToProtect[] {
  const readFile = build.readFile?.bind(build);
  const others = (build.coReaders ?? []).map((c) => ({ scan: build.scan, inputs: inputsOfText(c.dockerfileText).inputs, readFile }));
  return [{ scan: build.scan, inputs: own, readFile }, ...others];
}

/** Where a content pattern must not reach in one build: the application's folders and files. */
interface Reach {
  /** Context-relative folders ('' is the whole context). */
  dirs: string[];
  /** Files of the application named by globs (package.json `files`). */
  files: Set<number>;
  key: string;
}

/**
 * The folders whose files the image may read at run time: each folder a COPY/ADD copies, and,
 * when the whole context is copied, the application's own folders (see application-dirs.ts).
 */
function reachOf(build: BuildToProtect, text: string): Reach {
  const dirs: Reach['dirs'] = [];
  const files = new Set<number>();
  const globs: string[] = [];
  let whole = false;
  for (const source of build.inputs.sources) {
    if (isWholeContext(source)) whole = true;
    else if (!isCopyGlob(source) && hasFilesBelow(build.scan, source)) {
      dirs.push(source);
    }
  }
  if (whole) {
    const app = applicationDirs(build.scan, build.readFile, text, testOrDocsDirs());
    dirs.push(...app.dirs);
    globs.push(...app.globs);
    if (app.globs.length > 0) {
      const named = remember(analysisOf(build.scan).appFiles, app.globs.join('\n'), () => {
        const out: number[] = [];
        compilePatterns(app.globs).ignoresAll(pathsOf(build.scan)).forEach((hit, i) => {
          if (hit) out.push(i);
        });
        return out;
      }, MAX_CACHED_TEXTS);
      const excluded = stateOf(build.scan, text);
      for (const i of named) if (!(excluded[i] & EXCLUDED)) files.add(i);
    }
  }
  // The plan cache key has the text and the scan: the application's globs decide the rest.
  return { dirs, files, key: `${dirs.join('\n')}\0${globs.join('\n')}` };
}

let testOrDocs: IgnoreMatcher | undefined;

/** The docs/tests patterns that leave out a whole folder by its name (docs, **\/tests…). */
function testOrDocsDirs(): IgnoreMatcher {
  testOrDocs ??= compilePatterns(
    RECOMMENDED_GROUPS.filter((g) => g.id === 'docs' || g.id === 'tests')
      .flatMap((g) => g.patterns.filter((e) => (e.kind ?? g.kind) === 'content'))
      .map((e) => e.pattern)
      .filter((pattern) => !/[*?[]/.test(pattern.replace(/^\*\*\//, ''))),
  );
  return testOrDocs;
}

/**
 * The build uses what the group leaves out: a command says so (`pytest`, `git describe`), or a
 * file of its context does (a site generator's config). The files' answer is kept per scan.
 */
function usesGroup(group: PatternGroup, build: BuildToProtect): boolean {
  if (group.usedBy?.test(build.inputs.commands)) return true;
  const dependencies = group.usedByDependencies;
  const manifest = dependencies && build.readFile?.('package.json');
  if (dependencies && manifest !== undefined && remember(DECLARES, `${group.id}\0${manifest}`, () => declaresDependency(manifest, dependencies), MAX_CACHED_TEXTS)) return true;
  const files = group.usedByFiles;
  if (!files) return false;
  const answers = analysisOf(build.scan).groupsUsed;
  let used = answers.get(group.id);
  if (used === undefined) answers.set(group.id, (used = pathsOf(build.scan).some((path) => files.test(path))));
  return used;
}
/** By group and package.json text: whether it declares one of the group's dependencies. */
const DECLARES = new Map<string, boolean>();

function declaresDependency(manifest: string, names: RegExp): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifest);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null) return false;
  return ['dependencies', 'devDependencies'].some((field) => {
    const deps = (parsed as Record<string, unknown>)[field];
    return typeof deps === 'object' && deps !== null && Object.keys(deps).some((name) => names.test(name));
  });
}

/**
 * The recommended entries that can be added to `currentText` (undefined: no file yet) without
 * breaking any of the builds. With `onlyEffective`, only entries that leave out real files.
 */
export function planPatterns(currentText: string | undefined, builds: readonly BuildToProtect[], onlyEffective: boolean): PatternPlan {
  const text = currentText ?? '';
  const reaches = builds.map((b) => reachOf(b, text));
  const scan = builds[0]?.scan;
  if (!scan || builds.some((b) => b.scan !== scan)) return computePlan(text, builds, reaches, onlyEffective);
  // The hot path: builds of one context, re-checked on every keystroke with mostly the same inputs.
  const vetoed = RECOMMENDED_GROUPS.filter((g) => builds.some((b) => usesGroup(g, b))).map((g) => g.id);
  const sources = builds.map((b) => b.inputs.sources.join('\n')).join('\n');
  const key = [onlyEffective ? 1 : 0, vetoed.join(','), sources, reaches.map((r) => r.key).join('\n'), text].join('\0');
  const cached = remember(analysisOf(scan).plans, key, () => computePlan(text, builds, reaches, onlyEffective), MAX_CACHED_TEXTS);
  return { ...cached, entries: [...cached.entries] };
}

function computePlan(text: string, builds: readonly BuildToProtect[], reaches: readonly Reach[], onlyEffective: boolean): PatternPlan {
  const plan: PatternPlan = { entries: [], files: 0, bytes: 0, truncated: builds.some((b) => b.scan.truncated) };
  const newlyExcluded = builds.map(() => new Set<number>());
  const current = compileIgnore(text);
  // What each entry is judged against, the same for every entry: looked up once.
  const facts = builds.map((b, i): BuildFacts => ({ reach: reaches[i], state: stateOf(b.scan, text), guarded: protectedFiles(b.scan, b.inputs.sources) }));
  for (const group of RECOMMENDED_GROUPS) {
    if (builds.some((b) => usesGroup(group, b))) continue;
    for (const recommended of group.patterns) {
      const kind = recommended.kind ?? group.kind;
      const candidates = candidatesOf(recommended, kind);
      // An entry leaves out only files that match its pattern: when no form of it can match a
      // file of any of the contexts, it is not effective, whatever the judgement. Most entries
      // (.git, .venv, *.log…) name nothing in a given context.
      if (onlyEffective && !candidates.some((entry) => builds.some((b) => mayMatchAny(b.scan, compiledRules(entry.pattern))))) continue;
      for (const entry of candidates) {
        if (plan.entries.some((e) => e.entry.pattern === entry.pattern)) break;
        const lines = entryLines(entry, current);
        const verdicts = builds.map((b, i) => judge(b, facts[i], lines, entry, kind));
        if (verdicts.some((v) => v === 'unsafe')) continue; // try the narrower form, if any
        const effective = verdicts as number[][];
        if (onlyEffective && !effective.some((files) => files.length > 0)) break;
        plan.entries.push({ group, entry, lines, drops: dropsOf(builds, effective, entry.pattern) });
        effective.forEach((v, i) => v.forEach((f) => newlyExcluded[i].add(f)));
        break;
      }
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

/**
 * The entry, then for a content pattern that matches at every depth (`**\/*.md`) its form for
 * the context root only (`*.md`): docs and tests beside the application can still go when the
 * first form would reach into the application's folders.
 */
function candidatesOf(entry: RecommendedPattern, kind: PatternGroup['kind']): RecommendedPattern[] {
  if (kind !== 'content' || !entry.pattern.startsWith('**/')) return [entry];
  return [entry, { ...entry, pattern: entry.pattern.slice(3) }];
}

/** What judging an entry for one build needs besides the entry. */
interface BuildFacts {
  reach: Reach;
  /** Per file of the scan: what the current ignore text does to it (see scan-analysis.ts). */
  state: Uint8Array;
  guarded: ProtectedFiles;
}

/** 'unsafe', or the files of the build's context the entry would newly exclude. */
function judge(build: BuildToProtect, { reach, state, guarded }: BuildFacts, lines: string[], entry: RecommendedPattern, kind: PatternGroup['kind']): 'unsafe' | number[] {
  const { pattern, safeBelow } = entry;
  // Content may be read at run time from any folder of the application, today's files or tomorrow's.
  if (kind === 'content' && reach.dirs.some((dir) => couldReachInside(pattern, dir))) return 'unsafe';
  const text = lines.join('\n');
  const rules = compiledRules(text);
  let matcher: IgnoreMatcher | undefined;
  for (const source of build.inputs.sources) {
    if (isWholeContext(source) || isCopyGlob(source)) continue;
    // A rule matches a path only if the path holds its literal text: most sources hold none.
    if (!mayExclude(source, rules)) continue;
    if ((matcher ??= compileIgnore(text)).ignores(source)) return 'unsafe';
  }
  const added: number[] = [];
  const excluded = excludedBy(build.scan, lines);
  for (const i of excluded) {
    if (guarded.named.has(i) || (kind === 'content' && (guarded.below.has(i) || reach.files.has(i)))) return 'unsafe';
    if (state[i] & EXCLUDED) continue;
    if (safeBelow && build.scan.files[i].path.includes('/') && !safeBelow.test(build.scan.files[i].path)) return 'unsafe';
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

/** What an entry newly leaves out, over the builds' contexts: `tests/` rather than each file in it. */
function dropsOf(builds: readonly BuildToProtect[], perBuild: readonly number[][], pattern: string): Drops {
  const regex = compilePatterns([pattern]).rules[0]?.regex;
  const items = new Set<string>();
  const counted = new Set<ContextScan>();
  builds.forEach((b, i) => {
    if (counted.has(b.scan)) return; // what an entry leaves out depends on the scan, not the build
    counted.add(b.scan);
    const dropped = perBuild[i];
    for (let k = 0; k < dropped.length; ) {
      const file = b.scan.files[dropped[k]].path;
      const item = regex ? topMatch(regex, file) : file;
      items.add(item);
      // A folder's files are contiguous in the sorted scan: jump past them (node_modules/ holds 10⁵).
      k = item.endsWith('/') ? firstAtOrAfter(dropped, k + 1, endOfFolder(b.scan, item)) : k + 1;
    }
  });
  return { items: [...items].sort() };
}

/** The index of the first file of a sorted scan after those below `folder` (ending with `/`). */
function endOfFolder(scan: ContextScan, folder: string): number {
  const after = folder.slice(0, -1) + String.fromCharCode(folder.charCodeAt(folder.length - 1) + 1); // `a/` → `a0`
  let lo = 0;
  let hi = scan.files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (scan.files[mid].path < after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first position from `from` in an ascending list whose value is at least `value`. */
function firstAtOrAfter(list: readonly number[], from: number, value: number): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The shortest parent folder of `file` the pattern matches (with a `/`), else the file. */
function topMatch(regex: { test(path: string): boolean }, file: string): string {
  for (let slash = file.indexOf('/'); slash >= 0; slash = file.indexOf('/', slash + 1)) {
    if (regex.test(file.slice(0, slash))) return file.slice(0, slash + 1);
  }
  return file;
}

// ---------------------------------------------------------------------------------------------
// Text

/** "12 files, 3.4 MB" (decimal units, as Docker prints sizes). */
export function describeSize(files: number, bytes: number, truncated = false): string {
  const atLeast = truncated ? 'at least ' : '';
  return `${atLeast}${files} file${files === 1 ? '' : 's'}, ${formatBytes(bytes)}`;
}


/**
 * Each entry with what it leaves out: "**\/*.log (app.log, logs/old.log), **\/tests (tests/,
 * pkg/a/tests/, pkg/b/tests/ and 2 more)", so whoever reads the finding sees what goes. What an
 * earlier entry already names is not named again (`**\/*.pyc` after `**\/__pycache__`).
 */
export function listDrops(plan: PatternPlan, maxItems = 3): string {
  const named: string[] = [];
  const coveredBy = (item: string) => named.some((n) => n === item || (n.endsWith('/') && item.startsWith(n)));
  return plan.entries
    .map(({ entry, drops }) => {
      const fresh = drops.items.filter((item) => !coveredBy(item));
      named.push(...fresh);
      if (fresh.length === 0) return entry.pattern;
      const more = fresh.length - maxItems;
      return `${entry.pattern} (${fresh.slice(0, maxItems).join(', ')}${more > 0 ? ` and ${more} more` : ''})`;
    })
    .join(', ');
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
