/**
 * The build experience off the happy path (issue 12), against the fake VS Code: a build that
 * could not run or failed stays visible (tree, status bar) and says how to fix the client; every
 * build reads the client setting the same way and logs its command line; rebuilding reuses the
 * service's terminal; "Rebuild changed services" is Build All of those services; comparisons
 * open as rendered Markdown. The real-editor versions of these belong to the editor-tests suite.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BuildOutcome } from '../../client/src/builds/feature-contract';
import { statusBarView } from '../../client/src/builds/status-model';
import { serviceNodes } from '../../client/src/builds/tree-model';
import { COMMANDS } from '../../client/src/commands/ids';
import { settle } from './fake-vscode';
import { API_DOCKERFILE, makeRecord, ROOT, until } from './build-fixtures';
import { API_INFO, setup } from './build-harness';

const OK = makeRecord({ outcomes: { 0: 'cached', 1: 'cached', 2: 'cached', 3: 'cached', 4: 70, 5: 800 }, durationMs: 2_100 });
const BUILDKIT_REFUSED = { kind: 'buildkit-unavailable' as const, message: "'docker' is a Docker CLI without the buildx plugin.", hint: 'Install the buildx plugin, or set dockopt.build.command.' };

function refused() {
  const record = makeRecord({ outcomes: {}, status: 'error' });
  record.problem = BUILDKIT_REFUSED;
  return record;
}

async function buildOnce(h: ReturnType<typeof setup>, record: ReturnType<typeof makeRecord>, ...args: unknown[]): Promise<BuildOutcome> {
  const before = h.runner.runs.length;
  const outcome = h.run(COMMANDS.build, ...args);
  await until(() => h.runner.runs.length === before + 1, 'the build to start');
  h.runner.runs[before].finish(record);
  return outcome;
}

for (const [remoteName, command] of [
  [undefined, 'workbench.action.openGlobalSettings'],
  ['ssh-remote', 'workbench.action.openRemoteSettings'],
] as const) {
  test(`a client that refuses BuildKit: "Open Settings" opens ${remoteName ? 'the Remote tab in a remote window' : 'the User tab'}`, async () => {
    const h = setup({ remoteName, choose: (_t, buttons) => (buttons.includes('Open Settings') ? 'Open Settings' : undefined), commands: { [command]: () => undefined } });
    assert.equal((await buildOnce(h, refused())).status, 'error');
    await settle();
    assert.deepEqual(h.state.messages.at(-1), {
      level: 'error',
      text: "dockopt: api: 'docker' is a Docker CLI without the buildx plugin. Install the buildx plugin, or set dockopt.build.command.",
      buttons: ['Open Settings', 'Show Output'],
    });
    assert.deepEqual(h.state.executed.at(-1), { command, args: [{ query: 'dockopt.build.command' }] });
  });
}

test('a daemon that is down is not a settings problem: no "Open Settings"', async () => {
  const h = setup();
  const down = makeRecord({ outcomes: {}, status: 'error' });
  down.problem = { kind: 'daemon-unreachable', message: 'The Docker daemon is not running.', hint: 'Start Docker.' };
  await buildOnce(h, down);
  await settle();
  assert.deepEqual(h.state.messages.at(-1)!.buttons, ['Show Output']);
});

test('a build that could not run is kept: the tree lists it with its error, the status bar shows it failed', async () => {
  const h = setup();
  await buildOnce(h, OK);
  await buildOnce(h, refused());
  const entry = h.feature.records.get(h.feature.records.all()[0].target.id)!;
  assert.deepEqual(entry.builds.map((b) => b.status), ['succeeded', 'error']);
  const [service] = serviceNodes([{ target: entry.target, builds: entry.builds }], Date.parse(OK.startedAt));
  assert.equal(service.description, 'could not run');
  assert.equal(service.icon?.id, 'error');
  const latest = service.children![0];
  assert.equal(latest.children![0].kind, 'problem');
  assert.equal(latest.children![0].label, BUILDKIT_REFUSED.message);
  const view = statusBarView({ now: Date.parse(OK.startedAt), running: [], active: entry });
  assert.match(view.text, /^\$\(error\) api could not run/);
  assert.equal(view.warning, true);
});

test('a failed build: the tree shows the failing step, and a click opens its line', async () => {
  const h = setup();
  const failed = makeRecord({ outcomes: { 0: 'cached', 1: 'cached', 5: 'failed' } });
  failed.problem = { ...failed.problem!, step: { name: '[6/6] RUN python -m compileall src', line: 5, error: 'exit code: 1' } };
  await buildOnce(h, failed);
  const entry = h.feature.records.all()[0];
  const [service] = serviceNodes([{ target: entry.target, builds: entry.builds }], Date.parse(OK.startedAt));
  const build = service.children![0];
  assert.deepEqual(build.open, { file: API_DOCKERFILE, line: 5 });
  assert.equal(build.collapsible, 'expanded');
  assert.deepEqual(
    { label: build.children![0].label, description: build.children![0].description, open: build.children![0].open },
    { label: 'exit code: 1', description: 'line 6 · [6/6] RUN python -m compileall src', open: { file: API_DOCKERFILE, line: 5 } },
  );
});

test('a runner that throws still leaves a build that could not run, with the message', async () => {
  const h = setup({
    startBuild: () => {
      throw new Error('spawn EACCES');
    },
  });
  const outcome = (await h.run(COMMANDS.build)) as BuildOutcome;
  assert.equal(outcome.status, 'error');
  const [entry] = h.feature.records.all();
  assert.equal(entry.builds.at(-1)?.status, 'error');
  assert.match(entry.builds.at(-1)!.problem!.message, /could not start: spawn EACCES/);
  assert.match(h.terminals[0].output, /the build could not run: The build could not start: spawn EACCES/);
});

test('every build reads the client the same way (unscoped) and logs it and its exact command line', async () => {
  const h = setup({ settings: { command: '/usr/bin/docker' } });
  const scopes: unknown[] = [];
  const get = h.api.workspace.getConfiguration;
  h.api.workspace.getConfiguration = (section: string, scope?: unknown) => {
    if (section === 'dockopt.build') scopes.push(scope === undefined ? 'unscoped' : 'scoped');
    return get(section, scope);
  };
  const ran = { ...OK, argv: ['/usr/bin/docker', 'build', '--progress=plain', `--file=${API_DOCKERFILE}`, '--network=none', '--', '/w/shop/my api'] };
  await buildOnce(h, ran);
  h.feature.records.all(); // the status bar's Rebuild takes the recorded target: same settings path
  const again = h.run(COMMANDS.rebuild, { serviceId: h.feature.records.all()[0].target.id });
  await until(() => h.runner.runs.length === 2);
  h.runner.runs[1].finish(ran);
  await again;
  assert.deepEqual(h.runner.runs.map((r) => r.options.command), ['/usr/bin/docker', '/usr/bin/docker']);
  assert.ok(scopes.includes('unscoped'));
  assert.ok(h.logs.some((l) => l === `Build of api ran: /usr/bin/docker build --progress=plain --file=${API_DOCKERFILE} --network=none -- '/w/shop/my api'`), h.logs.join('\n'));
  assert.ok(h.logs.some((l) => l.startsWith('Build of api: client /usr/bin/docker (')), h.logs.join('\n'));
});

test("rebuilding a service reuses its terminal (cleared), another service gets its own; a closed one is replaced", async () => {
  const h = setup({ builds: [API_INFO, { ...API_INFO, service: 'worker', dockerfile: path.join(ROOT, 'worker/Dockerfile'), contextDir: path.join(ROOT, 'worker') }] , pick: (items) => items[0] });
  await buildOnce(h, OK, h.api.Uri.file(API_DOCKERFILE), { service: 'api' });
  await buildOnce(h, OK, h.api.Uri.file(API_DOCKERFILE), { service: 'api' });
  assert.equal(h.terminals.length, 1);
  assert.equal(h.terminals[0].shown, 2, 'brought forward by each build');
  assert.ok(h.terminals[0].output.includes('\x1b[2J\x1b[3J\x1b[H'), 'the second build clears the first one\'s output');
  assert.equal(h.terminals[0].exitCode, 0);
  await buildOnce(h, OK, h.api.Uri.file(API_DOCKERFILE), { service: 'worker' });
  assert.equal(h.terminals.length, 2);
  h.terminals[0].terminal.close();
  await buildOnce(h, OK, h.api.Uri.file(API_DOCKERFILE), { service: 'api' });
  assert.equal(h.terminals.length, 3);
  assert.equal(h.terminals[2].target, 'api');
});

test('Build All twice leaves one terminal per service', async () => {
  const infos = ['a', 'b', 'c'].map((s) => ({ ...API_INFO, service: s, dockerfile: path.join(ROOT, s, 'Dockerfile'), contextDir: path.join(ROOT, s) }));
  const h = setup({ allBuilds: infos });
  for (let round = 0; round < 2; round++) {
    const all = h.run(COMMANDS.buildAll);
    let finished = 3 * round;
    while (finished < 3 * (round + 1)) {
      await until(() => h.runner.runs.length > finished, 'the next build');
      h.runner.runs[finished++].finish(OK);
    }
    await all;
  }
  assert.deepEqual(h.terminals.map((t) => t.target), ['a', 'b', 'c']);
});

test('Build All of the changed services: only those, in parallel, with the summary and each speed-up', async () => {
  const infos = ['a', 'b', 'c', 'd'].map((s) => ({ ...API_INFO, service: s, dockerfile: path.join(ROOT, s, 'Dockerfile'), contextDir: path.join(ROOT, s) }));
  const h = setup({ allBuilds: infos, builds: infos, settings: { parallel: 2 } });
  const cold = makeRecord({ outcomes: { 0: 'cached', 1: 100, 2: 50, 3: 8000, 4: 60, 5: 900 }, durationMs: 12_300 });
  // An earlier build of b, to compare with.
  await buildOnce(h, cold, h.api.Uri.file(path.join(ROOT, 'b/Dockerfile')), { service: 'b' });
  const changed = ['b', 'c'].map((s) => ({ dockerfileUri: h.api.Uri.file(path.join(ROOT, s, 'Dockerfile')).toString(), service: s }));
  const all = h.run(COMMANDS.buildAll, { changedServices: changed });
  await until(() => h.runner.runs.length === 3, 'both builds to start at once');
  h.runner.runs[1].finish(OK);
  h.runner.runs[2].finish(OK);
  const outcome = await all;
  assert.deepEqual(outcome.outcomes.map((o: BuildOutcome) => ('target' in o ? o.target.label : '?')), ['b', 'c']);
  assert.equal(h.runner.maxActive(), 2);
  assert.deepEqual(outcome.comparisons, ['b 5.9× faster (10.2s saved)']);
  await settle();
  assert.match(h.state.messages.at(-1)!.text, /^dockopt built 2 services in \d+s: 2 succeeded\. Since their last builds: b 5\.9× faster \(10\.2s saved\)\.$/);
  assert.deepEqual(h.state.messages.at(-1)!.buttons, ['Compare Builds']);
});

test('Build All of the changed services is off without trust, like every build', async () => {
  const h = setup({ trusted: false });
  const outcome = await h.run(COMMANDS.buildAll, { changedServices: [{ dockerfileUri: h.api.Uri.file(API_DOCKERFILE).toString(), service: 'api' }] });
  assert.equal(outcome.status, 'untrusted');
  assert.equal(h.runner.runs.length, 0);
});

test('Compare Builds opens the comparison as rendered Markdown (the Markdown preview)', async () => {
  const previewed: string[] = [];
  const h = setup({ commands: { 'markdown.showPreview': (uri) => void previewed.push(String(uri)) } });
  h.api.Uri.from = (parts: { scheme: string; path: string; query: string }) => ({ scheme: parts.scheme, path: parts.path, query: parts.query, fsPath: parts.path, toString: () => `${parts.scheme}:${parts.path}?${parts.query}` });
  h.api.workspace.openTextDocument = async () => assert.fail('not as an editable text document');
  await buildOnce(h, makeRecord({ outcomes: { 0: 'cached', 1: 100 }, durationMs: 12_300 }));
  await buildOnce(h, OK);
  assert.equal((await h.run(COMMANDS.compareBuilds)).status, 'shown');
  assert.deepEqual(previewed, ['dockopt-compare:/api builds.md?1']);
});

test('output written before VS Code opens the new terminal is shown when it opens', async () => {
  const { BuildTerminal } = await import('../../client/src/builds/build-terminal');
  const pty = new BuildTerminal('api');
  let shown = '';
  pty.onDidWrite((text) => (shown += text));
  const build = { cancelRequested: false, cancel() {}, error: 'spawn ENOENT', result: Promise.resolve(null) } as any;
  const done = pty.run((write) => (write('#1 early\n'), build), 'dockopt: building api');
  assert.equal(shown, '');
  pty.open();
  assert.match(shown, /dockopt: building api.*\r\n#1 early\r\n/s);
  await done;
  assert.match(shown, /the build could not run: spawn ENOENT/);
});
