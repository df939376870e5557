/**
 * Start-up (issue 8, target 6): from starting the language server to the first diagnostics of
 * an example Dockerfile (process start, `initialize`, the workspace read, `didOpen`, the publish),
 * a fresh process each run, median; and the size of the packaged `.vsix` (built minified by
 * scripts/package.mjs, as `npm run package` does). Targets: ≤ 150 ms, ≤ 1.5 MB.
 *
 * What VS Code adds before the server starts (loading the extension's bundle, starting the
 * language client) is not in the figure: this machine has no desktop VS Code to time it in.
 *
 * BENCH_RUNS (default 9).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_PATH, TestLspClient } from '../test/helpers/lsp-client';
import { copyExample, removeWorkspace } from '../test/helpers/temp-workspace';
import { median } from './dockerfiles';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const DOCKERFILE = join('services', 'electricity-pricing-service', 'Dockerfile');

/**
 * One start of the server, to the open Dockerfile's diagnostics. `lingerMs`: the server stays up
 * that long afterwards (the launcher writes its code cache 10 s after a start without one).
 */
async function firstDiagnostics(root: string, lingerMs = 0): Promise<{ ms: number; count: number }> {
  const started = performance.now();
  const client = new TestLspClient({ folders: [root], serverArgs: [SERVER_PATH, '--stdio'] });
  try {
    await client.initialize();
    const uri = client.open(join(root, DOCKERFILE), readFileSync(join(root, DOCKERFILE), 'utf8'));
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0, 60_000);
    const ms = performance.now() - started;
    if (lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, lingerMs));
    return { ms, count: diagnostics.length };
  } finally {
    await client.stop();
  }
}

/** Medians of RUNS starts without a code cache and with a warm one (as VS Code starts it: server-host.ts sets the folder), interleaved. */
async function startups(root: string): Promise<{ plain: number; cached: number; count: number }> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'dockopt-bench-code-cache-'));
  const withCache = async (on: boolean, lingerMs = 0) => {
    if (on) process.env.DOCKOPT_CODE_CACHE_DIR = cacheDir;
    else delete process.env.DOCKOPT_CODE_CACHE_DIR;
    try {
      return await firstDiagnostics(root, lingerMs);
    } finally {
      delete process.env.DOCKOPT_CODE_CACHE_DIR;
    }
  };
  try {
    await withCache(false); // warms the disk cache
    await withCache(true, 11_000); // writes the code cache
    const plain: number[] = [];
    const cached: number[] = [];
    let count = 0;
    for (let k = 0; k < RUNS; k++) {
      plain.push((await withCache(false)).ms);
      const run = await withCache(true);
      cached.push(run.ms);
      count = run.count;
    }
    return { plain: median(plain), cached: median(cached), count };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function vsixBytes(): number | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'dockopt-bench-vsix-'));
  try {
    const out = join(dir, 'dockopt.vsix');
    const packed = spawnSync(process.execPath, ['scripts/package.mjs', '--out', out], { cwd: join(__dirname, '..'), stdio: ['ignore', 'ignore', 'inherit'] });
    return packed.status === 0 ? statSync(out).size : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const root = copyExample();
  try {
    const { plain, cached, count } = await startups(root);
    const what = `server process start → first diagnostics of examples/ha-ingestor/${DOCKERFILE} (${count} findings), median of ${RUNS}`;
    console.log(`start-up: ${what}: ${plain.toFixed(0)} ms without a code cache, ${cached.toFixed(0)} ms with the warm cache VS Code's start uses (target 150 ms)`);
  } finally {
    removeWorkspace(root);
  }
  const bytes = vsixBytes();
  console.log(bytes === undefined ? '.vsix: packaging failed' : `.vsix: ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes; target 1.5 MB)`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
