/**
 * Start-up (issue 8, target 6): from starting the language server to the first diagnostics of
 * an example Dockerfile (process start, `initialize`, `didOpen`, the settings request, the check,
 * the publish), a fresh process each run, median; and the size of the packaged `.vsix` (built
 * minified by scripts/package.mjs, as `npm run package` does). Targets: ≤ 150 ms, ≤ 1.5 MB.
 *
 * The server measured is the one the .vsix ships: the bundles built minified into a folder of
 * the bench's own (dist/ holds the unminified build the tests run). Beside the start, so that
 * the figure can be read on any machine: how long node itself takes to start an empty script
 * (no server can answer before that), when the server answered `initialize` (its bundle loaded),
 * and when the diagnostics were complete (the first publish comes before the workspace read and
 * the build context's scan; what they add is published again).
 *
 * What VS Code adds before the server starts (loading the extension's bundle, starting the
 * language client) is not in the figure: this machine has no desktop VS Code to time it in.
 *
 * BENCH_RUNS (default 9). STARTUP_SERVER: another `server.js` to measure (e.g. dist/server.js).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestLspClient } from '../test/helpers/lsp-client';
import { copyExample, removeWorkspace } from '../test/helpers/temp-workspace';
import { median } from './dockerfiles';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const REPO = join(__dirname, '..');
const DOCKERFILE = join('services', 'electricity-pricing-service', 'Dockerfile');
/** No publish for this long after the last one: the diagnostics are complete. */
const QUIET_MS = 1_000;

interface Start {
  /** The `initialize` answer received: node started, the bundle loaded and ran. */
  initialized: number;
  /** The first publish with findings. */
  first: number;
  firstCount: number;
  /** The last publish (workspace read, context scan landed). */
  complete: number;
  completeCount: number;
}

/** One start of the server, to the open Dockerfile's complete diagnostics. `lingerMs`: the server stays up that long more (the launcher writes its code cache 10 s after a start without one). */
async function startOnce(server: string, root: string, lingerMs = 0): Promise<Start> {
  const started = performance.now();
  const client = new TestLspClient({ folders: [root], serverArgs: [server, '--stdio'] });
  try {
    await client.initialize();
    const initialized = performance.now() - started;
    const uri = client.open(join(root, DOCKERFILE), readFileSync(join(root, DOCKERFILE), 'utf8'));
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0, 60_000);
    const first = performance.now() - started;
    let complete = first;
    let completeCount = diagnostics.length;
    for (let seen = client.publishes(uri); ; seen = client.publishes(uri)) {
      try {
        completeCount = (await client.diagnostics(uri, () => client.publishes(uri) > seen, QUIET_MS)).length;
        complete = performance.now() - started;
      } catch {
        break; // quiet: no publish since
      }
    }
    if (lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, lingerMs));
    return { initialized, first, firstCount: diagnostics.length, complete, completeCount };
  } finally {
    await client.stop();
  }
}

/** Spawn → first output of node running an empty script: the part of any start no server code can shorten. */
function nodeAlone(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', "process.stdout.write('.')"], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => resolve(performance.now() - started));
    child.once('error', reject);
  });
}

const medians = (starts: Start[]) => ({
  initialized: median(starts.map((s) => s.initialized)),
  first: median(starts.map((s) => s.first)),
  complete: median(starts.map((s) => s.complete)),
  firstCount: starts[0].firstCount,
  completeCount: starts[0].completeCount,
});

/** RUNS starts without a code cache and with a warm one (as VS Code starts it: server-host.ts sets the folder), and of node alone, interleaved. */
async function startups(server: string, root: string) {
  const cacheDir = mkdtempSync(join(tmpdir(), 'dockopt-bench-code-cache-'));
  const withCache = async (on: boolean, lingerMs = 0) => {
    if (on) process.env.DOCKOPT_CODE_CACHE_DIR = cacheDir;
    else delete process.env.DOCKOPT_CODE_CACHE_DIR;
    try {
      return await startOnce(server, root, lingerMs);
    } finally {
      delete process.env.DOCKOPT_CODE_CACHE_DIR;
    }
  };
  try {
    await withCache(false); // warms the disk cache
    await withCache(true, 11_000); // writes the code cache
    const plain: Start[] = [];
    const cached: Start[] = [];
    const alone: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      alone.push(await nodeAlone());
      plain.push(await withCache(false));
      cached.push(await withCache(true));
    }
    return { node: median(alone), plain: medians(plain), cached: medians(cached) };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** The bundles as the .vsix ships them, built into a folder of their own; removed by `done`. */
function shippedServer(): { server: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dockopt-bench-shipped-'));
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--minify', '--outdir', dir], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('building the minified bundles failed');
  return { server: join(dir, 'server.js'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

function vsixBytes(): number | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'dockopt-bench-vsix-'));
  try {
    const out = join(dir, 'dockopt.vsix');
    const packed = spawnSync(process.execPath, ['scripts/package.mjs', '--out', out], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
    return packed.status === 0 ? statSync(out).size : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const shipped = process.env.STARTUP_SERVER ? { server: process.env.STARTUP_SERVER, done() {} } : shippedServer();
  const root = copyExample();
  try {
    const { node, plain, cached } = await startups(shipped.server, root);
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    const line = (s: ReturnType<typeof medians>) => `initialize answered ${ms(s.initialized)}, first diagnostics (${s.firstCount} findings) ${ms(s.first)}, complete (${s.completeCount}) ${ms(s.complete)}`;
    console.log(`start-up: server process start (${process.env.STARTUP_SERVER ?? 'the minified bundles the .vsix ships'}) → diagnostics of examples/ha-ingestor/${DOCKERFILE}, median of ${RUNS}; target 150 ms to the first diagnostics`);
    console.log(`  node alone (an empty script, spawn → first output): ${ms(node)}`);
    console.log(`  without a code cache: ${line(plain)}`);
    console.log(`  with the warm code cache VS Code's start uses: ${line(cached)}`);
  } finally {
    removeWorkspace(root);
    shipped.done();
  }
  const bytes = vsixBytes();
  console.log(bytes === undefined ? '.vsix: packaging failed' : `.vsix: ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes; target 1.5 MB)`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
