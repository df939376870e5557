/**
 * "Disable <rule> for this line / this file": the exact text after each edit, that the comment
 * it writes really silences the rule (the model reads it back), and that a second run changes nothing.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { fileSuppression, lineSuppression, suppressEdits } from '../../server/src/lsp/suppress-actions';
import type { TextEdit } from '../../server/src/rules/types';

const apply = (text: string, edit: TextEdit | null) => (edit ? text.slice(0, edit.start) + edit.newText + text.slice(edit.end) : text);

describe('Disable for this line', () => {
  const cases: Array<{ name: string; text: string; line: number; output: string }> = [
    {
      name: 'inserts the comment above the instruction',
      text: 'FROM python:3.12\nRUN pip install flask\n',
      line: 1,
      output: 'FROM python:3.12\n# dockopt ignore=pip-cache-mount\nRUN pip install flask\n',
    },
    {
      name: 'above the first line of a continued instruction, when the finding is on a later line',
      text: 'FROM python:3.12\nRUN apt-get update && \\\n    pip install flask\n',
      line: 2,
      output: 'FROM python:3.12\n# dockopt ignore=pip-cache-mount\nRUN apt-get update && \\\n    pip install flask\n',
    },
    {
      name: "keeps the instruction's indentation",
      text: 'FROM python:3.12\n  RUN pip install flask\n',
      line: 1,
      output: 'FROM python:3.12\n  # dockopt ignore=pip-cache-mount\n  RUN pip install flask\n',
    },
    {
      name: "keeps the file's CRLF",
      text: 'FROM python:3.12\r\nRUN pip install flask\r\n',
      line: 1,
      output: 'FROM python:3.12\r\n# dockopt ignore=pip-cache-mount\r\nRUN pip install flask\r\n',
    },
    {
      name: 'extends an ignore comment already above the instruction',
      text: 'FROM python:3.12\n# dockopt ignore=pip-no-cache-dir\nRUN pip install flask\n',
      line: 2,
      output: 'FROM python:3.12\n# dockopt ignore=pip-no-cache-dir,pip-cache-mount\nRUN pip install flask\n',
    },
    {
      name: 'extends it before its trailing spaces and CR',
      text: 'FROM python:3.12\r\n# dockopt ignore=a  \r\nRUN pip install flask\r\n',
      line: 2,
      output: 'FROM python:3.12\r\n# dockopt ignore=a,pip-cache-mount  \r\nRUN pip install flask\r\n',
    },
    {
      name: 'a first-line instruction',
      text: 'FROM python:3.11\n',
      line: 0,
      output: '# dockopt ignore=pip-cache-mount\nFROM python:3.11\n',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const edit = lineSuppression(c.text, 'dockerfile', c.line, 'pip-cache-mount');
      const out = apply(c.text, edit);
      assert.equal(out, c.output);
      const model = parseDockerfile(out);
      const moved = c.line + 1 + (c.text.split('\n').length === out.split('\n').length ? -1 : 0);
      assert.ok(model.isSuppressed('pip-cache-mount', model.instructionAtLine(moved)), 'the model reads the comment back');
      assert.equal(lineSuppression(out, 'dockerfile', moved, 'pip-cache-mount'), null, 'a second run changes nothing');
    });
  }

  test('nothing on a line with no instruction, and never in a .dockerignore', () => {
    assert.equal(lineSuppression('# a comment\nFROM x\n', 'dockerfile', 0, 'pip-cache-mount'), null);
    assert.equal(lineSuppression('.git\nnode_modules\n', 'dockerignore', 1, 'dockerignore-incomplete'), null);
  });
});

describe('Disable for this file', () => {
  const cases: Array<{ name: string; text: string; kind?: 'dockerfile' | 'dockerignore'; output: string }> = [
    { name: 'at the top', text: 'FROM python:3.11\n', output: '# dockopt global ignore=python-base-version\nFROM python:3.11\n' },
    {
      name: 'after the parser directives, which must stay first',
      text: '# syntax=docker/dockerfile:1\n# escape=`\nFROM python:3.11\n',
      output: '# syntax=docker/dockerfile:1\n# escape=`\n# dockopt global ignore=python-base-version\nFROM python:3.11\n',
    },
    { name: 'CRLF', text: 'FROM python:3.11\r\n', output: '# dockopt global ignore=python-base-version\r\nFROM python:3.11\r\n' },
    {
      name: 'extends an existing global comment anywhere',
      text: 'FROM python:3.11\n# dockopt global ignore=pip-cache-mount\n',
      output: 'FROM python:3.11\n# dockopt global ignore=pip-cache-mount,python-base-version\n',
    },
    { name: 'a file of directives only', text: '# escape=`', output: '# escape=`\n# dockopt global ignore=python-base-version\n' },
    { name: 'an empty file', text: '', output: '# dockopt global ignore=python-base-version\n' },
    {
      name: 'a .dockerignore (a leading # line is just a comment there)',
      kind: 'dockerignore',
      text: '# escape=x\n.git\n',
      output: '# dockopt global ignore=python-base-version\n# escape=x\n.git\n',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const kind = c.kind ?? 'dockerfile';
      const out = apply(c.text, fileSuppression(c.text, kind, 'python-base-version'));
      assert.equal(out, c.output);
      if (kind === 'dockerfile') assert.ok(parseDockerfile(out).globallyIgnored.has('python-base-version'));
      assert.equal(fileSuppression(out, kind, 'python-base-version'), null, 'a second run changes nothing');
    });
  }

  test('the escape directive still applies after the insertion', () => {
    const text = '# escape=`\nFROM python:3.11\n';
    const out = apply(text, fileSuppression(text, 'dockerfile', 'x'));
    assert.equal(parseDockerfile(out).escapeChar, '`');
  });
});

test('both actions, titled by rule, each only when it changes something', () => {
  const text = 'FROM python:3.12\n# dockopt global ignore=pip-cache-mount\nRUN pip install flask\n';
  assert.deepEqual(
    suppressEdits(text, 'dockerfile', 2, 'pip-no-cache-dir').map((e) => e.title),
    ['Disable pip-no-cache-dir for this line', 'Disable pip-no-cache-dir for this file'],
  );
  assert.deepEqual(suppressEdits(text, 'dockerfile', 2, 'pip-cache-mount').map((e) => e.scope), ['line']);
});
