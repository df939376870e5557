/**
 * The memo of dockerfile-ast's argument scan (server/src/dockerfile/argument-memo.ts) is in place
 * and changes nothing: every instruction's arguments, flags and JSON form read the same as a
 * fresh scan, and each call returns a list of its own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Instruction } from 'dockerfile-ast';
import { argumentMemoInstalled, readArgumentsAgain } from '../../server/src/dockerfile/argument-memo';
import { parseDockerfile } from '../../server/src/dockerfile/model';

const FILES = [
  [
    'FROM --platform=$BUILDPLATFORM python:3.12-slim AS build',
    'ARG A=1 B',
    'ENV X="a b" Y=c\\',
    '    Z=d',
    'LABEL one="1" two=2',
    'COPY --from=build --chown=app:app ["a b", "c", "/d/"]',
    'ADD --checksum=sha256:0 https://example.com/x /x',
    'RUN --mount=type=cache,target=/root/.cache/pip \\',
    '    # a comment inside',
    '    pip install -r requirements.txt && \\',
    '    echo done',
    'RUN ["sh", "-c", "echo \\"hi\\""]',
    'RUN <<EOF bash',
    'set -e',
    'echo heredoc',
    'EOF',
    'COPY <<-CONF /etc/app.conf',
    '\tkey=value',
    '\tCONF',
    'ONBUILD RUN --mount=type=secret,id=x echo onbuild',
    'HEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1',
    'USER app:app',
    'WORKDIR /app',
    'CMD ["python", "-m", "app"]',
  ].join('\n'),
  ['# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN powershell -Command `', '    Write-Host hi', 'COPY C:\\src C:\\dst'].join('\r\n'),
];

const shape = (args: ReturnType<Instruction['getArguments']>) => args.map((a) => ({ value: a.getValue(), range: a.getRange() }));

test('the memo is installed on this dockerfile-ast', () => {
  assert.ok(argumentMemoInstalled, 'dockerfile-ast has no Instruction.prototype.getRawArguments any more: parses are slower until argument-memo.ts follows it');
});

for (const [n, text] of FILES.entries()) {
  test(`file ${n + 1}: every instruction reads as a fresh scan does, and each call gets its own list`, () => {
    const model = parseDockerfile(text);
    assert.ok(model.instructions.length >= 3);
    for (const { ast } of model.instructions) {
      const fresh = readArgumentsAgain(ast);
      assert.ok(fresh);
      const first = ast.getArguments();
      const second = ast.getArguments();
      assert.notEqual(first, second);
      assert.deepEqual(shape(second), shape(first));
      const flags = (ast as Partial<{ getFlags(): Array<{ getName(): string; getValue(): string | null }> }>).getFlags?.() ?? [];
      // getArguments leaves the flags out; the fresh scan has them in front.
      assert.deepEqual(shape(first), shape(fresh.slice(flags.length)), ast.getKeyword());
      first.pop();
      assert.deepEqual(shape(ast.getArguments()), shape(second), 'a caller changing its list changed the next one');
    }
  });
}
