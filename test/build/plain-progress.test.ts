import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeTotals, isCachedStep } from '../../buildkit/src/model';
import { PlainProgressParser, parsePlainProgress } from '../../buildkit/src/plain-progress';
import { formatHitRatio } from '../../buildkit/src/format';
import { fixture } from './fixtures';

const dockerfileSteps = (text: string) => parsePlainProgress(text).steps.filter((s) => !s.internal);

test('reads a cold single-stage build: every step ran except the base image', () => {
  const steps = dockerfileSteps(fixture('python-app.cold.plain.txt'));
  assert.deepEqual(
    steps.map((s) => [s.stage, s.index, s.count, s.text.split(' ')[0]]),
    [
      ['stage-0', 1, 6, 'FROM'],
      ['stage-0', 2, 6, 'WORKDIR'],
      ['stage-0', 3, 6, 'COPY'],
      ['stage-0', 4, 6, 'RUN'],
      ['stage-0', 5, 6, 'COPY'],
      ['stage-0', 6, 6, 'RUN'],
    ],
  );
  const run = steps.find((s) => s.text.startsWith('RUN echo built'))!;
  assert.equal(run.status, 'executed');
  assert.equal(run.durationMs, 100);
  assert.deepEqual(run.logTail, ['built', 'main.py']);
});

test('keeps the digest line of BuildKit before 0.10 out of the logs', () => {
  const from = dockerfileSteps(fixture('python-app.cold.plain.txt'))[0];
  assert.equal(from.digest, 'sha256:b9628dc696734fcf33926d1ee96c3dfc0590fa5472131aed1d9a4fde7600dede');
  assert.deepEqual(from.logTail, []);
  assert.equal(from.transferred, false);
});

test('counts every step of an unchanged rebuild as cached (the FROM is not a step the cache serves)', () => {
  const { steps } = parsePlainProgress(fixture('python-app.unchanged.plain.txt'));
  const totals = computeTotals(steps, null);
  assert.deepEqual([totals.cachedSteps, totals.totalSteps, totals.hitRatio, totals.executedMs], [5, 5, 1, 0]);
});

test('a cold build: the FROM (image already there, DONE 0.0s) is not a hit; what BuildKit printed CACHED is', () => {
  const { steps } = parsePlainProgress(fixture('python-app.cold.plain.txt'));
  const from = steps.find((s) => s.text.startsWith('FROM '))!;
  assert.equal(from.status, 'executed');
  assert.equal(isCachedStep(from), false);
  const totals = computeTotals(steps, null);
  assert.equal(totals.totalSteps, 5);
  // WORKDIR /app came from BuildKit's cache (an earlier build on the same base); nothing else did.
  assert.deepEqual(steps.filter(isCachedStep).map((s) => s.text), ['WORKDIR /app']);
  assert.equal(formatHitRatio(totals.cachedSteps, totals.totalSteps), '1/5 cached (20%)');
});

test('sees which steps ran again after a code change', () => {
  const steps = dockerfileSteps(fixture('python-app.code-change.plain.txt'));
  const ran = steps.filter((s) => !isCachedStep(s)).map((s) => s.text);
  assert.deepEqual(ran, ['FROM docker.io/library/python:3.12-slim', 'COPY src/ ./src/', 'RUN echo built && ls src']);
  assert.deepEqual([computeTotals(steps, null).cachedSteps, computeTotals(steps, null).totalSteps], [3, 5]);
});

