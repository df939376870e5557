/**
 * The build commands against a fake VS Code, a fake language server and a fake runner: trust
 * gating, which service is built, the terminal's live output, and every way to cancel.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BuildOutcome } from '../../client/src/builds/feature-contract';
import { UNTRUSTED_BUILD_MESSAGE } from '../../client/src/builds/trust';
import { COMMANDS } from '../../client/src/commands/ids';
import { settle } from './fake-vscode';
import { API_DOCKERFILE, makeRecord, ROOT, until } from './build-fixtures';
import { API_INFO, setup, WORKER_INFO } from './build-harness';

const OK = makeRecord({ outcomes: { 0: 'cached', 1: 'cached', 2: 'cached', 3: 'cached', 4: 70, 5: 800 }, durationMs: 2_100 });

test('in Restricted Mode the build commands explain why they are off and start nothing', async () => {
  const { state, runner, run } = setup({ trusted: false });
  for (const id of [COMMANDS.build, COMMANDS.rebuild, COMMANDS.buildAll]) {
    const outcome = await run(id);
    assert.equal(outcome.status, 'untrusted', id);
  }
  await settle();
  assert.equal(runner.runs.length, 0);
  assert.deepEqual(state.messages.map((m) => [m.level, m.text, m.buttons]), [
    ['warning', UNTRUSTED_BUILD_MESSAGE, ['Manage Workspace Trust']],
    ['warning', UNTRUSTED_BUILD_MESSAGE, ['Manage Workspace Trust']],
    ['warning', UNTRUSTED_BUILD_MESSAGE, ['Manage Workspace Trust']],
  ]);
});

test('Build asks the server how the active Dockerfile is built and passes the settings to the runner', async () => {
  const { runner, requests, run, terminals } = setup();
  const outcome = run(COMMANDS.build);
  await until(() => runner.runs.length === 1, 'the build to start');
  assert.deepEqual(requests[0], { method: 'dockopt/builds', params: { uri: `file://${API_DOCKERFILE}` } });
  assert.deepEqual(runner.runs[0].request, { dockerfile: API_DOCKERFILE, context: path.dirname(API_DOCKERFILE), extraArgs: ['--network=none'] });
  assert.equal(runner.runs[0].options.command, 'docker');
  runner.runs[0].finish(OK);
  const done = (await outcome) as BuildOutcome;
  assert.equal(done.status, 'succeeded');
  assert.equal(terminals[0].exitCode, 0);
});

test('the terminal shows BuildKit\'s output as it arrives (CRLF), then the step table', async () => {
  const { runner, run, terminals } = setup();
  const outcome = run(COMMANDS.build);
  await until(() => runner.runs.length === 1);
  runner.runs[0].options.onDisplay!('#5 [4/6] RUN pip install -r requirements.txt\n#5 0.210 Collecting flask\n');
  assert.match(terminals[0].output, /dockopt: building api with BuildKit \(docker --network=none\)\. Ctrl\+C cancels\./);
  assert.match(terminals[0].output, /#5 \[4\/6\] RUN pip install -r requirements\.txt\r\n#5 0\.210 Collecting flask\r\n$/);
  runner.runs[0].finish(OK);
  await outcome;
  assert.match(terminals[0].output, /Build succeeded in 2\.1s: 3\/5 cached \(60%\)/);
  assert.match(terminals[0].output, /RUN pip install -r requirements\.txt\s+cached/);
});

test('with several services the user picks one; a named service is built without asking', async () => {
  const picked = setup({ builds: [API_INFO, WORKER_INFO], pick: (items) => items[1] });
  const outcome = picked.run(COMMANDS.build);
  await until(() => picked.runner.runs.length === 1);
  assert.deepEqual(picked.picks[0].map((i) => i.label), ['api', 'worker']);
  assert.equal(picked.runner.runs[0].request.target, 'worker');
  picked.runner.runs[0].finish(OK);
  await outcome;

  const named = setup({ builds: [API_INFO, WORKER_INFO] });
  const second = named.run(COMMANDS.build, named.api.Uri.file(API_DOCKERFILE), { service: 'worker' });
  await until(() => named.runner.runs.length === 1);
  assert.equal(named.picks.length, 0);
  assert.equal(named.runner.runs[0].request.target, 'worker');
  named.runner.runs[0].finish(OK);
  await second;
});

test('dismissing the pick builds nothing', async () => {
  const { runner, run } = setup({ builds: [API_INFO, WORKER_INFO] });
  assert.deepEqual(await run(COMMANDS.build), { status: 'dismissed' });
  assert.equal(runner.runs.length, 0);
});

test('Ctrl+C in the terminal cancels the build; the task ends with 130', async () => {
  const { runner, run, terminals } = setup();
  const outcome = run(COMMANDS.build);
  await until(() => runner.runs.length === 1);
  terminals[0].terminal.handleInput('\x03');
  assert.equal(runner.runs[0].cancelled, true);
  assert.equal(((await outcome) as BuildOutcome).status, 'canceled');
  assert.equal(terminals[0].exitCode, 130);
  assert.match(terminals[0].output, /\^C\r\n.*cancelling the build/);
});

test('closing the terminal (or terminating the task) cancels the build', async () => {
  const { runner, run, terminals } = setup();
  const outcome = run(COMMANDS.build);
  await until(() => runner.runs.length === 1);
  terminals[0].terminal.close();
  assert.equal(runner.runs[0].cancelled, true);
  assert.equal(((await outcome) as BuildOutcome).status, 'canceled');
});

test('Cancel Build stops the running build', async () => {
  const { runner, run } = setup();
  const outcome = run(COMMANDS.build);
  await until(() => runner.runs.length === 1);
  assert.deepEqual(await run(COMMANDS.cancelBuild), { cancelled: 1 });
  assert.equal(runner.runs[0].cancelled, true);
  await outcome;
  assert.deepEqual(await run(COMMANDS.cancelBuild), { cancelled: 0 });
});

test('a service already building is not started twice', async () => {
  const { runner, run } = setup();
  const first = run(COMMANDS.build);
  await until(() => runner.runs.length === 1);
  const second = (await run(COMMANDS.build)) as BuildOutcome;
  assert.equal(second.status, 'already-building');
  assert.equal(runner.runs.length, 1);
  runner.runs[0].finish(OK);
  await first;
});

test('Rebuild repeats the last build', async () => {
  const { runner, run } = setup();
  const first = run(COMMANDS.build);
  await until(() => runner.runs.length === 1);
  runner.runs[0].finish(OK);
  await first;
  const again = run(COMMANDS.rebuild);
  await until(() => runner.runs.length === 2);
  assert.deepEqual(runner.runs[1].request, runner.runs[0].request);
  runner.runs[1].finish(OK);
  assert.equal(((await again) as BuildOutcome).status, 'succeeded');
});

test('a failed build says where, with a way to open the Dockerfile', async () => {
  const { runner, run, state } = setup();
  const outcome = run(COMMANDS.build);
  await until(() => runner.runs.length === 1);
  runner.runs[0].finish(makeRecord({ outcomes: { 0: 'cached', 5: 'failed' } }));
  assert.equal(((await outcome) as BuildOutcome).status, 'failed');
  await settle();
  assert.deepEqual(state.messages.at(-1), {
    level: 'error',
    text: 'dockopt: api: Build failed at RUN python -m compileall src (Dockerfile line 6) Open the Dockerfile at line 6.',
    buttons: ['Show Output'],
  });
});

test('Build All builds every compose service, at most dockopt.build.parallel at once', async () => {
  const infos = ['a', 'b', 'c', 'd', 'e'].map((s) => ({ ...API_INFO, service: s, dockerfile: path.join(ROOT, s, 'Dockerfile'), contextDir: path.join(ROOT, s) }));
  const { runner, run, state } = setup({ allBuilds: [{ dockerfile: path.join(ROOT, 'tools/Dockerfile'), contextDir: path.join(ROOT, 'tools'), source: 'dockerfile-folder' }, ...infos] });
  const all = run(COMMANDS.buildAll);
  let finished = 0;
  while (finished < 5) {
    await until(() => runner.runs.length > finished, 'the next build');
    runner.runs[finished++].finish(OK);
  }
  const outcome = await all;
  assert.equal(outcome.status, 'done');
  assert.deepEqual(runner.runs.map((r) => path.basename(r.request.context)), ['a', 'b', 'c', 'd', 'e']);
  assert.equal(runner.maxActive(), 2);
  await settle();
  assert.match(state.messages.at(-1)!.text, /^dockopt built 5 services in \d+s: 5 succeeded\.$/);
});

test('Compare opens the last two builds of the service side by side', async () => {
  const { runner, run, api } = setup();
  const shown: string[] = [];
  api.Uri.from = (parts: { scheme: string; path: string; query: string }) => ({ scheme: parts.scheme, path: parts.path, query: parts.query, fsPath: parts.path, toString: () => `${parts.scheme}:${parts.path}?${parts.query}` });
  api.workspace.openTextDocument = async (uri: any) => ({ uri });
  api.window.showTextDocument = async (doc: any) => shown.push(doc.uri.toString());
  const records = [makeRecord({ outcomes: { 0: 'cached', 1: 100, 2: 50, 3: 8000, 4: 60, 5: 900 }, durationMs: 12_300 }), OK];
  for (const [i, record] of records.entries()) {
    const outcome = run(COMMANDS.build);
    await until(() => runner.runs.length === i + 1);
    runner.runs[i].finish(record);
    await outcome;
  }
  const result = await run(COMMANDS.compareBuilds);
  assert.equal(result.status, 'shown');
  assert.match(result.text, /5\.9× faster/);
  assert.deepEqual(shown, ['dockopt-compare:/api builds.md?1']);
});

test('Compare with one build says a second one is needed', async () => {
  const { runner, run } = setup();
  const outcome = run(COMMANDS.build);
  await until(() => runner.runs.length === 1);
  runner.runs[0].finish(OK);
  await outcome;
  const result = await run(COMMANDS.compareBuilds);
  assert.deepEqual(result, { status: 'not-enough-builds', message: 'dockopt: api needs a build before this one to compare with.' });
});
