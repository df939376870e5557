import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestParam, RequestType } from 'vscode-jsonrpc';
import type { WorkspaceFixesParams, WorkspaceFixesResult } from '../../shared/src/protocol';
import { COMMANDS, COMMAND_IDS } from '../../client/src/commands/ids';
import { commandHandlers, registerCommands, type CommandDeps } from '../../client/src/commands/register';
import type { OptimizeAllOutcome } from '../../client/src/optimize-all/run';
import type { ServerState } from '../../client/src/status-text';
import { fakeVscode, settle, type FakeFolder } from './fake-vscode';

function fakeServer(answer: (params: WorkspaceFixesParams) => WorkspaceFixesResult, running = true) {
  const requests: Array<{ method: string; params: WorkspaceFixesParams }> = [];
  let restarts = 0;
  const server: CommandDeps['server'] = {
    isRunning: () => running,
    sendRequest: async <P, R>(type: RequestType<P, R, void>, params: RequestParam<P>) => {
      requests.push({ method: type.method, params: params as WorkspaceFixesParams });
      return answer(params as WorkspaceFixesParams) as R;
    },
    restart: async (): Promise<ServerState> => {
      restarts++;
      return 'running';
    },
  };
  return { server, requests, restarts: () => restarts };
}

const log: string[] = [];
const output = { show: () => log.push('show'), info: (m: string) => log.push(m) };

function setup(folders: FakeFolder[], answer: (p: WorkspaceFixesParams) => WorkspaceFixesResult, extra: Parameters<typeof fakeVscode>[0] extends infer O ? Partial<O> : never = {}) {
  const { api, state } = fakeVscode({ folders, ...extra });
  const server = fakeServer(answer);
  registerCommands(api, commandHandlers({ vscode: api, server: server.server, output }));
  const run = (id: string, ...args: unknown[]) => state.registered.get(id)!(...args);
  return { api, state, server, run };
}

/** The server's answer for the api service of a folder: a pip cache mount and a new .dockerignore. */
function apiFixes(folderUri: string): WorkspaceFixesResult {
  const dockerfile = `${folderUri}/api/Dockerfile`;
  return {
    files: [
      {
        uri: dockerfile,
        kind: 'edit',
        edits: [
          { range: { start: { line: 3, character: 4 }, end: { line: 3, character: 4 } }, newText: '--mount=type=cache,target=/root/.cache/pip ', ruleId: 'pip-cache-mount', service: 'api' },
        ],
      },
      {
        uri: `${folderUri}/api/.dockerignore`,
        kind: 'create',
        edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '.git\n.venv\n', ruleId: 'dockerignore-missing', service: 'api' }],
      },
    ],
    services: [
      { service: 'api', dockerfileUri: dockerfile, changesByRule: { 'pip-cache-mount': 1, 'dockerignore-missing': 1 } },
      { service: 'web', dockerfileUri: `${folderUri}/web/Dockerfile`, changesByRule: {} },
    ],
    contextBytesSaved: 2_500_000,
    remainingFindings: 0,
  };
}

test('every command id is registered, once, with a handler', () => {
  const { state } = setup([], () => apiFixes('file:///w'));
  assert.deepEqual([...state.registered.keys()].sort(), [...COMMAND_IDS].sort());
});

test('Optimize All asks the server per folder with files.exclude and dockopt.exclude', async () => {
  const { server, run } = setup(
    [
      { name: 'shop', path: '/w/shop', filesExclude: { '**/.git': true, '**/{tmp,dist}': true }, dockopt: { exclude: ['vendor/**'] } },
      { name: 'blog', path: '/w/blog' },
    ],
    (p) => apiFixes(p.folders![0]),
  );
  await run(COMMANDS.optimizeAll);
  assert.deepEqual(
    server.requests.map((r) => [r.method, r.params]),
    [
      ['dockopt/workspaceFixes', { folders: ['file:///w/shop'], exclude: ['**/.git', '**/{tmp,dist}', 'vendor/**'] }],
      ['dockopt/workspaceFixes', { folders: ['file:///w/blog'], exclude: [] }],
    ],
  );
});

