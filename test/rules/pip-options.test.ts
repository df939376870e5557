/**
 * pip takes any unambiguous prefix of a long option (optparse): `--no-cache` is `--no-cache-dir`,
 * `--requirem` is `--requirement`. The option lists are pip 23.2's (`pip install --help`).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findPipCall, readPipOption } from '../../server/src/dockerfile/package-managers';
import type { ShellWord, SimpleCommand } from '../../server/src/dockerfile/shell';
import { readDependencyInstall } from '../../server/src/dockerfile/dependency-installs';
import { rule as pipRule } from '../../server/src/rules/pip-cache-mount';
import { rule as noCacheRule } from '../../server/src/rules/pip-no-cache-dir';
import { runRuleTests } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/root/.cache/pip';

function command(line: string): SimpleCommand {
  let offset = 0;
  const words: ShellWord[] = line.split(' ').map((value) => {
    const word = { value, start: offset, end: offset + value.length };
    offset += value.length + 1;
    return word;
  });
  return { assignments: [], words };
}

describe('readPipOption', () => {
  for (const [word, subcommand, name, inline] of [
    ['--no-cache', 'install', '--no-cache-dir', undefined],
    ['--no-cache-d', undefined, '--no-cache-dir', undefined],
    ['--cache=/c', 'install', '--cache-dir', '/c'],
    ['--requirem', 'install', '--requirement', undefined],
    ['--requirement=r.txt', 'wheel', '--requirement', 'r.txt'],
    ['--user', 'install', '--user', undefined],
    ['--upgrade-s', 'install', '--upgrade-strategy', undefined],
    ['--upgrade', 'install', '--upgrade', undefined], // exact, though a prefix of --upgrade-strategy
    ['--dest', 'download', '--dest', undefined],
    ['-rreq.txt', 'install', '-r', 'req.txt'],
  ] as const) {
    test(`${word}${subcommand ? ` (pip ${subcommand})` : ' (before the subcommand)'} is ${name}`, () => {
      const option = readPipOption(word, subcommand);
      assert.equal(option?.name, name);
      assert.equal(option?.inline, inline);
    });
  }

  for (const [word, subcommand] of [
    ['--no-c', 'install'], // --no-cache-dir, --no-clean, --no-color, --no-compile
    ['--us', 'install'], // --use-deprecated, --use-feature, --use-pep517, --user
    ['--requir', 'install'], // --require-hashes, --require-venv, --require-virtualenv, --requirement
    ['--user', undefined], // not a general option
    ['--frobnicate', 'install'],
  ] as const) {
    test(`${word} is ambiguous or unknown there: not read as any option`, () => {
      assert.equal(readPipOption(word, subcommand), undefined);
    });
  }

  test('a prefix before the subcommand reads against the general options, and its value is skipped', () => {
    const call = findPipCall(command('pip --cache /c install flask'))!;
    assert.equal(call.subcommand, 'install');
    assert.equal(call.cacheDir, '/c');
    assert.deepEqual(call.packages, ['flask']);
  });
});

// pip-cache-mount: the mount fix reads the abbreviations as pip does.
runRuleTests(pipRule, {
  valid: [],
  invalid: [
    {
      name: '--no-cache is --no-cache-dir: the mount fix drops it',
      code: 'FROM python:3.12\nRUN pip install --no-cache -r r.txt\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install -r r.txt\n`,
    },
    {
      name: '--cache=DIR is --cache-dir: the mount goes there',
      code: 'FROM python:3.12\nRUN pip install --cache=/pc flask\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/pc' } }],
      output: 'FROM python:3.12\nRUN --mount=type=cache,target=/pc pip install --cache=/pc flask\n',
    },
  ],
});

// pip-no-cache-dir: an abbreviated --no-cache-dir switches the cache off; an ambiguous one is refused by pip.
runRuleTests(noCacheRule, {
  valid: [{ name: '--no-c is ambiguous (pip refuses it): not read as --no-cache-dir', code: `FROM python:3.12\nRUN ${MOUNT} pip install --no-c flask\n` }],
  invalid: [
    {
      name: '--no-cache-d is --no-cache-dir: pip-no-cache-dir fires on it and removes it',
      code: `FROM python:3.12\nRUN ${MOUNT} pip install --no-cache-d flask\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2, data: { switch: '--no-cache-dir' } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`,
    },
  ],
});

describe('pip abbreviations in copy-before-install', () => {
  test('copy-before-install reads --requirem FILE and --requirement=FILE as -r', () => {
    const install = readDependencyInstall(command('pip install --requirem requirements.txt'));
    assert.ok(typeof install === 'object');
    assert.deepEqual(install.manifests.required, ['requirements.txt']);
    const wheel = readDependencyInstall(command('pip wheel --requirement=req/base.txt'));
    assert.ok(typeof wheel === 'object');
    assert.deepEqual(wheel.manifests.required, ['req/base.txt']);
  });

  test('a general option with a value before the subcommand is not taken for the subcommand', () => {
    const install = readDependencyInstall(command('pip --cache-dir /c install -r requirements.txt'));
    assert.ok(typeof install === 'object');
    assert.deepEqual(install.manifests.required, ['requirements.txt']);
  });
});
