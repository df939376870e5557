/**
 * A build's client runs in its own process group, so it would outlive the process that
 * started it. When that process exits with a build still running (the extension host shutting
 * down before a cancel finished, the CLI on an uncaught error), the runner kills the group.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { alive, killLeftovers, recordedPids, STUB_PROCESS_COUNT, waitFor, writeSpawningClient } from './process-stubs';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-exit-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const RUNNER = path.join(__dirname, '..', '..', 'buildkit', 'src', 'runner.ts');

test('when the process that started a build exits, the build\'s whole group is killed', { skip: process.platform === 'win32' ? 'POSIX process groups' : false }, async () => {
  const client = writeSpawningClient(root);
  fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM busybox\n');
  const pidsFile = path.join(root, 'pids.txt');
  // A host that starts a build, then exits (code 3) as soon as the client's children run.
  const host = path.join(root, 'host.ts');
  fs.writeFileSync(
    host,
    [
      `import { startBuild } from ${JSON.stringify(RUNNER)};`,
      `import * as fs from 'node:fs';`,
      `startBuild({ dockerfile: 'Dockerfile', context: '.' }, { command: ${JSON.stringify(client)}, cwd: ${JSON.stringify(root)} });`,
      `const timer = setInterval(() => {`,
      `  const n = fs.existsSync(process.env.PIDS_FILE!) ? fs.readFileSync(process.env.PIDS_FILE!, 'utf8').split('\\n').filter(Boolean).length : 0;`,
      `  if (n === ${STUB_PROCESS_COUNT}) { clearInterval(timer); process.exit(3); }`,
      `}, 20);`,
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', host], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, PIDS_FILE: pidsFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const started = recordedPids(pidsFile);
  try {
    assert.equal(code, 3, stderr);
    assert.equal(started.length, STUB_PROCESS_COUNT);
    await waitFor(() => !started.some(alive), 2_000, 'the build\'s processes to go').catch(() => {});
    assert.deepEqual(started.filter(alive), [], 'processes left running after their host exited');
  } finally {
    killLeftovers(started);
  }
});