test('Optimize All applies one workspace edit: the new file is created with its text, every edit carries its service/rule label', async () => {
  const { state, run } = setup([{ name: 'shop', path: '/w/shop' }], (p) => apiFixes(p.folders![0]));
  const outcome = (await run(COMMANDS.optimizeAll)) as OptimizeAllOutcome;
  assert.equal(outcome.status, 'applied');
  assert.equal(state.applied.length, 1);
  assert.deepEqual(
    state.applied[0].entries.slice(1).map((e) => [e.op, e.uri, e.op === 'replace' ? e.text : new TextDecoder().decode((e.options as any).contents), e.metadata.label]),
    [
      ['create', 'file:///w/shop/api/.dockerignore', '.git\n.venv\n', 'api · Add a .dockerignore to the build context'],
      ['replace', 'file:///w/shop/api/Dockerfile', '--mount=type=cache,target=/root/.cache/pip ', 'api · Cache pip downloads in a BuildKit cache mount'],
    ],
  );
});

test('with the preview on, only a no-op anchor needs confirmation, so the preview opens with every change checked', async () => {
  const { state, run } = setup([{ name: 'shop', path: '/w/shop' }], (p) => apiFixes(p.folders![0]));
  await run(COMMANDS.optimizeAll);
  const [anchor, ...changes] = state.applied[0].entries;
  assert.deepEqual(
    [anchor.op, anchor.uri, anchor.op === 'create' ? anchor.options : undefined, anchor.metadata.needsConfirmation],
    ['create', 'file:///w/shop/api/Dockerfile', { ignoreIfExists: true }, true],
  );
  assert.ok(changes.every((e) => e.metadata.needsConfirmation === false));
});

test('Optimize All with dockopt.optimizeAll.preview off applies without any entry needing confirmation', async () => {
  const { state, run } = setup([{ name: 'shop', path: '/w/shop' }], (p) => apiFixes(p.folders![0]), {
    windowDockopt: { 'optimizeAll.preview': false },
  });
  await run(COMMANDS.optimizeAll);
  // The new .dockerignore (created with its text) and the Dockerfile edit; no anchor.
  assert.equal(state.applied[0].entries.length, 2);
  assert.ok(state.applied[0].entries.every((e) => e.metadata.needsConfirmation === false));
});

test('in Restricted Mode Optimize All always shows the preview, whatever dockopt.optimizeAll.preview says', async () => {
  const { state, run } = setup([{ name: 'shop', path: '/w/shop' }], (p) => apiFixes(p.folders![0]), {
    windowDockopt: { 'optimizeAll.preview': false },
    trusted: false,
  });
  await run(COMMANDS.optimizeAll);
  const [anchor] = state.applied[0].entries;
  assert.equal(anchor.metadata.needsConfirmation, true, 'the no-op anchor that opens the preview');
});

test('Optimize All shows the summary afterwards', async () => {
  const { state, run } = setup([{ name: 'shop', path: '/w/shop' }], (p) => apiFixes(p.folders![0]));
  await run(COMMANDS.optimizeAll);
  await settle();
  assert.deepEqual(state.messages, [
    {
      level: 'info',
      text: 'dockopt optimized 1 of 2 services in 2 files: dockerignore-missing ×1, pip-cache-mount ×1. Already optimal: web. ~2.5 MB less build context.',
      // dockopt.build is one of the registered commands now, so the rebuild is offered.
      buttons: ['Rebuild changed services'],
    },
  ]);
});

