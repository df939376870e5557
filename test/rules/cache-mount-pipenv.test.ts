/** Pipenv through cache-mount and cache-disabled: fires, does not fire, and the exact text after each fix. */
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { runRuleTests } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/root/.cache/pipenv';

runRuleTests(cacheMount, {
  valid: [
    { name: 'mounted', code: `FROM python:3.12\nRUN ${MOUNT} pipenv install --system --deploy\n` },
    { name: 'a parent of the cache mounted', code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pipenv sync\n' },
    { name: 'PIPENV_CACHE_DIR set by ENV and mounted there', code: 'FROM python:3.12\nENV PIPENV_CACHE_DIR=/var/cache/pipenv\nRUN --mount=type=cache,target=/var/cache/pipenv pipenv install\n' },
    { name: "pip's PIP_CACHE_DIR does not move pipenv's cache", code: `FROM python:3.12\nENV PIP_CACHE_DIR=/var/cache/pip\nRUN ${MOUNT} pipenv install\n` },
    { name: 'an id= mount', code: `FROM python:3.12\nRUN --mount=type=cache,id=pipenv,target=/root/.cache/pipenv,sharing=locked pipenv install\n` },
    { name: 'pipenv commands that install nothing', code: 'FROM python:3.12\nRUN pipenv --version && pipenv run python -V && pipenv requirements > r.txt\n' },
  ],
  invalid: [
    {
      name: 'pipenv install without a mount',
      code: 'FROM python:3.12\nCOPY Pipfile Pipfile.lock ./\nRUN pipenv install --system --deploy\n',
      errors: [{ messageId: 'mountMissing', line: 3, column: 5, endColumn: 19, data: { manager: 'Pipenv', dirs: '/root/.cache/pipenv', flags: MOUNT } }],
      output: `FROM python:3.12\nCOPY Pipfile Pipfile.lock ./\nRUN ${MOUNT} pipenv install --system --deploy\n`,
    },
    {
      name: 'PIPENV_CACHE_DIR on the call',
      code: 'FROM python:3.12\nRUN PIPENV_CACHE_DIR=/tmp/pipenv-cache pipenv sync\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/tmp/pipenv-cache' } }],
      output: 'FROM python:3.12\nRUN --mount=type=cache,target=/tmp/pipenv-cache PIPENV_CACHE_DIR=/tmp/pipenv-cache pipenv sync\n',
    },
    {
      name: 'XDG_CACHE_HOME moves it',
      code: 'FROM python:3.12\nENV XDG_CACHE_HOME=/cache\nRUN pipenv install\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/cache/pipenv' } }],
      output: 'FROM python:3.12\nENV XDG_CACHE_HOME=/cache\nRUN --mount=type=cache,target=/cache/pipenv pipenv install\n',
    },
    {
      name: 'a non-root user dockopt knows: uid and gid on the mount',
      code: 'FROM python:3.12\nRUN groupadd -g 1001 app && useradd -u 1001 -g app -m app\nUSER app\nRUN pipenv install\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/home/app/.cache/pipenv (as app)' } }],
      output: 'FROM python:3.12\nRUN groupadd -g 1001 app && useradd -u 1001 -g app -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pipenv,uid=1001,gid=1001 pipenv install\n',
    },
    {
      name: 'PIP_NO_CACHE_DIR on the call reaches the pip pipenv runs: it goes with the fix',
      code: 'FROM python:3.12\nRUN PIP_NO_CACHE_DIR=off pipenv install --deploy\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pipenv install --deploy\n`,
    },
    {
      name: 'ENV PIP_NO_CACHE_DIR: reported with a note, the mount only offered',
      code: 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pipenv install --deploy\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { notes: " ENV PIP_NO_CACHE_DIR turns Pipenv's cache off here as well: remove it too (cache-disabled), or the mount stays empty." } }],
      output: null,
    },
    {
      name: '--clear and a wipe go with the fix; exec form kept',
      code: 'FROM python:3.12\nRUN ["pipenv", "install", "--clear"]\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} ["pipenv", "install"]\n`,
    },
    {
      name: 'continuation lines',
      code: 'FROM python:3.12\nRUN pipenv install \\\n      --system \\\n      --deploy && rm -rf /root/.cache/pipenv\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pipenv install \\\n      --system \\\n      --deploy\n`,
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: 'FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pipenv install\n' },
    { name: 'an empty PIP_NO_CACHE_DIR keeps the cache on', code: `FROM python:3.12\nRUN ${MOUNT} PIP_NO_CACHE_DIR= pipenv install\n` },
  ],
  invalid: [
    ...['1', 'off', 'false', '0', 'no'].map((value) => ({
      name: `PIP_NO_CACHE_DIR=${value} beside the mount (pip reads any non-empty value as off)`,
      code: `FROM python:3.12\nRUN ${MOUNT} PIP_NO_CACHE_DIR=${value} pipenv install\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2, data: { switch: `PIP_NO_CACHE_DIR=${value}`, manager: 'Pipenv', target: '/root/.cache/pipenv' } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pipenv install\n`,
    })),
    {
      name: 'env PIP_NO_CACHE_DIR=… pipenv',
      code: `FROM python:3.12\nRUN ${MOUNT} env PIP_NO_CACHE_DIR=true pipenv sync\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} env pipenv sync\n`,
    },
    {
      name: 'ENV PIP_NO_CACHE_DIR: reported, a human removes the ENV',
      code: `FROM python:3.12\nENV PIP_NO_CACHE_DIR=false\nRUN ${MOUNT} pipenv install\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 3, data: { name: 'PIP_NO_CACHE_DIR' } }],
      output: null,
    },
    {
      name: 'ARG PIP_NO_CACHE_DIR is in the environment of the RUN too',
      code: `FROM python:3.12\nARG PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pipenv install\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 3, data: { name: 'PIP_NO_CACHE_DIR' } }],
      output: null,
    },
    {
      name: '--clear beside the mount',
      code: `FROM python:3.12\nRUN ${MOUNT} pipenv install --clear --deploy\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2, data: { switch: '--clear' } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pipenv install --deploy\n`,
    },
    {
      name: 'PIPENV_CLEAR=1 beside the mount',
      code: `FROM python:3.12\nRUN ${MOUNT} PIPENV_CLEAR=1 pipenv install\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2, data: { switch: 'PIPENV_CLEAR=1' } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pipenv install\n`,
    },
    {
      name: 'pipenv --clear after the install',
      code: `FROM python:3.12\nRUN ${MOUNT} pipenv install && pipenv --clear\n`,
      errors: [{ messageId: 'mountWiped', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pipenv install\n`,
    },
  ],
});
