import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allowsPep440, allowsPoetry } from '../../server/src/python/version-specifiers';

const v = (text: string) => text.split('.').map(Number);

// [specifier, versions it allows, versions it refuses]
const PEP440: Array<[string, string[], string[]]> = [
  ['>=3.8,<3.11', ['3.8', '3.8.0', '3.10.14'], ['3.7.17', '3.11.0', '3.12']],
  ['~=3.9', ['3.9', '3.13.1'], ['3.8.9', '4.0']],
  ['~=3.9.2', ['3.9.2', '3.9.18'], ['3.9.1', '3.10.0']],
  ['==3.10.*', ['3.10.0', '3.10.14'], ['3.9.9', '3.11.0']],
  ['!=3.9.*, >=3.8', ['3.8.5', '3.10.1'], ['3.9.0', '3.7']],
  ['==3.10', ['3.10.0'], ['3.10.1']],
  ['<=3.11', ['3.11.0', '3.10.9'], ['3.11.1']],
  ['>3.9', ['3.9.1', '3.10'], ['3.9', '3.9.0']],
  [' >= 3.7 ', ['3.7'], ['3.6.15']],
  ['', ['2.7', '3.12'], []],
  // A pre-release bound sits just below its final release; no final release equals it.
  ['>= 3.11, < 3.13.0a1', ['3.11', '3.12.4'], ['3.10.9', '3.13.0']],
  ['>=3.13.0rc1', ['3.13.0', '3.14'], ['3.12.9']],
  ['<=3.12.dev0', ['3.11.9'], ['3.12.0']],
  ['!=3.13.0b2', ['3.13.0', '3.12'], []],
  ['==3.13.0a1', [], ['3.13.0', '3.12']],
];

const POETRY: Array<[string, string[], string[]]> = [
  ['^3.9', ['3.9.0', '3.12.4'], ['3.8.18', '4.0.0']],
  ['^3.9.2', ['3.9.2', '3.13'], ['3.9.1']],
  ['^0.2.3', ['0.2.9'], ['0.3.0']],
  ['~3.9', ['3.9.0', '3.9.18'], ['3.10.0', '3.8.1']],
  ['~3', ['3.0', '3.12'], ['4.0']],
  ['3.10', ['3.10.0', '3.10.14'], ['3.11.0']],
  ['3.10.4', ['3.10.4'], ['3.10.5']],
  ['3.9.*', ['3.9.7'], ['3.10.0']],
  ['>=3.8 <3.11', ['3.8', '3.10.9'], ['3.11']],
  ['>=3.8,<3.11', ['3.10.0'], ['3.7.9', '3.11.0']],
  ['~2.7 || ^3.6', ['2.7.18', '3.12'], ['2.6', '3.5']],
  ['^3.8 | ^4.0', ['4.1'], ['3.7']],
  ['*', ['3.12'], []],
];

describe('PEP 440 specifiers on final releases', () => {
  for (const [spec, allowed, refused] of PEP440) {
    test(`"${spec}"`, () => {
      const allows = allowsPep440(spec);
      assert.ok(allows, 'readable');
      for (const version of allowed) assert.equal(allows(v(version)), true, `allows ${version}`);
      for (const version of refused) assert.equal(allows(v(version)), false, `refuses ${version}`);
    });
  }
  for (const spec of ['~=3.8rc1', '3.8', '>=', '~=3', '>=3.*', 'python>=3.8']) {
    test(`cannot read "${spec}"`, () => assert.equal(allowsPep440(spec), undefined));
  }
});

describe('Poetry constraints', () => {
  for (const [spec, allowed, refused] of POETRY) {
    test(`"${spec}"`, () => {
      const allows = allowsPoetry(spec);
      assert.ok(allows, 'readable');
      for (const version of allowed) assert.equal(allows(v(version)), true, `allows ${version}`);
      for (const version of refused) assert.equal(allows(v(version)), false, `refuses ${version}`);
    });
  }
  for (const spec of ['', '>=3.8 ||', 'latest', '^3.9a1', '>=3.*']) {
    test(`cannot read "${spec}"`, () => assert.equal(allowsPoetry(spec), undefined));
  }
});
