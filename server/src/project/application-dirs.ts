/**
 * Where the application lives in a build context: the folders whose files it may read at run
 * time, whatever their names. A content pattern (`**\/*.md`, `**\/tests`, `.env`) must not reach
 * into them: a bot loads the Markdown prompts of its package, a Django command imports the
 * fixtures of an app's `tests` module.
 *
 * - Python packages: the top folder of each chain of folders holding `__init__.py`. A package
 *   whose top folder a docs/tests pattern excludes whole (`tests/__init__.py` beside the app) is
 *   the test suite, not the application.
 * - What pyproject.toml declares (`packages`, `py-modules`) and a package.json's `files`.
 *
 * Folders inside dependency trees (virtualenvs, node_modules, .git) are not the application, and
 * neither is what the user's own .dockerignore already excludes.
 */
import * as path from 'node:path';
import type { ContextScan } from '../workspace/build-context';
import { compileIgnore, compilePatterns, type IgnoreMatcher } from '../../../shared/src/dockerignore/ignore-matcher';
import { packageJsonDeclares, pyprojectDeclares, type DeclaredPaths } from './manifest-packages';
import { remember } from '../../../shared/src/bounded-cache';

export interface ApplicationDirs {
  /** Context-relative folders (or files) of the application; '' is the context root itself. */
  dirs: string[];
  /** Context-relative globs whose matching files belong to the application. */
  globs: string[];
}

const DEPENDENCY_DIRS = new Set(['node_modules', '.venv', 'venv', 'site-packages', 'dist-packages', '.tox', '.nox', '.git', '.eggs']);
const MAX_MANIFESTS = 64;

interface ScanFacts {
  /** Top folders of `__init__.py` chains, with the index of their own `__init__.py`. */
  packageRoots: Array<{ dir: string; init: number }>;
  /** pyproject.toml and package.json files (context-relative), outside dependency trees. */
  manifests: string[];
  /** Answers by everything they depend on besides the scan: the ignore file's and manifests' texts. */
  answers: Map<string, ApplicationDirs>;
}

const MAX_CACHED_ANSWERS = 8;

const factsCache = new WeakMap<ContextScan, ScanFacts>();

/** Reads what a scan says of the application (one pass over its files), for the next checks. */
export function prepareApplicationDirs(scan: ContextScan): void {
  factsOf(scan);
}

function factsOf(scan: ContextScan): ScanFacts {
  let facts = factsCache.get(scan);
  if (facts) return facts;
  const inits = new Map<string, number>();
  const manifests: string[] = [];
  scan.files.forEach((f, i) => {
    if (!f.path.endsWith('__init__.py') && !f.path.endsWith('pyproject.toml') && !f.path.endsWith('package.json')) return;
    const slash = f.path.lastIndexOf('/');
    const name = f.path.slice(slash + 1);
    if (name !== '__init__.py' && name !== 'pyproject.toml' && name !== 'package.json') return;
    const dir = slash < 0 ? '' : f.path.slice(0, slash);
    if (dir.split('/').some((segment) => DEPENDENCY_DIRS.has(segment))) return;
    if (name === '__init__.py') inits.set(dir, i);
    else if (manifests.length < MAX_MANIFESTS) manifests.push(f.path);
  });
  const roots = new Map<string, number>();
  for (const dir of inits.keys()) {
    let top = dir;
    while (top !== '' && inits.has(parentOf(top))) top = parentOf(top);
    if (!roots.has(top)) roots.set(top, inits.get(top)!);
  }
  facts = {
    packageRoots: [...roots].map(([dir, init]) => ({ dir, init })).sort((a, b) => (a.dir < b.dir ? -1 : 1)),
    manifests,
    answers: new Map(),
  };
  factsCache.set(scan, facts);
  return facts;
}

/**
 * The application's folders in a scanned context. `ignoreText` is the build's current
 * .dockerignore; `testOrDocs` matches the folders the docs/tests patterns leave out whole.
 * Checked on every keystroke: answered from a cache while the scan and the texts are the same.
 */
