import assert from 'node:assert/strict';
import { test } from 'node:test';
import balena from '@balena/dockerignore';
import { GlobAutomaton } from '../../shared/src/dockerignore/glob-automaton';
import { compileIgnore, compilePatterns } from '../../shared/src/dockerignore/ignore-matcher';

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

// Counted work, not time (a timed assertion fails on a loaded machine): the automata read each
// path at most once per rule and its parent once per directory, so 8× the paths cost at most
// 8× the steps, and each path costs no more than its length times the patterns' size.
test('100 000 paths cost automaton steps linear in the paths: 8× the paths, at most 8× the steps', () => {
  const patterns = ['**/.git', '**/*.md', '!README.md', '**/__pycache__', '**/*.py[cod]', '**/node_modules', 'tests', '**/*.log'];
  const pathOf = (i: number) => `src/pkg${i % 50}/sub${i % 7}/file${i}.${['py', 'md', 'log', 'txt'][i % 4]}`;
  const run = (n: number) => {
    const matcher = compileIgnore(patterns.join('\n'));
    const automata = matcher.rules.map((r) => r.regex).filter((t): t is GlobAutomaton => t instanceof GlobAutomaton);
    // The same text compiles to the same automata (compileIgnore keeps them): count this run's steps.
    const before = automata.reduce((sum, a) => sum + a.steps, 0);
    let count = 0;
    let bound = 0;
    for (let i = 0; i < n; i++) {
      const p = pathOf(i);
      if (matcher.ignores(p)) count++;
      // The file, then (at most once) its parent directory, per automaton.
      for (const rule of matcher.rules) if (rule.regex instanceof GlobAutomaton) bound += 2 * 4 * (rule.pattern.length + 2) * (p.length + 1);
    }
    return { count, steps: automata.reduce((sum, a) => sum + a.steps, 0) - before, bound, automata: automata.length };
  };
  const small = run(12_500);
  const large = run(100_000);
  assert.equal(large.count, 50_000);
  assert.ok(large.automata === 3, 'the three glob patterns run as automata, whose steps are counted');
  assert.ok(large.steps > 100_000, `${large.steps} steps: the counter counts`);
  assert.ok(large.steps <= large.bound, `${large.steps} steps, bound ${large.bound}`);
  assert.ok(large.steps <= 8 * small.steps * 1.1, `${small.steps} steps for 12 500 paths, ${large.steps} for 100 000`);
});

// Issue 13: a glob turned into a JavaScript RegExp backtracks; 35 `a`s took 46 s on this line.
// Work is counted in automaton steps rather than timed, so a regression fails on any machine.
test('a pattern that backtracks exponentially as a regex costs at most 4 × pattern × path steps', () => {
  const pattern = '*a*a*a*a*a*a*a*a*a*a*a*a*c';
  for (const n of [40, 4000]) {
    const matcher = compileIgnore(pattern);
    const test = matcher.rules[0].regex;
    assert.ok(test instanceof GlobAutomaton);
    const paths = ['a'.repeat(n), 'a'.repeat(n) + 'c', 'a'.repeat(n) + 'b'];
    assert.deepEqual(paths.map((p) => matcher.ignores(p)), [false, true, false]);
    const bound = paths.reduce((sum, p) => sum + 4 * (pattern.length + 1) * (p.length + 1), 0);
    assert.ok(test.steps <= bound, `${test.steps} steps for ${n} a's, bound ${bound}`);
    assert.ok(test.steps >= n * 3, 'the matcher did read the paths'); // the counter counts
  }
});

test('parents are tested in the same single pass: a deep path costs pattern × path steps too', () => {
  const pattern = '**/a*a*a*a*a*a*a*a*a*a*c';
  const matcher = compileIgnore(pattern);
  const test = matcher.rules[0].regex;
  assert.ok(test instanceof GlobAutomaton);
  const deep = Array.from({ length: 1000 }, () => 'aaaa').join('/');
  assert.equal(matcher.ignores(`${deep}/x`), false);
  assert.equal(matcher.ignores(`aaaaaaaaaac/${deep}`), true); // a parent matches
  const bound = 2 * 4 * (pattern.length + 1) * (deep.length + 13); // the file, then its parent
  assert.ok(test.steps <= bound, `${test.steps} steps, bound ${bound}`);
});

