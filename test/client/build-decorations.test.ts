import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineDecorations } from '../../client/src/builds/decoration-model';
import { API_TEXT, makeRecord } from './build-fixtures';

const afterCodeChange = makeRecord({
  outcomes: { 0: 'cached', 1: 'cached', 2: 'cached', 3: 'cached', 4: 70, 5: 1_800 },
  miss: { line: 4, message: 'files it copies changed since the last build: src/main.py' },
});

test('each instruction shows "cached" or its time at its line, the miss with its reason', () => {
  assert.deepEqual(
    lineDecorations(afterCodeChange, API_TEXT).map((d) => [d.line, d.kind, d.text]),
    [
      [0, 'cached', 'cached'],
      [1, 'cached', 'cached'],
      [2, 'cached', 'cached'],
      [3, 'cached', 'cached'],
      [4, 'miss', '0.1s · cache miss: files it copies changed since the last build: src/main.py'],
      [5, 'ran', '1.8s'],
    ],
  );
});

test('the hover of the miss explains that later steps ran because of it', () => {
  const miss = lineDecorations(afterCodeChange, API_TEXT).find((d) => d.kind === 'miss')!;
  assert.equal(miss.hover, 'Cache miss: files it copies changed since the last build: src/main.py. Every later step of the stage ran again because of it.');
});

test('lines added above move the decorations with their instructions', () => {
  const edited = `# syntax check\n\n${API_TEXT}`;
  assert.deepEqual(
    lineDecorations(afterCodeChange, edited).map((d) => d.line),
    [2, 3, 4, 5, 6, 7],
  );
});

test('an instruction changed since the build gets no decoration', () => {
  const edited = API_TEXT.replace('RUN python -m compileall src', 'RUN python -m compileall -q src');
  const lines = lineDecorations(afterCodeChange, edited).map((d) => d.line);
  assert.deepEqual(lines, [0, 1, 2, 3, 4]);
});

test('a failed step says failed; steps not run get nothing', () => {
  const failed = makeRecord({ outcomes: { 0: 'cached', 1: 'cached', 2: 'cached', 3: 'failed' } });
  assert.deepEqual(
    lineDecorations(failed, API_TEXT).map((d) => [d.line, d.text]),
    [
      [0, 'cached'],
      [1, 'cached'],
      [2, 'cached'],
      [3, 'failed'],
    ],
  );
});

test('a long reason is shortened at the line end, whole in the hover', () => {
  const long = 'files it copies changed since the last build: src/a.py, src/b.py, src/c.py (+12 more)';
  const record = makeRecord({ outcomes: { 0: 'cached', 4: 50 }, miss: { line: 4, message: long } });
  const miss = lineDecorations(record, API_TEXT).find((d) => d.kind === 'miss')!;
  assert.equal(miss.text, '0.1s · cache miss: files it copies changed since the last build: src/a.py, src/b.py, src…');
  assert.match(miss.hover, /\(\+12 more\)/);
});
