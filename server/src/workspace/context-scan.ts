/**
 * Scans of build contexts (every file with its size), kept off the request path:
 * `peek` answers synchronously from the cache, `ensure` scans in the background, and
 * watcher events mark single paths dirty so the next `ensure` re-reads only those.
 *
 * A scan is immutable: an update produces a new object, so callers may cache work
 * per scan object (WeakMap) and know it is still valid while they hold the same one.
 */
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ContextFile, ContextScan } from './build-context';
import type { WalkReply, WalkRequest } from './context-scan-worker';
import { walkSync } from './walk-dir';
import { isInside } from '../../../shared/src/files/containment';

export const MAX_CONTEXT_FILES = 100_000;

const MAX_SPLICED_CHANGES = 256;

interface Entry {
  dir: string;
  /** The latest complete scan; stays readable (possibly stale) while a refresh runs. */
  scan?: ContextScan;
  /** Context-relative paths changed since `scan` was taken. */
  dirty: Set<string>;
  /** The whole directory must be walked again. */
  full: boolean;
  running?: Promise<ContextScan>;
}

export type ScanListener = (dir: string, scan: ContextScan) => void;

export class ContextScanner {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<ScanListener>();
  private readonly maxFiles: number;
  private readonly walkDir: Walk;

  /** `walk` replaces the worker-thread walk (`walkInThread`, or a test double). */
  constructor(options: { maxFiles?: number; walk?: Walk } = {}) {
    this.maxFiles = options.maxFiles ?? MAX_CONTEXT_FILES;
    this.walkDir = options.walk ?? walkInWorker;
  }

  /** The latest scan of `dir`, without waiting; undefined until a first scan has finished. */
  peek(dir: string): ContextScan | undefined {
    return this.entries.get(key(dir))?.scan;
  }

  /** Whether `peek(dir)` reflects every change reported so far. */
  isFresh(dir: string): boolean {
    const entry = this.entries.get(key(dir));
    return !!entry?.scan && !entry.full && entry.dirty.size === 0;
  }

  /** A fresh scan of `dir`: the cached one when nothing changed, else a (partial) rescan. */
  ensure(dir: string): Promise<ContextScan> {
    const k = key(dir);
    let entry = this.entries.get(k);
    if (!entry) {
      entry = { dir: k, dirty: new Set(), full: true };
      this.entries.set(k, entry);
    }
    if (entry.running) return entry.running;
    if (entry.scan && !entry.full && entry.dirty.size === 0) return Promise.resolve(entry.scan);
    const run = this.refresh(entry).finally(() => {
      if (entry.running === run) entry.running = undefined;
    });
    entry.running = run;
    return run;
  }

  /** Forgets what is known of `dir`: the next `ensure` walks it again (peek keeps the old scan meanwhile). */
  invalidate(dir: string): void {
    const entry = this.entries.get(key(dir));
    if (entry) entry.full = true;
  }

  /** A file or directory was created, changed or deleted: only that path is re-read. */
  invalidatePath(absPath: string): void {
    const target = key(absPath);
    for (const entry of this.entries.values()) {
      if (isInside(target, entry.dir)) {
        // The context directory itself (or one of its parents) changed: walk it again.
        entry.full = true;
      } else if (isInside(entry.dir, target)) {
        entry.dirty.add(toPosix(path.relative(entry.dir, target)));
        // A burst (a branch switch, an npm install) is cheaper to walk again than to splice.
        if (entry.dirty.size > MAX_SPLICED_CHANGES) entry.full = true;
      }
    }
  }

  /** Drops a directory from the cache entirely (e.g. when no build uses it any more). */
  forget(dir: string): void {
    this.entries.delete(key(dir));
  }

