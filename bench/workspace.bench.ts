/**
 * A workspace of 1 000 services: how long `dockopt check` takes on it, cold (discover, read the
 * compose file, scan every context, lint every file) and warm (the same workspace model again).
 * Prints medians of a few runs; the target is 3 s cold.
 */
import { lintWorkspace } from '../server/src/lint-workspace';
import { DEFAULT_SETTINGS } from '../server/src/settings';
import { WorkspaceModel } from '../server/src/workspace/workspace';
import { stopScanWorker } from '../server/src/workspace/context-scan';
import { makeWorkspace, removeWorkspace } from '../test/helpers/temp-workspace';
import { median } from './dockerfiles';

const SERVICES = Number(process.env.BENCH_SERVICES ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function workspaceFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  let compose = 'services:\n';
  for (let i = 0; i < SERVICES; i++) {
    const dir = `services/svc-${i}`;
    compose += `  svc-${i}:\n    build: ./${dir}\n`;
    files[`${dir}/Dockerfile`] = `FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["python", "main.py"]\n`;
    files[`${dir}/requirements.txt`] = 'flask==3.0.3\n';
    files[`${dir}/main.py`] = 'print("hello")\n';
    files[`${dir}/README.md`] = `# svc-${i}\n`;
    files[`${dir}/tests/test_main.py`] = 'def test_ok():\n    assert True\n';
    if (i % 2 === 0) files[`${dir}/.dockerignore`] = '__pycache__\n';
  }
  files['docker-compose.yml'] = compose;
  return files;
}

async function checkOnce(root: string): Promise<{ ms: number; findings: number }> {
  const start = performance.now();
  const workspace = new WorkspaceModel({ roots: [root] });
  await workspace.refresh();
  const findings = await lintWorkspace(workspace, () => DEFAULT_SETTINGS);
  return { ms: performance.now() - start, findings: findings.length };
}

async function main() {
  const root = makeWorkspace(workspaceFiles());
  try {
    const cold: number[] = [];
    let findings = 0;
    for (let k = 0; k < RUNS; k++) {
      const run = await checkOnce(root);
      cold.push(run.ms);
      findings = run.findings;
    }
    console.log(`workspace of ${SERVICES} services (${findings} findings): dockopt check median ${median(cold).toFixed(0)} ms over ${RUNS} runs (target 3000 ms)`);
  } finally {
    stopScanWorker();
    removeWorkspace(root);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
