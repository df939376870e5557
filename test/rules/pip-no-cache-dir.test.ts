/** pip-no-cache-dir as a RuleTester table: every case fires (with its message id) or not, and fixes to its output. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rule } from '../../server/src/rules/pip-no-cache-dir';
import { check, runRuleTests } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/root/.cache/pip';

// The "after" state of the report this project started from: the mount was added, the flag kept.
const SEED_AFTER = [
  'FROM python:3.12-alpine',
  'WORKDIR /app',
  'COPY requirements-prod.txt .',
  '# Python services',
  'RUN --mount=type=cache,target=/root/.cache/pip \\',
  '    pip install --no-cache-dir --user -r requirements-prod.txt',
  'COPY . .',
  '',
].join('\n');

runRuleTests(rule, {
  valid: [
    { name: 'without a cache mount (pip-cache-mount reports it)', code: 'FROM python:3.12\nRUN pip install --no-cache-dir flask\n' },
    { name: 'with a cache mount on another directory', code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.npm pip install --no-cache-dir flask\n' },
    { name: "with root's mount under a non-root user (pip-cache-mount reports it)", code: `FROM python:3.12\nRUN useradd -u 1001 app\nUSER app\nRUN ${MOUNT} pip install --no-cache-dir flask\n` },
    { name: 'when pip is not there', code: `FROM python:3.12\nRUN ${MOUNT} echo --no-cache-dir\n` },
    { name: 'for pip uninstall', code: `FROM python:3.12\nRUN ${MOUNT} pip uninstall --no-cache-dir -y flask\n` },
    { name: 'when pip keeps its cache on', code: `FROM python:3.12\nRUN ${MOUNT} pip install flask\n` },
    { name: 'for an empty PIP_NO_CACHE_DIR (pip ignores it)', code: `FROM python:3.12\nENV PIP_NO_CACHE_DIR=\nRUN ${MOUNT} PIP_NO_CACHE_DIR= pip install flask\n` },
    { name: 'when the RUN empties an ENV PIP_NO_CACHE_DIR', code: `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} PIP_NO_CACHE_DIR= pip install flask\n` },
    { name: 'when a later ENV empties PIP_NO_CACHE_DIR', code: `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nENV PIP_NO_CACHE_DIR=""\nRUN ${MOUNT} pip install flask\n` },
    { name: 'for an ENV after the RUN', code: `FROM python:3.12\nRUN ${MOUNT} pip install flask\nENV PIP_NO_CACHE_DIR=1\n` },
    { name: 'for an ENV of another stage', code: `FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN ${MOUNT} pip install flask\n` },
    { name: 'when sudo resets the environment', code: `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} sudo pip install flask\n` },
    { name: 'for an ARG PIP_NO_CACHE_DIR without a default (only --build-arg knows it)', code: `FROM python:3.12\nARG PIP_NO_CACHE_DIR\nRUN ${MOUNT} pip install flask\n` },
    { name: 'for an ARG with an empty default', code: `FROM python:3.12\nARG PIP_NO_CACHE_DIR=\nRUN ${MOUNT} pip install flask\n` },
    { name: 'for an ARG of another stage', code: `FROM python:3.12 AS a\nARG PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN ${MOUNT} pip install flask\n` },
    { name: 'for an ARG an empty ENV hides (ENV wins)', code: `FROM python:3.12\nARG PIP_NO_CACHE_DIR=1\nENV PIP_NO_CACHE_DIR=\nRUN ${MOUNT} pip install flask\n` },
    { name: 'with # dockopt ignore=pip-no-cache-dir on the line before', code: `FROM python:3.12\n# dockopt ignore=pip-no-cache-dir\nRUN ${MOUNT} pip install --no-cache-dir flask\n` },
    { name: 'for an export with an empty value (the cache stays on)', code: `FROM python:3.12\nRUN ${MOUNT} export PIP_NO_CACHE_DIR= && pip install flask\n` },
    { name: 'for an export the RUN unsets before pip', code: `FROM python:3.12\nRUN ${MOUNT} export PIP_NO_CACHE_DIR=1 && unset PIP_NO_CACHE_DIR && pip install flask\n` },
    { name: 'for an export after the pip call', code: `FROM python:3.12\nRUN ${MOUNT} pip install flask && export PIP_NO_CACHE_DIR=1\n` },
  ],
  invalid: [
    {
      name: 'an `export PIP_NO_CACHE_DIR=1` earlier in the RUN: the whole export goes, with its &&',
      code: `FROM python:3.12\nRUN ${MOUNT} export PIP_NO_CACHE_DIR=1 && pip install flask\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2, data: { switch: 'PIP_NO_CACHE_DIR=1', target: '/root/.cache/pip' } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`,
    },
    {
      name: 'an export that sets other variables too: only its PIP_NO_CACHE_DIR goes',
      code: `FROM python:3.12\nRUN ${MOUNT} export PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \\\n    && pip install flask\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2, data: { switch: 'PIP_NO_CACHE_DIR=1' } }],
      output: `FROM python:3.12\nRUN ${MOUNT} export PIP_DISABLE_PIP_VERSION_CHECK=1 \\\n    && pip install flask\n`,
    },
    {
      name: "the seed's \"after\" RUN: --no-cache-dir keeps its new cache mount empty",
      code: SEED_AFTER,
      errors: [{ messageId: 'cacheSwitchedOff', line: 6, column: 17, endColumn: 31, data: { switch: '--no-cache-dir', target: '/root/.cache/pip' } }],
      output: SEED_AFTER.replace('    pip install --no-cache-dir --user -r requirements-prod.txt', '    pip install --user -r requirements-prod.txt'),
    },
    {
      name: 'removes every --no-cache-dir of the RUN in one finding',
      code: `FROM python:3.12\nRUN ${MOUNT} pip install --no-cache-dir -U pip && pip install -r r.txt --no-cache-dir\n`,
      errors: [{ messageId: 'cacheSwitchedOffRepeatedly', line: 2, data: { count: 2 } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install -U pip && pip install -r r.txt\n`,
    },
    {
      name: 'two --no-cache-dir side by side across the last continuation are removed in one pass',
      code: `FROM python:3.12\nRUN ${MOUNT} pip install flask --no-cache-dir \\\n    --no-cache-dir\nCOPY . .\n`,
      errors: [{ messageId: 'cacheSwitchedOffRepeatedly', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install flask\nCOPY . .\n`,
    },
    {
      name: 'two --no-cache-dir alone on the last line go with the line',
      code: `FROM python:3.12\nRUN ${MOUNT} pip install -r r.txt \\\n    --no-cache-dir --no-cache-dir\nCOPY . .\n`,
      errors: [{ messageId: 'cacheSwitchedOffRepeatedly', line: 3 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install -r r.txt\nCOPY . .\n`,
    },
    {
      // `    # why` inside a continued RUN would be dropped by Docker, and the RUN would run on.
      name: 'no fix when removing the flag would turn the rest of its line into a comment line',
      code: `FROM python:3.12\nRUN ${MOUNT} pip install \\\n    --no-cache-dir # why\nCOPY . .\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 3 }],
      output: null,
    },
    {
      // `./my\ ` is one word ending in a blank; removing the blanks before the flag would change it.
      name: 'no fix when the flag follows an escaped blank',
      code: `FROM python:3.12\nRUN ${MOUNT} pip install ./my\\  --no-cache-dir\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2 }],
      output: null,
    },
    ...['1', 'true', 'off', 'false', '0', 'no'].map((value) => ({
      name: `a PIP_NO_CACHE_DIR=${value} assignment in the RUN (pip reads any non-empty value as off)`,
      code: `FROM python:3.12\nRUN ${MOUNT} PIP_NO_CACHE_DIR=${value} pip install flask\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2, data: { switch: `PIP_NO_CACHE_DIR=${value}` } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`,
    })),
    ...['off', 'false', '0', 'no', 'n', 'f', 'OFF', 'False'].map((value) => ({
      name: `ENV PIP_NO_CACHE_DIR=${value} (pip reads any non-empty value as off)`,
      code: `FROM python:3.12\nENV PIP_NO_CACHE_DIR=${value}\nRUN ${MOUNT} pip install flask\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 2, data: { property: `PIP_NO_CACHE_DIR=${value}` } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`,
    })),
    ...['0', 'no', '"false"'].map((value) => ({
      name: `env PIP_NO_CACHE_DIR=${value} pip`,
      code: `FROM python:3.12\nRUN ${MOUNT} env PIP_NO_CACHE_DIR=${value} pip install flask\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} env pip install flask\n`,
    })),
    ...['1', 'off', 'false', '0'].map((value) => ({
      name: `ARG PIP_NO_CACHE_DIR=${value}: its default is in the RUN's environment; reported, a human changes the ARG`,
      code: `FROM python:3.12\nARG PIP_NO_CACHE_DIR=${value}\nRUN ${MOUNT} pip install flask\n`,
      errors: [{ messageId: 'argSwitchesCacheOff', line: 3, column: 48, endColumn: 59, data: { value, target: '/root/.cache/pip' } }],
      output: null,
    })),
    {
      name: 'a global ARG taken into the stage by `ARG NAME`',
      code: `ARG PIP_NO_CACHE_DIR=1\nFROM python:3.12\nARG PIP_NO_CACHE_DIR\nRUN ${MOUNT} pip install flask\n`,
      errors: [{ messageId: 'argSwitchesCacheOff', line: 4 }],
      output: null,
    },
    {
      name: 'a PIP_NO_CACHE_DIR given to env',
      code: `FROM python:3.12\nRUN ${MOUNT} env PIP_NO_CACHE_DIR=1 python -m pip install flask\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} env python -m pip install flask\n`,
    },
    {
      name: 'exec form',
      code: `FROM python:3.12\nRUN ${MOUNT} ["pip","install","--no-cache-dir","flask"]\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} ["pip","install","flask"]\n`,
    },
    {
      name: 'heredoc',
      code: `FROM python:3.12\nRUN ${MOUNT} <<EOF\npip install --no-cache-dir \\\n    flask\nEOF\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 3 }],
      output: `FROM python:3.12\nRUN ${MOUNT} <<EOF\npip install \\\n    flask\nEOF\n`,
    },
    {
      name: 'CRLF keeps its bytes',
      code: `FROM python:3.12\r\nRUN ${MOUNT} \\\r\n    pip install \\\r\n    --no-cache-dir \\\r\n    flask\r\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 4 }],
      output: `FROM python:3.12\r\nRUN ${MOUNT} \\\r\n    pip install \\\r\n    flask\r\n`,
    },
    {
      name: '# escape=` keeps its bytes',
      code: `# escape=\`\r\nFROM python:3.12\r\nRUN ${MOUNT} \`\r\n    pip install flask \`\r\n    --no-cache-dir\r\nCOPY . .\r\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 5 }],
      output: `# escape=\`\r\nFROM python:3.12\r\nRUN ${MOUNT} \`\r\n    pip install flask\r\nCOPY . .\r\n`,
    },
    {
      name: 'a non-root user with the mount on their cache',
      code: 'FROM python:3.12\nRUN useradd -u 1001 app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1001 pip install --no-cache-dir flask\n',
      errors: [{ messageId: 'cacheSwitchedOff', line: 4, data: { target: '/home/app/.cache/pip' } }],
      output: 'FROM python:3.12\nRUN useradd -u 1001 app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1001 pip install flask\n',
    },
    {
      name: 'ENV PIP_NO_CACHE_DIR alone: the ENV instruction goes',
      code: `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pip install flask\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 2, column: 5, endColumn: 23, data: { property: 'PIP_NO_CACHE_DIR=1', targets: '/root/.cache/pip', runs: 'the RUN on line 3' } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`,
    },
    // A later RUN that may run pip unseen (a script, another user's shell): without the ENV its cache would stay in that layer.
    ...[
      ['sh /tmp/install-plugins.sh', 'sh /tmp/install-plugins.sh'],
      ['./install.sh', './install.sh'],
      ['su app -c "pip install --user gunicorn"', 'su app -c pip install --user gunicorn'],
      ['python scripts/setup_env.py', 'python scripts/setup_env.py'],
      ['apt-get update && make deps', 'make deps'],
    ].map(([command, shown]) => ({
      name: `no automatic fix for the ENV when a later RUN may run pip unseen: ${command}`,
      code: `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pip install flask\nRUN ${command}\n`,
      errors: [{ messageId: 'envSwitchesCacheOffAlsoHidden', line: 2, data: { property: 'PIP_NO_CACHE_DIR=1', runs: 'the RUN on line 3', command: shown, line: 4 } }],
      output: null,
    })),
    {
      name: 'a later RUN of system commands (by name or by path) does not hold the ENV fix back',
      code: `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pip install flask\nRUN apt-get update && /usr/bin/apt-get install -y curl && mkdir -p /data\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install flask\nRUN apt-get update && /usr/bin/apt-get install -y curl && mkdir -p /data\n`,
    },
    {
      name: 'a script before the ENV does not hold its fix back',
      code: `FROM python:3.12\nRUN ./bootstrap.sh\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pip install flask\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 3 }],
      output: `FROM python:3.12\nRUN ./bootstrap.sh\nRUN ${MOUNT} pip install flask\n`,
    },
    {
      name: 'legacy ENV PIP_NO_CACHE_DIR 1 in the stage a stage builds on',
      code: `FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR 1\nWORKDIR /app\nFROM base\nRUN ${MOUNT} pip install flask`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 2 }],
      output: `FROM python:3.12 AS base\nWORKDIR /app\nFROM base\nRUN ${MOUNT} pip install flask`,
    },
    {
      name: 'ENV with other properties on one line: only the property goes',
      code: `FROM python:3.12\nENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=on PIP_DISABLE_PIP_VERSION_CHECK=1\nRUN ${MOUNT} pip install flask\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 2 }],
      output: `FROM python:3.12\nENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1\nRUN ${MOUNT} pip install flask\n`,
    },
    {
      name: 'ENV over continued lines: the property line goes',
      code: `FROM python:3.12\nENV PYTHONUNBUFFERED=1 \\\n    PIP_NO_CACHE_DIR=1 \\\n    PIP_DISABLE_PIP_VERSION_CHECK=1\nRUN ${MOUNT} pip install flask\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 3 }],
      output: `FROM python:3.12\nENV PYTHONUNBUFFERED=1 \\\n    PIP_DISABLE_PIP_VERSION_CHECK=1\nRUN ${MOUNT} pip install flask\n`,
    },
    {
      name: 'ENV over continued lines: the continuation before a last property goes with it',
      code: `FROM python:3.12\r\nENV PYTHONUNBUFFERED=1 \\\r\n    PIP_NO_CACHE_DIR="true"\r\nRUN ${MOUNT} pip install flask\r\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 3 }],
      output: `FROM python:3.12\r\nENV PYTHONUNBUFFERED=1\r\nRUN ${MOUNT} pip install flask\r\n`,
    },
    {
      name: 'one finding for an ENV that several mounted RUNs inherit, naming them',
      code: `FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pip install a\nFROM base\nRUN ${MOUNT} pip install b\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 2, data: { runs: 'the RUNs on lines 3, 5' } }],
      output: `FROM python:3.12 AS base\nRUN ${MOUNT} pip install a\nFROM base\nRUN ${MOUNT} pip install b\n`,
    },
    {
      name: 'every ENV that removing the last one would bring back goes in the same pass',
      code: `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nENV PIP_NO_CACHE_DIR=yes\nRUN ${MOUNT} pip install flask\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 2 }, { messageId: 'envSwitchesCacheOff', line: 3 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`,
    },
    {
      name: 'says which pip RUNs under the ENV have no mount yet',
      code: `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pip install a\nRUN pip install b\n`,
      errors: [{ messageId: 'envSwitchesCacheOffAlsoUnmounted', line: 2, data: { unmountedLines: 'line 4', them: 'it' } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install a\nRUN pip install b\n`,
    },
    {
      name: 'a mount on a folder above the cache: rm of the cache inside it empties the mount, it does not fail the build',
      code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask && rm -rf /root/.cache/pip\n',
      errors: [{ messageId: 'mountWiped', line: 2, data: { targets: '/root/.cache' } }],
      output: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask\n',
    },
    {
      name: 'rm of the mount point itself fails the build',
      code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask && rm -rf /root/.cache\n',
      errors: [{ messageId: 'mountPointRemoved', line: 2 }],
      output: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask\n',
    },
    {
      name: 'the ENV and the flag of one RUN are two findings, fixed together',
      code: `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pip install --no-cache-dir flask\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 2 }, { messageId: 'cacheSwitchedOff', line: 3 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`,
    },
  ],
});

test('pip-no-cache-dir: the messages read in full', () => {
  assert.deepEqual(
    check(rule, SEED_AFTER).map((f) => f.message),
    [
      "--no-cache-dir turns off pip's cache, so the cache mount on /root/.cache/pip stays empty and every build downloads again. " +
        "Remove it: with the mount, pip's cache never ends up in the image anyway.",
    ],
  );
  assert.deepEqual(
    check(rule, `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pip install a\nRUN pip install b\nRUN pip install c\n`).map((f) => f.message),
    [
      "ENV PIP_NO_CACHE_DIR=1 turns off pip's cache, so the cache mount on /root/.cache/pip (the RUN on line 3) stays empty and every build downloads again. " +
        "Remove it: with a cache mount, pip's cache never ends up in the image anyway. " +
        "It also applies to pip without a cache mount on lines 4, 5: give them one (pip-cache-mount) so pip's cache stays out of the image.",
    ],
  );
});
