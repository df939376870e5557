/**
 * "Rebuild changed services" saves what Optimize All changed before it builds (issue 12, defect
 * 3, seen in the real editor: the edit stays unsaved in its editors and BuildKit read the old
 * Dockerfiles from disk). Only the plan's own unsaved documents are saved; one that will not
 * save stops the rebuild with a message naming it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkspaceFixesResult } from '../../shared/src/protocol';
import { COMMANDS } from '../../client/src/commands/ids';
import { commandHandlers, registerCommands, type CommandDeps } from '../../client/src/commands/register';
import type { ServerState } from '../../client/src/status-text';
import { fakeVscode, FakeUri, settle } from './fake-vscode';

const DOCKERFILE = 'file:///w/shop/api/Dockerfile';

function fixes(): WorkspaceFixesResult {
  return {
    files: [
      {
        uri: DOCKERFILE,
        kind: 'edit',
        edits: [
          { range: { start: { line: 3, character: 4 }, end: { line: 3, character: 4 } }, newText: '--mount=type=cache,target=/root/.cache/pip ', ruleId: 'pip-cache-mount', service: 'api' },
        ],
      },
    ],
    services: [{ service: 'api', dockerfileUri: DOCKERFILE, changesByRule: { 'pip-cache-mount': 1 } }],
    contextBytesSaved: 0,
    remainingFindings: 0,
  };
}

/** An open document: `saves` is what its save() answers; `log` records the order of saves and builds. */
function document(uri: string, log: string[], saves = true) {
  return {
    uri: FakeUri.parse(uri),
    isDirty: true,
    save: async () => {
      log.push(`save ${uri}`);
      return saves;
    },
  };
}

function setup(documents: (log: string[]) => unknown[]) {
  const log: string[] = [];
  const { api, state } = fakeVscode({
    folders: [{ name: 'shop', path: '/w/shop' }],
    commands: { 'dockopt.buildAll': () => log.push('buildAll') },
  });
  (api.workspace as unknown as { textDocuments: unknown[] }).textDocuments = documents(log);
  // The user clicks "Rebuild changed services" in the summary.
  api.window.showInformationMessage = (async (text: string, ...buttons: string[]) => {
    state.messages.push({ level: 'info', text, buttons });
    return buttons[0];
  }) as unknown as typeof api.window.showInformationMessage;
  const server: CommandDeps['server'] = {
    isRunning: () => true,
    sendRequest: (async () => fixes()) as CommandDeps['server']['sendRequest'],
    restart: async (): Promise<ServerState> => 'running',
  };
  registerCommands(api, commandHandlers({ vscode: api, server, output: { show() {}, info() {} } }));
  return { log, state, run: () => state.registered.get(COMMANDS.optimizeAll)!() };
}

test('the changed Dockerfile is saved before Build All of the changed services runs; other unsaved files are left alone', async () => {
  const { log, state, run } = setup((log) => [document(DOCKERFILE, log), document('file:///w/shop/notes.md', log)]);
  await run();
  await settle();
  assert.deepEqual(state.messages[0].buttons, ['Rebuild changed services']);
  assert.deepEqual(log, [`save ${DOCKERFILE}`, 'buildAll']);
});

test('a changed file that will not save stops the rebuild, with a message naming it', async () => {
  const { log, state, run } = setup((log) => [document(DOCKERFILE, log, false)]);
  await run();
  await settle();
  assert.deepEqual(log, [`save ${DOCKERFILE}`], 'no build of the old file on disk');
  const error = state.messages.find((m) => m.level === 'error');
  assert.match(error?.text ?? '', /could not save \/w\/shop\/api\/Dockerfile.*Build All Services/);
});
