import assert from 'node:assert/strict';
import { test } from 'node:test';
import balena from '@balena/dockerignore';
import { compileIgnore } from '../../server/src/workspace/ignore-matcher';

const ignored = (text: string, p: string) => compileIgnore(text).ignores(p);

test('a plain name matches only at the context root, and everything below it', () => {
  assert.equal(ignored('tests', 'tests'), true);
  assert.equal(ignored('tests', 'tests/a/b.py'), true);
  assert.equal(ignored('tests', 'src/tests/a.py'), false);
});

test('**/ matches at every depth, including the root', () => {
  assert.equal(ignored('**/__pycache__', '__pycache__/a.pyc'), true);
  assert.equal(ignored('**/__pycache__', 'src/pkg/__pycache__/a.pyc'), true);
  assert.equal(ignored('**/*.log', 'a/b/c.log'), true);
  assert.equal(ignored('**/*.log', 'a/b/c.log.txt'), false);
});

test('* and ? do not cross a slash', () => {
  assert.equal(ignored('*.md', 'README.md'), true);
  assert.equal(ignored('*.md', 'docs/a.md'), false);
  assert.equal(ignored('?.txt', 'a.txt'), true);
  assert.equal(ignored('?.txt', 'ab.txt'), false);
});

test('the last matching line wins, so ! re-includes', () => {
  assert.equal(ignored('*.md\n!README.md', 'README.md'), false);
  assert.equal(ignored('*.md\n!README.md', 'CHANGES.md'), true);
  assert.equal(ignored('!README.md\n*.md', 'README.md'), true);
  assert.equal(ignored('docs\n!docs/keep.md', 'docs/keep.md'), false);
  assert.equal(ignored('docs\n!docs/keep.md', 'docs/other.md'), true);
});

test('comments only in column 0; lines are trimmed; leading / and ./ are dropped', () => {
  assert.equal(ignored('# tests', 'tests'), false);
  assert.equal(ignored('  tests  ', 'tests/a'), true);
  assert.equal(ignored('/tests', 'tests/a'), true);
  assert.equal(ignored('./tests/', 'tests/a'), true);
  assert.equal(ignored('a/../tests', 'tests/a'), true);
});

test('CRLF line endings and a byte order mark are read like LF', () => {
  assert.equal(ignored('\ufefftests\r\n*.log\r\n', 'tests/x'), true);
  assert.equal(ignored('\ufefftests\r\n*.log\r\n', 'a.log'), true);
});

test('character classes and escapes', () => {
  assert.equal(ignored('**/*.py[cod]', 'a/b.pyc'), true);
  assert.equal(ignored('**/*.py[cod]', 'a/b.py'), false);
  assert.equal(ignored('a\\*b', 'a*b'), true);
  assert.equal(ignored('a\\*b', 'axb'), false);
  assert.equal(ignored('[unclosed', '[unclosed'), false);
});

test('matching is case-sensitive, as on Linux', () => {
  assert.equal(ignored('Tests', 'tests/a'), false);
});

test('agrees with @balena/dockerignore (Docker semantics) on a spread of patterns and paths', () => {
  const patterns = [
    'tests', '**/tests', '*.md\n!README.md', '**/*.md\n!**/README.md', 'docs/**', 'docs/**/*.txt', '**',
    'a/*/c', 'a/**/c', '**/node_modules\n!**/node_modules/keep', '/build/', '*/', '.git', '**/.env.*\n!.env.example',
    'src\n!src/main.py', '*.log\nlogs', '**/__pycache__\n**/*.py[cod]', 'a?c', '!x', 'x\n!x\nx',
  ];
  const paths = [
    'tests', 'tests/a.py', 'src/tests/a.py', 'README.md', 'docs/README.md', 'a.md', 'docs/x/y.txt', 'docs',
    'a/b/c', 'a/b/d/c', 'a/c', 'node_modules/x/y.js', 'src/node_modules/keep/z', 'build/out.js', 'abc', 'adc',
    '.git/HEAD', '.env.local', 'svc/.env.prod', '.env.example', 'src/main.py', 'src/other.py', 'app.log',
    'logs/x', 'pkg/__pycache__/m.pyc', 'pkg/m.pyo', 'x', 'x/y',
  ];
  for (const pattern of patterns) {
    const reference = balena({ ignorecase: false }).add(pattern);
    const ours = compileIgnore(pattern);
    for (const p of paths) {
      assert.equal(ours.ignores(p), reference.ignores(p), `pattern ${JSON.stringify(pattern)} on ${p}`);
    }
  }
});

test('answers for 100 000 paths well within a second', () => {
  const matcher = compileIgnore(['**/.git', '**/*.md', '!README.md', '**/__pycache__', '**/*.py[cod]', '**/node_modules', 'tests', '**/*.log'].join('\n'));
  const start = performance.now();
  let count = 0;
  for (let i = 0; i < 100_000; i++) if (matcher.ignores(`src/pkg${i % 50}/sub${i % 7}/file${i}.${['py', 'md', 'log', 'txt'][i % 4]}`)) count++;
  assert.equal(count, 50_000);
  assert.ok(performance.now() - start < 1000);
});
