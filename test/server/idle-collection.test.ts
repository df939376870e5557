/**
 * The collections the language server runs at rest (server/src/lsp/idle-collection.ts), driven
 * with a fake clock, a fake heap and a fake collector: never while a check is in flight or before
 * the server has rested, once (or twice, when the first leaves the heap fragmented) after checks
 * that left garbage, never after checks that did not; and the real collector really collects.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AGAIN_AFTER_MS, FRAGMENTED_BYTES, IDLE_MS, IdleCollection, MIN_GARBAGE_BYTES, fullCollector, type HeapSize, type IdleCollectionClock } from '../../server/src/lsp/idle-collection';

const MB = 1024 * 1024;

/** Timers that fire only when the test moves the time on. */
class FakeClock implements IdleCollectionClock {
  now = 0;
  private next = 0;
  private readonly timers = new Map<number, { at: number; run: () => void }>();

  setTimeout(run: () => void, ms: number): unknown {
    const id = ++this.next;
    this.timers.set(id, { at: this.now + ms, run });
    return id;
  }

  clearTimeout(timer: unknown): void {
    this.timers.delete(timer as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves the time on by `ms`, firing what falls due, in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].run();
    }
    this.now = end;
  }
}

/**
 * A heap that checks fill with garbage and a collection empties. The first `fragmented` (1)
 * collections of a rest leave `fragmentation` bytes committed beyond the live data (as V8's first
 * one does on a large heap), the next compacts them.
 */
function setup(options: { fragmentation?: number; fragmented?: number } = {}) {
  const clock = new FakeClock();
  const live = 40 * MB;
  const heap: HeapSize = { used: live, committed: live + 32 * MB };
  const collections: number[] = [];
  let collectedThisRest = 0;
  const collection = new IdleCollection({
    clock,
    heap: () => ({ ...heap }),
    collect: () => {
      collections.push(clock.now);
      collectedThisRest++;
      heap.used = live;
      heap.committed = live + 32 * MB + (collectedThisRest <= (options.fragmented ?? 1) ? (options.fragmentation ?? 0) : 0);
    },
  });
  /** One check of `garbage` bytes: started, the heap grows, ended. */
  const check = (garbage: number) => {
    collection.checkStarted();
    collectedThisRest = 0;
    heap.used += garbage;
    heap.committed += garbage;
    collection.checkEnded();
  };
  return { clock, heap, collections, collection, check };
}

