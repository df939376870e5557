import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseFixAll, fixAllInFile, type FixAllAction, type FixAllInFileDeps } from '../../client/src/commands/fix-all-in-file';

type Action = FixAllAction & { id: string };

function deps(doc: { uri: string; languageId: string } | undefined, actions: Action[], applyResult = true) {
  const calls: string[] = [];
  const d: FixAllInFileDeps<Action> = {
    target: () => doc,
    sourceActions: async (uri, kind) => {
      calls.push(`actions ${uri} ${kind}`);
      return actions;
    },
    apply: async (action) => {
      calls.push(`apply ${action.id}`);
      return applyResult;
    },
  };
  return { d, calls };
}

const fixAll: Action = { id: 'ours', title: 'Fix all dockopt problems', kind: 'source.fixAll.dockopt', hasEdit: true, hasCommand: false };
const dockerfile = { uri: 'file:///w/Dockerfile', languageId: 'dockerfile' };

test('asks for source.fixAll.dockopt on the file and applies it', async () => {
  const { d, calls } = deps(dockerfile, [fixAll]);
  const outcome = await fixAllInFile(d);
  assert.deepEqual(outcome, { status: 'applied', message: 'dockopt: Fix all dockopt problems.', title: 'Fix all dockopt problems' });
  assert.deepEqual(calls, ['actions file:///w/Dockerfile source.fixAll.dockopt', 'apply ours']);
});

test('another extension’s fix-all is never applied', () => {
  const eslint: Action = { ...fixAll, id: 'eslint', kind: 'source.fixAll.eslint' };
  const broad: Action = { ...fixAll, id: 'broad', kind: 'source.fixAll' };
  assert.equal(chooseFixAll([eslint, broad]), undefined);
  assert.equal(chooseFixAll([eslint, fixAll])?.id, 'ours');
});

test('an empty fix-all action (nothing to fix) is not applied', async () => {
  const { d, calls } = deps(dockerfile, [{ ...fixAll, hasEdit: false }]);
  const outcome = await fixAllInFile(d);
  assert.equal(outcome.status, 'nothing-to-fix');
  assert.ok(!calls.some((c) => c.startsWith('apply')));
});

test('no open file, or a file that is not Docker’s, is refused with a message', async () => {
  assert.equal((await fixAllInFile(deps(undefined, [fixAll]).d)).status, 'no-file');
  assert.equal((await fixAllInFile(deps({ uri: 'file:///a.py', languageId: 'python' }, [fixAll]).d)).status, 'not-docker');
});

test('.dockerignore files are fixed too', async () => {
  const outcome = await fixAllInFile(deps({ uri: 'file:///w/.dockerignore', languageId: 'dockerignore' }, [fixAll]).d);
  assert.equal(outcome.status, 'applied');
});

test('an edit the editor refuses is reported as not applied', async () => {
  assert.equal((await fixAllInFile(deps(dockerfile, [fixAll], false).d)).status, 'not-applied');
});
