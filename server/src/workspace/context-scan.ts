/**
 * Scans of build contexts (every file with its size), kept off the request path:
 * `peek` answers synchronously from the cache, `ensure` scans in the background, and
 * watcher events mark single paths dirty so the next `ensure` re-reads only those.
 *
 * A scan is immutable: an update produces a new object, so callers may cache work
 * per scan object (WeakMap) and know it is still valid while they hold the same one.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { fdir } from 'fdir';
import type { ContextFile, ContextScan } from './build-context';

export const MAX_CONTEXT_FILES = 100_000;

/** How many lstat calls run at once; enough to keep the disk busy without flooding libuv. */
const STAT_CONCURRENCY = 64;

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

  constructor(options: { maxFiles?: number } = {}) {
    this.maxFiles = options.maxFiles ?? MAX_CONTEXT_FILES;
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
      if (target === entry.dir || isInside(target, entry.dir)) {
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
        scan = await walk(entry.dir, this.maxFiles);
      } else {
        const changed = [...entry.dirty];
        entry.dirty.clear();
        scan = await update(entry.dir, entry.scan, changed, this.maxFiles);
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

async function walk(dir: string, maxFiles: number): Promise<ContextScan> {
  const rel = await listFiles(dir, maxFiles + 1);
  const truncated = rel.length > maxFiles;
  const paths = truncated ? rel.slice(0, maxFiles) : rel;
  const files = await statAll(dir, paths);
  files.sort(byPath);
  return { files, truncated };
}

/** Re-reads only the changed paths and splices them into a copy of the previous scan. */
async function update(dir: string, previous: ContextScan, changed: string[], maxFiles: number): Promise<ContextScan> {
  const removed = new Set<string>();
  const removedPrefixes: string[] = [];
  const added: ContextFile[] = [];
  for (const relPath of changed) {
    removed.add(relPath);
    removedPrefixes.push(relPath + '/');
    const abs = path.join(dir, relPath);
    const stat = await fsp.lstat(abs).catch(() => undefined);
    if (!stat) continue; // deleted: nothing to add
    if (stat.isDirectory()) {
      const below = await listFiles(abs, maxFiles + 1);
      const stats = await statAll(abs, below);
      for (const f of stats) added.push({ path: `${relPath}/${f.path}`, size: f.size });
    } else {
      added.push({ path: relPath, size: stat.size });
    }
  }
  const files = previous.files.filter(
    (f) => !removed.has(f.path) && !removedPrefixes.some((prefix) => f.path.startsWith(prefix)),
  );
  const seen = new Set(added.map((f) => f.path));
  const merged = files.filter((f) => !seen.has(f.path)).concat(dedupe(added));
  merged.sort(byPath);
  const truncated = previous.truncated || merged.length > maxFiles;
  return { files: merged.length > maxFiles ? merged.slice(0, maxFiles) : merged, truncated };
}

async function listFiles(dir: string, limit: number): Promise<string[]> {
  try {
    return await new fdir()
      .withRelativePaths()
      .withPathSeparator('/')
      .withMaxFiles(limit)
      .crawl(dir)
      .withPromise();
  } catch {
    return []; // a context that does not exist or cannot be read sends nothing
  }
}

async function statAll(dir: string, relPaths: string[]): Promise<ContextFile[]> {
  const files: ContextFile[] = new Array(relPaths.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < relPaths.length) {
      const i = next++;
      const relPath = toPosix(relPaths[i]);
      const stat = await fsp.lstat(path.join(dir, relPath)).catch(() => undefined);
      files[i] = { path: relPath, size: stat ? stat.size : -1 };
    }
  }
  await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, relPaths.length) }, worker));
  // A file that vanished between the walk and its stat is not in the context any more.
  return files.filter((f) => f.size >= 0);
}

function dedupe(files: ContextFile[]): ContextFile[] {
  const byPathMap = new Map<string, ContextFile>();
  for (const f of files) byPathMap.set(f.path, f);
  return [...byPathMap.values()];
}

function byPath(a: ContextFile, b: ContextFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function key(dir: string): string {
  const resolved = path.resolve(dir);
  return resolved.length > 1 && resolved.endsWith(path.sep) ? resolved.slice(0, -1) : resolved;
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
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