export function applicationDirs(
  scan: ContextScan,
  readFile: ((relPath: string) => string | undefined) | undefined,
  ignoreText: string,
  testOrDocs: IgnoreMatcher,
): ApplicationDirs {
  const facts = factsOf(scan);
  const texts = facts.manifests.map((manifest) => {
    try {
      return readFile?.(manifest);
    } catch {
      return undefined; // an unreadable manifest declares nothing
    }
  });
  const key = [ignoreText, ...texts.map((t) => t ?? '\u0001')].join('\0');
  return remember(facts.answers, key, () => computeDirs(scan, facts, texts, compileIgnore(ignoreText), testOrDocs), MAX_CACHED_ANSWERS);
}

function computeDirs(
  scan: ContextScan,
  facts: ScanFacts,
  texts: Array<string | undefined>,
  userExcludes: IgnoreMatcher,
  testOrDocs: IgnoreMatcher,
): ApplicationDirs {
  const out: ApplicationDirs = { dirs: [], globs: [] };
  for (const { dir, init } of facts.packageRoots) {
    if (userExcludes.ignores(scan.files[init].path)) continue;
    if (dir !== '' && testOrDocs.ignores(dir)) continue;
    out.dirs.push(dir);
  }
  facts.manifests.forEach((manifest, m) => {
    const text = texts[m];
    if (text === undefined) return;
    const isPyproject = manifest.endsWith('pyproject.toml');
    const declared = declaredBy(manifest, text);
    const base = parentOf(manifest);
    const join = (rel: string) => (base === '' ? rel : `${base}/${rel}`);
    for (const rel of declared.paths) {
      // Dotted names live below package-dir's root, or (setuptools' automatic layout) below src/.
      const candidates = isPyproject ? [...(declared.root ? [`${declared.root}/${rel}`] : []), rel, `src/${rel}`] : [rel];
      const found = candidates.map((c) => join(path.posix.normalize(c))).find((c) => c !== '..' && !c.startsWith('../') && inScan(scan, c));
      if (found === undefined || userExcludes.ignores(found)) continue;
      out.dirs.push(found);
    }
    for (const glob of declared.globs) out.globs.push(join(glob));
  });
  return out;
}

/** Whether the scan has the file `rel`, or files below the folder `rel`. */
function inScan(scan: ContextScan, rel: string): boolean {
  return scan.files[lowerBound(scan, rel)]?.path === rel || hasFilesBelow(scan, rel);
}

/** Whether the scan has files below the folder `rel` (a binary search: scans are sorted by path). */
export function hasFilesBelow(scan: ContextScan, rel: string): boolean {
  const prefix = rel + '/';
  return scan.files[lowerBound(scan, prefix)]?.path.startsWith(prefix) ?? false;
}

function lowerBound(scan: ContextScan, target: string): number {
  let lo = 0;
  let hi = scan.files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (scan.files[mid].path < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Parsed manifests, by text: re-read on every check, parsed once. */
const declaredCache = new Map<string, DeclaredPaths>();

function declaredBy(manifest: string, text: string): DeclaredPaths {
  const key = `${manifest.endsWith('package.json') ? 'json' : 'toml'}\0${text}`;
  return remember(declaredCache, key, () => (manifest.endsWith('package.json') ? packageJsonDeclares(text) : pyprojectDeclares(text)), MAX_MANIFESTS);
}

function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/**
 * Whether a .dockerignore pattern could exclude something inside `dir` (or `dir` itself), now
 * or once files are added there: `**\/x` reaches every folder; `a/*.md` only folders under `a`.
 */
export function couldReachInside(pattern: string, dir: string): boolean {
  const p = pattern.split('/');
  const d = dir === '' ? [] : dir.split('/');
  for (let i = 0; ; i++) {
    if (i >= p.length) return true; // it names `dir` or a parent: all of it goes
    if (p[i].includes('**')) return true;
    if (i >= d.length) return true; // it goes on below `dir`
    if (!segmentMatches(p[i], d[i])) return false;
  }
}

const segmentRegexes = new Map<string, { test(name: string): boolean } | undefined>();

function segmentMatches(segment: string, name: string): boolean {
  if (!segmentRegexes.has(segment)) {
    if (segmentRegexes.size >= 256) segmentRegexes.clear();
    segmentRegexes.set(segment, compilePatterns([segment]).rules[0]?.regex);
  }
  const regex = segmentRegexes.get(segment);
  return regex ? regex.test(name) : false;
}
