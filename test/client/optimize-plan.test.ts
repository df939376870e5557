import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnnotatedEdit, FileFix, WorkspaceFixesResult } from '../../shared/src/protocol';
import { annotationId, planWorkspaceEdit, plannedEditCount } from '../../client/src/optimize-all/plan';
import { mergeFolderResults } from '../../client/src/optimize-all/merge';

function edit(line: number, ruleId: string, service: string, newText = 'x', from = 0, to = from): AnnotatedEdit {
  return { range: { start: { line, character: from }, end: { line, character: to } }, newText, ruleId, service };
}

function result(files: FileFix[], services: WorkspaceFixesResult['services'] = []): WorkspaceFixesResult {
  return { files, services, contextBytesSaved: 0, remainingFindings: 0 };
}

const API = 'file:///w/services/api/Dockerfile';
const WEB = 'file:///w/services/web/Dockerfile';
const API_IGNORE = 'file:///w/services/api/.dockerignore';

test('one annotation per service and rule, labelled with both', () => {
  const plan = planWorkspaceEdit(
    result([
      { uri: API, kind: 'edit', edits: [edit(3, 'pip-cache-mount', 'api'), edit(5, 'copy-before-install', 'api')] },
      { uri: WEB, kind: 'edit', edits: [edit(2, 'pip-cache-mount', 'web')] },
    ]),
    { preview: true },
  );
  assert.deepEqual(
    plan.annotations.map((a) => [a.service, a.ruleId, a.label, a.description]),
    [
      ['api', 'copy-before-install', 'api · Install dependencies before copying the sources', 'copy-before-install'],
      ['api', 'pip-cache-mount', 'api · Cache pip downloads in a BuildKit cache mount', 'pip-cache-mount'],
      ['web', 'pip-cache-mount', 'web · Cache pip downloads in a BuildKit cache mount', 'pip-cache-mount'],
    ],
  );
});

test('each edit points at the annotation of its own service and rule', () => {
  const plan = planWorkspaceEdit(
    result([{ uri: API, kind: 'edit', edits: [edit(3, 'pip-cache-mount', 'api'), edit(5, 'copy-before-install', 'api')] }]),
    { preview: true },
  );
  assert.deepEqual(
    plan.files[0].edits.map((e) => e.annotationId),
    [annotationId('api', 'pip-cache-mount'), annotationId('api', 'copy-before-install')],
  );
});

test('edits of two services in one shared file keep their own service annotations', () => {
  const shared = 'file:///w/Dockerfile';
  const plan = planWorkspaceEdit(
    result([{ uri: shared, kind: 'edit', edits: [edit(1, 'pip-cache-mount', 'api'), edit(9, 'pip-cache-mount', 'worker')] }]),
    { preview: true },
  );
  assert.deepEqual(plan.annotations.map((a) => a.service), ['api', 'worker']);
});

test('with the preview on, an edited Dockerfile anchors the preview; with it off there is no anchor', () => {
  const input = result([
    { uri: API_IGNORE, kind: 'create', edits: [edit(0, 'dockerignore-missing', 'api', '.git\n')] },
    { uri: API, kind: 'edit', edits: [edit(3, 'pip-cache-mount', 'api')] },
  ]);
  assert.equal(planWorkspaceEdit(input, { preview: true }).previewAnchor, API);
  assert.equal(planWorkspaceEdit(input, { preview: false }).previewAnchor, undefined);
});

test('when the plan only creates files, the service’s existing Dockerfile anchors the preview', () => {
  const input = result(
    [{ uri: API_IGNORE, kind: 'create', edits: [edit(0, 'dockerignore-missing', 'api', '.git\n')] }],
    [{ service: 'api', dockerfileUri: API, changesByRule: { 'dockerignore-missing': 1 } }],
  );
  assert.equal(planWorkspaceEdit(input, { preview: true }).previewAnchor, API);
});

test('nothing to change needs no preview', () => {
  assert.equal(planWorkspaceEdit(result([]), { preview: true }).previewAnchor, undefined);
});

test('a rule the client does not know is labelled with its id', () => {
  const plan = planWorkspaceEdit(result([{ uri: API, kind: 'edit', edits: [edit(1, 'some-future-rule', 'api')] }]), { preview: true });
  assert.equal(plan.annotations[0].label, 'api · some-future-rule');
});

