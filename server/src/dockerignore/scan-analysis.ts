/**
 * Per-scan analysis for the .dockerignore plans, cached: the scan object is immutable, its
 * contents change only with it. Which files a set of lines excludes, which files a build's
 * sources name (they must stay), and the plans already computed.
 */
import type { ContextScan } from '../workspace/build-context';
import { indicesUnder } from '../workspace/context-scan';
import { remember } from '../../../shared/src/bounded-cache';
import { compiledRules, compileIgnore, compilePatterns, type IgnoreRule } from '../../../shared/src/dockerignore/ignore-matcher';
import { compileCopyGlob, isCopyGlob } from '../../../shared/src/dockerfile/copy-globs';
import type { PatternPlan } from './pattern-groups';

interface ScanAnalysis {
  /** Entry lines → indices of files they exclude. */
  excludedBy: Map<string, number[]>;
  /** Ignore-file text → per-file flags: 1 excluded, 2 matched by one of the user's exceptions. */
  states: Map<string, Uint8Array>;
  /** Sources key → indices of the files the build copies by name. */
  protectedBy: Map<string, ProtectedFiles>;
  /** Plans of one build, by everything they depend on besides the scan. */
  plans: Map<string, PatternPlan>;
  /** Application globs → indices of the files they name. */
  appFiles: Map<string, number[]>;
  /** Pattern group id → whether a file of the scan says the build uses what the group leaves out. */
  groupsUsed: Map<string, boolean>;
}

const analyses = new WeakMap<ContextScan, ScanAnalysis>();
/** Texts remembered per scan for each kind of reading. */
export const MAX_CACHED_TEXTS = 8;

export function analysisOf(scan: ContextScan): ScanAnalysis {
  let a = analyses.get(scan);
  if (!a) {
    a = { excludedBy: new Map(), states: new Map(), protectedBy: new Map(), plans: new Map(), appFiles: new Map(), groupsUsed: new Map() };
    analyses.set(scan, a);
  }
  return a;
}

const pathLists = new WeakMap<ContextScan, string[]>();

export function pathsOf(scan: ContextScan): string[] {
  let paths = pathLists.get(scan);
  if (!paths) {
    paths = scan.files.map((f) => f.path);
    pathLists.set(scan, paths);
  }
  return paths;
}

export const EXCLUDED = 1;
export const USER_EXCEPTION = 2;

export function stateOf(scan: ContextScan, text: string): Uint8Array {
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
  }, MAX_CACHED_TEXTS);
}

/** Room for every recommended entry, in both its forms (with and without its exceptions). */
const MAX_CACHED_ENTRIES = 256;

export function excludedBy(scan: ContextScan, lines: string[]): number[] {
  const key = lines.join('\n');
  return remember(analysisOf(scan).excludedBy, key, () => {
    // Most recommended entries name files a given context does not have: one substring search
    // over the whole listing rules them out, without testing each path.
    if (!mayMatchAny(scan, compiledRules(key))) return [];
    const out: number[] = [];
    const flags = compileIgnore(key).ignoresAll(pathsOf(scan));
    for (let i = 0; i < flags.length; i++) if (flags[i]) out.push(i);
    return out;
  }, MAX_CACHED_ENTRIES);
}

const listings = new WeakMap<ContextScan, string>();

/** Every path of the scan, one per line: a path holds no line break that a pattern's literal could span. */
function listingOf(scan: ContextScan): string {
  let listing = listings.get(scan);
  if (listing === undefined) {
    listing = pathsOf(scan).join('\n');
    listings.set(scan, listing);
  }
  return listing;
}

/**
 * False when no file of the scan can match an excluding rule: a path that a rule (or one of its
 * parents) matches contains the rule's literal text (see ignore-matcher.ts), so a literal found
 * nowhere in the listing rules the rule out. Exceptions only re-include, so they are not asked.
 * A file name with a line break may make this say true needlessly, never false wrongly.
 */
export function mayMatchAny(scan: ContextScan, rules: readonly IgnoreRule[]): boolean {
  return mayExclude(listingOf(scan), rules);
}

/**
 * False when no excluding rule can match a path in `text` (one path, or many joined by line
 * breaks): a rule matches only paths that hold its literal text.
 */
export function mayExclude(text: string, rules: readonly IgnoreRule[]): boolean {
  return rules.some((rule) => !rule.exception && (rule.literal === '' || text.includes(rule.literal)));
}

export interface ProtectedFiles {
  /** Files a source names: a file path, or a file a glob matches. */
  named: Set<number>;
  /** Files below a directory a source names. */
  below: Set<number>;
  /** Per copied directory (or glob), the files below it: one must stay, or the COPY copies nothing. */
  folders: number[][];
}

export function protectedFiles(scan: ContextScan, sources: readonly string[]): ProtectedFiles {
  return remember(analysisOf(scan).protectedBy, sources.join('\n'), () => {
    const out: ProtectedFiles = { named: new Set(), below: new Set(), folders: [] };
    for (const source of sources) {
      if (isWholeContext(source)) continue;
      const folder: number[] = [];
      if (isCopyGlob(source)) {
        // Protect what either reading copies: `**` crosses folders in a COPY --parents only.
        const globs = [compileCopyGlob(source), compileCopyGlob(source, { parents: true })].filter((g) => g !== undefined);
        scan.files.forEach((f, i) => {
          if (globs.some((g) => g.test(f.path))) out.named.add(i);
          else if (globs.some((g) => g.testPathOrParent(f.path))) folder.push(i);
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
  }, MAX_CACHED_TEXTS);
}

export function isWholeContext(source: string): boolean {
  return source === '.' || source === '*';
}
