/**
 * The directory walk behind a context scan. It runs in the scan worker
 * (context-scan-worker.ts), or on the calling thread where no worker can start.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WalkListing {
  /** Context-relative posix paths, sorted. */
  paths: string[];
  sizes: number[];
  truncated: boolean;
}

/**
 * Depth-first listing with lstat sizes (symlinks are not followed: BuildKit sends them as
 * links), stopping after `limit` files, sorted by path.
 */
export function walkSync(dir: string, limit: number): WalkListing {
  const paths: string[] = [];
  const sizes: number[] = [];
  let truncated = false;
  const stack = [''];
  outer: while (stack.length > 0) {
    const rel = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(rel ? path.join(dir, rel) : dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const child = rel ? rel + '/' + entry.name : entry.name;
      if (entry.isDirectory()) {
        stack.push(child);
        continue;
      }
      if (paths.length >= limit) {
        truncated = true;
        break outer;
      }
      let size: number;
      try {
        size = fs.lstatSync(path.join(dir, child)).size;
      } catch {
        continue;
      }
      paths.push(child);
      sizes.push(size);
    }
  }
  const order = paths.map((_, i) => i).sort((a, b) => (paths[a] < paths[b] ? -1 : paths[a] > paths[b] ? 1 : 0));
  return { paths: order.map((i) => paths[i]), sizes: order.map((i) => sizes[i]), truncated };
}
