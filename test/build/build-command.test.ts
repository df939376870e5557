import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import { runBuildCommand } from '../../server/src/cli/build-command';
import { dockerSkipReason, TEST_DOCKER } from './docker-gate';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-cli-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runBuildCommand(args, { stdout, stderr, cwd: root, env: { ...process.env, XDG_CACHE_HOME: path.join(root, 'cache'), ...env } });
  return { code, out, err };
}

fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM local/busybox:1\nCOPY app.txt /app.txt\n');
fs.writeFileSync(path.join(root, 'app.txt'), 'one\n');

test('usage errors exit 2 with one clear line', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /missing DOCKERFILE/],
    [['Dockerfile', '--frobnicate'], /unknown option --frobnicate/],
    [['Dockerfile', '--context'], /--context needs a value/],
    [['nope.Dockerfile'], /no such Dockerfile: nope\.Dockerfile/],
    [['Dockerfile', '--context', 'missing-dir'], /context is not a directory: missing-dir/],
    [['Dockerfile', 'other'], /one DOCKERFILE expected/],
  ];
  for (const [args, message] of cases) {
    const { code, out, err } = await cli(args);
    assert.equal(code, 2, args.join(' '));
    assert.equal(out, '');
    assert.match(err, message);
    assert.equal(err.trimEnd().split('\n').length, 1, err);
  }
});

test('--compare needs two recorded builds', async () => {
  const { code, err } = await cli(['Dockerfile', '--compare'], { XDG_CACHE_HOME: path.join(root, 'empty-cache') });
  assert.equal(code, 1);
  assert.match(err, /0 build\(s\) of .*Dockerfile recorded .*; build it twice first/);
});

test('a client that is not there exits 127 with the way out', async () => {
  const { code, err } = await cli(['Dockerfile', '--command', 'dockopt-no-such-docker', '--json']);
  assert.equal(code, 127);
  assert.match(err, /not found on PATH/);
});

describe('dockopt build with a real BuildKit', { skip: dockerSkipReason() }, () => {
  test('--json prints one object with the steps, totals and miss', async () => {
    const { code, out, err } = await cli(['Dockerfile', '--command', TEST_DOCKER, '--json']);
    assert.equal(code, 0, err);
    assert.match(err, /#\d+ \[.*\] COPY app\.txt \/app\.txt/, 'BuildKit output goes to stderr');
    const json = JSON.parse(out);
    assert.deepEqual(Object.keys(json), ['status', 'durationMs', 'totalSteps', 'cachedSteps', 'steps', 'miss']);
    assert.equal(json.status, 'succeeded');
    assert.equal(json.totalSteps, 1, 'the FROM does not count');
    const copy = json.steps.find((s: { name: string }) => s.name.endsWith('COPY app.txt /app.txt'));
    assert.deepEqual(Object.keys(copy), ['name', 'line', 'cached', 'durationMs', 'error']);
    assert.equal(copy.line, 1);
    assert.ok(json.steps.some((s: { line: number | null }) => s.line === null), 'internal steps have no line');
  });

  test('after a change the table names the miss, and --compare shows both builds', async () => {
    fs.writeFileSync(path.join(root, 'app.txt'), `changed ${Date.now()}\n`);
    const { code, out } = await cli(['Dockerfile', '--command', TEST_DOCKER]);
    assert.equal(code, 0);
    assert.match(out, /Build succeeded in .*: 0\/1 cached \(0%\)/);
    assert.match(out, /Cache miss at line 2: COPY app\.txt \/app\.txt\n {2}files it copies changed since the last build: app\.txt/);
    const compared = await cli(['Dockerfile', '--compare']);
    assert.equal(compared.code, 0);
    assert.match(compared.out, /before: .*succeeded/);
    assert.match(compared.out, /^\s+2\s+COPY app\.txt \/app\.txt\s+(cached|ran \S+)\s+ran \S+$/m);
    assert.match(compared.out, /(Speed-up|Slow-down): /);
  });

  test('a failing build exits with the client\'s code and names the line', async () => {
    const dir = path.join(root, 'fail');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM local/busybox:1\nCOPY missing.txt /x\n');
    const { code, out } = await cli([path.join('fail', 'Dockerfile'), '--command', TEST_DOCKER]);
    assert.equal(code, 1);
    assert.match(out, /Build failed at .*COPY missing\.txt \/x \(Dockerfile line 2\)/);
  });
});
