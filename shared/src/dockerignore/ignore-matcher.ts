/**
 * .dockerignore matching with Docker's semantics (moby/patternmatcher, as BuildKit reads it):
 * a line starting with `#` is a comment (only in column 0), lines are trimmed, `!` makes an
 * exception, patterns are cleaned like Go's filepath.Clean and lose a leading `/`, `*` and `?`
 * stop at `/`, `**` spans directories, and a pattern that matches a directory excludes all
 * below it. The last matching line wins.
 *
 * Why no RegExp: a glob turned into a JavaScript regex backtracks, and `*a*a*a*a*a*a*a*a*a*a*a*a*c`
 * against a name of 35 `a`s took 46 s. Patterns run as automata (glob-automaton.ts) in time
 * linear in pattern × path, as Go's RE2 runs them in BuildKit.
 *
 * Why not @balena/dockerignore at run time: it tests every rule against every parent of every
 * path, which takes seconds on a 100 000-file context, and it predates moby's shortcuts (plain,
 * `text**` and `**text` patterns compared as strings). The tests compare both on common inputs,
 * and ignore-matcher-fuzz.test.ts checks random ones against moby's own rules. This matcher
 * memoizes directory results and skips a rule at once when the path lacks the rule's literal
 * text, so whole-context counts stay cheap.
 */
import * as path from 'node:path';
import { GlobAutomaton, type GlobToken } from './glob-automaton';
import { remember } from '../bounded-cache';

export interface IgnoreRule {
  /** The pattern as BuildKit uses it: cleaned, without `!` and leading `/`. */
  pattern: string;
  /** True for `!pattern` lines, which re-include what earlier lines excluded. */
  exception: boolean;
  /** Zero-based line of the .dockerignore it came from. */
  line: number;
  /**
   * Tests paths against this pattern alone. Named `regex` for its callers, but an automaton
   * or a string comparison: a RegExp would backtrack exponentially on some patterns.
   */
  regex: PatternTest;
  /** Text every matching path (or one of its parents) must contain; '' when none. */
  literal: string;
}

export interface IgnoreMatcher {
  readonly rules: readonly IgnoreRule[];
  /** Whether BuildKit leaves this context-relative path (posix separators) out of the context. */
  ignores(relPath: string): boolean;
  /**
   * `ignores` for many normalized paths at once (a context scan): 1 where ignored. Goes rule by
   * rule, so paths sorted by name share their parent's answer instead of recomputing it.
   */
  ignoresAll(relPaths: readonly string[]): Uint8Array;
}

/**
 * Compiled lines by text: the same recommended patterns and the same .dockerignore texts are
 * compiled for every build context of a workspace (1 000 services compiled them 1 000 times, a
 * second of `dockopt check`). The compiled rules hold no state; each matcher gets its own
 * per-directory memo. Bounded, oldest out first, and only for texts of ordinary size.
 */
const COMPILED = new Map<string, IgnoreRule[]>();
const MAX_COMPILED = 512;
const MAX_COMPILED_TEXT = 64 * 1024;

/** Compiles the text of a .dockerignore. Never throws: a line that cannot compile is skipped. */
export function compileIgnore(text: string): IgnoreMatcher {
  return matcherOf(compiledRules(text));
}

/**
 * The compiled rules of a text, from the cache above: for a test of the rules themselves (their
 * literal text), without a matcher. Shared: do not change them.
 */
export function compiledRules(text: string): IgnoreRule[] {
  if (text.length > MAX_COMPILED_TEXT) return parseIgnoreLines(text);
  return remember(COMPILED, text, () => parseIgnoreLines(text), MAX_COMPILED);
}

/** Compiles patterns given one per item (the same syntax as .dockerignore lines). */
export function compilePatterns(patterns: readonly string[]): IgnoreMatcher {
  return compileIgnore(patterns.join('\n'));
}

export function parseIgnoreLines(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (i === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.startsWith('#')) continue; // moby checks the comment before trimming
    let pattern = line.trim();
    if (pattern === '') continue;
    const exception = pattern[0] === '!';
    if (exception) pattern = pattern.slice(1).trim();
    pattern = cleanPattern(pattern);
    if (pattern === '') continue; // a lone `!`: moby rejects the file; here it is just skipped
    const compiled = compilePattern(pattern);
    if (!compiled) continue;
    rules.push({ pattern, exception, line: i, regex: compiled.test, literal: compiled.literal });
  }
  return rules;
}

/** filepath.Clean + ToSlash + strip one leading `/`, as BuildKit does when it reads the file. */
export function cleanPattern(pattern: string): string {
  if (pattern === '') return '';
  let cleaned = path.posix.normalize(pattern);
  if (cleaned.length > 1 && cleaned.endsWith('/')) cleaned = cleaned.slice(0, -1);
  if (cleaned.length > 1 && cleaned[0] === '/') cleaned = cleaned.slice(1);
  return cleaned === './' ? '.' : cleaned;
}

