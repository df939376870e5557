/** uv through cache-mount and cache-disabled: fires, does not fire, and the exact text after each fix. */
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { runRuleTests } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/root/.cache/uv';

runRuleTests(cacheMount, {
  valid: [
    { name: 'mounted', code: `FROM python:3.12\nRUN ${MOUNT} uv sync --frozen\n` },
    { name: 'a parent of the cache mounted', code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache uv pip install --system flask\n' },
    { name: 'UV_CACHE_DIR set by ENV and mounted there', code: 'FROM python:3.12\nENV UV_CACHE_DIR=/opt/uv-cache\nRUN --mount=type=cache,target=/opt/uv-cache uv sync\n' },
    { name: '--cache-dir mounted', code: 'FROM python:3.12\nRUN --mount=type=cache,target=/c uv --cache-dir /c sync\n' },
    { name: 'an id= mount', code: `FROM python:3.12\nRUN --mount=type=cache,id=uv,target=/root/.cache/uv uv sync\n` },
    { name: 'uv commands that install nothing', code: 'FROM python:3.12\nRUN uv --version && uv venv /opt/venv && uv pip list && uv run --help\n' },
    { name: 'the uv of a non-root user with a mount it owns', code: 'FROM python:3.12\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/uv,uid=1001 uv sync\n' },
  ],
  invalid: [
    {
      name: "--no-cache-dir, uv's alias of --no-cache, goes like it",
      code: 'FROM python:3.12\nRUN uv pip install --system --no-cache-dir -r requirements.txt\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} uv pip install --system --link-mode=copy -r requirements.txt\n`,
    },
    {
      name: 'uv sync without a mount: mounted, with --link-mode=copy',
      code: 'FROM python:3.12\nRUN uv sync --frozen\n',
      errors: [{ messageId: 'mountMissing', line: 2, column: 5, endColumn: 12, data: { manager: 'uv', dirs: '/root/.cache/uv', flags: MOUNT } }],
      output: `FROM python:3.12\nRUN ${MOUNT} uv sync --link-mode=copy --frozen\n`,
    },
    {
      name: 'uv pip install --no-cache: the switch becomes --link-mode=copy',
      code: 'FROM python:3.12\nRUN uv pip install --no-cache --system -r requirements.txt\n',
      errors: [{ messageId: 'mountMissing', line: 2, endColumn: 19 }],
      output: `FROM python:3.12\nRUN ${MOUNT} uv pip install --link-mode=copy --system -r requirements.txt\n`,
    },
    {
      name: 'UV_LINK_MODE already set: no option added',
      code: 'FROM python:3.12\nENV UV_LINK_MODE=copy\nRUN uv sync\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `FROM python:3.12\nENV UV_LINK_MODE=copy\nRUN ${MOUNT} uv sync\n`,
    },
    {
      name: 'UV_CACHE_DIR from ENV',
      code: 'FROM python:3.12\nENV UV_CACHE_DIR=/opt/uv-cache UV_LINK_MODE=copy\nRUN uv sync\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/opt/uv-cache' } }],
      output: 'FROM python:3.12\nENV UV_CACHE_DIR=/opt/uv-cache UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/opt/uv-cache uv sync\n',
    },
    {
      name: 'a non-root user dockopt knows: uid and gid on the mount',
      code: 'FROM python:3.12\nRUN useradd -u 1001 -m app\nUSER app\nENV UV_LINK_MODE=copy\nRUN uv sync\n',
      errors: [{ messageId: 'mountMissing', line: 5, data: { dirs: '/home/app/.cache/uv (as app)' } }],
      output: 'FROM python:3.12\nRUN useradd -u 1001 -m app\nUSER app\nENV UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/home/app/.cache/uv,uid=1001 uv sync\n',
    },
    {
      name: "the base image's own user: reported, not fixed by itself",
      code: 'FROM ghcr.io/example/app:1\nUSER app\nRUN uv sync\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 3 }],
      output: null,
    },
    {
      name: 'UV_NO_CACHE=1 on the call goes with the fix',
      code: 'FROM python:3.12\nENV UV_LINK_MODE=copy\nRUN UV_NO_CACHE=1 uv sync\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `FROM python:3.12\nENV UV_LINK_MODE=copy\nRUN ${MOUNT} uv sync\n`,
    },
    {
      name: 'ENV UV_NO_CACHE: reported with a note, the mount only offered',
      code: 'FROM python:3.12\nENV UV_NO_CACHE=1 UV_LINK_MODE=copy\nRUN uv sync\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: null,
    },
    {
      name: 'a mount owned by root while uv runs as a known user: uid added',
      code: 'FROM python:3.12\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/uv uv sync\n',
      errors: [{ messageId: 'mountNotWritable', line: 4, data: { owns: 'uid=1001' } }],
      output: 'FROM python:3.12\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/uv,uid=1001 uv sync\n',
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: 'FROM python:3.12\nRUN uv sync --no-cache\n' },
    { name: 'UV_NO_CACHE=0 keeps the cache on', code: `FROM python:3.12\nRUN ${MOUNT} UV_NO_CACHE=0 uv sync\n` },
    { name: 'an empty UV_NO_CACHE', code: `FROM python:3.12\nENV UV_NO_CACHE=\nRUN ${MOUNT} uv sync\n` },
  ],
  invalid: [
    {
      name: '--no-cache-dir beside the mount',
      code: `FROM python:3.12\nENV UV_LINK_MODE=copy\nRUN ${MOUNT} uv pip install --system --no-cache-dir -r requirements.txt\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 3, data: { switch: '--no-cache-dir' } }],
      output: `FROM python:3.12\nENV UV_LINK_MODE=copy\nRUN ${MOUNT} uv pip install --system -r requirements.txt\n`,
    },
    {
      name: '--no-cache beside the mount',
      code: `FROM python:3.12\nRUN ${MOUNT} uv sync --frozen --no-cache\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2, data: { switch: '--no-cache', manager: 'uv', target: '/root/.cache/uv' } }],
      output: `FROM python:3.12\nRUN ${MOUNT} uv sync --frozen --link-mode=copy\n`,
    },
    {
      name: 'UV_NO_CACHE=true on the call',
      code: `FROM python:3.12\nENV UV_LINK_MODE=copy\nRUN ${MOUNT} UV_NO_CACHE=true uv sync\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 3, data: { switch: 'UV_NO_CACHE=true' } }],
      output: `FROM python:3.12\nENV UV_LINK_MODE=copy\nRUN ${MOUNT} uv sync\n`,
    },
    {
      name: 'ENV UV_NO_CACHE=1: reported, a human removes the ENV',
      code: `FROM python:3.12\nENV UV_NO_CACHE=1\nRUN ${MOUNT} uv sync\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 3, data: { origin: 'ENV', name: 'UV_NO_CACHE' } }],
      output: null,
    },
    {
      name: 'ARG UV_NO_CACHE=1: named as the ARG it is',
      code: `FROM python:3.12\nARG UV_NO_CACHE=1\nRUN ${MOUNT} uv sync\n`,
      errors: [{ messageId: 'envSwitchesCacheOff', line: 3, data: { origin: 'ARG', name: 'UV_NO_CACHE' } }],
      output: null,
    },
    {
      name: 'uv cache clean after the install',
      code: `FROM python:3.12\nRUN ${MOUNT} uv sync && uv cache clean\n`,
      errors: [{ messageId: 'mountWiped', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} uv sync\n`,
    },
  ],
});