  /** Called after each scan that lands; returns a function that unsubscribes. */
  onDidScan(listener: ScanListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async refresh(entry: Entry): Promise<ContextScan> {
    // Changes reported while a walk runs are kept for the next round, so loop until calm.
    for (;;) {
      let scan: ContextScan;
      if (entry.full || !entry.scan) {
        entry.full = false;
        entry.dirty.clear();
        scan = await walk(entry.dir, this.maxFiles, this.walkDir);
      } else {
        const changed = [...entry.dirty];
        entry.dirty.clear();
        scan = await update(entry.dir, entry.scan, changed, this.maxFiles, this.walkDir);
      }
      entry.scan = scan;
      if (!entry.full && entry.dirty.size === 0) {
        for (const listener of this.listeners) {
          try {
            listener(entry.dir, scan);
          } catch {
            // a listener's failure must not break the scanner
          }
        }
        return scan;
      }
    }
  }
}

/** Files below a directory: context-relative posix paths (sorted) and their sizes. */
export interface WalkResult {
  paths: string[];
  sizes: ArrayLike<number>;
  truncated: boolean;
}

export type Walk = (dir: string, limit: number) => Promise<WalkResult>;

async function walk(dir: string, maxFiles: number, walkDir: Walk): Promise<ContextScan> {
  const found = await walkDir(dir, maxFiles);
  return { files: found.paths.map((p, i) => ({ path: p, size: found.sizes[i] })), truncated: found.truncated };
}

/** Re-reads only the changed paths and splices them into a copy of the previous scan. */
async function update(dir: string, previous: ContextScan, changed: string[], maxFiles: number, walkDir: Walk): Promise<ContextScan> {
  const removed = new Set<string>();
  const removedPrefixes: string[] = [];
  const added: ContextFile[] = [];
  for (const relPath of changed) {
    removed.add(relPath);
    removedPrefixes.push(relPath + '/');
    const stat = await fsp.lstat(path.join(dir, relPath)).catch(() => undefined);
    if (!stat) continue; // deleted: nothing to add
    if (stat.isDirectory()) {
      const below = await walkDir(path.join(dir, relPath), maxFiles);
      below.paths.forEach((p, i) => added.push({ path: `${relPath}/${p}`, size: below.sizes[i] }));
    } else {
      added.push({ path: relPath, size: stat.size });
    }
  }
  const kept = previous.files.filter(
    (f) => !removed.has(f.path) && !removedPrefixes.some((prefix) => f.path.startsWith(prefix)),
  );
  const byPathMap = new Map<string, ContextFile>();
  for (const f of added) byPathMap.set(f.path, f);
  const merged = mergeSorted(kept.filter((f) => !byPathMap.has(f.path)), [...byPathMap.values()].sort(byPath));
  const truncated = previous.truncated || merged.length > maxFiles;
  return { files: merged.length > maxFiles ? merged.slice(0, maxFiles) : merged, truncated };
}

/** Two lists sorted by path, as one (linear: the previous scan is large, the changes few). */
function mergeSorted(a: ContextFile[], b: ContextFile[]): ContextFile[] {
  if (b.length === 0) return a;
  const out: ContextFile[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i].path < b[j].path ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

function byPath(a: ContextFile, b: ContextFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Walking. Listing and stat-ing 100 000 files takes seconds and, done on the main thread, stalls
// it for hundreds of milliseconds at a time; so the walk runs in a worker thread
// (context-scan-worker.ts), which sends back one string of paths and one buffer of sizes.
// Where no worker can start, the same walk runs here, after the caller's turn.

/** The same walk on this thread: for when worker threads are unavailable. */
export const walkInThread: Walk = async (dir, limit) => {
  await new Promise<void>((resolve) => setImmediate(resolve)); // never inside the caller's turn
  return walkSync(dir, limit);
};

/**
 * How to start the worker. Bundled, its entry lies beside the bundle that runs this code
 * (dist/server.js, dist/cli.js). Under tsx (tests) the TypeScript source lies beside this file,
 * and the worker needs tsx's require hook: on Node 20 a worker does not get the parent's
 * `--import tsx` loader. Without tsx that start fails and the walk runs on this thread.
 */
export function scanWorkerEntry(): { file: string; execArgv?: string[] } {
  const bundled = path.join(__dirname, 'context-scan-worker.js');
  if (fs.existsSync(bundled)) return { file: bundled };
  return { file: path.join(__dirname, 'context-scan-worker.ts'), execArgv: ['--require', require.resolve('tsx/cjs')] };
}

interface PendingWalk {
  resolve(result: WalkResult): void;
  reject(err: Error): void;
}

/** One worker for all scans, started on first use; it does not keep the process alive when idle. */
class WalkWorker {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, PendingWalk>();
  private broken = false;

  walk: Walk = (dir, limit) => {
    if (this.broken) return walkInThread(dir, limit);
    try {
      this.worker ??= this.start();
    } catch {
      this.broken = true;
      return walkInThread(dir, limit);
    }
    const id = this.nextId++;
    const worker = this.worker;
    if (this.pending.size === 0) worker.ref();
    return new Promise<WalkResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, dir, limit } satisfies WalkRequest);
    }).catch(() => walkInThread(dir, limit));
  };

  private start(): Worker {
    const entry = scanWorkerEntry();
    const worker = new Worker(entry.file, { execArgv: entry.execArgv });
    worker.unref();
    worker.on('message', (msg: WalkReply) => {
      const waiting = this.pending.get(msg.id);
      if (!waiting) return;
      this.pending.delete(msg.id);
      if (this.pending.size === 0) worker.unref();
      if (msg.error !== undefined) waiting.reject(new Error(msg.error));
      else waiting.resolve({ paths: msg.count ? msg.joined.split('\0') : [], sizes: msg.sizes, truncated: msg.truncated });
    });
    const fail = (err: Error) => {
      this.broken = true;
      this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('scan worker exited')));
    return worker;
  }

  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }
}

let sharedWorker: WalkWorker | undefined;

/** The default walk: in the shared worker thread. */
export const walkInWorker: Walk = (dir, limit) => (sharedWorker ??= new WalkWorker()).walk(dir, limit);

/** Stops the shared scan worker (a new one starts on the next scan). */
export function stopScanWorker(): void {
  sharedWorker?.dispose();
  sharedWorker = undefined;
}

function key(dir: string): string {
  const resolved = path.resolve(dir);
  return resolved.length > 1 && resolved.endsWith(path.sep) ? resolved.slice(0, -1) : resolved;
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

/** The files of a scan at `relPath` or below it (a directory source of a COPY). */
export function filesUnder(scan: ContextScan, relPath: string): ContextFile[] {
  return indicesUnder(scan, relPath).map((i) => scan.files[i]);
}

/** Indices into `scan.files` (sorted by path) of the file `relPath` and of every file below it. */
export function indicesUnder(scan: ContextScan, relPath: string): number[] {
  if (relPath === '' || relPath === '.') return scan.files.map((_, i) => i);
  const out: number[] = [];
  const exact = lowerBound(scan.files, relPath);
  if (scan.files[exact]?.path === relPath) out.push(exact);
  const prefix = relPath + '/';
  for (let i = lowerBound(scan.files, prefix); i < scan.files.length && scan.files[i].path.startsWith(prefix); i++) {
    out.push(i);
  }
  return out;
}

function lowerBound(files: readonly ContextFile[], target: string): number {
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (files[mid].path < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
