/**
 * keepWritableFixes keeps a rule's lazy fixes lazy, and once they are read turns them into the
 * finding's plain value: computed once, the same array on every read, and the rule's closure
 * (which holds its parse of the Dockerfile) no longer reachable from the finding.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keepWritableFixes } from '../../server/src/fixes/writable-fixes';
import { withLazyFixes, type Fix } from '../../server/src/rules/types';

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } };

function lazyFinding(fixes: Fix[]) {
  let computed = 0;
  const finding = withLazyFixes({ ruleId: 'pip-cache-mount', path: '/repo/Dockerfile', range, message: 'm.' }, () => {
    computed++;
    return fixes;
  });
  return { finding, computed: () => computed };
}

const edit = (path: string): Fix => ({ title: 't', isPreferred: true, changes: [{ kind: 'edit', path, edits: [{ start: 0, end: 1, newText: 'x' }] }] });

test('lazy fixes stay lazy until read, then are a plain value computed once', () => {
  const { finding, computed } = lazyFinding([edit('/repo/Dockerfile')]);
  keepWritableFixes(finding, () => undefined);
  assert.equal(computed(), 0);
  assert.ok(Object.getOwnPropertyDescriptor(finding, 'fixes')?.get, 'still an accessor before the first read');
  const first = finding.fixes;
  assert.equal(first.length, 1);
  const descriptor = Object.getOwnPropertyDescriptor(finding, 'fixes');
  assert.equal(descriptor?.get, undefined, 'a plain value once read');
  assert.equal(descriptor?.enumerable, true);
  assert.equal(finding.fixes, first);
  assert.equal(computed(), 1);
  assert.deepEqual(Object.keys(finding), ['ruleId', 'path', 'range', 'message', 'fixes']);
});

test('a lazy fix that writes where the workspace refuses is withdrawn when read, the same on every read', () => {
  const refused = '/outside/.dockerignore';
  const { finding, computed } = lazyFinding([edit(refused), { ...edit('/repo/Dockerfile'), isPreferred: false }]);
  keepWritableFixes(finding, (path) => (path === refused ? 'outside the workspace' : undefined));
  assert.deepEqual(finding.fixes.map((f) => f.isPreferred), [false]);
  assert.deepEqual(finding.fixes.map((f) => f.isPreferred), [false]);
  assert.equal(computed(), 1);
});

test('a finding on a refused file says so at once, its fixes still lazy', () => {
  const { finding, computed } = lazyFinding([edit('/repo/Dockerfile')]);
  keepWritableFixes(finding, () => 'a symbolic link');
  assert.equal(finding.message, 'm. No automatic fix: a symbolic link.');
  assert.equal(computed(), 0);
  assert.deepEqual(finding.fixes, []);
});
