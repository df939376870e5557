/**
 * Full garbage collections once the language server rests after checks that left the heap much
 * larger than its live data, so that the memory a large document's checks took goes back to the
 * system instead of staying resident until V8 next needs room.
 *
 * Measured on the dense shape at 10 000 lines after a dozen edits (the bundled server): 190–340 MB
 * resident, however long the wait, for ~40 MB of live heap. One full collection leaves the old space
 * fragmented (96 MB committed for 37 MB used: 215 MB resident); a second one, once the first has
 * counted what each page really holds, compacts it (38 MB committed: ~150 MB resident). Each stops
 * the server for ~100–200 ms at that size, so they run only when nothing waits for an answer:
 * IDLE_MS after the last check ended with none in flight, the second AGAIN_AFTER_MS after the
 * first if that one left the heap fragmented, and any check that starts (a change, an open, a
 * re-check) cancels what is pending.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/**
 * How long after the last check the server counts as resting. Well above the gaps between the
 * keystrokes of a burst of typing (100–300 ms, each bringing a check that restarts the wait) and
 * short enough that the memory is back soon after the user stops. A change that arrives during a
 * collection waits at most that one pause, once per rest.
 */
export const IDLE_MS = 2_000;

/** Between the two collections of one rest: the first one's sweeping done, and a change that comes meanwhile meets no pause. */
export const AGAIN_AFTER_MS = 500;

/** Two collections bring the heap down to its live data and V8's empty young generation (above); a third would return next to nothing. */
const COLLECTIONS_PER_REST = 2;

/**
 * How far the committed heap must exceed the live heap (as the last collection measured it) for a
 * collection to be worth its pause. Edits of a 200-line document never reach it: the committed
 * heap stays within ~20 MB of the live one, V8's own collections keeping it there. The checks of
 * a 10 000-line document take it 90–180 MB above.
 */
export const MIN_GARBAGE_BYTES = 64 * 1024 * 1024;

/**
 * After a collection, how far the committed heap must still exceed what it left in use for a
 * second one to run: its young generation is empty then but stays committed (up to 32 MB), so
 * beyond 40 MB at least 8 MB of the old generation is fragmented. Measured at 10 000 lines, six
 * rests: 35–66 MB after the first collection, 33–34 MB after the second.
 */
export const FRAGMENTED_BYTES = 40 * 1024 * 1024;

export interface HeapSize {
  /** Bytes of heap in use (live objects and garbage not yet collected). */
  used: number;
  /** Bytes of heap committed (what the process holds for the heap). */
  committed: number;
}

export interface IdleCollectionClock {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export interface IdleCollectionOptions {
  /** Runs one full collection (`fullCollector()` in the server; a fake in tests). */
  collect: () => void;
  /** The heap now (`processHeap` in the server). */
  heap: () => HeapSize;
  clock?: IdleCollectionClock;
  idleMs?: number;
  againAfterMs?: number;
  minGarbageBytes?: number;
  fragmentedBytes?: number;
}

const REAL_CLOCK: IdleCollectionClock = {
  // Unref'd: a pending collection never keeps the server alive once its connection is gone.
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export class IdleCollection {
  private readonly clock: IdleCollectionClock;
  private readonly idleMs: number;
  private readonly againAfterMs: number;
  private readonly minGarbageBytes: number;
  private readonly fragmentedBytes: number;
  private timer: unknown;
  private inFlight = 0;
  /** Heap in use right after the last collection: the live data then (at start, what the server holds before any document). */
  private liveBytes: number;

  constructor(private readonly options: IdleCollectionOptions) {
    this.clock = options.clock ?? REAL_CLOCK;
    this.idleMs = options.idleMs ?? IDLE_MS;
    this.againAfterMs = options.againAfterMs ?? AGAIN_AFTER_MS;
    this.minGarbageBytes = options.minGarbageBytes ?? MIN_GARBAGE_BYTES;
    this.fragmentedBytes = options.fragmentedBytes ?? FRAGMENTED_BYTES;
    this.liveBytes = options.heap().used;
  }

  /** A check starts: the server is busy, nothing is collected until it rests again. */
  checkStarted(): void {
    this.inFlight++;
    this.cancel();
  }

  /** A check ended (done, skipped or failed): with none left and the heap well above its live data, collect once the server has rested. */
  checkEnded(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.cancel();
    if (this.inFlight === 0 && this.beyondLive() >= this.minGarbageBytes) this.schedule(this.idleMs, 1);
  }

  /** Bytes of heap committed beyond the live data the last collection left. */
  private beyondLive(): number {
    return this.options.heap().committed - this.liveBytes;
  }

  private schedule(ms: number, nth: number): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.collect(nth);
    }, ms);
  }

  private cancel(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private collect(nth: number): void {
    if (this.inFlight > 0) return;
    this.options.collect();
    this.liveBytes = this.options.heap().used;
    if (nth < COLLECTIONS_PER_REST && this.beyondLive() >= this.fragmentedBytes) this.schedule(this.againAfterMs, nth + 1);
  }
}

/** This process's heap, as V8 counts it (V8's own figures: `process.memoryUsage()` also reads the RSS from /proc, at every check). */
export function processHeap(): HeapSize {
  const { used_heap_size: used, total_heap_size: committed } = v8.getHeapStatistics();
  return { used, committed };
}

/**
 * V8's full collection, which Node gives only to a process started with `--expose-gc`. Setting
 * the flag at run time exposes `gc` to the contexts created afterwards: one new context, made at
 * the first collection (a server that never rests after a large check never makes one), hands it
 * over. The flag is cleared at once: V8 stamps a code cache with a hash of its flags, and the one
 * the launcher writes (code-cache.ts) would be rejected at the next start if the flags differed.
 * If the runtime refuses, collecting does nothing: it is only an optimization.
 */
export function fullCollector(): () => void {
  let gc: (() => void) | null | undefined;
  return () => {
    if (gc === undefined) gc = exposeGc();
    gc?.();
  };
}

function exposeGc(): (() => void) | null {
  const existing: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === 'function') return existing as () => void;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}
