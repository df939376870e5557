/**
 * The V8 code cache the language server starts through (server/src/code-cache.ts): the first run
 * writes it, the next uses it, and a damaged, stale or unwritable cache never stops the bundle.
 * Each run is a process of its own, as each start of the server is (within one process V8 reuses
 * what it compiled and would not read the cache at all).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-code-cache-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const CODE_CACHE = path.join(__dirname, '..', '..', 'server', 'src', 'code-cache.ts');

/** A bundle that prints what `__dirname` and `require` it got, with functions worth caching. */
function writeBundle(dir: string, tag: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'bundle.js');
  const body = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i} + ${JSON.stringify(tag)}.length; }`).join('\n');
  fs.writeFileSync(file, `${body}\nconsole.log(JSON.stringify({ tag: ${JSON.stringify(tag)}, dirname: __dirname, sep: require('node:path').sep, sum: f199(2) }));\n`);
  return file;
}

/** One start: the bundle's line, and how the cache was used. The cache is written right away (0 ms) before the process exits. */
function start(file: string, cacheDir: string): { ran: { tag: string; dirname: string; sep: string; sum: number }; use: string } {
  const script = `const { runWithCodeCache } = require(${JSON.stringify(CODE_CACHE)}); const use = runWithCodeCache(process.argv[1], process.argv[2], 0); setTimeout(() => console.log(use), 20);`;
  const [ran, use] = execFileSync(process.execPath, ['--import', 'tsx', '-e', script, file, cacheDir], { encoding: 'utf8' }).trim().split('\n');
  return { ran: JSON.parse(ran), use };
}

const caches = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.v8')) : []);

test('the first start writes the cache, the next one uses it; the bundle runs as a module either way', () => {
  const file = writeBundle(path.join(root, 'a'), 'one');
  const cacheDir = path.join(root, 'a-cache');
  const first = start(file, cacheDir);
  assert.equal(first.use, 'none');
  assert.deepEqual(caches(cacheDir).map((n) => /^bundle-[0-9a-f]{20}\.v8$/.test(n)), [true], 'one cache written after the first start');
  const second = start(file, cacheDir);
  assert.equal(second.use, 'used');
  for (const { ran } of [first, second]) assert.deepEqual(ran, { tag: 'one', dirname: path.dirname(file), sep: path.sep, sum: 2 * 199 + 3 });
});

test('a damaged cache is rejected, the bundle still runs, and the cache is written again', () => {
  const file = writeBundle(path.join(root, 'b'), 'two');
  const cacheDir = path.join(root, 'b-cache');
  start(file, cacheDir);
  const [name] = caches(cacheDir);
  fs.writeFileSync(path.join(cacheDir, name), Buffer.alloc(4096, 7));
  const damaged = start(file, cacheDir);
  assert.equal(damaged.use, 'rejected');
  assert.equal(damaged.ran.tag, 'two');
  assert.equal(start(file, cacheDir).use, 'used');
});

test('a changed bundle of the same length gets a cache of its own, and the old one is removed', () => {
  const dir = path.join(root, 'c');
  const cacheDir = path.join(root, 'c-cache');
  start(writeBundle(dir, 'three'), cacheDir);
  const [old] = caches(cacheDir);
  // V8 alone checks only the length: it would run the old code for the new text.
  const changed = start(writeBundle(dir, 'THREE'), cacheDir);
  assert.equal(changed.use, 'none');
  assert.equal(changed.ran.tag, 'THREE');
  assert.equal(caches(cacheDir).length, 1);
  assert.notEqual(caches(cacheDir)[0], old);
});

test('a bundle with text that is not ASCII runs with that text, from the cache too', () => {
  // The launcher decodes an ASCII bundle byte for byte (code-cache.ts, sourceText): one that is
  // not must still be read as UTF-8, or its strings would come out as mojibake.
  const file = writeBundle(path.join(root, 'e'), 'ε→ü');
  const cacheDir = path.join(root, 'e-cache');
  const first = start(file, cacheDir);
  const second = start(file, cacheDir);
  assert.deepEqual([first.use, second.use], ['none', 'used']);
  for (const { ran } of [first, second]) assert.deepEqual([ran.tag, ran.sum], ['ε→ü', 2 * 199 + 3]);
});

test('a cache folder that cannot be made leaves the bundle running', () => {
  const file = writeBundle(path.join(root, 'd'), 'four');
  const blocker = path.join(root, 'not-a-folder');
  fs.writeFileSync(blocker, '');
  for (let i = 0; i < 2; i++) {
    const run = start(file, path.join(blocker, 'cache'));
    assert.equal(run.use, 'none');
    assert.equal(run.ran.tag, 'four');
  }
});
