// `npm run bench`: the speed benchmarks (bench/), each printing medians and ratios from one run.
import { ensureDependencies, run } from './ensure-deps.mjs';

ensureDependencies();
if (run('node', ['scripts/build.mjs']) !== 0) process.exit(1);
for (const bench of ['bench/latency.bench.ts', 'bench/diagnostics.bench.ts', 'bench/workspace.bench.ts', 'bench/startup.bench.ts']) {
  const status = run('node', ['--import', 'tsx', bench]);
  if (status !== 0) process.exit(status);
}
