import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparisonMarkdown, speedupText } from '../../client/src/builds/comparison';
import { makeRecord } from './build-fixtures';

const cold = makeRecord({ outcomes: { 0: 'cached', 1: 100, 2: 50, 3: 8000, 4: 60, 5: 900 }, durationMs: 12_300, startedAt: '2025-01-02T10:00:00.000Z' });
const warm = makeRecord({
  outcomes: { 0: 'cached', 1: 'cached', 2: 'cached', 3: 'cached', 4: 70, 5: 800 },
  miss: { line: 4, message: 'files it copies changed since the last build: src/main.py' },
  durationMs: 2_100,
  startedAt: '2025-01-02T10:04:00.000Z',
});

test('per step: cached or time before and after, as a padded table', () => {
  const text = comparisonMarkdown('api', cold, warm);
  const table = text.split('\n').filter((l) => l.startsWith('|'));
  assert.deepEqual(table, [
    '| Line | Step                                    | Before | After  |',
    '|------|-----------------------------------------|--------|--------|',
    '| 1    | FROM docker.io/library/python:3.12-slim | cached | cached |',
    '| 2    | WORKDIR /app                            | 0.1s   | cached |',
    '| 3    | COPY requirements.txt .                 | 0.1s   | cached |',
    '| 4    | RUN pip install -r requirements.txt     | 8.0s   | cached |',
    '| 5    | COPY src/ ./src/                        | 0.1s   | 0.1s   |',
    '| 6    | RUN python -m compileall src            | 0.9s   | 0.8s   |',
    '|      | **Total**                               | 12.3s  | 2.1s   |',
  ]);
});

test('the total speed-up and both misses are stated', () => {
  const text = comparisonMarkdown('api', cold, warm);
  assert.match(text, /^# api: last two builds$/m);
  assert.match(text, /\*\*Result:\*\* 5\.9× faster \(10\.2s saved\)/);
  assert.match(text, /\*\*Before:\*\* .* succeeded in 12\.3s, 0\/5 cached \(0%\); no cache miss/);
  assert.match(text, /\*\*After:\*\* .* succeeded in 2\.1s, 3\/5 cached \(60%\); cache miss at line 5 \(`COPY src\/ \.\/src\/`\): files it copies changed since the last build: src\/main\.py/);
});

test('a slower second build says so', () => {
  assert.equal(speedupText(warm, cold), '5.9× slower (10.2s more)');
});

test('a pipe in an instruction does not break the table', () => {
  const text = 'FROM python:3.12-slim\nRUN echo a | tee /a\n';
  const before = makeRecord({ text, outcomes: { 0: 'cached', 1: 300 } });
  const after = makeRecord({ text, outcomes: { 0: 'cached', 1: 'cached' } });
  assert.match(comparisonMarkdown('x', before, after), /\| RUN echo a \\\| tee \/a /);
});
