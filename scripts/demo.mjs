// `npm run demo`: the main job on the example workspace from the command line — what dockopt finds, then what it would change.
import { ensureDependencies, run } from './ensure-deps.mjs';

ensureDependencies();
if (run('node', ['scripts/build.mjs']) !== 0) process.exit(1);

const target = process.argv[2] ?? 'examples/ha-ingestor';
console.log(`\n$ dockopt check ${target}\n`);
const checked = run('node', ['dist/cli.js', 'check', target]);
console.log(`\n$ dockopt fix ${target} --dry-run\n`);
const fixed = run('node', ['dist/cli.js', 'fix', target, '--dry-run']);
// Findings (exit 1) are the expected outcome on the example; only usage or I/O errors fail.
process.exit(checked === 2 || fixed === 2 ? 2 : 0);
