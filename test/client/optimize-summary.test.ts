import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkspaceFixesResult } from '../../shared/src/protocol';
import { planWorkspaceEdit } from '../../client/src/optimize-all/plan';
import { formatBytes, summarize, summaryText } from '../../client/src/optimize-all/summary';

const api = 'file:///w/api/Dockerfile';
const worker = 'file:///w/worker/Dockerfile';
const web = 'file:///w/web/Dockerfile';

function edit(line: number, ruleId: string, service: string) {
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: 'x', ruleId, service };
}

const example: WorkspaceFixesResult = {
  files: [
    { uri: api, kind: 'edit', edits: [edit(2, 'pip-cache-mount', 'api'), edit(4, 'copy-before-install', 'api')] },
    { uri: worker, kind: 'edit', edits: [edit(2, 'pip-cache-mount', 'worker')] },
    { uri: 'file:///w/worker/.dockerignore', kind: 'create', edits: [edit(0, 'dockerignore-missing', 'worker')] },
  ],
  services: [
    { service: 'api', dockerfileUri: api, changesByRule: { 'pip-cache-mount': 1, 'copy-before-install': 1 } },
    { service: 'worker', dockerfileUri: worker, changesByRule: { 'pip-cache-mount': 1, 'dockerignore-missing': 1 } },
    { service: 'web', dockerfileUri: web, changesByRule: {} },
  ],
  contextBytesSaved: 12_345_678,
  remainingFindings: 1,
};

function textOf(result: WorkspaceFixesResult): string {
  return summaryText(summarize(result, planWorkspaceEdit(result, { preview: true })));
}

test('summary: services changed, changes per rule, services already optimal, context saved, what is left', () => {
  assert.equal(
    textOf(example),
    'dockopt optimized 2 of 3 services in 3 files: pip-cache-mount ×2, copy-before-install ×1, dockerignore-missing ×1. ' +
      'Already optimal: web. ~12.3 MB less build context. 1 finding needs a manual fix.',
  );
});

test('summary: a workspace that is already optimal says so', () => {
  const result: WorkspaceFixesResult = {
    files: [],
    services: [
      { service: 'api', dockerfileUri: api, changesByRule: {} },
      { service: 'web', dockerfileUri: web, changesByRule: {} },
    ],
    contextBytesSaved: 0,
    remainingFindings: 0,
  };
  assert.equal(textOf(result), 'dockopt: all 2 services are already optimal.');
});

test('summary: no Dockerfiles at all', () => {
  assert.equal(
    textOf({ files: [], services: [], contextBytesSaved: 0, remainingFindings: 0 }),
    'dockopt found no Dockerfiles to optimize in this workspace.',
  );
});

test('summary: a service listed by two compose files counts once and is not "optimal" if one listing changes', () => {
  const result: WorkspaceFixesResult = {
    ...example,
    services: [
      { service: 'api', dockerfileUri: api, changesByRule: { 'pip-cache-mount': 1 } },
      { service: 'api', dockerfileUri: 'file:///w/api/Dockerfile.prod', changesByRule: {} },
    ],
  };
  const summary = summarize(result, planWorkspaceEdit(result, { preview: true }));
  assert.equal(summary.services, 1);
  assert.deepEqual(summary.optimalServices, []);
});

test('summary: a long list of optimal services is shortened', () => {
  const services = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((s) => ({ service: s, dockerfileUri: `file:///w/${s}/Dockerfile`, changesByRule: {} }));
  const result: WorkspaceFixesResult = { ...example, services: [...example.services.slice(0, 1), ...services], remainingFindings: 0, contextBytesSaved: 0 };
  assert.match(textOf(result), /Already optimal: a, b, c, d, e and 2 more\.$/);
});

test('bytes are shown in decimal units like docker build prints them', () => {
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(1500), '1.5 kB');
  assert.equal(formatBytes(12_345_678), '12.3 MB');
  assert.equal(formatBytes(2_000_000), '2 MB');
  assert.equal(formatBytes(250_000_000), '250 MB');
  assert.equal(formatBytes(3_210_000_000), '3.2 GB');
});
