/**
 * Workspace scale (issue 8, target 3): `dockopt check` and the workspace fix on 10, 100 and
 * 1 000 generated services (compose entries, a `.dockerignore` each, about 100 files of context
 * each), and `dockopt check` on one build context of 100 000 files; then, with the language
 * server started on the 1 000-service workspace, the latency of an edit to one of its
 * Dockerfiles against the same edit in a one-service workspace. Cold runs (a new workspace
 * model each time), medians. Targets: ≤ 3 s for 1 000 services, ≤ 2 s for 100 000 files.
 *
 * BENCH_SERVICES (default 10,100,1000), BENCH_RUNS (default 3), BENCH_BIG_CONTEXT (default 100000;
 * 0 skips it), BENCH_EDITS (default 1; 0 skips the edit latency).
 */
import { join } from 'node:path';
import { fixWorkspace } from '../server/src/fix-workspace';
import { lintWorkspace } from '../server/src/lint-workspace';
import { DEFAULT_SETTINGS } from '../server/src/settings';
import { WorkspaceModel } from '../server/src/workspace/workspace';
import { stopScanWorker } from '../server/src/workspace/context-scan';
import { SERVER_PATH, TestLspClient } from '../test/helpers/lsp-client';
import { makeWorkspace, removeWorkspace } from '../test/helpers/temp-workspace';
import { median } from './dockerfiles';