test('files without edits, and edits that change nothing, are left out', () => {
  const plan = planWorkspaceEdit(
    result([
      { uri: WEB, kind: 'edit', edits: [] },
      { uri: API, kind: 'edit', edits: [edit(1, 'pip-cache-mount', 'api', '')] },
    ]),
    { preview: true },
  );
  assert.deepEqual(plan.files, []);
  assert.deepEqual(plan.annotations, []);
});

test('a created .dockerignore is planned as a creation with its text', () => {
  const plan = planWorkspaceEdit(
    result([{ uri: API_IGNORE, kind: 'create', edits: [edit(0, 'dockerignore-missing', 'api', '.git\n.venv\n')] }]),
    { preview: true },
  );
  assert.equal(plan.files[0].create, true);
  assert.equal(plan.files[0].edits[0].newText, '.git\n.venv\n');
});

test('an edit overlapping an earlier one in the same file is dropped and counted', () => {
  const plan = planWorkspaceEdit(
    result([
      {
        uri: API,
        kind: 'edit',
        edits: [edit(4, 'pip-cache-mount', 'api', 'a', 0, 10), edit(4, 'pip-no-cache-dir', 'api', '', 5, 20)],
      },
    ]),
    { preview: true },
  );
  assert.equal(plannedEditCount(plan), 1);
  assert.equal(plan.droppedOverlapping, 1);
  assert.equal(plan.files[0].edits[0].newText, 'a');
});

test('an insert at the start of a replaced range, or at its end, is not an overlap', () => {
  const plan = planWorkspaceEdit(
    result([
      {
        uri: API,
        kind: 'edit',
        edits: [
          edit(4, 'pip-cache-mount', 'api', 'R', 5, 10),
          edit(4, 'pip-cache-mount', 'api', 'before', 5),
          edit(4, 'pip-cache-mount', 'api', 'after', 10),
        ],
      },
    ]),
    { preview: true },
  );
  assert.deepEqual(plan.files[0].edits.map((e) => e.newText), ['before', 'R', 'after']);
  assert.equal(plan.droppedOverlapping, 0);
});

test('merge: a file reported by two nested folders is taken once', () => {
  const file: FileFix = { uri: API, kind: 'edit', edits: [edit(3, 'pip-cache-mount', 'api')] };
  const services = [{ service: 'api', dockerfileUri: API, changesByRule: { 'pip-cache-mount': 1 } }];
  const merged = mergeFolderResults([
    { folderName: 'w', result: result([file], services) },
    { folderName: 'services', result: result([file], services) },
  ]);
  assert.equal(merged.files.length, 1);
  assert.equal(merged.services.length, 1);
  assert.equal(merged.services[0].service, 'api');
});

test('merge: the same service name in two folders is prefixed with each folder name', () => {
  const other = 'file:///other/api/Dockerfile';
  const merged = mergeFolderResults([
    { folderName: 'shop', result: result([{ uri: API, kind: 'edit', edits: [edit(1, 'pip-cache-mount', 'api')] }], [{ service: 'api', dockerfileUri: API, changesByRule: { 'pip-cache-mount': 1 } }]) },
    { folderName: 'blog', result: result([{ uri: other, kind: 'edit', edits: [edit(1, 'pip-cache-mount', 'api')] }], [{ service: 'api', dockerfileUri: other, changesByRule: { 'pip-cache-mount': 1 } }]) },
  ]);
  assert.deepEqual(merged.services.map((s) => s.service), ['shop/api', 'blog/api']);
  assert.deepEqual(merged.files.map((f) => f.edits[0].service), ['shop/api', 'blog/api']);
});

test('merge: context bytes and remaining findings add up; bad numbers count as zero', () => {
  const merged = mergeFolderResults([
    { folderName: 'a', result: { ...result([]), contextBytesSaved: 1500, remainingFindings: 1 } },
    { folderName: 'b', result: { ...result([]), contextBytesSaved: Number.NaN, remainingFindings: 2 } },
  ]);
  assert.equal(merged.contextBytesSaved, 1500);
  assert.equal(merged.remainingFindings, 3);
});
