/**
 * When the extension deactivates, its builds stop: disposing the build feature (what
 * `deactivate` does) kills each running build's whole process group within a second or so,
 * also the processes that ignore SIGTERM. Real runner, fake VS Code, and a stand-in client
 * that starts long-running children and records their PIDs (test/build/process-stubs.ts).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { BuildOutcome } from '../../client/src/builds/feature-contract';
import { BuildFeature } from '../../client/src/builds/feature';
import { runningBuildGroups } from '../../buildkit/src/runner';
import type { ServiceBuildInfo } from '../../shared/src/protocol';
import { alive, killLeftovers, recordedPids, STUB_PROCESS_COUNT, waitFor, writeSpawningClient } from '../build/process-stubs';
import { fakeVscode } from './fake-vscode';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-dispose-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('disposing the build feature kills the running build\'s whole process group', { skip: process.platform === 'win32' ? 'POSIX process groups' : false }, async () => {
  const client = writeSpawningClient(root);
  const dockerfile = path.join(root, 'Dockerfile');
  fs.writeFileSync(dockerfile, 'FROM busybox\nRUN sleep 300\n');
  const pidsFile = path.join(root, 'pids.txt');
  const { api } = fakeVscode({
    folders: [{ name: 'w', path: root }],
    windowDockopt: { command: client },
    activeDocument: { uri: `file://${dockerfile}`, languageId: 'dockerfile', text: 'FROM busybox\nRUN sleep 300\n' },
  });
  const info: ServiceBuildInfo = { dockerfile, contextDir: root, source: 'dockerfile-folder' };
  const feature = new BuildFeature({
    vscode: { ...api, workspace: { ...api.workspace, isTrusted: true } } as typeof api,
    server: { isRunning: () => true, sendRequest: async <R>() => [info] as R },
    storageDir: path.join(root, 'storage'),
    log: () => {},
    env: { ...process.env, PIDS_FILE: pidsFile },
    createTerminal: (_target, pty) => {
      pty.open();
      return { show() {}, dispose() {} };
    },
  });

  const outcome = feature.handlers.build() as Promise<BuildOutcome>;
  let started: number[] = [];
  try {
    await waitFor(() => recordedPids(pidsFile).length === STUB_PROCESS_COUNT && recordedPids(pidsFile).every(alive), 15_000, 'the build to start');
    started = recordedPids(pidsFile);
    assert.equal(runningBuildGroups().length, 1);
    const t0 = Date.now();
    feature.dispose();
    await waitFor(() => !started.some(alive), 5_000, 'the build\'s processes to go').catch(() => {});
    assert.deepEqual(started.filter(alive), [], 'processes left running after dispose');
    assert.ok(Date.now() - t0 < 4_000, `took ${Date.now() - t0} ms`);
    const done = await outcome;
    assert.equal(done.status, 'canceled');
    assert.deepEqual(runningBuildGroups(), []);
  } finally {
    killLeftovers(started);
  }
});
