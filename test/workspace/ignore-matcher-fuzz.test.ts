/**
 * Random .dockerignore files and paths, checked against a reference written here the way
 * BuildKit does it: moby/patternmatcher's translation of a pattern to a regular expression
 * (with its exact/prefix/suffix shortcuts), filepath.Match's syntax check, and
 * MatchesOrParentMatches. The reference uses a JavaScript RegExp, which backtracks: safe only
 * because the inputs are small. Seeded, so a failure reproduces.
 *
 * Not generated (the matcher decides these on purpose; see ignore-matcher.test.ts): `*` or `?`
 * inside a class, a backslash before a letter (Go's regexp reads `\d` as a digit), characters
 * outside the BMP (a JavaScript regex without the `u` flag reads UTF-16 units).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { compileIgnore } from '../../shared/src/dockerignore/ignore-matcher';

/** mulberry32: a small deterministic generator. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// The reference

/** filepath.Match's syntax check, as patternmatcher.New runs it on each pattern. */
function goPatternIsValid(p: string): boolean {
  let i = 0;
  const esc = (): boolean => {
    if (i >= p.length || p[i] === '-' || p[i] === ']') return false;
    if (p[i] === '\\') i++;
    if (i >= p.length) return false;
    i++;
    return i < p.length;
  };
  while (i < p.length) {
    const ch = p[i++];
    if (ch === '\\') {
      if (i >= p.length) return false;
      i++;
    } else if (ch === '[') {
      if (p[i] === '^') i++;
      for (let ranges = 0; ; ranges++) {
        if (p[i] === ']' && ranges > 0) {
          i++;
          break;
        }
        if (!esc()) return false;
        if (p[i] === '-') {
          i++;
          if (!esc()) return false;
        }
      }
    }
  }
  return true;
}

type MobyPattern = { kind: 'exact' | 'prefix' | 'suffix'; text: string } | { kind: 'regexp'; re: RegExp } | undefined;

/** patternmatcher's Pattern.compile, character by character, into a JavaScript RegExp. */
function mobyCompile(p: string): MobyPattern {
  let re = '^';
  let type: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  for (let i = 0, n = 0; i < p.length; i++, n++) {
    const ch = p[i];
    if (ch === '*') {
      if (p[i + 1] === '*') {
        i++;
        if (p[i + 1] === '/') i++;
        if (i + 1 >= p.length) {
          if (type === 'exact') type = 'prefix';
          else {
            re += '.*';
            type = 'regexp';
          }
        } else {
          re += '(.*/)?';
          type = 'regexp';
        }
        if (n === 0) type = 'suffix';
      } else {
        re += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if ('.+()|{}$'.includes(ch)) {
      re += '\\' + ch;
    } else if (ch === '\\') {
      if (i + 1 < p.length) {
        re += '\\' + p[++i];
        type = 'regexp';
      } else re += '\\';
    } else if (ch === '[' || ch === ']') {
      re += ch;
      type = 'regexp';
    } else {
      re += ch;
    }
  }
  if (type !== 'regexp') {
    const text = type === 'exact' ? p : type === 'prefix' ? p.slice(0, -2) : p.slice(2);
    return { kind: type, text };
  }
  try {
    return { kind: 'regexp', re: new RegExp(re + '$') };
  } catch {
    return undefined; // Go's regexp.Compile fails too (a reversed range): the pattern matches nothing
  }
}

function mobyMatch(compiled: MobyPattern, file: string): boolean {
  if (!compiled) return false;
  switch (compiled.kind) {
    case 'exact':
      return file === compiled.text;
    case 'prefix':
      return file.startsWith(compiled.text);
    case 'suffix':
      return file.endsWith(compiled.text) || (compiled.text[0] === '/' && file === compiled.text.slice(1));
    case 'regexp':
      return compiled.re.test(file);
  }
}

/** BuildKit's answer for a file: each line in order, on the file or any parent directory. */
function referenceMatcher(lines: readonly string[]): (file: string) => boolean {
  const patterns: { exclusion: boolean; compiled: MobyPattern }[] = [];
  for (const line of lines) {
    let p = line.trim();
    if (p === '' || line.startsWith('#')) continue;
    const exclusion = p.startsWith('!');
    if (exclusion) p = p.slice(1).trim();
    p = path.posix.normalize(p);
    if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
    if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
    if (p === '' || !goPatternIsValid(p)) continue; // BuildKit refuses the file; dockopt skips the line
    patterns.push({ exclusion, compiled: mobyCompile(p) });
  }
  return (file) => {
    const dirs = file.split('/').slice(0, -1);
    let matched = false;
    for (const pattern of patterns) {
      if (pattern.exclusion !== matched) continue;
      let match = mobyMatch(pattern.compiled, file);
      for (let i = 1; !match && i <= dirs.length; i++) match = mobyMatch(pattern.compiled, dirs.slice(0, i).join('/'));
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  };
}

const referenceIgnores = (lines: readonly string[], file: string) => referenceMatcher(lines)(file);

// ---------------------------------------------------------------------------------------------
// Inputs

const PATTERN_PIECES = [
  'a', 'a', 'b', 'ab', '/', '/', '*', '*', '**', '**/', '?', '[ab]', '[!a]', '[^a]', '[a-c]', '[\\*]', '[\\]]',
  '\\*', '\\?', '\\[', '\\\\', '.', '$', '^', '[', ']', '-', 'c', '..', '[c-a]',
];
const PATH_CHARS = ['a', 'a', 'a', 'b', 'b', 'c', '.', '*', '[', ']', '!', '^', '-', '\\', '$', '?', '\n'];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)];
}

