/** The one COPY/ADD reader: sources, destination, flags, exec form, heredocs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { isWholeContext, readBroadCopy, readCopy, readCopyArguments } from '../../server/src/dockerfile/copy-instructions';

function copyAt(text: string, line = 1) {
  const model = parseDockerfile(text);
  const info = model.instructions.find((i) => i.range.start.line === line)!;
  return { model, info };
}

describe('readCopyArguments', () => {
  test('flags with their values and text; --from, --parents', () => {
    const { model, info } = copyAt('FROM x\nCOPY --from=Build --parents --chown=app:app a/*.py /app/\n');
    const read = readCopyArguments(model, info)!;
    assert.deepEqual(read.words, ['a/*.py', '/app/']);
    assert.equal(read.from, 'build');
    assert.equal(read.parents, true);
    assert.deepEqual(read.flags.map((f) => [f.name, f.value, f.text]), [
      ['from', 'Build', '--from=Build'],
      ['parents', undefined, '--parents'],
      ['chown', 'app:app', '--chown=app:app'],
    ]);
  });

  test('exec form, continuations removed', () => {
    const { model, info } = copyAt('FROM x\nADD ["a b.txt", \\\n  "/dest/"]\n');
    const read = readCopyArguments(model, info)!;
    assert.deepEqual(read.words, ['a b.txt', '/dest/']);
    assert.equal(read.badExecForm, false);
  });

  test('a `[` that is not JSON is read in shell form and marked', () => {
    const { model, info } = copyAt('FROM x\nCOPY [a] /dest/\n');
    const read = readCopyArguments(model, info)!;
    assert.equal(read.badExecForm, true);
    assert.equal(readCopy(model, info), undefined);
  });

  test('a heredoc: the words before it, the body left out', () => {
    const { model, info } = copyAt('FROM x\nCOPY <<EOF /app/run.sh\necho hi\nEOF\n');
    const read = readCopyArguments(model, info)!;
    assert.equal(read.heredoc, true);
    assert.deepEqual(read.words, ['/app/run.sh']);
    assert.equal(readCopy(model, info), undefined);
  });

  test('quoted shell-form words are unquoted; other instructions are not read', () => {
    const { model, info } = copyAt("FROM x\nCOPY 'req.txt' \"/app/\"\n");
    assert.deepEqual(readCopyArguments(model, info)!.words, ['req.txt', '/app/']);
    const run = copyAt('FROM x\nRUN true\n');
    assert.equal(readCopyArguments(run.model, run.info), undefined);
  });
});

describe('readCopy', () => {
  test('sources, destination, kept flags, broad', () => {
    const { model, info } = copyAt('FROM x\ncopy --chown=app --link --chmod=644 --parents . ./\n');
    const copy = readCopy(model, info)!;
    assert.equal(copy.keywordText, 'copy');
    assert.deepEqual(copy.sources, ['.']);
    assert.equal(copy.dest, './');
    assert.deepEqual(copy.keptFlags, ['--chown=app', '--link', '--chmod=644']);
    assert.equal(copy.broad, true);
    assert.ok(readBroadCopy(model, info));
  });

  test('a COPY --from is not the build context', () => {
    const { model, info } = copyAt('FROM x\nCOPY --from=0 . .\n');
    assert.equal(readCopy(model, info)!.fromOther, true);
    assert.equal(readBroadCopy(model, info), undefined);
  });

  test('half-typed: no destination', () => {
    const { model, info } = copyAt('FROM x\nCOPY only\n');
    assert.equal(readCopy(model, info), undefined);
  });

  test('isWholeContext', () => {
    for (const s of ['.', './', './.', './/']) assert.equal(isWholeContext(s), true, s);
    for (const s of ['..', './src', '*']) assert.equal(isWholeContext(s), false, s);
  });
});
