import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { comparablePair, compareBuilds } from '../../buildkit/src/compare';
import type { BuildRecord } from '../../buildkit/src/history';
import { formatBuildReport, formatComparison, formatDuration } from '../../buildkit/src/format';
import { record, step } from './records';

const cold = record(1, [step(null, '[internal] load build definition from Dockerfile', false, 10), step(0, 'FROM python:3.12-slim', true, 0), step(1, 'COPY requirements.txt .', false, 100), step(2, 'RUN pip install -r requirements.txt', false, 8000), step(3, 'COPY src/ ./src/', false, 50)], 9000);
const warm = record(2, [step(0, 'FROM python:3.12-slim', true, 0), step(1, 'COPY requirements.txt .', true, null), step(2, 'RUN pip install -r requirements.txt', true, null), step(3, 'COPY src/ ./src/', false, 40), step(4, 'RUN pytest', false, 200)], 1500);

test('compares step by step: cached before and after, and time', () => {
  const cmp = compareBuilds(cold, warm);
  const pip = cmp.steps.find((s) => s.text.startsWith('RUN pip'))!;
  assert.deepEqual(pip.before, { status: 'executed', cached: false, durationMs: 8000 });
  assert.deepEqual(pip.after, { status: 'cached', cached: true, durationMs: null });
  assert.equal(cmp.steps.find((s) => s.text === 'RUN pytest')!.before, null);
  assert.equal(cmp.steps.some((s) => s.text.startsWith('[internal]')), false);
});

test('reports the total speed-up and time saved', () => {
  const cmp = compareBuilds(cold, warm);
  assert.equal(cmp.speedup, 6);
  assert.equal(cmp.savedMs, 7500);
  assert.match(formatComparison(cmp), /Speed-up: 6\.0× faster \(7\.5s saved\)/);
  assert.match(formatComparison(compareBuilds(warm, cold)), /Slow-down: 6\.0× slower \(7\.5s more\)/);
});

test('prints the comparison side by side with 1-based lines', () => {
  const text = formatComparison(compareBuilds(cold, warm));
  const pipRow = text.split('\n').find((l) => l.includes('RUN pip install'))!;
  assert.match(pipRow, /^\s+3\s+RUN pip install -r requirements.txt\s+ran 8\.0s\s+cached$/);
  assert.match(text.split('\n').find((l) => l.includes('RUN pytest'))!, /—\s+ran 0\.2s$/);
});

test('prints the step table with totals and the miss', () => {
  const withMiss = { ...warm, miss: { kind: 'sources-changed' as const, message: 'files it copies changed since the last build: src/main.py', line: 3, instruction: 'COPY src/ ./src/', stepName: '[stage-0 4/5] COPY src/ ./src/' } };
  const text = formatBuildReport(withMiss);
  assert.match(text, /^Build succeeded in 1\.5s: 3\/5 cached \(60%\)/);
  assert.match(text.split('\n').find((l) => l.includes('COPY src/'))!, /^\s+4\s+COPY src\/ \.\/src\/\s+ran\s+0\.0s {2}← cache miss$/);
  assert.match(text, /Cache miss at line 4: COPY src\/ \.\/src\/\n {2}files it copies changed since the last build: src\/main\.py/);
});

test('formats durations for people', () => {
  assert.deepEqual([formatDuration(null), formatDuration(0), formatDuration(1234), formatDuration(125_000)], ['-', '0.0s', '1.2s', '2m05s']);
});

describe('comparablePair', () => {
  const build = (id: string, status: 'succeeded' | 'failed' | 'canceled') => ({ id, status }) as unknown as BuildRecord;

  it('compares the newest successful build with the successful one before it, skipping failed and cancelled ones', () => {
    const builds = [build('a', 'succeeded'), build('b', 'failed'), build('c', 'canceled'), build('d', 'succeeded'), build('e', 'failed')];
    assert.deepEqual(comparablePair(builds)?.map((b) => b.id), ['a', 'd']);
  });

  it('takes the build asked for as the later one', () => {
    const builds = [build('a', 'succeeded'), build('b', 'succeeded'), build('c', 'succeeded')];
    assert.deepEqual(comparablePair(builds, 1)?.map((b) => b.id), ['a', 'b']);
  });

  it('falls back to neighbours when nothing succeeded, and needs two builds', () => {
    assert.deepEqual(comparablePair([build('a', 'failed'), build('b', 'failed')])?.map((b) => b.id), ['a', 'b']);
    assert.equal(comparablePair([build('a', 'succeeded')]), undefined);
  });
});
