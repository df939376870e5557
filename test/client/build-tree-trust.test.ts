/**
 * The BuildKit Cache view in Restricted Mode shows the same thing every time: nothing, so VS Code
 * shows the view's Restricted Mode welcome (why builds are off, Manage Workspace Trust), whether
 * the language server answered first or not; once trusted, the services appear. (Fake API; the
 * real-editor check belongs to the editor-tests suite.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuildTreeProvider } from '../../client/src/builds/tree-provider';
import { makeRecord } from './build-fixtures';
import { API_INFO, setup } from './build-harness';

function untrustedTree() {
  const h = setup({ trusted: false, allBuilds: [API_INFO] });
  let grant: (() => void) | undefined;
  h.api.workspace.onDidGrantWorkspaceTrust = (listener: () => void) => {
    grant = listener;
    return { dispose() {} };
  };
  const tree = new BuildTreeProvider(h.api, h.feature);
  let refreshed = 0;
  tree.onDidChangeTreeData(() => refreshed++);
  return { h, tree, grant: () => grant!(), refreshed: () => refreshed };
}

test('untrusted: empty (the welcome shows) whether the server listed the services before or after the first load', async () => {
  const { h, tree } = untrustedTree();
  assert.deepEqual(await tree.getChildren(), [], 'first load');
  await h.feature.refreshKnown(true);
  assert.equal(h.feature.knownTargets().length, 1, 'the server knows the service');
  h.feature.records.add(h.feature.knownTargets()[0], makeRecord({ outcomes: { 0: 'cached', 1: 100 } }));
  assert.deepEqual(await tree.getChildren(), [], 'after the server answered, with history: still the welcome');
  tree.dispose();
});

test('granting trust refreshes the view, which then lists the services', async () => {
  const { h, tree, grant, refreshed } = untrustedTree();
  assert.deepEqual(await tree.getChildren(), []);
  h.api.workspace.isTrusted = true;
  const before = refreshed();
  grant();
  assert.ok(refreshed() > before, 'the view was told to refresh');
  await h.feature.refreshKnown(true);
  assert.deepEqual((await tree.getChildren()).map((n) => [n.label, n.description]), [['api', 'not built yet']]);
  tree.dispose();
});