function randomPattern(next: () => number): string {
  for (;;) {
    let p = next() < 0.2 ? '!' : '';
    const pieces = 1 + Math.floor(next() * 6);
    for (let i = 0; i < pieces; i++) p += pick(next, PATTERN_PIECES);
    if (next() < 0.05) p += '\\'; // a trailing backslash: filepath.Match's ErrBadPattern
    if (!hasWildcardInClass(p)) return p;
  }
}

/** Whether a `*` or `?` sits in a `[...]` (see the header: the matcher decides this on purpose). */
function hasWildcardInClass(p: string): boolean {
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === '[') inClass = true;
    else if (p[i] === ']') inClass = false;
    else if (inClass && (p[i] === '*' || p[i] === '?')) return true;
  }
  return false;
}

function randomName(next: () => number): string {
  let name = '';
  const length = 1 + Math.floor(next() * 3);
  for (let i = 0; i < length; i++) name += pick(next, PATH_CHARS);
  return name === '.' || name === '..' ? 'a' : name;
}

function randomPath(next: () => number): string {
  const segments = 1 + Math.floor(next() * 4);
  return Array.from({ length: segments }, () => randomName(next)).join('/');
}

/** A path shaped like the pattern (wildcards filled in), so that matches are common. */
function pathLike(next: () => number, pattern: string): string {
  let out = '';
  const p = pattern.replace(/^!/, '');
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch === '*') {
      const double = p[i + 1] === '*';
      if (double) i++;
      const fill = Math.floor(next() * 3);
      for (let k = 0; k < fill; k++) out += double && next() < 0.3 ? '/' : pick(next, ['a', 'b', 'c']);
    } else if (ch === '?') out += pick(next, ['a', 'b', '.']);
    else if (ch === '[') {
      const end = p.indexOf(']', i + 2);
      if (end > 0) {
        out += pick(next, ['a', 'b', 'c', '!', '*', ']']);
        i = end;
      } else out += ch;
    } else if (ch === '\\' && i + 1 < p.length) out += p[++i];
    else out += ch;
  }
  const clean = out.split('/').filter((s) => s !== '' && s !== '.' && s !== '..').join('/');
  return clean === '' ? 'a' : clean;
}

/** One character changed, added or removed. */
function mutate(next: () => number, p: string): string {
  const at = Math.floor(next() * (p.length + 1));
  const roll = next();
  const ch = pick(next, PATH_CHARS);
  const out = roll < 0.4 ? p.slice(0, at) + ch + p.slice(at + 1) : roll < 0.7 ? p.slice(0, at) + ch + p.slice(at) : p.slice(0, at) + p.slice(at + 1);
  const clean = out.split('/').filter((s) => s !== '' && s !== '.' && s !== '..').join('/');
  return clean === '' ? 'b' : clean;
}

// ---------------------------------------------------------------------------------------------

test('random .dockerignore files: ignores() and ignoresAll() agree with BuildKit semantics', () => {
  const next = random(0x5eed);
  let ignoredCount = 0;
  let keptCount = 0;
  let compared = 0;
  for (let round = 0; round < 2500; round++) {
    const lines = Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomPattern(next));
    const matcher = compileIgnore(lines.join('\n'));
    const reference = referenceMatcher(lines);
    const paths = new Set<string>();
    for (let i = 0; i < 6; i++) paths.add(randomPath(next));
    for (const line of lines) {
      for (let i = 0; i < 4; i++) {
        const like = pathLike(next, line);
        paths.add(like);
        paths.add(mutate(next, like));
      }
    }
    const sorted = [...paths].sort();
    const all = matcher.ignoresAll(sorted);
    sorted.forEach((p, i) => {
      const expected = reference(p);
      const context = `lines ${JSON.stringify(lines)}, path ${JSON.stringify(p)}`;
      assert.equal(matcher.ignores(p), expected, context);
      assert.equal(all[i] === 1, expected, `ignoresAll: ${context}`);
      if (expected) ignoredCount++;
      else keptCount++;
      compared++;
    });
  }
  // The inputs exercise both answers, so this test can fail either way.
  assert.ok(compared > 30_000, `${compared} comparisons`);
  assert.ok(ignoredCount > compared / 10, `${ignoredCount} ignored of ${compared}`);
  assert.ok(keptCount > compared / 10, `${keptCount} kept of ${compared}`);
});

test('the reference itself: known BuildKit answers', () => {
  // If the reference drifted, the comparison above would prove nothing.
  assert.equal(referenceIgnores(['**/*.md', '!README.md'], 'docs/a.md'), true);
  assert.equal(referenceIgnores(['**/*.md', '!README.md'], 'README.md'), false);
  assert.equal(referenceIgnores(['docs'], 'docs/x/y'), true);
  assert.equal(referenceIgnores(['**foo'], 'xfoo'), true); // suffix shortcut
  assert.equal(referenceIgnores(['*foo'], 'x/foo'), false);
  assert.equal(referenceIgnores(['[]a]'], ']'), false); // filepath.Match rejects it
  assert.equal(referenceIgnores(['a[!b]'], 'a!'), true); // `!` is a member, not a negation
  assert.equal(referenceIgnores(['a[^b]'], 'ac'), true);
});
