import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { test } from 'node:test';
import { filesForPattern } from '../../buildkit/src/context-sources';
import { GlobAutomaton, type GlobToken } from '../../shared/src/dockerignore/glob-automaton';

const char = (ch: string): GlobToken => ({ kind: 'char', code: ch.codePointAt(0)! });
const STAR: GlobToken = { kind: 'star' };

test('star, anyDirs, rest and start tokens read as moby’s regex pieces', () => {
  // (.*/)?a[^/]*
  const anyDirsA = new GlobAutomaton([{ kind: 'anyDirs' }, char('a'), STAR]);
  assert.deepEqual(['a', 'ab', 'x/ab', 'x/y/a', 'xa', 'x/ba', 'x\n/a'].map((p) => anyDirsA.test(p)), [true, true, true, true, false, false, false]);
  // a.*
  const rest = new GlobAutomaton([char('a'), { kind: 'rest' }]);
  assert.deepEqual(['a', 'a/b/c', 'b', 'a\nb'].map((p) => rest.test(p)), [true, true, false, false]);
  // (.*/)?^a: the anchor holds only before anything is read
  const anchored = new GlobAutomaton([{ kind: 'anyDirs' }, { kind: 'start' }, char('a')]);
  assert.deepEqual(['a', 'x/a'].map((p) => anchored.test(p)), [true, false]);
  // An empty pattern matches only the empty path.
  assert.deepEqual(['', 'a'].map((p) => new GlobAutomaton([]).test(p)), [true, false]);
});

test('testPathOrParent: the path or a prefix ending before a `/`', () => {
  const ab = new GlobAutomaton([char('a'), STAR, char('b')]);
  assert.equal(ab.testPathOrParent('axb/c/d'), true);
  assert.equal(ab.testPathOrParent('axb'), true);
  assert.equal(ab.testPathOrParent('axbc/d'), false);
  assert.equal(ab.testPathOrParent('/axb'), false); // the empty prefix before a leading / is no parent
});

test('work stays within (4 × (tokens + 1) + 1) × (characters + 1) steps, also with no cached move', () => {
  const tokens = [STAR, ...Array.from({ length: 12 }, () => [char('a'), STAR]).flat(), char('c')];
  const automaton = new GlobAutomaton(tokens);
  for (const n of [40, 4000]) {
    const before = automaton.steps;
    assert.equal(automaton.test('a'.repeat(n)), false);
    assert.equal(automaton.test('a'.repeat(n) + 'c'), true);
    const bound = (4 * (tokens.length + 1) + 1) * (n + 1 + n + 2);
    assert.ok(automaton.steps - before <= bound, `${automaton.steps - before} steps, bound ${bound}`);
  }
  // 3000 different characters: none has a cached move, so every one costs a full step; still bounded.
  const tokensWide = Array.from({ length: 30 }, () => [{ kind: 'notSlash' } as GlobToken, STAR]).flat();
  const wide = new GlobAutomaton(tokensWide);
  const path = Array.from({ length: 3000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
  assert.equal(wide.test(path), true);
  const wideBound = (4 * (tokensWide.length + 1) + 1) * (3000 + 1);
  assert.ok(wide.steps <= wideBound, `${wide.steps} steps, bound ${wideBound}`);
  assert.ok(wide.steps > 3000 * 60, `${wide.steps} steps: each character did cost a step`);
});

test('COPY sources: a pattern that backtracks exponentially as a regex answers at once', { timeout: 20_000 }, () => {
  // Steps are not visible through filesForPattern; as a RegExp this took minutes at 35 `a`s.
  const files = ['a'.repeat(4000), `${'a'.repeat(40)}c`, `d/${'a'.repeat(40)}`];
  assert.deepEqual(filesForPattern('*a*a*a*a*a*a*a*a*a*a*a*a*c', files), [`${'a'.repeat(40)}c`]);
  assert.deepEqual(filesForPattern('*a*a*a*a*a*a*a*a*a*a*a*a*c/x', files), []);
});

/** The RegExp filesForPattern used before (its semantics are kept): small inputs only. */
function oldGlobRegex(pattern: string): RegExp {
  let out = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += '[' + pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) out += '\\' + pattern[++i];
    else out += ch.replace(/[.+^${}()|\]\\/]/g, '\\$&');
  }
  return new RegExp(out + '$');
}

test('COPY sources: random patterns select the same files as the former RegExp where the dialects agree', () => {
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  // No reversed ranges (the RegExp threw) and no backslash before a letter (the RegExp read `\d` as a digit).
  // Not the pieces where the shared COPY-glob matcher differs from it (see the next test): `[!a]`,
  // `[-a]`, `[a-]`, `[]`, `[!]`, a lone `[`, `^`, and `**` (skipped below).
  const pieces = ['a', 'b', '/', '*', '?', '[ab]', '[^b]', '[a-c]', '\\*', '\\[', '.', '$', ']'];
  const names = ['a', 'b', 'c', 'ab', 'ba', '*', '[', ']', '-', '^', '.x', 'a.b', '!'];
  const files = [...new Set(Array.from({ length: 60 }, () => Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(names)).join('/')))].sort();
  let selected = 0;
  for (let round = 0; round < 400; round++) {
    const pattern = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(pieces)).join('');
    // Patterns filesForPattern would clean first (`a/.`, `/a`, `a//b`) are not what this compares.
    if (!/[*?[]/.test(pattern) || posix.normalize(pattern) !== pattern || /^\/|\/$/.test(pattern) || /(^|[^\\])\*\*/.test(pattern)) continue;
    const re = oldGlobRegex(pattern);
    const expected = files.filter((f) => f.split('/').some((_s, i, parts) => re.test(parts.slice(0, i + 1).join('/'))));
    const actual = filesForPattern(pattern, files);
    assert.deepEqual(actual, expected, `pattern ${JSON.stringify(pattern)}`);
    selected += actual.length;
  }
  assert.ok(selected > 100, `${selected} files selected in all`);
});

test('COPY sources: class syntax as BuildKit reads it (measured with docker build, BuildKit of Docker 20.10)', () => {
  // Of `x!`, `x-` and `xb`, `COPY x[!a] /out/` copied `x!` alone: `!` is a member, not a negation.
  // `COPY x[-a] /out/` and `COPY y[ /out/` copied nothing (filepath.Match rejects them). The former
  // RegExp read `!` as negation, `[-a]` as a class and a lone `[` as plain.
  const files = ['x!', 'x-', 'xa', 'xb', 'y[', 'ya'];
  assert.deepEqual(filesForPattern('x[!a]', files), ['x!', 'xa']);
  assert.deepEqual(filesForPattern('x[-a]', files), []);
  assert.deepEqual(filesForPattern('y[', files), []);
  assert.deepEqual(filesForPattern('x[^a]', files), ['x!', 'x-', 'xb']);
});
