/**
 * `npm test` ends with one line per skipped suite and its reason: the reporter records skips
 * (suites too, which node's own summary does not count) and scripts/test-skips.mjs groups them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
// @ts-expect-error: a plain .mjs script without types.
import { skipSummary } from '../../scripts/test-skips.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-skips-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a skipped suite, skipped tests and a skip from inside a test are each reported with the reason', () => {
  const file = path.join(dir, 'sample.test.mjs');
  fs.writeFileSync(
    file,
    [
      "import { describe, test } from 'node:test';",
      "describe('with a real BuildKit', { skip: 'the local base image python:3.12-slim is missing' }, () => { test('a', () => {}); });",
      "test('posix one', { skip: 'POSIX signals' }, () => {});",
      "test('posix two', { skip: 'POSIX signals' }, () => {});",
      "test('runs', () => {});",
      "test('decides late', (t) => t.skip('buildx is installed here'));",
    ].join('\n'),
  );
  const out = path.join(dir, 'skips.jsonl');
  const reporter = path.join(__dirname, '..', '..', 'scripts', 'skips-reporter.mjs');
  const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', '--test-reporter-destination=stdout', `--test-reporter=${reporter}`, `--test-reporter-destination=${out}`, file], {
    encoding: 'utf8',
    cwd: dir,
    // Not a child of this test run: its own runner, its own reporters.
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')),
  });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /# skipped 3/, 'node counts the tests, not the suite');
  assert.deepEqual(skipSummary(fs.readFileSync(out, 'utf8'), dir), [
    'skipped: sample.test.mjs: suite "with a real BuildKit": the local base image python:3.12-slim is missing',
    'skipped: sample.test.mjs: 2 tests: POSIX signals',
    'skipped: sample.test.mjs: test "decides late": buildx is installed here',
  ]);
});