/** How BuildKit tests a path against one pattern, or (with parents) against the path and each parent. */
export interface PatternTest {
  /** Whether the whole path matches. */
  test(path: string): boolean;
  /** Whether the path or one of its parent directories matches: BuildKit excludes all below a match. */
  testPathOrParent(path: string): boolean;
}

/**
 * moby's patternmatcher compares plain patterns as strings (`exact`), `text**` as a prefix and
 * `**text` as a suffix, without a regex; so there a `^` is a plain character, and `**text`
 * matches `xtext` (the regex `(.*\/)?text` would not).
 */
class LiteralTest implements PatternTest {
  constructor(private readonly kind: 'exact' | 'prefix' | 'suffix', private readonly text: string) {}

  test(path: string): boolean {
    const text = this.text;
    if (this.kind === 'exact') return path === text;
    if (this.kind === 'prefix') return path.startsWith(text);
    return path.endsWith(text) || (text[0] === '/' && path === text.slice(1)); // `**/foo` matches `foo`
  }

  testPathOrParent(path: string): boolean {
    const text = this.text;
    if (this.kind === 'exact') return path.startsWith(text) && (path.length === text.length || path[text.length] === '/');
    if (this.kind === 'prefix') return path.startsWith(text); // a parent starting with it makes the path start with it
    // Each prefix ending before a `/`, then the path itself: O(path × text) at worst.
    for (let end = path.indexOf('/'); end >= 0; end = path.indexOf('/', end + 1)) {
      if (this.test(path.slice(0, end))) return true;
    }
    return this.test(path);
  }
}

/**
 * The cleaned pattern compiled as moby's patternmatcher compiles it: `*` is `[^/]*`, `?` is
 * `[^/]`, `**` is `(.*\/)?` (`.*` at the end), `\x` is `x`, a bare `^` anchors at the start; the
 * regex runs as an automaton here (linear time, like Go's RE2). Undefined when BuildKit
 * rejects the pattern (filepath.Match's syntax error: unclosed or empty `[]`, a trailing `\`).
 */
function compilePattern(pattern: string): { test: PatternTest; literal: string } | undefined {
  const chars = Array.from(pattern);
  const tokens: GlobToken[] = [];
  let type: 'exact' | 'prefix' | 'suffix' | 'regex' = 'exact';
  for (let i = 0, step = 0; i < chars.length; i++, step++) {
    const ch = chars[i];
    if (ch === '*' && chars[i + 1] === '*') {
      i++;
      if (chars[i + 1] === '/') i++; // `**/` is `**`
      if (i + 1 >= chars.length) {
        if (type === 'exact') type = 'prefix';
        else {
          tokens.push({ kind: 'rest' });
          type = 'regex';
        }
      } else {
        tokens.push({ kind: 'anyDirs' });
        type = 'regex';
      }
      if (step === 0) type = 'suffix';
    } else if (ch === '*') {
      tokens.push({ kind: 'star' });
      type = 'regex';
    } else if (ch === '?') {
      tokens.push({ kind: 'notSlash' });
      type = 'regex';
    } else if (ch === '\\') {
      if (i + 1 >= chars.length) return undefined; // filepath.Match: ErrBadPattern
      tokens.push(charToken(chars[++i]));
      type = 'regex';
    } else if (ch === '[') {
      const parsed = parseClass(chars, i + 1);
      if (!parsed) return undefined;
      tokens.push(parsed.token);
      i = parsed.end;
      type = 'regex';
    } else if (ch === ']') {
      tokens.push(charToken(ch)); // plain outside a class, in filepath.Match and in Go's regexp
      type = 'regex';
    } else if (ch === '^') {
      tokens.push({ kind: 'start' }); // moby leaves it unescaped: Go's regexp reads an anchor
    } else {
      tokens.push(charToken(ch)); // moby escapes the other metacharacters (`.+()|{}$`): plain
    }
  }
  if (type === 'exact') return { test: new LiteralTest('exact', pattern), literal: pattern };
  if (type === 'prefix') return { test: new LiteralTest('prefix', pattern.slice(0, -2)), literal: pattern.slice(0, -2) };
  if (type === 'suffix') {
    const suffix = pattern.slice(2);
    return { test: new LiteralTest('suffix', suffix), literal: suffix.startsWith('/') ? suffix.slice(1) : suffix };
  }
  return { test: new GlobAutomaton(tokens), literal: longestLiteral(tokens) };
}

