/**
 * A step the previous build never finished (cancelled, failed, or not reached) left no cache
 * entry: the rebuild says so instead of guessing that the cache was pruned.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeCacheMisses, type PreviousOutcome } from '../../buildkit/src/cache-miss';
import { attachLines, readDockerfileSteps } from '../../buildkit/src/dockerfile-steps';
import type { BuildFingerprint } from '../../buildkit/src/fingerprint';
import { parsePlainProgress } from '../../buildkit/src/plain-progress';

const DOCKERFILE = ['FROM python:3.12-slim', 'COPY requirements.txt .', 'RUN pip install -r requirements.txt', 'COPY src/ ./src/', ''].join('\n');
const layout = readDockerfileSteps(DOCKERFILE);

/** The same inputs both times: only the previous build's outcome can explain the miss. */
const fingerprint: BuildFingerprint = {
  steps: layout.instructions
    .filter((i) => i.stepIndex !== null)
    .map((i) => ({ line: i.line, stageIndex: 0, stage: 'stage-0', stepIndex: i.stepIndex!, keyword: i.keyword, text: i.text })),
  baseImages: [],
  buildArgs: {},
  ignoreFile: null,
};

// This build: the COPY of requirements.txt is cached (the cancelled build got that far), pip runs.
const OUTPUT = [
  '#4 [1/4] FROM docker.io/library/python:3.12-slim',
  '#4 DONE 0.0s',
  '#5 [2/4] COPY requirements.txt .',
  '#5 CACHED',
  '#6 [3/4] RUN pip install -r requirements.txt',
  '#6 DONE 9.1s',
  '#7 [4/4] COPY src/ ./src/',
  '#7 DONE 0.1s',
  '',
].join('\n');

function missAfter(previous: PreviousOutcome) {
  const steps = attachLines(parsePlainProgress(OUTPUT).steps, layout);
  return analyzeCacheMisses(steps, layout, fingerprint, fingerprint, previous).miss;
}

const step = (line: number, status: PreviousOutcome['steps'][number]['status'], cached = false) => ({ line, status, cached, internal: false });

test('a step cancelled in the last build is the miss, and the reason says it was cancelled', () => {
  const miss = missAfter({ steps: [step(0, 'executed', true), step(1, 'executed'), step(2, 'canceled')] });
  assert.equal(miss?.line, 2);
  assert.equal(miss?.kind, 'previous-incomplete');
  assert.equal(miss?.message, 'the last build was cancelled during this step, so it left nothing to reuse');
});

test('a step that failed last time says it failed', () => {
  const miss = missAfter({ steps: [step(0, 'executed', true), step(1, 'executed'), step(2, 'failed')] });
  assert.equal(miss?.message, 'it failed in the last build, so there was nothing to reuse');
});

test('a step the last build never reached says so', () => {
  const miss = missAfter({ steps: [step(0, 'executed', true), step(1, 'executed')] });
  assert.equal(miss?.message, 'the last build stopped before this step, so it left nothing to reuse');
});

test('a step the last build finished still falls back to "cache unavailable"', () => {
  const miss = missAfter({ steps: [step(0, 'executed', true), step(1, 'executed'), step(2, 'executed'), step(3, 'executed')] });
  assert.equal(miss?.kind, 'cache-unavailable');
});
