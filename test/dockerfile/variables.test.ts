/**
 * The one `$VAR` expander: every form BuildKit expands, the origin of each value it used, and
 * the two policies for an unknown variable (kept as written, or the whole word unknown).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expandEnv, expandText, expandWord, lookupIn, type VariableLookup } from '../../server/src/dockerfile/variables';

const vars: VariableLookup = (name) => {
  if (name === 'APP') return { value: '/app', origin: 'ENV' };
  if (name === 'EMPTY') return { value: '', origin: 'ARG' };
  if (name === 'TAG') return { value: '3.12', origin: 'ARG default' };
  if (name === 'BUILD_ONLY') return 'unknown';
  return 'unset';
};

describe('expandWord', () => {
  const give = (text: string) => expandText(text, { lookup: vars, unknown: 'give-up' });
  const keep = (text: string) => expandText(text, { lookup: vars, unknown: 'keep' });

  test('bare and braced references', () => {
    assert.equal(give('$APP/src'), '/app/src');
    assert.equal(give('${APP}src'), '/appsrc');
    assert.equal(give('$NOPE/x'), '/x');
  });

  test('the default and alternative forms', () => {
    assert.equal(give('${NOPE:-/srv}'), '/srv');
    assert.equal(give('${EMPTY:-/srv}'), '/srv');
    assert.equal(give('${EMPTY-/srv}'), '');
    assert.equal(give('${NOPE-/srv}'), '/srv');
    assert.equal(give('${APP:+set}'), 'set');
    assert.equal(give('${EMPTY:+set}'), '');
    assert.equal(give('${EMPTY+set}'), 'set');
    assert.equal(give('${NOPE+set}'), '');
    assert.equal(give('${NOPE:-$APP/x}'), '/app/x');
  });

  test('a `$` that starts no reference stays', () => {
    assert.equal(give('a$'), 'a$');
    assert.equal(give('$1'), '$1');
  });

  test('give-up: an unknown variable makes the word unknown', () => {
    assert.equal(give('$BUILD_ONLY/x'), undefined);
    assert.equal(give('${BUILD_ONLY:-x}'), undefined);
    assert.equal(give('${APP#/}'), undefined);
    assert.equal(give('${APP'), undefined);
  });

  test('keep: an unknown variable stays as written, known ones expand', () => {
    assert.equal(keep('$BUILD_ONLY/$APP'), '$BUILD_ONLY//app');
    assert.equal(keep('${BUILD_ONLY:-/x}/y'), '${BUILD_ONLY:-/x}/y');
    assert.equal(keep('${APP#/}'), '${APP#/}');
    assert.equal(keep('${1}x'), '${1}x');
  });

  test('records where each value came from', () => {
    const expansion = expandWord('python:${TAG}-${NOPE:-slim}$APP', { lookup: vars, unknown: 'give-up' });
    assert.deepEqual(
      expansion?.uses.map((u) => [u.name, u.origin, u.operator ?? '', u.empty]),
      [['TAG', 'ARG default', '', false], ['NOPE', 'unset', ':-', true], ['APP', 'ENV', '', false]],
    );
    const kept = expandWord('$BUILD_ONLY', { lookup: vars, unknown: 'keep' });
    assert.deepEqual(kept?.uses.map((u) => u.origin), ['unknown']);
  });

  test('as Dockerfile source: quotes, escapes, continuations, with offsets', () => {
    const text = '"py"\\\nthon:$TAG';
    const expansion = expandWord(text, { lookup: vars, unknown: 'give-up', escapeChar: '\\', base: 100 });
    assert.equal(expansion?.text, 'python:3.12');
    // `p` is at offset 101 (after the quote); `t` after the continuation; the value has no offset.
    assert.equal(expansion?.chars[0].offset, 101);
    assert.equal(expansion?.chars[2].offset, 106);
    assert.equal(expansion?.chars.at(-1)?.offset, -1);
    assert.equal(expandText("'$TAG'", { lookup: vars, unknown: 'give-up', escapeChar: '\\' }), '$TAG');
    assert.equal(expandText('"unterminated', { lookup: vars, unknown: 'give-up', escapeChar: '\\' }), undefined);
  });

  test('traced values keep their offsets', () => {
    const lookup: VariableLookup = (name) => (name === 'V' ? { value: [{ ch: 'x', offset: 7 }], origin: 'ARG default' } : 'unset');
    assert.deepEqual(expandWord('$V', { lookup, unknown: 'give-up', base: 0 })?.chars, [{ ch: 'x', offset: 7 }]);
  });
});

describe('expandEnv', () => {
  const env = new Map([['APP', '/app'], ['HOME', '/home/me']]);
  test('expands ENV values and keeps the rest as written', () => {
    assert.equal(expandEnv('$APP/src', env), '/app/src');
    assert.equal(expandEnv('${HOME}/.cache', env), '/home/me/.cache');
    assert.equal(expandEnv('$ARGONLY/x', env), '$ARGONLY/x');
    assert.equal(expandEnv('${ARGONLY:-/srv}', env), '${ARGONLY:-/srv}');
    assert.equal(expandEnv('${APP:-/srv}', env), '/app');
    assert.equal(expandEnv('plain', env), 'plain');
  });

  test('lookupIn answers missing names as told', () => {
    assert.equal(lookupIn(env, 'ENV', 'unset')('NOPE'), 'unset');
    assert.deepEqual(lookupIn(env, 'ARG', 'unknown')('APP'), { value: '/app', origin: 'ARG' });
  });
});
