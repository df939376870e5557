import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { ContextScanner, filesUnder, walkInThread, walkInWorker } from '../../server/src/workspace/context-scan';
import { makeWorkspace, writeFiles } from '../helpers/temp-workspace';

const roots: string[] = [];
after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function makeTree(files: Record<string, string>): string {
  const root = makeWorkspace(files, 'dockopt-scan-');
  roots.push(root);
  return root;
}

function write(root: string, rel: string, text: string): void {
  writeFiles(root, { [rel]: text });
}

const listing = (scan: { files: Array<{ path: string; size: number }> }) => scan.files.map((f) => `${f.path}:${f.size}`);

test('scans every file with its size, as sorted context-relative posix paths', async () => {
  const root = makeTree({ 'b.txt': 'bb', 'a/x.py': 'x', 'a/.hidden/y': 'yyy', '.git/HEAD': 'ref' });
  const scan = await new ContextScanner().ensure(root);
  assert.deepEqual(listing(scan), ['.git/HEAD:3', 'a/.hidden/y:3', 'a/x.py:1', 'b.txt:2']);
  assert.equal(scan.truncated, false);
});

test('peek answers synchronously: nothing before the first scan, the scan after', async () => {
  const root = makeTree({ 'a': '1' });
  const scanner = new ContextScanner();
  assert.equal(scanner.peek(root), undefined);
  const pending = scanner.ensure(root);
  assert.equal(scanner.peek(root), undefined);
  const scan = await pending;
  assert.equal(scanner.peek(root), scan);
  assert.equal(scanner.isFresh(root), true);
});

test('ensure while a scan runs joins it; a fresh scan is returned as is', async () => {
  const root = makeTree({ 'a': '1' });
  const scanner = new ContextScanner();
  const first = scanner.ensure(root);
  assert.equal(scanner.ensure(root), first);
  const scan = await first;
  assert.equal(await scanner.ensure(root), scan);
});

test('stops at the file limit and says the scan is truncated', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) files[`f${i}`] = 'x';
  const scan = await new ContextScanner({ maxFiles: 10 }).ensure(makeTree(files));
  assert.equal(scan.files.length, 10);
  assert.equal(scan.truncated, true);
});

test('invalidatePath re-reads only that path: added, changed and deleted files', async () => {
  const root = makeTree({ 'keep.txt': 'k', 'change.txt': 'c', 'gone.txt': 'g', 'untold.txt': 'u' });
  const scanner = new ContextScanner();
  const before = await scanner.ensure(root);
  write(root, 'change.txt', 'changed');
  write(root, 'new/deep/file.txt', 'new');
  fs.rmSync(path.join(root, 'gone.txt'));
  write(root, 'untold.txt', 'changed without an event');
  for (const rel of ['change.txt', 'new', 'gone.txt']) scanner.invalidatePath(path.join(root, rel));
  assert.equal(scanner.isFresh(root), false);
  assert.equal(scanner.peek(root), before, 'the stale scan stays readable until the new one lands');
  const after = await scanner.ensure(root);
  assert.notEqual(after, before);
  // untold.txt keeps its old size: proof that nothing else was re-read.
  assert.deepEqual(listing(after), ['change.txt:7', 'keep.txt:1', 'new/deep/file.txt:3', 'untold.txt:1']);
});

test('a deleted directory drops every file below it', async () => {
  const root = makeTree({ 'a/b/c.txt': '1', 'a/d.txt': '2', 'ab.txt': '3' });
  const scanner = new ContextScanner();
  await scanner.ensure(root);
  fs.rmSync(path.join(root, 'a'), { recursive: true });
  scanner.invalidatePath(path.join(root, 'a'));
  assert.deepEqual(listing(await scanner.ensure(root)), ['ab.txt:1']);
});

test('invalidate(dir) walks the whole directory again', async () => {
  const root = makeTree({ 'a.txt': '1' });
  const scanner = new ContextScanner();
  await scanner.ensure(root);
  write(root, 'b.txt', '22');
  scanner.invalidate(root);
  assert.deepEqual(listing(await scanner.ensure(root)), ['a.txt:1', 'b.txt:2']);
});

test('paths outside a scanned directory leave it fresh', async () => {
  const root = makeTree({ 'a.txt': '1' });
  const scanner = new ContextScanner();
  await scanner.ensure(root);
  scanner.invalidatePath(path.join(path.dirname(root), 'elsewhere.txt'));
  assert.equal(scanner.isFresh(root), true);
});

test('a change in a folder whose name starts with `..` (`..data`) is inside the context', async () => {
  // Kubernetes mounts ConfigMaps through `..data`: a string test on `..` took it for the parent.
  const root = makeTree({ '..data/app.conf': '1', 'a.txt': '2' });
  const scanner = new ContextScanner();
  await scanner.ensure(root);
  write(root, '..data/app.conf', 'changed');
  scanner.invalidatePath(path.join(root, '..data', 'app.conf'));
  assert.equal(scanner.isFresh(root), false);
  assert.deepEqual(listing(await scanner.ensure(root)), ['..data/app.conf:7', 'a.txt:1']);
});

test('onDidScan reports each scan that lands', async () => {
  const root = makeTree({ 'a.txt': '1' });
  const scanner = new ContextScanner();
  const seen: string[] = [];
  scanner.onDidScan((dir, scan) => seen.push(`${path.basename(dir)}:${scan.files.length}`));
  await scanner.ensure(root);
  assert.deepEqual(seen, [`${path.basename(root)}:1`]);
});

test('a context that does not exist scans as empty', async () => {
  const scan = await new ContextScanner().ensure(path.join(os.tmpdir(), 'dockopt-no-such-context-4711'));
  assert.deepEqual(scan, { files: [], truncated: false });
});

test('filesUnder finds a file or a directory and what is below it, not its namesakes', async () => {
  const scan = await new ContextScanner().ensure(makeTree({ 'src/a.py': '1', 'src/b/c.py': '2', 'src-old/x': '3', 'src.txt': '4' }));
  assert.deepEqual(filesUnder(scan, 'src').map((f) => f.path), ['src/a.py', 'src/b/c.py']);
  assert.deepEqual(filesUnder(scan, 'src.txt').map((f) => f.path), ['src.txt']);
  assert.equal(filesUnder(scan, '.').length, 4);
});

test('the in-thread walk (without worker threads) gives the same scan as the worker', async () => {
  const root = makeTree({ 'b/c.txt': 'cc', 'a.txt': 'a', 'b/d/e': 'eee' });
  const inWorker = await new ContextScanner({ walk: walkInWorker }).ensure(root);
  const inThread = await new ContextScanner({ walk: walkInThread }).ensure(root);
  assert.deepEqual(inThread, inWorker);
  assert.deepEqual(listing(inThread), ['a.txt:1', 'b/c.txt:2', 'b/d/e:3']);
});

test('symlinks are listed as links, not followed', async () => {
  const root = makeTree({ 'real/file.txt': 'x' });
  fs.symlinkSync(path.join(root, 'real'), path.join(root, 'link'));
  const scan = await new ContextScanner().ensure(root);
  assert.deepEqual(scan.files.map((f) => f.path), ['link', 'real/file.txt']);
});
