/**
 * `dockopt build` (the bundled dist/cli.js, as a user runs it) told to stop by a signal: the
 * build's whole process group goes, also what ignores the signal, and the CLI exits with
 * 128 + the signal's number. The client is a stand-in script that starts long-running
 * children (some deaf to INT, TERM and HUP) and records their PIDs (test/build/process-stubs.ts).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { alive, killLeftovers, recordedPids, STUB_PROCESS_COUNT, waitFor, writeSpawningClient } from '../build/process-stubs';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-signals-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const client = writeSpawningClient(root);
fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM busybox\nRUN sleep 300\n');

let count = 0;
/** Starts a build, waits until its four processes run, then sends `signals` to the CLI alone. */
async function buildThenSignal(signals: NodeJS.Signals[]) {
  const pidsFile = path.join(root, `pids-${++count}.txt`);
  const pids = () => recordedPids(pidsFile);
  const cli = spawn(process.execPath, [CLI, 'build', 'Dockerfile', '--command', client], {
    cwd: root,
    env: { ...process.env, PIDS_FILE: pidsFile, XDG_CACHE_HOME: path.join(root, 'cache') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  cli.stdout.on('data', (d) => (stdout += d));
  cli.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => cli.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    await waitFor(() => pids().length === STUB_PROCESS_COUNT && pids().every(alive), 15_000, 'the stand-in client and its children');
  } catch (error) {
    cli.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; stderr: ${stderr}`);
  }
  const started = pids();
  const t0 = Date.now();
  for (const [i, signal] of signals.entries()) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    cli.kill(signal);
  }
  let exit: Awaited<typeof exited>;
  let timer: NodeJS.Timeout | undefined;
  let left: number[] = started;
  try {
    exit = await Promise.race([exited, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the CLI did not exit')), 20_000)))]);
    const elapsedMs = Date.now() - t0;
    // A SIGKILLed process takes a moment to be reaped: allow that, not a build's worth of time.
    await waitFor(() => !started.some(alive), 1_000, 'the build\'s processes to go').catch(() => {});
    left = started.filter(alive);
    return { exit, elapsedMs, left, stdout, stderr };
  } finally {
    clearTimeout(timer);
    killLeftovers(left);
  }
}

describe('dockopt build stops its whole build on a terminating signal', { skip: process.platform === 'win32' ? 'POSIX signals' : false }, () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    test(`${signal}: every process of the build is gone and the CLI exits ${code}`, async () => {
      const run = await buildThenSignal([signal]);
      assert.deepEqual(run.exit, { code, signal: null }, run.stderr);
      assert.deepEqual(run.left, [], 'processes still running after the CLI exited');
      assert.match(run.stdout, /Build canceled/);
      // The children deaf to the signal are killed after a short grace, not the 10 s of a Ctrl-C.
      assert.ok(run.elapsedMs < 8_000, `took ${run.elapsedMs} ms`);
    });
  }

  test('a second Ctrl-C kills the group at once', async () => {
    const run = await buildThenSignal(['SIGINT', 'SIGINT']);
    assert.deepEqual(run.exit, { code: 130, signal: null }, run.stderr);
    assert.deepEqual(run.left, []);
    assert.ok(run.elapsedMs < 4_000, `took ${run.elapsedMs} ms: the second SIGINT should not wait for the 5 s grace`);
  });
});