test('marks the failing step with its error and keeps its output', () => {
  const progress = parsePlainProgress(fixture('failure.plain.txt'));
  const failed = progress.steps.filter((s) => s.status === 'failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0].text, 'RUN echo "checking" && ls && exit 3');
  assert.match(failed[0].error!, /exit code: 3/);
  assert.deepEqual(failed[0].logTail, ['checking', 'Dockerfile', 'app.sh']);
  assert.match(progress.errorText!, /exit code: 3/);
  assert.equal(progress.steps.some((s) => s.text === 'RUN echo never'), false);
});

test('reads a cancelled build', () => {
  const progress = parsePlainProgress(fixture('cancel.plain.txt'));
  const run = progress.steps.find((s) => s.text.startsWith('RUN'))!;
  assert.equal(run.status, 'canceled');
  assert.deepEqual(run.logTail, ['starting']);
  assert.equal(progress.errorText, 'context canceled');
});

test('follows interleaved stages: a step resumed after `...` keeps one entry with all its logs', () => {
  const steps = dockerfileSteps(fixture('multi-stage.plain.txt'));
  const assets = steps.filter((s) => s.stage === 'assets' && s.index === 3);
  assert.equal(assets.length, 1);
  assert.deepEqual(assets[0].logTail, ['assets 1', 'assets 2', 'assets 3', 'assets 4', 'assets 5', 'assets 6']);
  assert.equal(assets[0].status, 'executed');
  assert.equal(assets[0].durationMs, 8000);
  assert.deepEqual(
    [...new Set(steps.map((s) => s.stage))].sort(),
    ['assets', 'deps', 'stage-2'],
  );
});

test('reads platform and stage from multi-platform step names', () => {
  const steps = dockerfileSteps(fixture('multi-platform.plain.txt'));
  const copy = steps.filter((s) => s.text.startsWith('COPY'));
  assert.deepEqual(
    copy.map((s) => [s.platform, s.stage, s.index, s.count]),
    [
      ['linux/amd64', 'stage-1', 2, 2],
      ['linux/arm64', 'stage-1', 2, 2],
    ],
  );
  const internal = parsePlainProgress(fixture('multi-platform.plain.txt')).steps.filter((s) => s.internal);
  assert.ok(internal.some((s) => s.name === '[linux/arm64 internal] load metadata for docker.io/local/busybox:1'));
});

test('a FROM that pulled layers is not counted as cached', () => {
  const steps = dockerfileSteps(fixture('multi-platform.plain.txt'));
  const pulled = steps.find((s) => s.platform === 'linux/arm64' && s.text.startsWith('FROM'))!;
  assert.equal(pulled.transferred, true);
  assert.equal(isCachedStep(pulled), false);
});

test('recognizes the legacy builder', () => {
  const progress = parsePlainProgress(fixture('failure.legacy.txt'));
  assert.equal(progress.legacyBuilder, true);
  assert.deepEqual(progress.steps, []);
  assert.match(progress.errorText!, /returned a non-zero code: 3/);
});

test('gives the same model when fed in small chunks as when fed whole', () => {
  const text = fixture('multi-stage.plain.txt');
  const parser = new PlainProgressParser();
  for (let i = 0; i < text.length; i += 7) parser.feed(text.slice(i, i + 7));
  assert.deepEqual(parser.end(), parsePlainProgress(text));
});

test('shows a step as running until its DONE line arrives', () => {
  const parser = new PlainProgressParser();
  parser.feed('#8 [stage-0 4/6] RUN make\n#8 0.110 compiling\n#8 DO');
  const running = parser.snapshot().steps[0];
  assert.equal(running.status, 'running');
  assert.deepEqual(running.logTail, ['compiling']);
  parser.feed('NE 1.1s\n');
  assert.equal(parser.snapshot().steps[0].status, 'executed');
  assert.equal(parser.snapshot().steps[0].durationMs, 1100);
});

test('takes steps that arrive out of order by their number, not their position', () => {
  const progress = parsePlainProgress(
    ['#5 [2/3] RUN b', '#4 [1/3] FROM docker.io/library/x', '#4 CACHED', '#5 DONE 0.5s', '#6 [3/3] RUN c', '#6 ERROR: boom'].join('\n'),
  );
  assert.deepEqual(
    progress.steps.map((s) => [s.id, s.index, s.status]),
    [
      ['#5', 2, 'executed'],
      ['#4', 1, 'cached'],
      ['#6', 3, 'failed'],
    ],
  );
});

test('ignores the buildx preamble and CRLF line ends', () => {
  const progress = parsePlainProgress('#0 building with "default" instance using docker driver\r\n\r\n#1 [1/1] FROM x\r\n#1 DONE 0.0s\r\n');
  assert.deepEqual(progress.steps.map((s) => [s.id, s.text, s.status]), [['#1', 'FROM x', 'executed']]);
});