describe('IdleCollection', () => {
  it('collects once, IDLE_MS after a large check, and not again however long the rest', () => {
    const { clock, collections, check } = setup();
    check(200 * MB);
    clock.advance(IDLE_MS - 1);
    assert.deepEqual(collections, [], 'not before the server has rested');
    clock.advance(1);
    assert.deepEqual(collections, [IDLE_MS]);
    clock.advance(3_600_000);
    assert.deepEqual(collections, [IDLE_MS]);
  });

  it('never collects after small checks, however many', () => {
    const { clock, collections, check } = setup();
    for (let k = 0; k < 100; k++) {
      check(MIN_GARBAGE_BYTES / 400);
      clock.advance(150);
    }
    clock.advance(3_600_000);
    assert.deepEqual(collections, []);
  });

  it('collects when small checks did pile up garbage V8 left, once the server rests', () => {
    const { clock, collections, check } = setup();
    for (let k = 0; k < 40; k++) {
      check(4 * MB);
      clock.advance(150);
    }
    clock.advance(IDLE_MS);
    assert.equal(collections.length, 1);
  });

  it('every change during typing pushes the collection back: none until the typing stops', () => {
    const { clock, collections, check } = setup();
    for (let k = 0; k < 50; k++) {
      check(100 * MB);
      clock.advance(IDLE_MS - 100);
      assert.deepEqual(collections, [], `collected during typing, after change ${k}`);
    }
    clock.advance(100);
    assert.deepEqual(collections, [clock.now]);
  });

  it('never collects while a check is in flight, however long it lasts', () => {
    const { clock, heap, collections, collection, check } = setup();
    check(200 * MB);
    collection.checkStarted(); // a change arrives: its check awaits its settings, then runs
    heap.used += 100 * MB;
    heap.committed += 100 * MB;
    clock.advance(10 * IDLE_MS);
    assert.deepEqual(collections, []);
    collection.checkEnded();
    assert.equal(clock.pending, 1);
    clock.advance(IDLE_MS);
    assert.deepEqual(collections, [11 * IDLE_MS]);
  });

  it('a collection due while a check is in flight does not run (the check started without ending the rest)', () => {
    const { clock, collections, collection, check } = setup();
    check(200 * MB);
    clock.advance(IDLE_MS - 1);
    collection.checkStarted();
    clock.advance(10 * IDLE_MS);
    assert.deepEqual(collections, []);
  });

  it('waits for the last of overlapping checks (a re-check of every open document)', () => {
    const { clock, heap, collections, collection } = setup();
    collection.checkStarted();
    collection.checkStarted();
    heap.used += 200 * MB;
    heap.committed += 200 * MB;
    collection.checkEnded();
    clock.advance(10 * IDLE_MS);
    assert.deepEqual(collections, []);
    collection.checkEnded();
    clock.advance(IDLE_MS);
    assert.deepEqual(collections, [11 * IDLE_MS]);
  });

  it('collects a second time, AGAIN_AFTER_MS later, when the first left the heap fragmented; never a third', () => {
    const { clock, collections, check } = setup({ fragmentation: 2 * MIN_GARBAGE_BYTES, fragmented: Infinity });
    check(300 * MB);
    clock.advance(IDLE_MS + AGAIN_AFTER_MS);
    assert.deepEqual(collections, [IDLE_MS, IDLE_MS + AGAIN_AFTER_MS]);
    clock.advance(3_600_000);
    assert.equal(collections.length, 2);
  });

  it('a first collection that leaves the old generation fragmented, if less than a rest needs to begin, gets its second', () => {
    // 32 MB of empty young generation and 20 MB of fragmented pages: below MIN_GARBAGE_BYTES, not below FRAGMENTED_BYTES.
    const { clock, collections, check } = setup({ fragmentation: 20 * MB });
    assert.ok(52 * MB < MIN_GARBAGE_BYTES && 52 * MB >= FRAGMENTED_BYTES);
    check(300 * MB);
    clock.advance(3_600_000);
    assert.deepEqual(collections, [IDLE_MS, IDLE_MS + AGAIN_AFTER_MS]);
  });

  it('no second collection when the first brought the heap down to its live data', () => {
    const { clock, collections, check } = setup({ fragmentation: 0 });
    check(300 * MB);
    clock.advance(3_600_000);
    assert.deepEqual(collections, [IDLE_MS]);
  });

  it('a change between the two collections cancels the second; its check starts the rest over', () => {
    const { clock, collections, check } = setup({ fragmentation: 2 * MIN_GARBAGE_BYTES });
    check(300 * MB);
    clock.advance(IDLE_MS + AGAIN_AFTER_MS - 1);
    assert.deepEqual(collections, [IDLE_MS]);
    check(MB); // still fragmented from the first collection: worth another rest's collections
    clock.advance(AGAIN_AFTER_MS);
    assert.deepEqual(collections, [IDLE_MS], 'the second collection ran right after a change');
    clock.advance(IDLE_MS - AGAIN_AFTER_MS);
    assert.deepEqual(collections, [IDLE_MS, 2 * IDLE_MS + AGAIN_AFTER_MS - 1]);
  });
});

describe('fullCollector', () => {
  it('collects the garbage of this process, which was not started with --expose-gc', () => {
    const exposed = typeof (globalThis as { gc?: unknown }).gc === 'function';
    const collect = fullCollector();
    collect(); // the first call makes the context that hands `gc` over: allocations of its own
    let garbage: Array<{ n: number; s: string }> | undefined = Array.from({ length: 500_000 }, (_, n) => ({ n, s: `item ${n}` }));
    assert.equal(garbage.length, 500_000);
    garbage = undefined;
    const before = process.memoryUsage().heapUsed;
    collect();
    const after = process.memoryUsage().heapUsed;
    assert.ok(before - after > 20 * MB, `heap in use ${(before / MB).toFixed(0)} → ${(after / MB).toFixed(0)} MB`);
    assert.equal(typeof (globalThis as { gc?: unknown }).gc === 'function', exposed, 'gc stays out of the global scope it was not in');
  });

  it('leaves V8\'s flags as they were: a code cache written after a collection is taken by the next start', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-idle-collection-'));
    try {
      const cache = path.join(dir, 'script.v8');
      const module = path.join(__dirname, '..', '..', 'server', 'src', 'lsp', 'idle-collection.ts');
      // Each start is a process of its own, as each start of the server is (code-cache.ts).
      const script = `
        const fs = require('node:fs'), vm = require('node:vm');
        const source = Array.from({ length: 100 }, (_, i) => 'function f' + i + '(x) { return x * ' + i + '; } f' + i + '(2);').join('\\n');
        const [mode, cache] = process.argv.slice(1);
        if (mode === 'write') {
          const script = new vm.Script(source, { filename: 'bundle.js' });
          script.runInThisContext();
          require(${JSON.stringify(module)}).fullCollector()();
          fs.writeFileSync(cache, script.createCachedData());
        } else {
          console.log(new vm.Script(source, { filename: 'bundle.js', cachedData: fs.readFileSync(cache) }).cachedDataRejected);
        }`;
      const run = (mode: string) => execFileSync(process.execPath, ['--import', 'tsx', '-e', script, mode, cache], { encoding: 'utf8' }).trim();
      run('write');
      assert.equal(run('read'), 'false');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
