/**
 * `dockopt.exclude` and the `files.exclude` globs of Optimize All: VS Code glob syntax
 * (`braces` for `{a,b}`, the linear automaton for the rest), a match on a folder excludes what is
 * inside it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GlobAutomaton } from '../../shared/src/dockerignore/glob-automaton';
import { compileExcludeGlobs, MAX_EXPANSIONS, tokensOf } from '../../server/src/workspace/exclude-globs';

function excluded(globs: string[], paths: string[]): string[] {
  const test = compileExcludeGlobs(globs);
  return paths.filter((p) => !!test && test(p));
}

test('* and ? stay in one path segment, ** spans segments, [...] is a character class', () => {
  const paths = ['a.log', 'logs/b.log', 'x1/Dockerfile', 'x12/Dockerfile', 'deep/er/cache/Dockerfile', 'v1/Dockerfile', 'v9/Dockerfile'];
  assert.deepEqual(excluded(['*.log'], paths), ['a.log']);
  assert.deepEqual(excluded(['**/*.log'], paths), ['a.log', 'logs/b.log']);
  assert.deepEqual(excluded(['x?/Dockerfile'], paths), ['x1/Dockerfile']);
  assert.deepEqual(excluded(['**/cache'], paths), ['deep/er/cache/Dockerfile']);
  assert.deepEqual(excluded(['v[0-5]'], paths), ['v1/Dockerfile']);
});

test('{a,b} alternatives, nested ones too', () => {
  const paths = ['tmp/Dockerfile', 'svc/vendor/Dockerfile', 'a/x/Dockerfile', 'b2/x/Dockerfile', 'b3/x/Dockerfile', 'src/Dockerfile'];
  assert.deepEqual(excluded(['**/{tmp,vendor}'], paths), ['tmp/Dockerfile', 'svc/vendor/Dockerfile']);
  assert.deepEqual(excluded(['{a,b{1,2}}/x'], paths), ['a/x/Dockerfile', 'b2/x/Dockerfile']);
});

test('a folder that matches excludes everything inside it; the folder itself is matched too', () => {
  const test = compileExcludeGlobs(['vendor', 'third_party/**']);
  assert.ok(test);
  for (const p of ['vendor', 'vendor/lib/Dockerfile', 'third_party/x/Dockerfile']) assert.equal(test(p), true, p);
  for (const p of ['vendors/Dockerfile', 'src/vendor.Dockerfile', 'third_party_x/Dockerfile']) assert.equal(test(p), false, p);
});

test('* matches dot files and dot folders, as in VS Code', () => {
  assert.deepEqual(excluded(['**/.*'], ['.devcontainer/Dockerfile', 'a/.cache/Dockerfile', 'a/b']), ['.devcontainer/Dockerfile', 'a/.cache/Dockerfile']);
  assert.deepEqual(excluded(['*/Dockerfile'], ['.hidden/Dockerfile']), ['.hidden/Dockerfile']);
});

test('matching is case-sensitive, as before', () => {
  assert.deepEqual(excluded(['Vendor'], ['vendor/Dockerfile', 'Vendor/Dockerfile']), ['Vendor/Dockerfile']);
});

test('./, a leading / and trailing slashes are cleaned; a leading # is a plain character', () => {
  const paths = ['vendor/Dockerfile', '#scratch/Dockerfile', 'src/Dockerfile'];
  assert.deepEqual(excluded(['./vendor/'], paths), ['vendor/Dockerfile']);
  assert.deepEqual(excluded(['/vendor'], paths), ['vendor/Dockerfile']);
  assert.deepEqual(excluded(['#scratch'], paths), ['#scratch/Dockerfile']);
});

test('negations, empty globs and the folder itself are not used: a lone !glob does not exclude everything else', () => {
  assert.equal(compileExcludeGlobs(['!keep', '', '  ', '.', './']), undefined);
  assert.deepEqual(excluded(['vendor', '!vendor/keep'], ['vendor/keep/Dockerfile', 'src/Dockerfile']), ['vendor/keep/Dockerfile']);
  assert.deepEqual(excluded(['!(src)'], ['src/Dockerfile', 'lib/Dockerfile']), [], 'no extglobs: !(src) is plain text');
});

test('any number of * runs, in linear time: a crafted glob and file name cannot stall the server', () => {
  const test = compileExcludeGlobs(['*a*a*a*a*a*a*a*a*a*a*a*a*c', '**/*a*a*c']);
  assert.ok(test);
  assert.equal(test(`${'a'.repeat(255)}/Dockerfile`), false);
  assert.equal(test('x/abac/Dockerfile'), true, '**/*a*a*c matches abac');
  // Counted, not timed: the automaton's work grows with the path, never with the * runs' combinations.
  const automaton = new GlobAutomaton(tokensOf('*a*a*a*a*a*a*a*a*a*a*a*a*c'));
  const work = (n: number) => {
    automaton.steps = 0;
    automaton.test('a'.repeat(n));
    return automaton.steps;
  };
  const small = work(250);
  const large = work(2_000);
  assert.ok(large < small * 8 * 1.5, `8× the path cost ${large / small}× the work`);
});

test('real globs with several * runs apply: **/test*/**/*.js, **/*cache*', () => {
  assert.deepEqual(excluded(['**/test*/**/*.js'], ['a/tests/b/c.js', 'a/tests/c.ts', 'src/c.js']), ['a/tests/b/c.js']);
  assert.deepEqual(excluded(['**/*cache*'], ['a/pip-cache-dir/Dockerfile', 'a/b/Dockerfile']), ['a/pip-cache-dir/Dockerfile']);
});

test(`a glob whose {a,b} alternatives expand past ${MAX_EXPANSIONS} is left out`, () => {
  const huge = '{a,b}'.repeat(10) + '/x'; // 1,024 expansions
  assert.equal(compileExcludeGlobs([huge]), undefined);
  assert.equal(compileExcludeGlobs(['v{1..100000}']), undefined, 'a range past the limit');
  assert.deepEqual(excluded(['{a,b}{1,2}'], ['a1/x', 'b2/x', 'c1/x']), ['a1/x', 'b2/x']);
});
