/**
 * Builds real Dockerfiles with a real BuildKit through the runner (see docker-gate.ts for
 * when they skip). Base images are local (scripts/docker-setup.sh); builds use --network=none.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServiceBuild, type ServiceBuildResult } from '../../buildkit/src/build-service';
import { BuildHistory } from '../../buildkit/src/history';
import { dockerSkipReason, TEST_DOCKER } from './docker-gate';

const skip = dockerSkipReason();
const runId = `${process.pid}${Date.now()}`;
let root = '';

function write(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

function build(dir: string, history: BuildHistory, extra: { onOutput?: (t: string) => void } = {}) {
  return startServiceBuild(
    { dockerfile: path.join(dir, 'Dockerfile'), context: dir, extraArgs: ['--network=none'] },
    { command: TEST_DOCKER, history, cwd: root, ...extra },
  );
}

const stepAt = (result: ServiceBuildResult, line: number) => result.record.steps.find((s) => s.line === line)!;

before(() => {
  if (!skip) root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-it-'));
});
after(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('a Python service rebuilt with a real BuildKit', { skip }, () => {
  // A directory name a shell would take apart: spaces, quotes, $(…) and ; must stay data.
  const appName = `app dir 'q' "d" $(touch pwned) ; x`;
  let dir = '';
  let history: BuildHistory;
  const dockerfile = [
    'FROM python:3.12-slim',
    // A line unique to this run makes the first build cold whatever the daemon cached before.
    `RUN echo "${runId}" > /run-id`,
    'WORKDIR /app',
    'COPY requirements.txt .',
    // Its own cache id: other suites on this daemon wipe /root/.cache/pip's default mount on purpose.
    'RUN --mount=type=cache,id=dockopt-integration-pip,target=/root/.cache/pip \\',
    '    pip install -r requirements.txt',
    'COPY src/ ./src/',
    'RUN ls src',
    '',
  ].join('\n');

  before(() => {
    dir = path.join(root, appName);
    history = new BuildHistory(path.join(root, 'history'));
    write(dir, {
      Dockerfile: dockerfile,
      '.dockerignore': '**/*.log\n',
      'requirements.txt': 'flask\n',
      'src/main.py': 'print("one")\n',
      'src/debug.log': 'first\n',
    });
  });

  test('cold: every step runs, no miss is blamed', async () => {
    const result = await build(dir, history).result;
    assert.equal(result.record.status, 'succeeded', result.record.problem?.message);
    assert.equal(result.record.exitCode, 0);
    const steps = result.record.steps.filter((s) => !s.internal);
    assert.deepEqual(steps.map((s) => s.line), [0, 1, 2, 3, 4, 6, 7]);
    // BuildKit prints the FROM as CACHED or DONE depending on its state; either way it is not counted.
    assert.deepEqual(steps.filter((s) => !s.cached && s.line !== 0).map((s) => s.line), [1, 2, 3, 4, 6, 7]);
    assert.equal(result.record.miss, null);
    // The FROM (the base image was already there) is not a cache hit this service earned.
    assert.deepEqual([result.record.totals.cachedSteps, result.record.totals.totalSteps], [0, 6]);
    assert.equal(fs.existsSync(path.join(root, 'pwned')), false);
    assert.equal(fs.existsSync(path.join(dir, 'pwned')), false);
  });

  test('unchanged: every step comes from the cache', async () => {
    const result = await build(dir, history).result;
    assert.equal(result.record.status, 'succeeded');
    assert.equal(result.record.totals.hitRatio, 1);
    assert.equal(result.record.totals.executedMs, 0);
    assert.equal(result.record.miss, null);
  });

  test('a change to a file the .dockerignore leaves out misses nothing', async () => {
    write(dir, { 'src/debug.log': 'second\n' });
    const result = await build(dir, history).result;
    assert.equal(result.record.totals.hitRatio, 1);
    assert.equal(result.record.miss, null);
  });

  test('code change: the COPY of the sources is the miss, and the changed file is named', async () => {
    write(dir, { 'src/main.py': 'print("two")\n' });
    const result = await build(dir, history).result;
    const miss = result.record.miss!;
    assert.equal(miss.line, 6);
    assert.equal(miss.instruction, 'COPY src/ ./src/');
    assert.equal(miss.kind, 'sources-changed');
    assert.deepEqual(miss.changedFiles, ['src/main.py']);
    assert.match(miss.message, /src\/main\.py/);
    assert.ok([1, 2, 3, 4].every((line) => stepAt(result, line).cached));
    assert.equal(stepAt(result, 7).cached, false);
    assert.equal(stepAt(result, 7).reason?.kind, 'earlier-miss');
  });

  test('dependency change: the COPY of requirements.txt is the miss; the cache mount keeps old downloads', async () => {
    // A package name new to the daemon's cache mount, which outlives this test run.
    write(dir, { 'requirements.txt': `flask\nrequests-${runId}\n` });
    const result = await build(dir, history).result;
    assert.equal(result.record.miss?.line, 3);
    assert.deepEqual(result.record.miss?.changedFiles, ['requirements.txt']);
    const pip = result.run.progress.steps.find((s) => s.line === 4)!;
    assert.equal(pip.status, 'executed');
    assert.ok(pip.logTail.includes('Using cached flask'), pip.logTail.join('\n'));
    assert.ok(pip.logTail.includes(`Downloading requests-${runId}`), pip.logTail.join('\n'));
  });

  test('keeps the builds in the history, newest last', async () => {
    const builds = await history.list(result0Key(dir));
    assert.equal(builds.length, 5);
    assert.deepEqual(builds.map((b) => b.miss?.line ?? null), [null, null, null, 6, 3]);
  });
});

