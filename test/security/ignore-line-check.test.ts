/** Lines a fix may carry from one .dockerignore into another: ignore patterns, nothing else. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstBadIgnoreLine, ignoreLineProblem } from '../../server/src/workspace/ignore-line-check';

const FIT = ['', '# a comment', 'docs', '**/*.md', '!README.md', '  build/  ', '[a-z]*.log', '[!a]x', '\\#literal', 'a\\[b', '**/$(not a command here)', 'tab\there'];
const UNFIT: Array<[string, RegExp]> = [
  ['docs\u001b[31m', /control characters/],
  ['\u0000', /control characters/],
  ['# \u0007 even in a comment', /control characters/],
  ['[abc', /unclosed \[/],
  ['x/[', /unclosed \[/],
  ['[]', /empty \[\]/],
  ['trailing\\', /lone backslash/],
  ['!oops\\', /lone backslash/],
  ['a'.repeat(5000), /longer than 4096/],
];

for (const line of FIT) test(`fit: ${JSON.stringify(line)}`, () => assert.equal(ignoreLineProblem(line), undefined));
for (const [line, problem] of UNFIT) test(`unfit: ${JSON.stringify(line.slice(0, 20))}`, () => assert.match(ignoreLineProblem(line) ?? '', problem));

test('firstBadIgnoreLine names the first unfit line, 1-based, across CRLF and LF', () => {
  assert.deepEqual(firstBadIgnoreLine('docs\r\n.git\r\n[oops\r\n'), { line: 3, problem: 'has an unclosed [' });
  assert.equal(firstBadIgnoreLine('docs\n.git\n'), undefined);
});
