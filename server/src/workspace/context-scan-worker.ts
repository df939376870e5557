/**
 * The scan worker's entry: a worker thread that walks build contexts off the language
 * server's (or the CLI's) main thread. esbuild bundles it as dist/context-scan-worker.js,
 * beside server.js and cli.js; under tsx (tests) this source runs as it is.
 *
 * It answers each request with one string of paths and one transferred buffer of sizes:
 * 100 000 small strings and numbers would each be copied into the main thread's heap.
 */
import { parentPort } from 'node:worker_threads';
import { walkSync } from './walk-dir';

export interface WalkRequest {
  id: number;
  dir: string;
  limit: number;
}

export type WalkReply =
  | { id: number; joined: string; count: number; sizes: Float64Array; truncated: boolean; error?: undefined }
  | { id: number; error: string };

const port = parentPort;
port?.on('message', ({ id, dir, limit }: WalkRequest) => {
  try {
    const found = walkSync(dir, limit);
    const sizes = Float64Array.from(found.sizes);
    const reply: WalkReply = { id, joined: found.paths.join('\0'), count: found.paths.length, sizes, truncated: found.truncated };
    port.postMessage(reply, [sizes.buffer]);
  } catch (err) {
    port.postMessage({ id, error: String((err as Error)?.message ?? err) } satisfies WalkReply);
  }
});
