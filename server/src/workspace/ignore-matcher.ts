/**
 * .dockerignore matching with Docker's semantics (moby/patternmatcher, as BuildKit reads it):
 * a line starting with `#` is a comment (only in column 0), lines are trimmed, `!` makes an
 * exception, patterns are cleaned like Go's filepath.Clean and lose a leading `/`, `*` and `?`
 * stop at `/`, `**` spans directories, and a pattern that matches a directory excludes all
 * below it. The last matching line wins.
 *
 * Why not @balena/dockerignore at run time: it has the same semantics (the tests compare both
 * on the same inputs) but tests every rule against every parent of every path, which takes
 * seconds on a 100 000-file context. This matcher memoizes directory results and skips a rule
 * at once when the path lacks the rule's literal text, so whole-context counts stay cheap.
 */
import * as path from 'node:path';

export interface IgnoreRule {
  /** The pattern as BuildKit uses it: cleaned, without `!` and leading `/`. */
  pattern: string;
  /** True for `!pattern` lines, which re-include what earlier lines excluded. */
  exception: boolean;
  /** Zero-based line of the .dockerignore it came from. */
  line: number;
  regex: RegExp;
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

/** Compiles the text of a .dockerignore. Never throws: a line that cannot compile is skipped. */
export function compileIgnore(text: string): IgnoreMatcher {
  return matcherOf(parseIgnoreLines(text));
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
    const regex = compileRegex(pattern);
    if (!regex) continue;
    rules.push({ pattern, exception, line: i, regex, literal: longestLiteral(pattern) });
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

// What moby escapes; `^` is not among them, so (as in Docker) it anchors and matches nothing.
const REGEX_SPECIAL = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

/** Go's filepath.Match syntax plus `**`, turned into an anchored regular expression. */
function compileRegex(pattern: string): RegExp | undefined {
  let out = '^';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (inClass) {
      if (ch === ']') inClass = false;
      if (ch === '\\' && i + 1 < pattern.length) out += escapedLiteral(pattern[++i]);
      else out += ch === '[' ? '\\[' : ch;
      continue;
    }
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++; // `**/` is `**`
        out += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else {
        out += '[^/]*';
      }
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      // Passed to the regex as is, like moby does (so `[!a]` is a class holding `!`, not a negation).
      inClass = true;
      out += '[';
    } else if (ch === '\\') {
      out += i + 1 < pattern.length ? escapedLiteral(pattern[++i]) : '\\\\';
    } else {
      out += escapeChar(ch);
    }
  }
  if (inClass) return undefined; // filepath.Match reports ErrBadPattern: the line matches nothing
  try {
    return new RegExp(out + '$');
  } catch {
    return undefined;
  }
}

function escapeChar(ch: string): string {
  return REGEX_SPECIAL.has(ch) || ch === ']' ? '\\' + ch : ch;
}

/** A character after `\\` in the pattern: always itself. */
function escapedLiteral(ch: string): string {
  return /[A-Za-z0-9_]/.test(ch) || ch.charCodeAt(0) > 127 ? ch : '\\' + ch;
}

/** The longest run of plain characters: a quick filter before running the regex. */
function longestLiteral(pattern: string): string {
  let best = '';
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*' || ch === '?' || ch === '[' || ch === ']' || ch === '\\') {
      if (current.length > best.length) best = current;
      current = '';
      if (ch === '[') {
        while (i < pattern.length && pattern[i] !== ']') i++;
      } else if (ch === '\\') {
        i++;
      } else if (ch === '*' && pattern[i + 1] === '*' && pattern[i + 2] === '/') {
        i += 2; // `**/` may match nothing, slash included
      }
    } else {
      current += ch;
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
    const known = memo.get(dir);
    if (known !== undefined) return known;
    const slash = dir.lastIndexOf('/');
    const hit = rules[index].regex.test(dir) || hitsDir(index, slash < 0 ? '' : dir.slice(0, slash));
    memo.set(dir, hit);
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
