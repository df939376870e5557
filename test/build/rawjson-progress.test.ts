import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeTotals, isCachedStep } from '../../buildkit/src/model';
import { RawJsonEcho } from '../../buildkit/src/rawjson-echo';
import { RawJsonProgressParser, parseRawJsonProgress } from '../../buildkit/src/rawjson-progress';
import { fixture } from './fixtures';

const dockerfileSteps = (text: string) => parseRawJsonProgress(text).steps.filter((s) => !s.internal);

test('merges the updates of each vertex by digest into one step', () => {
  const text = fixture('python-app.cold.rawjson.txt');
  const updates = text.split('\n').filter((l) => l.includes('"[stage-0 6/6] RUN echo built')).length;
  assert.ok(updates > 1, 'the fixture sends the step more than once');
  const steps = dockerfileSteps(text);
  assert.equal(steps.filter((s) => s.text === 'RUN echo built && ls src').length, 1);
  assert.equal(steps.length, 6);
});

test('computes durations from the started and completed timestamps', () => {
  const run = dockerfileSteps(fixture('python-app.cold.rawjson.txt')).find((s) => s.text.startsWith('RUN echo built'))!;
  assert.equal(run.status, 'executed');
  assert.equal(run.durationMs, run.completedAt! - run.startedAt!);
  assert.ok(run.durationMs! > 0);
});

test('decodes base64 log data into lines', () => {
  const run = dockerfileSteps(fixture('python-app.cold.rawjson.txt')).find((s) => s.text.startsWith('RUN echo built'))!;
  assert.deepEqual(run.logTail, ['built', 'main.py']);
});

test('reads cached steps of a rebuild after a code change', () => {
  const steps = dockerfileSteps(fixture('python-app.code-change.rawjson.txt'));
  assert.deepEqual(
    steps.filter((s) => !isCachedStep(s)).map((s) => s.text),
    ['FROM docker.io/library/python:3.12-slim', 'COPY src/ ./src/', 'RUN echo built && ls src'],
  );
  assert.equal(computeTotals(steps, null).hitRatio, 3 / 5);
});

test('marks the failing vertex failed, and drops vertices that never started', () => {
  const progress = parseRawJsonProgress(fixture('failure.rawjson.txt'));
  const failed = progress.steps.find((s) => s.status === 'failed')!;
  assert.equal(failed.text, 'RUN echo "checking" && ls && exit 3');
  assert.match(failed.error!, /exit code: 3/);
  assert.deepEqual(failed.logTail, ['checking', 'Dockerfile', 'app.sh']);
  assert.ok(fixture('failure.rawjson.txt').includes('RUN echo never'), 'the fixture announces the next step');
  assert.equal(progress.steps.some((s) => s.text === 'RUN echo never'), false);
  assert.match(progress.errorText!, /exit code: 3/);
});

test('tells a cancelled step from a failed one by its error', () => {
  const progress = parseRawJsonProgress(fixture('cancel.rawjson.txt'));
  const run = progress.steps.find((s) => s.text.startsWith('RUN'))!;
  assert.equal(run.status, 'canceled');
  assert.deepEqual(run.logTail, ['starting']);
  assert.equal(progress.errorText, 'context canceled');
});

test('reads a multi-stage build and its wall time', () => {
  const progress = parseRawJsonProgress(fixture('multi-stage.rawjson.txt'));
  const stages = new Set(progress.steps.filter((s) => !s.internal).map((s) => s.stage));
  assert.deepEqual([...stages].sort(), ['assets', 'deps', 'stage-2']);
  const deps = progress.steps.find((s) => s.stage === 'deps' && s.index === 3)!;
  assert.deepEqual(deps.logTail, ['deps 1', 'deps 2', 'deps 3', 'deps 4', 'deps 5', 'deps 6']);
  assert.ok(progress.spanMs! >= deps.durationMs!);
});

test('gives the same model when fed in small chunks as when fed whole', () => {
  const text = fixture('multi-stage.rawjson.txt');
  const parser = new RawJsonProgressParser();
  for (let i = 0; i < text.length; i += 13) parser.feed(text.slice(i, i + 13));
  assert.deepEqual(parser.end(), parseRawJsonProgress(text));
});

test('joins a log line split across two log records', () => {
  const digest = 'sha256:' + 'a'.repeat(64);
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const progress = parseRawJsonProgress(
    [
      JSON.stringify({ vertexes: [{ digest, name: '[1/1] RUN x', started: '2024-01-01T00:00:00Z' }] }),
      JSON.stringify({ logs: [{ vertex: digest, stream: 1, data: b64('hel'), timestamp: '2024-01-01T00:00:00Z' }] }),
      JSON.stringify({ logs: [{ vertex: digest, stream: 1, data: b64('lo\nwor'), timestamp: '2024-01-01T00:00:00Z' }] }),
      JSON.stringify({ vertexes: [{ digest, name: '[1/1] RUN x', started: '2024-01-01T00:00:00Z', completed: '2024-01-01T00:00:01.5Z' }] }),
    ].join('\n'),
  );
  assert.deepEqual(progress.steps[0].logTail, ['hello', 'wor']);
  assert.equal(progress.steps[0].durationMs, 1500);
});

test('shows running and pending steps while the build goes on', () => {
  const parser = new RawJsonProgressParser();
  const a = 'sha256:' + '1'.repeat(64);
  const b = 'sha256:' + '2'.repeat(64);
  parser.feed(JSON.stringify({ vertexes: [{ digest: a, name: '[1/2] FROM x', started: '2024-01-01T00:00:00Z' }, { digest: b, name: '[2/2] RUN y' }] }) + '\n');
  assert.deepEqual(parser.snapshot().steps.map((s) => s.status), ['running', 'pending']);
});

test('keeps lines that are not JSON as client messages', () => {
  const progress = parseRawJsonProgress('{"vertexes":[]}\nnot json {\nERROR: failed to solve: boom\n');
  assert.deepEqual(progress.messages, ['not json {', 'ERROR: failed to solve: boom']);
  assert.equal(progress.errorText, 'failed to solve: boom');
});

test('renders rawjson for the terminal in the shape of plain progress', () => {
  const echo = new RawJsonEcho();
  const shown = fixture('failure.rawjson.txt').split('\n').map((l) => echo.line(l)).join('');
  const failing = /#(\d+) \[4\/5\] RUN echo "checking" && ls && exit 3\n/.exec(shown);
  assert.ok(failing, shown);
  const n = failing[1];
  assert.match(shown, new RegExp(`#${n} checking\\n#${n} Dockerfile\\n#${n} app.sh\\n#${n} ERROR: executor failed running`));
  assert.match(shown, /#\d+ \[2\/5\] WORKDIR \/app\n#\d+ CACHED\n/);
  assert.match(shown, /ERROR: executor failed running \[\/bin\/sh -c echo "checking" && ls && exit 3\]: exit code: 3\n$/);
  assert.equal(shown.includes('{'), false);
});
