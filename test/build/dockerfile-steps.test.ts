import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachLines, matchStep, readDockerfileSteps } from '../../buildkit/src/dockerfile-steps';
import { parsePlainProgress } from '../../buildkit/src/plain-progress';
import { parseRawJsonProgress } from '../../buildkit/src/rawjson-progress';
import { parseStepName } from '../../buildkit/src/step-name';
import { fixture } from './fixtures';

const lineOf = (dockerfile: string, stepName: string) => matchStep(readDockerfileSteps(dockerfile), parseStepName(stepName))?.line ?? null;

test('matches a RUN written over continuation lines with comments to its first line', () => {
  const dockerfile = [
    'FROM python:3.12-slim',
    'RUN --mount=type=cache,target=/root/.cache/pip \\',
    '    # install the locked set',
    '    pip install \\',
    '      -r requirements.txt',
  ].join('\n');
  assert.equal(lineOf(dockerfile, '[stage-0 2/2] RUN --mount=type=cache,target=/root/.cache/pip     pip install       -r requirements.txt'), 1);
});

test('matches text whatever its spacing when the position does not fit', () => {
  const dockerfile = 'FROM alpine\nRUN   echo   a\nRUN echo b\n';
  assert.equal(lineOf(dockerfile, '[1/9] RUN echo b'), 2);
  assert.equal(lineOf(dockerfile, '[1/9] RUN echo a'), 1);
});

test('honours the escape directive when joining lines', () => {
  const dockerfile = '# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN echo a `\n    b\n';
  assert.equal(readDockerfileSteps(dockerfile).instructions[1].text, 'RUN echo a b');
});

test('finds named stages, numbered stages and platform prefixes', () => {
  const dockerfile = [
    'FROM golang:1.22 AS Builder',
    'WORKDIR /src',
    'RUN go build ./...',
    'FROM alpine',
    'COPY --from=builder /src/app /app',
  ].join('\n');
  assert.equal(lineOf(dockerfile, '[builder 3/3] RUN go build ./...'), 2);
  assert.equal(lineOf(dockerfile, '[linux/amd64 builder 2/3] WORKDIR /src'), 1);
  assert.equal(lineOf(dockerfile, '[linux/arm/v7 stage-1 2/2] COPY --from=builder /src/app /app'), 4);
  assert.equal(lineOf(dockerfile, '[stage-1 1/2] FROM docker.io/library/alpine:latest@sha256:' + 'f'.repeat(64)), 3);
});

test('matches a FROM by image even when BuildKit normalized the reference', () => {
  assert.equal(lineOf('FROM python:3.12-slim\nRUN x\n', '[1/2] FROM docker.io/library/python:3.12-slim@sha256:' + 'a'.repeat(64)), 0);
});

test('trusts stage and position when BuildKit expanded a variable in the text', () => {
  const dockerfile = 'FROM alpine AS base\nARG VERSION=1\nRUN echo $VERSION\n';
  assert.equal(lineOf(dockerfile, '[base 2/2] RUN echo $VERSION'), 2);
  assert.equal(lineOf(dockerfile, '[base 2/2] RUN echo 1'), 2);
});

test('gives no line to internal steps', () => {
  const dockerfile = 'FROM alpine\n';
  for (const name of ['[internal] load build definition from Dockerfile', '[linux/amd64 internal] load metadata for docker.io/library/alpine', 'exporting to image', '[auth] library/alpine:pull token']) {
    assert.equal(lineOf(dockerfile, name), null, name);
  }
});

test('gives no line to a step whose text is nowhere in the Dockerfile', () => {
  assert.equal(lineOf('FROM alpine\nRUN a\n', '[stage-0 2/2] COPY x y'), null);
});

test('survives text that is not a Dockerfile', () => {
  assert.deepEqual(readDockerfileSteps('\u0000\u0001 not a dockerfile').stages, []);
  assert.equal(lineOf('', '[1/1] RUN x'), null);
});

test('places every step of the recorded builds on its line', () => {
  const expected: Record<string, Record<string, number>> = {
    'python-app': { FROM: 0, WORKDIR: 1, 'COPY requirements.txt': 2, 'RUN --mount': 3, 'COPY src': 5, 'RUN echo': 6 },
    failure: { FROM: 0, WORKDIR: 1, 'COPY . .': 2, 'RUN echo "checking"': 3 },
    'multi-stage': { 'WORKDIR /deps': 1, 'RUN for i in 1 2 3 4 5 6; do echo "deps': 2, 'WORKDIR /assets': 5, 'RUN for i in 1 2 3 4 5 6; do echo "assets': 6, 'COPY --from=deps': 9, 'COPY --from=assets': 10, 'RUN echo final': 11 },
  };
  for (const [name, lines] of Object.entries(expected)) {
    const layout = readDockerfileSteps(fixture(`${name}.Dockerfile`));
    for (const file of [`${name}.plain.txt`, `${name}.rawjson.txt`].map((f) => (name === 'python-app' ? f.replace('.', '.cold.') : f))) {
      const parse = file.includes('rawjson') ? parseRawJsonProgress : parsePlainProgress;
      const steps = attachLines(parse(fixture(file)).steps.filter((s) => !s.internal), layout);
      for (const [prefix, line] of Object.entries(lines)) {
        const step = steps.find((s) => s.text.startsWith(prefix));
        assert.equal(step?.line, line, `${file}: ${prefix}`);
      }
      assert.ok(steps.every((s) => s.line !== null), `${file}: all steps placed`);
    }
  }
});

test('places both platforms of a multi-platform step on the same line', () => {
  const layout = readDockerfileSteps(fixture('multi-platform.Dockerfile'));
  const steps = attachLines(parsePlainProgress(fixture('multi-platform.plain.txt')).steps, layout);
  const runs = steps.filter((s) => s.text.startsWith('RUN'));
  assert.deepEqual(runs.map((s) => [s.platform, s.line]), [['linux/amd64', 2], ['linux/arm64', 2]]);
  assert.deepEqual(steps.filter((s) => s.internal).map((s) => s.line), [null, null, null, null, null]);
});