test('moby compares plain patterns as strings: exact, `text**` as a prefix, `**text` as a suffix', () => {
  assert.equal(ignored('**foo', 'xfoo'), true); // a suffix, not the regex (.*/)?foo
  assert.equal(ignored('**foo', 'a/xfoo'), true);
  assert.equal(ignored('**/foo', 'foo'), true);
  assert.equal(ignored('**/foo', 'xfoo'), false);
  assert.equal(ignored('build**', 'build-cache/x'), true);
  assert.equal(ignored('^foo', '^foo'), true); // plain: compared as a string
  assert.equal(ignored('^foo', 'foo'), false);
});

test('regex-compiled patterns: `^` anchors at the start, metacharacters are plain, `**` stops at a newline', () => {
  assert.equal(ignored('^foo*', 'foobar'), true); // Go's regexp reads the bare ^ as an anchor
  assert.equal(ignored('^foo*', '^foobar'), false);
  assert.equal(ignored('**/^a*', 'ab'), true);
  assert.equal(ignored('**/^a*', 'x/ab'), false);
  assert.equal(ignored('a^*', 'a^'), false);
  assert.equal(ignored('a.b*', 'a.bc'), true);
  assert.equal(ignored('a.b*', 'axbc'), false);
  assert.equal(ignored('(a+)|{b}$*', '(a+)|{b}$'), true);
  assert.equal(ignored('a/**/b', 'a/x\ny/b'), false); // regex . excludes a newline
  assert.equal(ignored('a/**', 'a/x\ny'), true); // but the prefix comparison does not look
});

test('classes: `^` negates and `!` is a member (Go syntax), ranges, escapes; a negated class matches /', () => {
  assert.equal(ignored('x[!a]', 'x!'), true);
  assert.equal(ignored('x[!a]', 'xa'), true);
  assert.equal(ignored('x[!a]', 'xb'), false);
  assert.equal(ignored('x[^a]', 'xb'), true);
  assert.equal(ignored('x[^a]', 'xa'), false);
  assert.equal(ignored('x[^a]y', 'x/y'), true);
  assert.equal(ignored('x[a-c]', 'xb'), true);
  assert.equal(ignored('x[a-c]', 'xd'), false);
  assert.equal(ignored('x[\\]\\-]', 'x]'), true);
  assert.equal(ignored('x[\\]\\-]', 'x-'), true);
  assert.equal(ignored('x[*]', 'x*'), true); // a member here (moby would emit regex syntax inside the class)
  assert.equal(ignored('x[*]', 'xa'), false);
});

test('lines BuildKit rejects (filepath.Match syntax, a reversed range) match nothing; the others still apply', () => {
  for (const bad of ['[]a]', '[-a]', '[a-]', '[c-a]', '[^]', 'a\\', '[a']) {
    const matcher = compileIgnore(`${bad}\n*.log`);
    assert.deepEqual(matcher.rules.map((r) => r.pattern), ['*.log'], bad);
    assert.equal(matcher.ignores('x.log'), true, bad);
  }
});

test('an escaped letter is the letter; `?` and classes read code points, not UTF-16 units', () => {
  assert.equal(ignored('\\d', 'd'), true); // Go's regexp would read a digit class
  assert.equal(ignored('\\d', '1'), false);
  assert.equal(ignored('a?b', 'a\u{1F600}b'), true);
  assert.equal(ignored('a[\u{1F600}]b', 'a\u{1F600}b'), true);
  assert.equal(ignored('a*b', 'a\u{1F600}\u{1F600}b'), true);
});

test('rule.regex tests one pattern alone, for callers that match COPY sources or folders', () => {
  const test = compilePatterns(['src/*.py']).rules[0].regex;
  assert.equal(test.test('src/a.py'), true);
  assert.equal(test.test('src/a/b.py'), false);
  assert.equal(test.testPathOrParent('src/a.py/inner'), true);
  assert.equal(test.testPathOrParent('src'), false);
});
