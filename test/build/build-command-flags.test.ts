/**
 * `dockopt build --network NAME --build-arg K=V`: passed through to the client as arguments.
 * The client is a stand-in script that records its argument vector, so no daemon is needed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { runBuildCommand } from '../../server/src/cli/build-command';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-cli-flags-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const argvFile = path.join(root, 'argv.txt');
const client = path.join(root, 'fake-docker');
// No buildx; `build --help` lists --progress; a build prints one plain step and succeeds.
fs.writeFileSync(
  client,
  [
    '#!/bin/sh',
    'if [ "$1" = buildx ]; then exit 1; fi',
    'if [ "$1" = image ]; then exit 1; fi',
    'if [ "$2" = --help ]; then echo "      --progress string   Set type of progress output (auto, plain, tty)"; exit 0; fi',
    'printf "%s\\n" "$@" > "$ARGV_FILE"',
    'echo "#1 [1/1] FROM docker.io/library/busybox" >&2',
    'echo "#1 DONE 0.0s" >&2',
    '',
  ].join('\n'),
  { mode: 0o755 },
);
fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM busybox\n');

async function cli(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const env = { ...process.env, XDG_CACHE_HOME: path.join(root, 'cache'), ARGV_FILE: argvFile };
  const code = await runBuildCommand(args, { stdout, stderr, cwd: root, env });
  return { code, out, err };
}

test('--network and repeated --build-arg reach the client as separate arguments', async () => {
  const { code, err } = await cli(['Dockerfile', '--command', client, '--network', 'none', '--build-arg', 'A=1', '--build-arg=B=two words', '--json']);
  assert.equal(code, 0, err);
  const argv = fs.readFileSync(argvFile, 'utf8').trimEnd().split('\n');
  assert.deepEqual(argv.slice(0, 2), ['build', '--progress=plain']);
  assert.ok(argv.join('\n').includes('--build-arg=A=1\n--build-arg=B=two words'), argv.join(' | '));
  assert.ok(argv.includes('--network=none'), argv.join(' | '));
  assert.deepEqual(argv.slice(-2), ['--', root], 'the context comes last, after --');
});

test('--build-arg without KEY=VALUE is a usage error', async () => {
  const { code, err } = await cli(['Dockerfile', '--build-arg', 'NOVALUE']);
  assert.equal(code, 2);
  assert.match(err, /--build-arg needs KEY=VALUE, got NOVALUE/);
});

test('--compare takes no --network', async () => {
  const { code, err } = await cli(['Dockerfile', '--compare', '--network', 'none']);
  assert.equal(code, 2);
  assert.match(err, /--compare shows recorded builds/);
});