function result0Key(dir: string) {
  return { dockerfile: path.join(dir, 'Dockerfile'), context: dir, target: null };
}

describe('failures and cancellation with a real BuildKit', { skip }, () => {
  test('a failing RUN fails the build with its step, line and error', async () => {
    const dir = path.join(root, 'failing');
    write(dir, {
      Dockerfile: ['FROM local/busybox:1', `RUN echo "${runId}"`, 'COPY . /src', 'RUN echo checking && exit 3', 'RUN echo never', ''].join('\n'),
    });
    const result = await build(dir, new BuildHistory(path.join(root, 'history'))).result;
    assert.equal(result.record.status, 'failed');
    assert.notEqual(result.record.exitCode, 0);
    assert.equal(result.record.problem?.kind, 'build-failed');
    assert.equal(result.record.problem?.step?.line, 3);
    assert.match(result.record.problem!.message, /line 4/);
    assert.match(result.record.problem!.message, /exit code: 3/);
    assert.equal(result.record.steps.some((s) => s.text === 'RUN echo never' && s.status === 'executed'), false);
  });

  test('cancel stops the build and leaves no process behind', async () => {
    const dir = path.join(root, 'cancel');
    const marker = `299.${String(process.pid).padStart(6, '0').slice(-6)}`;
    write(dir, { Dockerfile: ['FROM local/busybox:1', `RUN echo "started ${runId}" && sleep ${marker}`, ''].join('\n') });
    let output = '';
    let onStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (onStarted = resolve));
    const running = build(dir, new BuildHistory(path.join(root, 'history')), {
      onOutput: (text) => {
        output += text;
        if (output.includes(`started ${runId}`)) onStarted();
      },
    });
    await started;
    const pid = running.pid!;
    const t0 = Date.now();
    running.cancel();
    const result = await running.result;
    assert.equal(result.record.status, 'canceled');
    assert.ok(Date.now() - t0 < 15_000, 'cancel took too long');
    assert.equal(result.record.steps.find((s) => s.line === 1)?.status, 'canceled');
    assert.throws(() => process.kill(-pid, 0), /ESRCH/, 'the client process group is gone');
    // The RUN's own process lives under the daemon: it must stop too (bounded wait, no sleep).
    const deadline = Date.now() + 20_000;
    while (sleepersOf(marker).length && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    assert.deepEqual(sleepersOf(marker), []);
  });
});

/** Processes whose command line holds the marker (Linux /proc). */
function sleepersOf(marker: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(`sleep ${marker}`) && !cmd.includes('echo')) found.push(`${pid}: ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe('base image changes with a real BuildKit', { skip }, () => {
  test('a retagged base image is named as the reason', async () => {
    const tag = `dockopt-test/base:${runId}`;
    const dir = path.join(root, 'base');
    write(dir, { Dockerfile: [`FROM ${tag}`, 'RUN echo built > /built', ''].join('\n') });
    const history = new BuildHistory(path.join(root, 'history'));
    const variant = path.join(root, 'variant');
    write(variant, { Dockerfile: `FROM local/busybox:1\nRUN echo ${runId} > /variant\n` });
    try {
      execFileSync(TEST_DOCKER, ['tag', 'local/busybox:1', tag]);
      assert.equal((await build(dir, history).result).record.status, 'succeeded');
      execFileSync(TEST_DOCKER, ['build', '--network=none', '-q', '-t', tag, variant], { env: { ...process.env, DOCKER_BUILDKIT: '1' } });
      const result = await build(dir, history).result;
      assert.equal(result.record.miss?.line, 1);
      assert.equal(result.record.miss?.kind, 'base-image-changed');
      assert.match(result.record.miss!.message, new RegExp(tag.replace(/[.:/]/g, '\\$&')));
    } finally {
      execFileSync(TEST_DOCKER, ['rmi', '-f', tag], { stdio: 'ignore' });
    }
  });
});
