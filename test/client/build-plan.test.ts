import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAllTargets, chooseTarget, pickItems, runPooled, toRequest, toTarget } from '../../client/src/builds/plan';
import { readBuildSettings } from '../../client/src/builds/settings';

const ROOT = '/w/shop';
const api = toTarget({ service: 'api', dockerfile: '/w/shop/api/Dockerfile', contextDir: '/w/shop/api', composeFile: '/w/shop/compose.yaml' }, ROOT);
const worker = toTarget({ service: 'worker', dockerfile: '/w/shop/api/Dockerfile', contextDir: '/w/shop/api', target: 'worker', composeFile: '/w/shop/compose.yaml' }, ROOT);
const tools = toTarget({ dockerfile: '/w/shop/tools/Dockerfile', contextDir: '/w/shop/tools' }, ROOT);

test('one build of a Dockerfile is built without asking', () => {
  assert.deepEqual(chooseTarget([api]), { kind: 'one', target: api });
});

test('several services ask which, unless the caller named one', () => {
  assert.deepEqual(chooseTarget([api, worker]), { kind: 'pick', targets: [api, worker] });
  assert.deepEqual(chooseTarget([api, worker], { service: 'worker' }), { kind: 'one', target: worker });
  assert.deepEqual(chooseTarget([api, worker], { service: 'gone' }), { kind: 'pick', targets: [api, worker] });
});

test('a service listed by two compose files is one build', () => {
  const again = toTarget({ service: 'api', dockerfile: '/w/shop/api/Dockerfile', contextDir: '/w/shop/api', composeFile: '/w/shop/compose.override.yaml' }, ROOT);
  assert.deepEqual(chooseTarget([api, again]), { kind: 'one', target: api });
});

test('a Dockerfile no compose file names is labelled by its path, with its target', () => {
  assert.equal(tools.label, 'tools/Dockerfile');
  assert.equal(toTarget({ dockerfile: '/w/shop/tools/Dockerfile', contextDir: '/w/shop', target: 'dev' }, ROOT).label, 'tools/Dockerfile:dev');
});

test('Build All takes the compose services when there are any, else every Dockerfile', () => {
  assert.deepEqual(buildAllTargets([tools, worker, api]).map((t) => t.label), ['api', 'worker']);
  assert.deepEqual(buildAllTargets([tools]).map((t) => t.label), ['tools/Dockerfile']);
});

test('the request carries the Dockerfile, context, target and the extra arguments', () => {
  const settings = readBuildSettings((key) => ({ extraArgs: ['--network=none'] })[key as 'extraArgs']);
  assert.deepEqual(toRequest(worker, settings), {
    dockerfile: '/w/shop/api/Dockerfile',
    context: '/w/shop/api',
    target: 'worker',
    extraArgs: ['--network=none'],
  });
});

test('settings: defaults, and bad values fall back', () => {
  assert.deepEqual(readBuildSettings(() => undefined), { command: 'docker', builder: undefined, parallel: 2, decorations: true, extraArgs: [] });
  const odd: Record<string, unknown> = { command: '  ', builder: ' remote ', parallel: 99, decorations: 'yes', extraArgs: ['--pull', 3, ''] };
  assert.deepEqual(readBuildSettings((k) => odd[k]), { command: 'docker', builder: 'remote', parallel: 16, decorations: true, extraArgs: ['--pull'] });
  assert.equal(readBuildSettings((k) => (k === 'parallel' ? 0 : undefined)).parallel, 1);
});

test('the pick shows the context, target and compose file of each service', () => {
  assert.deepEqual(pickItems([api, worker], ROOT).map((i) => [i.label, i.description]), [
    ['api', 'context api · compose.yaml'],
    ['worker', 'context api · target worker · compose.yaml'],
  ]);
});

test('runPooled never runs more than the limit at once and keeps the order of results', async () => {
  let active = 0;
  let most = 0;
  const waiting: Array<() => void> = [];
  const running = runPooled([1, 2, 3, 4, 5], 2, async (n) => {
    active++;
    most = Math.max(most, active);
    await new Promise<void>((resolve) => waiting.push(resolve));
    active--;
    return n * 10;
  });
  let released = 0;
  while (released < 5) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const next = waiting.shift();
    if (next) {
      next();
      released++;
    }
  }
  assert.deepEqual(await running, [10, 20, 30, 40, 50]);
  assert.equal(most, 2);
});
