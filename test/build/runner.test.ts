import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { probeClient, progressModeFromHelp, type ClientCapabilities } from '../../buildkit/src/client';
import { classifyClientError } from '../../buildkit/src/problems';
import { buildArgv, startBuild } from '../../buildkit/src/runner';

const DOCKER_CLI = '/usr/bin/docker';
const noDebianClient = fs.existsSync(DOCKER_CLI) ? false : `${DOCKER_CLI} is not installed (run: bash scripts/docker-setup.sh)`;

const buildx: ClientCapabilities = { command: 'docker', buildArgs: ['buildx', 'build'], buildx: true, progress: 'rawjson' };

test('passes paths as single arguments, whatever characters they hold', () => {
  const context = `/tmp/my app/'q' "d" $(touch x); rm -rf ~`;
  const args = buildArgv(
    { dockerfile: `${context}/Dockerfile`, context, target: 'test', buildArgs: { A: 'b c' }, tag: 'x:1', extraArgs: ['--network=none'] },
    buildx,
    'remote',
  );
  assert.deepEqual(args, [
    'buildx', 'build', '--progress=rawjson', '--builder=remote', `--file=${context}/Dockerfile`,
    '--target=test', '--build-arg=A=b c', '--tag=x:1', '--network=none', '--', context,
  ]);
});

test('no path or value that starts with a dash reads as an option: values are --flag=value, the context follows --', () => {
  const args = buildArgv(
    { dockerfile: '-f.Dockerfile', context: '--rm', target: '--push', buildArgs: { '-A': '--output=type=local,dest=/' }, tag: '-t' },
    { ...buildx, progress: 'plain' },
    '--help',
  );
  assert.deepEqual(args, [
    'buildx', 'build', '--progress=plain', '--builder=--help', '--file=-f.Dockerfile', '--target=--push',
    '--build-arg=-A=--output=type=local,dest=/', '--tag=-t', '--', './--rm',
  ]);
  // `-` alone would still mean "the context on stdin", even after `--`.
  assert.deepEqual(buildArgv({ dockerfile: 'D', context: '-' }, buildx).slice(-2), ['--', './-']);
  assert.deepEqual(buildArgv({ dockerfile: 'D', context: '/abs/-x' }, buildx).slice(-2), ['--', '/abs/-x']);
});

test('asks for rawjson only when the client lists it, and for no progress when it has none', () => {
  const debian = `      --progress string         Set type of progress output (auto, plain,\n                                tty). Use plain to show container output\n                                (default "auto")`;
  const buildxHelp = `      --progress string               Set type of progress output ("auto", "quiet", "plain", "tty",\n                                      "rawjson"). Use plain to show container output (default "auto")`;
  assert.equal(progressModeFromHelp(debian), 'plain');
  assert.equal(progressModeFromHelp(buildxHelp), 'rawjson');
  assert.equal(progressModeFromHelp('  -t, --tag list   Name and optionally a tag'), null);
});

test('a client that is not on PATH is a clear error', async () => {
  const run = await startBuild({ dockerfile: 'Dockerfile', context: '.' }, { command: 'dockopt-no-such-docker' }).result;
  assert.equal(run.status, 'error');
  assert.equal(run.problem?.kind, 'client-not-found');
  assert.match(run.problem!.message, /'dockopt-no-such-docker' was not found on PATH/);
  assert.match(run.problem!.hint, /--command/);
});

test('a daemon that does not answer is a clear error', { skip: noDebianClient }, async () => {
  const run = await startBuild(
    { dockerfile: 'Dockerfile', context: '.' },
    { command: DOCKER_CLI, env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/dockopt.sock' } },
  ).result;
  assert.equal(run.status, 'error');
  assert.equal(run.problem?.kind, 'daemon-unreachable');
  assert.match(run.problem!.hint, /Start Docker/);
});

test('--builder without buildx is a clear error', { skip: noDebianClient }, async () => {
  const probe = await probeClient({ command: DOCKER_CLI, builder: 'remote' });
  if (probe.capabilities?.buildx) return; // this client has buildx: nothing to refuse
  assert.equal(probe.problem?.kind, 'builder-needs-buildx');
});

test('recognizes the client errors users meet', () => {
  const cases: Array<[string, string]> = [
    ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', 'daemon-unreachable'],
    ['permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Post "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/build": dial unix /var/run/docker.sock: connect: permission denied', 'permission-denied'],
    ['ERROR: BuildKit is enabled but the buildx component is missing or broken.', 'buildkit-unavailable'],
  ];
  for (const [text, kind] of cases) assert.equal(classifyClientError(text)?.kind, kind, text);
  assert.equal(classifyClientError('executor failed running [/bin/sh -c exit 3]: exit code: 3'), null);
});

test('a build cancelled before it started never spawns the client', async () => {
  const controller = new AbortController();
  controller.abort();
  const running = startBuild({ dockerfile: 'Dockerfile', context: '.' }, { capabilities: { ...buildx, command: 'dockopt-no-such-docker' }, command: 'dockopt-no-such-docker', signal: controller.signal });
  const run = await running.result;
  assert.equal(run.status, 'canceled');
  assert.equal(running.pid, undefined);
});

// On this kind of machine the `docker` first on PATH is a newer client without buildx.
const NEW_CLIENT = '/usr/local/bin/docker';
test('a client without BuildKit is a clear error', { skip: fs.existsSync(NEW_CLIENT) ? false : `${NEW_CLIENT} is not here` }, async (t) => {
  const probe = await probeClient({ command: NEW_CLIENT });
  if (probe.capabilities?.buildx) return t.skip(`${NEW_CLIENT} has buildx`);
  const run = await startBuild({ dockerfile: 'Dockerfile', context: '.' }, { command: NEW_CLIENT }).result;
  assert.equal(run.status, 'error');
  assert.equal(run.problem?.kind, 'buildkit-unavailable');
  // What is wrong and both ways out, naming the client that refused.
  assert.match(run.problem!.message, new RegExp(`'${NEW_CLIENT}' is a Docker CLI without the buildx plugin`));
  assert.match(run.problem!.hint, /Install the buildx plugin .*or set dockopt\.build\.command .* to a client with BuildKit built in/);
  assert.deepEqual(run.argv.slice(0, 2), [NEW_CLIENT, 'build']);
});