const SIZES = (process.env.BENCH_SERVICES ?? '10,100,1000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BIG_CONTEXT = Number(process.env.BENCH_BIG_CONTEXT ?? 100_000);
const EDITS = process.env.BENCH_EDITS !== '0';
const FILES_PER_SERVICE = 100;

const DOCKERFILE = 'FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["python", "main.py"]\n';

/** One service: its Dockerfile, manifest, entry point, `.dockerignore`, sources, tests, docs: FILES_PER_SERVICE files. */
function serviceFiles(dir: string, i: number, files: Record<string, string>): void {
  files[`${dir}/Dockerfile`] = DOCKERFILE;
  files[`${dir}/requirements.txt`] = 'flask==3.0.3\n';
  files[`${dir}/main.py`] = 'print("hello")\n';
  files[`${dir}/.dockerignore`] = '__pycache__\n';
  files[`${dir}/README.md`] = `# svc-${i}\n`;
  for (let k = 0; k < FILES_PER_SERVICE - 5; k++) {
    const folder = k % 5 === 0 ? 'tests' : k % 7 === 0 ? 'docs' : `src/pkg${k % 4}`;
    files[`${dir}/${folder}/file_${k}.py`] = `VALUE = ${k}\n`;
  }
}

function workspaceFiles(services: number): Record<string, string> {
  const files: Record<string, string> = {};
  let compose = 'services:\n';
  for (let i = 0; i < services; i++) {
    const dir = `services/svc-${i}`;
    compose += `  svc-${i}:\n    build: ./${dir}\n`;
    serviceFiles(dir, i, files);
  }
  files['docker-compose.yml'] = compose;
  return files;
}

/** One build context of `count` files, most of them in a node_modules-like tree. */
function bigContextFiles(count: number): Record<string, string> {
  const files: Record<string, string> = { Dockerfile: DOCKERFILE, 'requirements.txt': 'flask\n', 'main.py': 'print(1)\n' };
  for (let k = Object.keys(files).length; k < count; k++) files[`vendor/pkg${Math.floor(k / 100)}/lib/file_${k % 100}.js`] = '1\n';
  return files;
}

const settingsFor = () => DEFAULT_SETTINGS;

async function checkOnce(root: string): Promise<{ ms: number; findings: number }> {
  const start = performance.now();
  const workspace = new WorkspaceModel({ roots: [root] });
  await workspace.refresh();
  const findings = await lintWorkspace(workspace, settingsFor);
  return { ms: performance.now() - start, findings: findings.length };
}

async function fixOnce(files: Record<string, string>): Promise<{ ms: number; applied: number }> {
  const root = makeWorkspace(files, 'dockopt-bench-fix-');
  try {
    const start = performance.now();
    const workspace = new WorkspaceModel({ roots: [root] });
    await workspace.refresh();
    const result = await fixWorkspace(workspace, settingsFor);
    return { ms: performance.now() - start, applied: result.applied.length };
  } finally {
    removeWorkspace(root);
  }
}

/**
 * Edits of one Dockerfile, with the server started on `root`: the slowest of the first `runs`
 * (made while the server still reads the workspace and scans the contexts in the background),
 * and the median of `runs` more once it has settled (no publish for a second).
 */
async function editLatency(root: string, file: string, runs = 7): Promise<{ reading: number; settled: number }> {
  const client = new TestLspClient({ folders: [root], serverArgs: [SERVER_PATH, '--stdio'] });
  await client.initialize();
  try {
    const uri = client.open(join(root, file), DOCKERFILE);
    await client.diagnostics(uri, undefined, 120_000);
    let k = 0;
    const edit = async () => {
      const started = performance.now();
      const version = client.change(uri, `${DOCKERFILE}# edit ${k++}\n`);
      await client.diagnostics(uri, (_d, p) => p.version === version, 120_000);
      return performance.now() - started;
    };
    const early: number[] = [];
    for (let i = 0; i < runs; i++) early.push(await edit());
    for (let seen = -1; seen !== client.publishes(uri); ) {
      seen = client.publishes(uri);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const settled: number[] = [];
    for (let i = 0; i < runs; i++) settled.push(await edit());
    return { reading: Math.max(...early), settled: median(settled) };
  } finally {
    await client.stop();
  }
}

async function main() {
  console.log(`workspace scale: cold dockopt check and workspace fix, median of ${RUNS} (ms); ${FILES_PER_SERVICE} files per service`);
  console.log('services   files   findings     check  check target   fixes applied       fix');
  let largest: { root: string; services: number } | undefined;
  for (const services of SIZES) {
    const files = workspaceFiles(services);
    const root = makeWorkspace(files, 'dockopt-bench-ws-');
    const checks: number[] = [];
    const fixes: number[] = [];
    let findings = 0;
    let applied = 0;
    for (let k = 0; k < RUNS; k++) {
      const run = await checkOnce(root);
      checks.push(run.ms);
      findings = run.findings;
      const fix = await fixOnce(files);
      fixes.push(fix.ms);
      applied = fix.applied;
    }
    const target = services === 1000 ? '3000' : '';
    console.log(`${String(services).padStart(8)} ${String(Object.keys(files).length).padStart(7)} ${String(findings).padStart(10)} ${median(checks).toFixed(0).padStart(9)} ${target.padStart(13)} ${String(applied).padStart(15)} ${median(fixes).toFixed(0).padStart(9)}`);
    if (largest) removeWorkspace(largest.root);
    largest = { root, services };
  }

  if (BIG_CONTEXT > 0) await bigContextCheck();
  if (largest && !EDITS) removeWorkspace(largest.root);
  else if (largest) {
    const alone = makeWorkspace({ 'Dockerfile': DOCKERFILE, 'requirements.txt': 'flask\n', '.dockerignore': '__pycache__\n' }, 'dockopt-bench-one-');
    try {
      const inLarge = await editLatency(largest.root, 'services/svc-0/Dockerfile');
      const inOne = await editLatency(alone, 'Dockerfile');
      console.log(`\nan edit to one Dockerfile, LSP didChange → diagnostics (ms), in the ${largest.services}-service workspace / alone:`);
      console.log(`  once the server has read the workspace (median): ${inLarge.settled.toFixed(1)} / ${inOne.settled.toFixed(1)} (ratio ${(inLarge.settled / inOne.settled).toFixed(2)})`);
      console.log(`  while it reads it and scans the contexts (slowest of the first edits): ${inLarge.reading.toFixed(1)} / ${inOne.reading.toFixed(1)}`);
    } finally {
      removeWorkspace(alone);
      removeWorkspace(largest.root);
    }
  }
}

async function bigContextCheck() {
  const big = bigContextFiles(BIG_CONTEXT);
  const bigRoot = makeWorkspace(big, 'dockopt-bench-ctx-');
  try {
    const checks: number[] = [];
    let findings = 0;
    for (let k = 0; k < RUNS; k++) {
      const run = await checkOnce(bigRoot);
      checks.push(run.ms);
      findings = run.findings;
    }
    console.log(`\none build context of ${Object.keys(big).length} files (${findings} findings): dockopt check median ${median(checks).toFixed(0)} ms (target 2000)`);
  } finally {
    removeWorkspace(bigRoot);
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => stopScanWorker());
