/**
 * A repository chooses the FROM images, file names and build arguments `dockopt build` hands
 * to the client; none of them may read as one of the client's options. The client here is a
 * stand-in script that records the argument vector of every call (probe, inspect, build).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { runBuildCommand } from '../../server/src/cli/build-command';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-inject-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const callsFile = path.join(root, 'calls.txt');
const client = path.join(root, 'fake-docker');
// One call per line, its arguments separated by a tab. No buildx; `build --help` lists
// --progress; `image inspect` knows no image; a build prints one plain step and succeeds.
fs.writeFileSync(
  client,
  [
    '#!/bin/sh',
    'line=""',
    'for a in "$@"; do line="$line$a	"; done',
    'printf "%s\\n" "$line" >> "$CALLS_FILE"',
    'if [ "$1" = buildx ]; then exit 1; fi',
    'if [ "$1" = image ]; then echo "Error: No such image" >&2; exit 1; fi',
    'if [ "$2" = --help ]; then echo "      --progress string   Set type of progress output (auto, plain, tty)"; exit 0; fi',
    'echo "#1 [1/1] FROM docker.io/library/busybox" >&2',
    'echo "#1 DONE 0.0s" >&2',
    '',
  ].join('\n'),
  { mode: 0o755 },
);

function calls(): string[][] {
  if (!fs.existsSync(callsFile)) return [];
  return fs
    .readFileSync(callsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.replace(/\t$/, '').split('\t'));
}

async function cli(args: string[]) {
  fs.rmSync(callsFile, { force: true });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d) => (err += d));
  stdout.resume();
  const env = { ...process.env, XDG_CACHE_HOME: path.join(root, 'cache'), CALLS_FILE: callsFile };
  const code = await runBuildCommand(args, { stdout, stderr, cwd: root, env });
  return { code, err };
}

test('a FROM image that starts with a dash reaches `docker image inspect` after --, as an image name', async () => {
  fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM -f{{json .}}\nFROM --platform=linux/amd64 -q AS two\n');
  const { code, err } = await cli(['Dockerfile', '--command', client, '--json']);
  assert.equal(code, 0, err);
  const inspects = calls().filter((c) => c[0] === 'image');
  assert.deepEqual(
    inspects.sort(),
    [
      // The FROM line's first word (`.}}` is a second word of the line, as BuildKit reads it).
      ['image', 'inspect', '--format={{.Id}}', '--', '-f{{json'],
      ['image', 'inspect', '--format={{.Id}}', '--', '-q'],
    ].sort(),
  );
});

test('a Dockerfile, context, target and build argument that start with a dash stay operands and values', async () => {
  const dir = path.join(root, '-ctx');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '-f.Dockerfile'), 'FROM busybox AS --push\n');
  const { code, err } = await cli([
    '--command', client, '--context', '-ctx', '--target', '--push', '--build-arg', '-A=--output=type=local,dest=/', '--', '-ctx/-f.Dockerfile',
  ]);
  assert.equal(code, 0, err);
  const build = calls().find((c) => c[0] === 'build' && c[1] !== '--help');
  assert.deepEqual(build, [
    'build', '--progress=plain', `--file=${path.join(dir, '-f.Dockerfile')}`, '--target=--push',
    '--build-arg=-A=--output=type=local,dest=/', '--', dir,
  ]);
});

test('`dockopt build` takes -- before the Dockerfile, and a lone dash-word is an unknown option, not a file', async () => {
  fs.writeFileSync(path.join(root, '-odd.Dockerfile'), 'FROM busybox\n');
  const ended = await cli(['--command', client, '--', '-odd.Dockerfile']);
  assert.equal(ended.code, 0, ended.err);
  assert.ok(calls().some((c) => c.includes(`--file=${path.join(root, '-odd.Dockerfile')}`)));

  const unknown = await cli(['--command', client, '-odd.Dockerfile']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown option -odd\.Dockerfile \(a Dockerfile named so goes after --\)/);
  assert.deepEqual(calls(), [], 'nothing ran');
});
