/**
 * A code action request counts as work for the collection the language server runs once it
 * rests (lsp/idle-collection.ts): a pending collection is put off while the lightbulb is asked
 * for, and starts its wait again after it, as after a check.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { CodeAction, CodeActionParams } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { registerCodeActions } from '../../server/src/lsp/code-actions';
import type { IdleCollection } from '../../server/src/lsp/idle-collection';
import type { Session } from '../../server/src/lsp/session';
import { SettingsCache } from '../../server/src/lsp/settings-cache';

function fakeSession(events: string[], lint: () => never[]) {
  let handler: ((params: CodeActionParams) => Promise<CodeAction[]>) | undefined;
  const doc = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, 'FROM python:3.12\n');
  const session = {
    connection: {
      onCodeAction: (h: typeof handler) => (handler = h),
      console: { error: () => events.push('logged') },
    },
    documents: { get: () => doc },
    linter: { lint },
    workspace: {},
    settings: new SettingsCache(undefined),
    roots: [],
    canCreateFiles: false,
    workspaceTrusted: true,
  } as unknown as Session;
  const idle = { checkStarted: () => events.push('started'), checkEnded: () => events.push('ended') } as unknown as IdleCollection;
  registerCodeActions(session, idle);
  const params: CodeActionParams = { textDocument: { uri: doc.uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['quickfix'] } };
  return () => handler!(params);
}

it('tells the idle collection when a code action request starts and ends', async () => {
  const events: string[] = [];
  const ask = fakeSession(events, () => {
    events.push('lint');
    return [];
  });
  assert.deepEqual(await ask(), []);
  assert.deepEqual(events, ['started', 'lint', 'ended']);
});

it('ends the request for the idle collection when it fails too', async () => {
  const events: string[] = [];
  const ask = fakeSession(events, () => {
    throw new Error('boom');
  });
  assert.deepEqual(await ask(), []);
  assert.deepEqual(events, ['started', 'logged', 'ended']);
});
