/** pip-sync (pip-tools) through cache-mount and cache-disabled: pip's cache, pip's switches, exact text after each fix. */
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { runRuleTests } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/root/.cache/pip';

runRuleTests(cacheMount, {
  valid: [
    { name: "pip's cache mounted", code: `FROM python:3.12\nRUN ${MOUNT} pip-sync requirements.txt\n` },
    { name: 'PIP_CACHE_DIR set by ENV and mounted there', code: 'FROM python:3.12\nENV PIP_CACHE_DIR=/var/cache/pip\nRUN --mount=type=cache,target=/var/cache/pip pip-sync\n' },
    { name: 'a dry run installs nothing', code: 'FROM python:3.12\nRUN pip-sync --dry-run requirements.txt\n' },
    { name: 'pip-compile is not pip-sync', code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install pip-tools && pip-compile requirements.in\n' },
  ],
  invalid: [
    {
      name: 'pip-sync without a mount',
      code: 'FROM python:3.12\nCOPY requirements.txt .\nRUN pip-sync requirements.txt\n',
      errors: [{ messageId: 'mountMissing', line: 3, column: 5, endColumn: 13, data: { manager: 'pip-sync', dirs: '/root/.cache/pip', flags: MOUNT } }],
      output: `FROM python:3.12\nCOPY requirements.txt .\nRUN ${MOUNT} pip-sync requirements.txt\n`,
    },
    {
      name: '--pip-args "--no-cache-dir" goes with the fix',
      code: 'FROM python:3.12\nRUN pip-sync --pip-args "--no-cache-dir" requirements.txt\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip-sync requirements.txt\n`,
    },
    {
      name: '--pip-args with --no-cache-dir among other options: reported, the mount only offered',
      code: 'FROM python:3.12\nRUN pip-sync --pip-args "--no-cache-dir --no-deps" requirements.txt\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    },
    {
      name: '--cache-dir handed to pip',
      code: 'FROM python:3.12\nRUN pip-sync --pip-args="--cache-dir=/var/cache/pip" requirements.txt\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/var/cache/pip' } }],
      output: 'FROM python:3.12\nRUN --mount=type=cache,target=/var/cache/pip pip-sync --pip-args="--cache-dir=/var/cache/pip" requirements.txt\n',
    },
    {
      name: 'a non-root user dockopt knows',
      code: 'FROM python:3.12\nRUN useradd -u 1001 -m app\nUSER app\nRUN pip-sync --user requirements.txt && pip cache purge\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/home/app/.cache/pip (as app)' } }],
      output: 'FROM python:3.12\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1001 pip-sync --user requirements.txt\n',
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: 'FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pip-sync\n' },
    { name: 'an empty PIP_NO_CACHE_DIR', code: `FROM python:3.12\nRUN ${MOUNT} PIP_NO_CACHE_DIR= pip-sync\n` },
  ],
  invalid: [
    ...['1', 'true', 'off', 'false', '0', 'no'].map((value) => ({
      name: `PIP_NO_CACHE_DIR=${value} on the call`,
      code: `FROM python:3.12\nRUN ${MOUNT} PIP_NO_CACHE_DIR=${value} pip-sync requirements.txt\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2, data: { switch: `PIP_NO_CACHE_DIR=${value}`, manager: 'pip-sync' } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip-sync requirements.txt\n`,
    })),
    {
      name: '--pip-args --no-cache-dir beside the mount',
      code: `FROM python:3.12\nRUN ${MOUNT} pip-sync --pip-args=--no-cache-dir requirements.txt\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2, data: { switch: '--pip-args=--no-cache-dir' } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip-sync requirements.txt\n`,
    },
    {
      name: 'pip cache purge after it',
      code: `FROM python:3.12\nRUN ${MOUNT} pip-sync requirements.txt && python -m pip cache purge\n`,
      errors: [{ messageId: 'mountWiped', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip-sync requirements.txt\n`,
    },
  ],
});
