// `npm run bench:rebuild`: rebuild times of the example workspace before and after `dockopt fix`,
// with real BuildKit (bench/rebuild/). Needs root; takes 15–25 minutes (the first run also
// debootstraps a base, about 2 minutes, cached in .cache/bench-rebuild/). Never part of `npm test`.
import { ensureDependencies, run } from './ensure-deps.mjs';

ensureDependencies();
if (run('node', ['scripts/build.mjs']) !== 0) process.exit(1);
process.exit(run('node', ['--import', 'tsx', 'bench/rebuild.bench.ts']));
