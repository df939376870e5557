// `npm test`: installs what is missing, type-checks, lints, builds the bundles (protocol and CLI tests run them),
// prepares the stand-in base images when a docker daemon answers, then runs every test file with
// node's own test runner, then the extension-host suite in a real VS Code (scripts/test-vscode-step.mjs),
// and ends with one line per skipped suite and its reason.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDependencies, run } from './ensure-deps.mjs';
import { prepareDockerImages } from './test-images.mjs';
import { readSkipSummary } from './test-skips.mjs';
import { runVscodeSuite } from './test-vscode-step.mjs';

ensureDependencies();
// The tests run through tsx, which strips types without checking them: check them here, in build
// mode, so each folder's project (shared, buildkit, server, CLI, client, tests) is checked against
// the projects it references and a wrong import across the process boundary fails.
if (run('node', ['node_modules/typescript/bin/tsc', '-b']) !== 0) process.exit(1);
// The guard rails (eslint.config.mjs: no `any` in engine code, no floating promises, no import
// cycle, the client never importing server code) and no export or file nothing uses (knip.json).
if (run('node', ['node_modules/eslint/bin/eslint.js', '--max-warnings=0', '.']) !== 0) process.exit(1);
if (run('node', ['node_modules/knip/bin/knip.js', '--no-progress']) !== 0) process.exit(1);
if (run('node', ['scripts/build.mjs']) !== 0) process.exit(1);
prepareDockerImages();

const only = process.argv.slice(2);
const files = only.length > 0 ? only : findTests('test');
const scratch = mkdtempSync(join(tmpdir(), 'dockopt-test-run-'));
const skipsFile = join(scratch, 'skips.jsonl');
// Node's usual reporter (spec in a terminal, TAP otherwise), plus one that records the skips.
const reporters = [
  `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`,
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/skips-reporter.mjs',
  `--test-reporter-destination=${skipsFile}`,
];
// A test that hangs fails after 3 minutes instead of holding CI until its deadline.
const status = run('node', ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000', ...reporters, ...files]);
const skips = readSkipSummary(skipsFile);
rmSync(scratch, { recursive: true, force: true });
// Then the same extension in a real VS Code (skipped, with the reason, where none is installed).
const vscode = runVscodeSuite({ onlyFiles: only.length > 0 });
if (vscode.skipped) skips.push(vscode.skipped);
console.log(skips.length ? `\nnpm test: ${skips.length} skipped:\n${skips.join('\n')}` : '\nnpm test: nothing skipped.');
process.exit(status || vscode.status);

function findTests(dir) {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : findTests(path);
      return name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}