test('"Rebuild changed services" runs Build All restricted to the changed services', async () => {
  const builds: unknown[][] = [];
  const { api, state, run } = setup([{ name: 'shop', path: '/w/shop' }], (p) => apiFixes(p.folders![0]), {
    commands: { 'dockopt.buildAll': (...args: unknown[]) => builds.push(args) },
  });
  api.window.showInformationMessage = (async (text: string, ...buttons: string[]) => {
    state.messages.push({ level: 'info', text, buttons });
    return buttons[0];
  }) as unknown as typeof api.window.showInformationMessage;
  await run(COMMANDS.optimizeAll);
  await settle();
  assert.deepEqual(state.messages[0].buttons, ['Rebuild changed services']);
  // One Build All (its progress, Cancel, parallelism and summary), of api only: web was already optimal.
  assert.deepEqual(builds, [[{ changedServices: [{ dockerfileUri: 'file:///w/shop/api/Dockerfile', service: 'api' }] }]]);
  assert.ok(!state.executed.some((e) => e.command === 'dockopt.build'), 'never one build command per service');
});

test('in Restricted Mode the rebuild is not offered (a build could not run there)', async () => {
  const { state, run } = setup([{ name: 'shop', path: '/w/shop' }], (p) => apiFixes(p.folders![0]), { trusted: false });
  await run(COMMANDS.optimizeAll);
  await settle();
  assert.deepEqual(state.messages[0].buttons, []);
});

test('Optimize All invoked on a folder in the explorer optimizes only that workspace folder', async () => {
  const { api, server, run } = setup(
    [
      { name: 'shop', path: '/w/shop' },
      { name: 'blog', path: '/w/blog' },
    ],
    (p) => apiFixes(p.folders![0]),
  );
  await run(COMMANDS.optimizeAll, api.Uri.file('/w/blog/api'));
  assert.deepEqual(server.requests.map((r) => r.params.folders), [['file:///w/blog']]);
});

test('Optimize All with the server down fails clearly and asks nothing', async () => {
  const { api, state } = fakeVscode({ folders: [{ name: 'shop', path: '/w/shop' }] });
  const server = fakeServer(() => apiFixes('file:///w/shop'));
  server.server.isRunning = () => false;
  registerCommands(api, commandHandlers({ vscode: api, server: server.server, output }));
  const outcome = (await state.registered.get(COMMANDS.optimizeAll)!()) as OptimizeAllOutcome;
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.message, /not running/);
  assert.deepEqual(server.requests, []);
});

test('Optimize All without a workspace folder says to open one', async () => {
  const { run, server } = setup([], () => apiFixes('file:///w'));
  const outcome = (await run(COMMANDS.optimizeAll)) as OptimizeAllOutcome;
  assert.equal(outcome.status, 'no-folders');
  assert.deepEqual(server.requests, []);
});

test('Fix All in This File runs the server’s source.fixAll.dockopt action on the active Dockerfile', async () => {
  const edit = { size: 1 };
  const calls: unknown[][] = [];
  const { state, run } = setup([{ name: 'shop', path: '/w/shop' }], () => apiFixes('file:///w/shop'), {
    activeDocument: { uri: 'file:///w/shop/api/Dockerfile', languageId: 'dockerfile', text: 'FROM python:3.12\nRUN pip install x' },
    commands: {
      'vscode.executeCodeActionProvider': (...args: unknown[]) => {
        calls.push(args);
        return [{ title: 'Fix all dockopt problems', kind: { value: 'source.fixAll.dockopt' }, edit }];
      },
    },
  });
  const outcome = await run(COMMANDS.fixAllInFile);
  assert.deepEqual(outcome, { status: 'applied', message: 'dockopt: Fix all dockopt problems.', title: 'Fix all dockopt problems' });
  assert.equal(String(calls[0][0]), 'file:///w/shop/api/Dockerfile');
  assert.deepEqual(calls[0].slice(2), ['source.fixAll.dockopt', 10]);
  assert.equal(state.applied[0] as unknown, edit);
});

test('Restart Language Server restarts and returns the new state', async () => {
  const { server, run } = setup([], () => apiFixes('file:///w'));
  assert.equal(await run(COMMANDS.restartServer), 'running');
  assert.equal(server.restarts(), 1);
});