function charToken(ch: string): GlobToken {
  return { kind: 'char', code: ch.codePointAt(0)! };
}

/**
 * A `[...]` class from just after its `[`, with filepath.Match's syntax (which BuildKit checks
 * first): an optional `^` negates (`!` is a plain member, as in Go), then one or more members
 * `c` or ranges `a-z`, where `-` and `]` must be escaped and `\` escapes. A `*` or `?` inside is
 * a member (moby would turn it into regex syntax inside the class; a pattern nobody writes).
 * A reversed range, which Go's regexp rejects, makes the pattern invalid.
 */
function parseClass(chars: readonly string[], from: number): { token: GlobToken; end: number } | undefined {
  let i = from;
  const negated = chars[i] === '^';
  if (negated) i++;
  const ranges: number[] = [];
  const member = (): number | undefined => {
    if (i >= chars.length || chars[i] === '-' || chars[i] === ']') return undefined;
    if (chars[i] === '\\') i++;
    if (i >= chars.length) return undefined;
    return chars[i++].codePointAt(0)!;
  };
  while (!(chars[i] === ']' && ranges.length > 0)) {
    const lo = member();
    if (lo === undefined) return undefined;
    let hi = lo;
    if (chars[i] === '-') {
      i++;
      const end = member();
      if (end === undefined || end < lo) return undefined;
      hi = end;
    }
    ranges.push(lo, hi);
  }
  return { token: { kind: 'class', ranges, negated }, end: i };
}

/** The longest run of plain characters: every matching path contains it (a quick filter). */
function longestLiteral(tokens: readonly GlobToken[]): string {
  let best = '';
  let current = '';
  for (const token of tokens) {
    if (token.kind === 'char') {
      current += String.fromCodePoint(token.code);
    } else {
      if (current.length > best.length) best = current;
      current = '';
    }
  }
  return current.length > best.length ? current : best;
}

function matcherOf(rules: IgnoreRule[]): IgnoreMatcher {
  // Per rule: whether it matches a directory or one of that directory's parents.
  const dirHits = rules.map(() => new Map<string, boolean>());
  const hasException = rules.some((r) => r.exception);

  function hitsDir(index: number, dir: string): boolean {
    if (dir === '') return false;
    const memo = dirHits[index];
    let hit = memo.get(dir);
    if (hit === undefined) {
      hit = rules[index].regex.testPathOrParent(dir); // one pass over the directory's path
      memo.set(dir, hit);
    }
    return hit;
  }

  return {
    rules,
    ignores(relPath: string): boolean {
      const file = normalizeRelPath(relPath);
      if (file === '' || rules.length === 0) return false;
      const slash = file.lastIndexOf('/');
      const parent = slash < 0 ? '' : file.slice(0, slash);
      let ignored = false;
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i];
        // A rule can only flip the state: skip excludes once excluded, exceptions until then.
        if (rule.exception !== ignored) continue;
        if (rule.literal !== '' && !file.includes(rule.literal)) continue;
        if (rule.regex.test(file) || hitsDir(i, parent)) {
          ignored = !rule.exception;
          if (ignored && !hasException) break;
        }
      }
      return ignored;
    },
    ignoresAll(relPaths: readonly string[]): Uint8Array {
      const state = new Uint8Array(relPaths.length);
      rules.forEach((rule, index) => {
        const flipTo = rule.exception ? 0 : 1;
        let lastParent: string | undefined;
        let lastParentHit = false;
        for (let i = 0; i < relPaths.length; i++) {
          if (state[i] === flipTo) continue;
          const file = relPaths[i];
          if (rule.literal !== '' && !file.includes(rule.literal)) continue;
          let hit = rule.regex.test(file);
          if (!hit) {
            const slash = file.lastIndexOf('/');
            if (slash > 0) {
              // Sorted paths come in runs with one parent: ask once per run.
              if (lastParent === undefined || lastParent.length !== slash || !file.startsWith(lastParent)) {
                lastParent = file.slice(0, slash);
                lastParentHit = hitsDir(index, lastParent);
              }
              hit = lastParentHit;
            }
          }
          if (hit) state[i] = flipTo;
        }
      });
      return state;
    },
  };
}

/** Context-relative posix path without `./`, trailing or doubled slashes. */
export function normalizeRelPath(relPath: string): string {
  let p = relPath;
  if (p.includes('//') || p.includes('./') || p.startsWith('.') || p.endsWith('/')) {
    p = path.posix.normalize(p);
  }
  if (p === '.' || p === './') return '';
  if (p.startsWith('./')) p = p.slice(2);
  if (p.startsWith('/')) p = p.slice(1);
  if (p.endsWith('/')) p = p.slice(0, -1);
  return p;
}
