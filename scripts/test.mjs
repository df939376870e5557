// `npm test`: installs what is missing, type-checks, builds the bundles (protocol and CLI tests run them),
// then runs every test file with node's own test runner.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDependencies, run } from './ensure-deps.mjs';

ensureDependencies();
// The tests run through tsx, which strips types without checking them: check them here.
if (run('node', ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit']) !== 0) process.exit(1);
if (run('node', ['scripts/build.mjs']) !== 0) process.exit(1);

const only = process.argv.slice(2);
const files = only.length > 0 ? only : findTests('test');
// A test that hangs fails after 3 minutes instead of holding CI until its deadline.
process.exit(run('node', ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000', ...files]));

function findTests(dir) {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : findTests(path);
      return name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}
