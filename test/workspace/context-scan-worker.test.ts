/**
 * The context-scan walk runs in a worker thread started from a real entry file: the
 * TypeScript source under tsx (these tests), dist/context-scan-worker.js beside the bundled
 * server and CLI. A worker that fails to start is not an error (the walk then runs on the
 * main thread), so each test watches the worker thread itself answer.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { scanWorkerEntry, stopScanWorker } from '../../server/src/workspace/context-scan';
import { TestLspClient, SERVER_PATH } from '../helpers/lsp-client';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const DIST = path.join(__dirname, '..', '..', 'dist');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-scan-worker-'));
const workspaces: string[] = [];
after(() => {
  stopScanWorker();
  workspaces.forEach(removeWorkspace);
  fs.rmSync(scratch, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const root = makeWorkspace(files);
  workspaces.push(root);
  return root;
}

// Loaded with `node -r` before a bundle: says on stderr each time a worker thread answers a walk.
const WATCH_WORKERS = path.join(scratch, 'watch-workers.cjs');
fs.writeFileSync(
  WATCH_WORKERS,
  `const { isMainThread } = require('node:worker_threads');
if (isMainThread) process.on('worker', (worker) => {
  worker.on('message', (m) => { if (m && typeof m.joined === 'string') process.stderr.write('scan worker answered: ' + m.count + ' files\\n'); });
  worker.on('error', (e) => process.stderr.write('scan worker failed: ' + e.message + '\\n'));
});
`,
);

test('under tsx the worker starts from the TypeScript source and answers the walk', { timeout: 60_000 }, () => {
  assert.equal(scanWorkerEntry().file, path.join(__dirname, '..', '..', 'server', 'src', 'workspace', 'context-scan-worker.ts'));
  // In a process of its own, as the bundles below: a stuck worker fails this test at its
  // deadline instead of keeping the whole test file from exiting.
  const root = workspace({ 'a.txt': 'a', 'b/c.txt': 'cc' });
  const script = path.join(scratch, 'walk-under-tsx.ts');
  fs.writeFileSync(
    script,
    `import { stopScanWorker, walkInWorker } from ${JSON.stringify(path.join(__dirname, '..', '..', 'server', 'src', 'workspace', 'context-scan'))};
walkInWorker(${JSON.stringify(root)}, 100).then((r) => {
  stopScanWorker();
  // The watcher's 'message' listener (WATCH_WORKERS) holds the worker's port: exit, as the CLI does.
  process.stdout.write(JSON.stringify({ paths: r.paths, sizes: Array.from(r.sizes), buffer: r.sizes instanceof Float64Array }), () => process.exit(0));
});
`,
  );
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-r', WATCH_WORKERS, script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { paths: ['a.txt', 'b/c.txt'], sizes: [1, 2], buffer: true });
  assert.match(run.stderr, /^scan worker answered: 2 files$/m, 'the worker thread answered (no fallback to the main thread)');
  assert.doesNotMatch(run.stderr, /scan worker failed/);
});

test('the bundled CLI starts dist/context-scan-worker.js and it answers', { timeout: 60_000 }, () => {
  assert.ok(fs.existsSync(path.join(DIST, 'context-scan-worker.js')), 'built beside cli.js');
  const root = workspace({ 'Dockerfile': 'FROM python:3.12-slim\nCOPY . .\n', 'app.py': 'print(1)\n', '.dockerignore': '.git\n' });
  const run = spawnSync(process.execPath, ['-r', WATCH_WORKERS, path.join(DIST, 'cli.js'), 'check'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  assert.match(run.stderr, /^scan worker answered: 3 files$/m, run.stderr);
  assert.doesNotMatch(run.stderr, /scan worker failed/);
  assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
});

test('the bundled language server starts dist/context-scan-worker.js and it answers', { timeout: 60_000 }, async () => {
  const root = workspace({ 'svc/Dockerfile': 'FROM python:3.12-slim\nCOPY . .\n', 'svc/app.py': 'print(1)\n' });
  const client = new TestLspClient({ folders: [root], serverArgs: ['-r', WATCH_WORKERS, SERVER_PATH, '--stdio'] });
  // A server that dies would leave initialize() waiting for ever: fail instead.
  const died = new Promise<never>((_, reject) => client.process.once('exit', (code) => reject(new Error(`server exited (${code}): ${client.stderr.join('')}`))));
  died.catch(() => {});
  try {
    await Promise.race([client.initialize(), died]);
    const uri = client.open(path.join(root, 'svc/Dockerfile'), 'FROM python:3.12-slim\nCOPY . .\n');
    await Promise.race([client.diagnostics(uri), died]);
    const deadline = Date.now() + 10_000;
    while (!client.stderr.join('').includes('scan worker answered') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.match(client.stderr.join(''), /scan worker answered: 2 files/);
    assert.doesNotMatch(client.stderr.join(''), /scan worker failed/);
  } finally {
    await client.stop();
  }
});
