/**
 * keepsMeaning, the re-parse that checks a word removal, keeps the shapes it has computed (the
 * same RUN lines recur across the Dockerfiles of a workspace). The verdict must still depend on
 * what was removed, not only on the text: the same piece of text judged with other words removed
 * gets its own answer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { parseRunScript } from '../../server/src/dockerfile/shell';
import { keepsMeaning } from '../../server/src/fixes/text-removal';

const TEXT = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["python"]\n';

function removal(text: string, word: string) {
  const model = parseDockerfile(text);
  const info = model.instructions.find((i) => i.keyword === 'RUN')!;
  const script = parseRunScript(model, info.ast);
  const found = script.commands.flatMap((c) => c.words).find((w) => w.value === word)!;
  // The word and the blank before it.
  return { model, info, found, edits: [{ start: found.start - 1, end: found.end, newText: '' }] };
}

test('the same removal is judged the same each time, in any Dockerfile with that text', () => {
  for (let k = 0; k < 3; k++) {
    const { model, info, found, edits } = removal(TEXT, '--no-cache-dir');
    assert.equal(keepsMeaning(model, info, edits, { words: [found] }), true);
  }
});

test('the same text with another word removed than the one the edit takes out is refused, before and after an accepted one', () => {
  const { model, info, found, edits } = removal(TEXT, '--no-cache-dir');
  const other = removal(TEXT, 'install').found;
  assert.equal(keepsMeaning(model, info, edits, { words: [other] }), false);
  assert.equal(keepsMeaning(model, info, edits, { words: [] }), false);
  assert.equal(keepsMeaning(model, info, edits, { words: [found] }), true);
  assert.equal(keepsMeaning(model, info, edits, { words: [] }), false);
});

test('removing an ENV property is judged by the names removed', () => {
  const text = 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1 APP=x\nRUN pip install flask\n';
  const model = parseDockerfile(text);
  const info = model.instructions.find((i) => i.keyword === 'ENV')!;
  const start = text.indexOf(' PIP_NO_CACHE_DIR=1');
  const edits = [{ start, end: start + ' PIP_NO_CACHE_DIR=1'.length, newText: '' }];
  assert.equal(keepsMeaning(model, info, edits, { envNames: new Set(['PIP_NO_CACHE_DIR']) }), true);
  assert.equal(keepsMeaning(model, info, edits, { envNames: new Set(['APP']) }), false);
  assert.equal(keepsMeaning(model, info, edits, { envNames: new Set(['PIP_NO_CACHE_DIR']) }), true);
});
