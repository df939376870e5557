/** PDM through cache-mount and cache-disabled: fires, does not fire, and the exact text after each fix. */
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { runRuleTests } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/root/.cache/pdm';

runRuleTests(cacheMount, {
  valid: [
    { name: 'mounted', code: `FROM python:3.12\nRUN ${MOUNT} pdm install --prod --frozen-lockfile\n` },
    { name: 'a parent of the cache mounted', code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pdm sync\n' },
    { name: 'PDM_CACHE_DIR set by ENV and mounted there', code: 'FROM python:3.12\nENV PDM_CACHE_DIR=/var/cache/pdm\nRUN --mount=type=cache,target=/var/cache/pdm pdm install\n' },
    { name: 'an id= mount', code: 'FROM python:3.12\nRUN --mount=type=cache,id=pdm,target=/root/.cache/pdm pdm install\n' },
    { name: 'pdm commands that install nothing', code: 'FROM python:3.12\nRUN pdm --version && pdm config python.use_venv true && pdm run app\n' },
  ],
  invalid: [
    {
      name: 'python -m pdm install is pdm install',
      code: 'FROM python:3.12\nCOPY pyproject.toml pdm.lock ./\nRUN python -m pdm install\n',
      errors: [{ messageId: 'mountMissing', line: 3, column: 15, data: { manager: 'PDM' } }],
      output: 'FROM python:3.12\nCOPY pyproject.toml pdm.lock ./\nRUN --mount=type=cache,target=/root/.cache/pdm python -m pdm install\n',
    },
    {
      name: 'pdm install without a mount',
      code: 'FROM python:3.12\nCOPY pyproject.toml pdm.lock ./\nRUN pdm install --prod --frozen-lockfile\n',
      errors: [{ messageId: 'mountMissing', line: 3, column: 5, endColumn: 16, data: { manager: 'PDM', dirs: '/root/.cache/pdm', flags: MOUNT } }],
      output: `FROM python:3.12\nCOPY pyproject.toml pdm.lock ./\nRUN ${MOUNT} pdm install --prod --frozen-lockfile\n`,
    },
    {
      name: '--no-cache goes with the fix; a global option before the subcommand',
      code: 'FROM python:3.12\nRUN pdm -p /app --no-cache sync\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pdm -p /app sync\n`,
    },
    {
      name: '`pdm config cache_dir` earlier moves the cache',
      code: 'FROM python:3.12\nRUN pdm config cache_dir /var/cache/pdm\nRUN pdm install\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/var/cache/pdm' } }],
      output: 'FROM python:3.12\nRUN pdm config cache_dir /var/cache/pdm\nRUN --mount=type=cache,target=/var/cache/pdm pdm install\n',
    },
    {
      name: 'install.cache on: PDM links packages to its cache, so the mount is only offered',
      code: 'FROM python:3.12\nRUN pdm config install.cache on\nRUN pdm install\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: null,
    },
    {
      name: 'install.cache turned off again',
      code: 'FROM python:3.12\nRUN pdm config install.cache on && pdm config install.cache false\nRUN pdm install\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `FROM python:3.12\nRUN pdm config install.cache on && pdm config install.cache false\nRUN ${MOUNT} pdm install\n`,
    },
    {
      name: 'a non-root user dockopt knows, continuation lines',
      code: 'FROM python:3.12\nRUN useradd -u 1001 -m app\nUSER app\nRUN pdm install \\\n      --prod\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/home/app/.cache/pdm (as app)' } }],
      output: 'FROM python:3.12\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pdm,uid=1001 pdm install \\\n      --prod\n',
    },
    {
      name: 'exec form, and a wipe in another RUN is left alone',
      code: 'FROM python:3.12\nRUN ["pdm", "install"]\nRUN pdm cache clear\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} ["pdm", "install"]\nRUN pdm cache clear\n`,
    },
    {
      name: 'ENV PDM_NO_CACHE: reported with a note, the mount only offered',
      code: 'FROM python:3.12\nENV PDM_NO_CACHE=true\nRUN pdm install\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: null,
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: 'FROM python:3.12\nRUN pdm install --no-cache\n' },
    { name: 'an empty PDM_NO_CACHE', code: `FROM python:3.12\nRUN ${MOUNT} PDM_NO_CACHE= pdm install\n` },
  ],
  invalid: [
    {
      name: '--no-cache beside the mount',
      code: `FROM python:3.12\nRUN ${MOUNT} pdm install --no-cache --prod\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2, data: { switch: '--no-cache', manager: 'PDM', target: '/root/.cache/pdm' } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pdm install --prod\n`,
    },
    {
      // PDM takes the variable's string as the option's default: any non-empty value switches it on.
      name: 'PDM_NO_CACHE=false still turns the cache off',
      code: `FROM python:3.12\nRUN ${MOUNT} PDM_NO_CACHE=false pdm install\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2, data: { switch: 'PDM_NO_CACHE=false' } }],
      output: `FROM python:3.12\nRUN ${MOUNT} pdm install\n`,
    },
    {
      name: 'pdm cache clear after the install',
      code: `FROM python:3.12\nRUN ${MOUNT} pdm install && pdm cache clear\n`,
      errors: [{ messageId: 'mountWiped', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pdm install\n`,
    },
  ],
});
