import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serviceNode, serviceNodes, type TreeNode } from '../../client/src/builds/tree-model';
import { API_DOCKERFILE, apiTarget, makeRecord } from './build-fixtures';

const NOW = Date.parse('2025-01-02T10:05:00.000Z');
const cold = makeRecord({ outcomes: { 0: 'cached', 1: 100, 2: 50, 3: 8000, 4: 60, 5: 900 }, durationMs: 12_300, startedAt: '2025-01-02T10:00:00.000Z' });
const afterCodeChange = makeRecord({
  outcomes: { 0: 'cached', 1: 'cached', 2: 'cached', 3: 'cached', 4: 70, 5: 800 },
  miss: { line: 4, message: 'files it copies changed since the last build: src/main.py' },
  durationMs: 2_100,
  startedAt: '2025-01-02T10:04:00.000Z',
});

function child(node: TreeNode, index: number): TreeNode {
  return node.children![index];
}

test('a service shows its last build: duration and hit ratio', () => {
  const node = serviceNode({ target: apiTarget(), builds: [cold, afterCodeChange] }, NOW);
  assert.equal(node.label, 'api');
  assert.equal(node.description, '2.1s · 3/5 cached (60%)');
  assert.equal(node.contextValue, 'service-comparable');
});

test('builds are listed newest first with time, hit ratio and when', () => {
  const node = serviceNode({ target: apiTarget(), builds: [cold, afterCodeChange] }, NOW);
  assert.deepEqual(
    node.children!.map((b) => [b.label, b.description]),
    [
      ['2.1s', '3/5 cached (60%) · 1 min ago'],
      ['12.3s', '0/5 cached (0%) · 5 min ago'],
    ],
  );
  assert.equal(child(node, 0).collapsible, 'expanded', 'the newest build is open');
});

test('steps show cached or their time, the instruction, and open the Dockerfile at their line', () => {
  const steps = child(serviceNode({ target: apiTarget(), builds: [cold] }, NOW), 0).children!;
  assert.deepEqual(
    steps.filter((s) => s.kind === 'step').map((s) => [s.label, s.description, s.icon?.id]),
    [
      ['FROM docker.io/library/python:3.12-slim', 'cached', 'check'],
      ['WORKDIR /app', '0.1s', 'circle-filled'],
      ['COPY requirements.txt .', '0.1s', 'circle-filled'],
      ['RUN pip install -r requirements.txt', '8.0s', 'circle-filled'],
      ['COPY src/ ./src/', '0.1s', 'circle-filled'],
      ['RUN python -m compileall src', '0.9s', 'circle-filled'],
    ],
  );
  assert.deepEqual(steps[3].open, { file: API_DOCKERFILE, line: 3 });
});

test('the cache-miss step is marked and its tooltip says why', () => {
  const steps = child(serviceNode({ target: apiTarget(), builds: [cold, afterCodeChange] }, NOW), 0).children!;
  const miss = steps.find((s) => s.contextValue === 'step-miss')!;
  assert.equal(miss.label, 'COPY src/ ./src/');
  assert.equal(miss.description, '0.1s · cache miss');
  assert.equal(miss.icon?.id, 'flame');
  assert.match(miss.tooltip!, /Cache miss: files it copies changed since the last build: src\/main\.py/);
  assert.equal(steps.filter((s) => s.contextValue === 'step-miss').length, 1);
});

test('BuildKit internal steps are grouped after the Dockerfile steps', () => {
  const steps = child(serviceNode({ target: apiTarget(), builds: [cold] }, NOW), 0).children!;
  const last = steps[steps.length - 1];
  assert.equal(last.kind, 'internal-group');
  assert.equal(last.description, '1 steps · 0.0s');
  assert.equal(last.children![0].label, '[internal] load build definition from Dockerfile');
});

test('a failed build shows as failed with the failing step', () => {
  const failed = makeRecord({ outcomes: { 0: 'cached', 1: 'cached', 2: 'cached', 3: 'cached', 4: 'cached', 5: 'failed' }, durationMs: 1_500 });
  const node = serviceNode({ target: apiTarget(), builds: [failed] }, NOW);
  assert.equal(node.icon?.id, 'error');
  assert.equal(node.description, 'failed · 4/5 cached (80%)');
  const build = child(node, 0);
  assert.equal(build.label, 'failed · 1.5s');
  assert.match(build.tooltip!, /Build failed at RUN python -m compileall src \(Dockerfile line 6\)/);
  const step = build.children!.find((s) => s.label === 'RUN python -m compileall src')!;
  assert.equal(step.icon?.id, 'error');
  assert.match(step.tooltip!, /exit code: 1/);
});

test('a running build comes first, ticking, with the steps reported so far', () => {
  const startedAt = NOW - 12_000;
  const node = serviceNode(
    {
      target: apiTarget(),
      builds: [cold],
      running: {
        startedAt,
        progress: {
          format: 'plain',
          errorText: null,
          messages: [],
          legacyBuilder: false,
          spanMs: null,
          steps: [
            { id: '#2', name: '[1/6] FROM python', platform: null, stage: null, index: 1, count: 6, text: 'FROM python', internal: false, digest: null, line: 0, status: 'cached', durationMs: 0, error: null, logTail: [], transferred: false, startedAt: null, completedAt: null, seen: 1 },
            { id: '#3', name: '[4/6] RUN pip install', platform: null, stage: null, index: 4, count: 6, text: 'RUN pip install -r requirements.txt', internal: false, digest: null, line: 3, status: 'running', durationMs: null, error: null, logTail: [], transferred: false, startedAt: null, completedAt: null, seen: 2 },
          ],
        },
      },
    },
    NOW,
  );
  assert.equal(node.description, 'building… 0:12');
  assert.equal(node.contextValue, 'service-building');
  const running = child(node, 0);
  assert.equal(running.kind, 'running');
  assert.equal(running.description, '2 steps so far, 1 cached');
  assert.deepEqual(running.children!.map((s) => [s.label, s.description, s.icon?.id]), [
    ['FROM python', 'cached', 'check'],
    ['RUN pip install -r requirements.txt', 'running', 'sync~spin'],
  ]);
  assert.equal(child(node, 1).collapsible, 'collapsed', 'the last finished build closes while another runs');
});

test('services never built are listed after the built ones, alphabetically', () => {
  const nodes = serviceNodes(
    [
      { target: apiTarget('worker'), builds: [] },
      { target: apiTarget('admin'), builds: [] },
      { target: apiTarget('api'), builds: [cold] },
    ],
    NOW,
  );
  assert.deepEqual(nodes.map((n) => [n.label, n.description]), [
    ['api', '12.3s · 0/5 cached (0%)'],
    ['admin', 'not built yet'],
    ['worker', 'not built yet'],
  ]);
  assert.equal(nodes[1].collapsible, 'none');
});
