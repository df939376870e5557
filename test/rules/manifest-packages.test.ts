import assert from 'node:assert/strict';
import { test } from 'node:test';
import { couldReachInside } from '../../server/src/project/application-dirs';
import { packageJsonDeclares, pyprojectDeclares } from '../../server/src/project/manifest-packages';

test('pyproject.toml: packages and py-modules of setuptools, Poetry and Hatch', () => {
  const cases: Array<[string, ReturnType<typeof pyprojectDeclares>]> = [
    ['[tool.setuptools]\npackages = ["bot", "bot.data"]\npy-modules = ["cli"]\n', { paths: ['bot', 'bot/data', 'cli.py'], globs: [] }],
    ['[tool.setuptools]\npackage-dir = {"" = "src"}\npackages = [\n  "bot",  # main\n  # "old",\n  "bot.x",\n]\n', { paths: ['bot', 'bot/x'], globs: [], root: 'src' }],
    ['[tool.setuptools.package-dir]\n"" = "lib"\n[tool.setuptools]\npackages = ["a"]\n', { paths: ['a'], globs: [], root: 'lib' }],
    ['[tool.poetry]\npackages = [\n  { include = "bot", from = "src" },\n  { include = "extra/**/*.py" },\n]\n', { paths: ['src/bot'], globs: ['extra/**/*.py'] }],
    ["[tool.hatch.build.targets.wheel]\npackages = ['src/bot']\n", { paths: ['src/bot'], globs: [] }],
    // setuptools' discovery is not a list of names: the packages it finds have __init__.py.
    ['[tool.setuptools]\npackages = {find = {where = ["src"], include = ["pkg*"]}}\n', { paths: [], globs: [] }],
    ['[project]\nname = "x"\ndependencies = ["packages"]\n', { paths: [], globs: [] }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(pyprojectDeclares(text), expected, text);
});

test('pyproject.toml that is not TOML, or cut short, yields what it can and never throws', () => {
  assert.deepEqual(pyprojectDeclares('packages = ["a", "b"'), { paths: ['a', 'b'], globs: [] });
  assert.deepEqual(pyprojectDeclares('[[[\n= =\n"'), { paths: [], globs: [] });
  assert.deepEqual(pyprojectDeclares(''), { paths: [], globs: [] });
});

test("package.json: files, negations left out, globs apart; bad JSON is no files", () => {
  assert.deepEqual(packageJsonDeclares('{"files": ["lib/", "./bin", "*.md", "!lib/x.test.js", 3]}'), { paths: ['lib', 'bin'], globs: ['*.md'] });
  assert.deepEqual(packageJsonDeclares('{"name": "x"}'), { paths: [], globs: [] });
  assert.deepEqual(packageJsonDeclares('{'), { paths: [], globs: [] });
  assert.deepEqual(packageJsonDeclares('null'), { paths: [], globs: [] });
});

test('couldReachInside: whether a pattern can exclude something in a folder, now or later', () => {
  const cases: Array<[string, string, boolean]> = [
    ['**/*.md', 'bot', true],
    ['**/tests', 'src/shop', true],
    ['*.md', 'bot', false],
    ['*.md', '', true], // the context root is the package
    ['tests', 'bot', false],
    ['tests', 'tests', true],
    ['src', 'src/shop', true], // a parent: all of it goes
    ['src/*/tests', 'src/shop', true],
    ['src/*/tests', 'lib/shop', false],
    ['docs', 'docs-src', false],
    ['bot/a**', 'bot', true],
    ['.env', 'bot', false],
  ];
  for (const [pattern, dir, expected] of cases) assert.equal(couldReachInside(pattern, dir), expected, `${pattern} in ${dir}`);
});
