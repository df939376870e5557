/** The one COPY source glob matcher: `*`, `?`, `[...]`, `**`, escapes, as BuildKit matches them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileCopyGlob, isCopyGlob } from '../../shared/src/dockerfile/copy-globs';

describe('compileCopyGlob', () => {
  const matches = (glob: string, path: string) => compileCopyGlob(glob)?.test(path) === true;

  test('`*` and `?` stay within one component', () => {
    assert.ok(matches('package*.json', 'package-lock.json'));
    assert.ok(matches('src/*.py', 'src/app.py'));
    assert.ok(!matches('src/*.py', 'src/pkg/app.py'));
    assert.ok(matches('req?.txt', 'req1.txt'));
    assert.ok(!matches('req?.txt', 'req/.txt'));
  });

  test('`[...]` classes, ranges and negation', () => {
    assert.ok(matches('requirements[_.]dev.txt', 'requirements_dev.txt'));
    assert.ok(matches('requirements[\\-_]dev.txt', 'requirements-dev.txt'));
    assert.ok(!matches('requirements[_.]dev.txt', 'requirements-dev.txt'));
    // filepath.Match (which BuildKit checks first) wants `-` escaped in a class.
    assert.equal(compileCopyGlob('requirements[-_]dev.txt'), undefined);
    assert.ok(matches('v[0-9].txt', 'v7.txt'));
    assert.ok(!matches('v[^0-9].txt', 'v7.txt'));
    assert.ok(matches('v[^0-9].txt', 'vx.txt'));
  });

  test('a plain COPY reads `**` as `*` and `^` as a character (as docker build does); `--parents` lets `**` cross', () => {
    assert.ok(matches('**/*.whl', 'dist/c.whl'));
    assert.ok(!matches('**/*.whl', 'dist/a/b.whl'));
    assert.ok(matches('^a*', '^a1'));
    assert.ok(!matches('^a*', 'a1'));
    assert.equal(compileCopyGlob('**/*.whl', { parents: true })?.test('dist/a/b.whl'), true);
    assert.ok(matches('v[^0-9].txt', 'vx.txt'), '^ inside a class still negates');
  });

  test('`\\` escapes', () => {
    assert.ok(matches('a\\*b', 'a*b'));
    assert.ok(!matches('a\\*b', 'axb'));
  });

  test('a folder the glob names covers what is below it', () => {
    const glob = compileCopyGlob('pkg*')!;
    assert.equal(glob.test('pkg1/a.py'), false);
    assert.equal(glob.testPathOrParent('pkg1/a.py'), true);
  });

  test('leading `!` and `#` are plain characters, not .dockerignore syntax', () => {
    assert.ok(matches('!x*', '!xy'));
    assert.ok(matches('#x*', '#xy'));
  });

  test('a pattern BuildKit rejects compiles to nothing, and a linear-time match', () => {
    assert.equal(compileCopyGlob('a[b'), undefined);
    const started = Date.now();
    assert.ok(!matches(`${'*a'.repeat(30)}c`, 'a'.repeat(5000)));
    assert.ok(Date.now() - started < 2000);
  });

  test('isCopyGlob', () => {
    for (const s of ['*.py', 'a?', 'x[ab]', 'a\\b']) assert.equal(isCopyGlob(s), true, s);
    for (const s of ['src/app.py', '.']) assert.equal(isCopyGlob(s), false, s);
  });
});
