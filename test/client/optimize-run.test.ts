import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkspaceFixesParams, WorkspaceFixesResult } from '../../shared/src/protocol';
import { CancellationTokenSource, type CancellationToken } from 'vscode-jsonrpc';
import type { OptimizePlan } from '../../client/src/optimize-all/plan';
import { runOptimizeAll, type FolderTarget, type OptimizeAllDeps } from '../../client/src/optimize-all/run';

const API = 'file:///w/api/Dockerfile';

function fixes(service = 'api', uri = API): WorkspaceFixesResult {
  return {
    files: [{ uri, kind: 'edit', edits: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'x', ruleId: 'pip-cache-mount', service }] }],
    services: [{ service, dockerfileUri: uri, changesByRule: { 'pip-cache-mount': 1 } }],
    contextBytesSaved: 0,
    remainingFindings: 0,
  };
}

const folder = (name: string, exclude: string[] = []): FolderTarget => ({ uri: `file:///${name}`, name, exclude });

/** Fakes that record what the run asked for and what it applied. */
function fakes(answers: Record<string, WorkspaceFixesResult | Error>, applyResult = true) {
  const requests: WorkspaceFixesParams[] = [];
  const applied: OptimizePlan[] = [];
  const events: string[] = [];
  const cancellation = new CancellationTokenSource();
  const deps: OptimizeAllDeps = {
    requestFixes: async (params: WorkspaceFixesParams, _token: CancellationToken) => {
      requests.push(params);
      events.push('request');
      const answer = answers[params.folders![0]];
      if (answer instanceof Error) throw answer;
      return answer;
    },
    applyPlan: async (plan) => {
      events.push('apply');
      applied.push(plan);
      return applyResult;
    },
    progress: {
      cancellation: cancellation.token,
      report: (m) => events.push(`report:${m}`),
      finish: () => events.push('finish'),
    },
  };
  return { deps, requests, applied, events, cancellation };
}

test('asks the server once per folder with that folder’s excludes', async () => {
  const f = fakes({ 'file:///a': fixes('api'), 'file:///b': fixes('web', 'file:///b/Dockerfile') });
  await runOptimizeAll({ targets: [folder('a', ['**/tmp']), folder('b', ['vendor/**'])], preview: true }, f.deps);
  assert.deepEqual(f.requests, [
    { folders: ['file:///a'], exclude: ['**/tmp'] },
    { folders: ['file:///b'], exclude: ['vendor/**'] },
  ]);
});

test('applies every folder’s fixes as one workspace edit', async () => {
  const f = fakes({ 'file:///a': fixes('api'), 'file:///b': fixes('web', 'file:///b/Dockerfile') });
  const outcome = await runOptimizeAll({ targets: [folder('a'), folder('b')], preview: true }, f.deps);
  assert.equal(outcome.status, 'applied');
  assert.equal(f.applied.length, 1);
  assert.deepEqual(f.applied[0].files.map((file) => file.uri).sort(), ['file:///b/Dockerfile', API]);
});

test('the progress notification is closed before the edit (and its preview) is applied', async () => {
  const f = fakes({ 'file:///a': fixes() });
  await runOptimizeAll({ targets: [folder('a')], preview: true }, f.deps);
  assert.ok(f.events.indexOf('finish') < f.events.indexOf('apply'), f.events.join(' '));
});

test('progress names the folder being checked and counts folders when there are several', async () => {
  const f = fakes({ 'file:///a': fixes(), 'file:///b': fixes('web', 'file:///b/Dockerfile') });
  await runOptimizeAll({ targets: [folder('a'), folder('b')], preview: true }, f.deps);
  assert.deepEqual(f.events.filter((e) => e.startsWith('report:')), ['report:Checking a (1/2)…', 'report:Checking b (2/2)…']);
});

test('the preview setting reaches the plan', async () => {
  const f = fakes({ 'file:///a': fixes() });
  await runOptimizeAll({ targets: [folder('a')], preview: false }, f.deps);
  assert.equal(f.applied[0].previewAnchor, undefined);
});

test('no workspace folder: nothing is asked or applied', async () => {
  const f = fakes({});
  const outcome = await runOptimizeAll({ targets: [], preview: true }, f.deps);
  assert.equal(outcome.status, 'no-folders');
  assert.deepEqual(f.requests, []);
});

test('nothing to change: no edit is applied and the summary says the services are optimal', async () => {
  const f = fakes({ 'file:///a': { files: [], services: [{ service: 'api', dockerfileUri: API, changesByRule: {} }], contextBytesSaved: 0, remainingFindings: 0 } });
  const outcome = await runOptimizeAll({ targets: [folder('a')], preview: true }, f.deps);
  assert.equal(outcome.status, 'nothing-to-change');
  assert.equal(outcome.message, 'dockopt: the only service is already optimal.');
  assert.deepEqual(f.applied, []);
});

test('cancelled while the server works: nothing is applied', async () => {
  const f = fakes({});
  f.deps.requestFixes = async () => {
    f.cancellation.cancel();
    throw new Error('Request cancelled');
  };
  const outcome = await runOptimizeAll({ targets: [folder('a'), folder('b')], preview: true }, f.deps);
  assert.equal(outcome.status, 'cancelled');
  assert.deepEqual(f.applied, []);
});

test('cancelled between folders: the next folder is not asked', async () => {
  const f = fakes({ 'file:///a': fixes() });
  const inner = f.deps.requestFixes;
  f.deps.requestFixes = async (params, token) => {
    const answer = await inner(params, token);
    f.cancellation.cancel();
    return answer;
  };
  const outcome = await runOptimizeAll({ targets: [folder('a'), folder('b')], preview: true }, f.deps);
  assert.equal(outcome.status, 'cancelled');
  assert.equal(f.requests.length, 1);
});

test('a server error is reported with the folder name, and nothing is applied', async () => {
  const f = fakes({ 'file:///a': new Error('boom') });
  const outcome = await runOptimizeAll({ targets: [folder('a')], preview: true }, f.deps);
  assert.deepEqual(outcome, { status: 'failed', message: 'dockopt could not compute the fixes for a: boom' });
  assert.deepEqual(f.applied, []);
});

test('an answer of the wrong shape is a clear failure, not a crash', async () => {
  const f = fakes({ 'file:///a': { files: 'nope' } as unknown as WorkspaceFixesResult });
  const outcome = await runOptimizeAll({ targets: [folder('a')], preview: true }, f.deps);
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.message, /cannot read/);
});

test('a discarded preview is reported as not applied', async () => {
  const f = fakes({ 'file:///a': fixes() }, false);
  const outcome = await runOptimizeAll({ targets: [folder('a')], preview: true }, f.deps);
  assert.equal(outcome.status, 'not-applied');
});

test('the progress is always finished, even when applying throws', async () => {
  const f = fakes({ 'file:///a': fixes() });
  f.deps.applyPlan = async () => {
    throw new Error('disk full');
  };
  const outcome = await runOptimizeAll({ targets: [folder('a')], preview: true }, f.deps);
  assert.deepEqual(outcome, { status: 'failed', message: 'dockopt could not apply the changes: disk full' });
  assert.ok(f.events.includes('finish'));
});
