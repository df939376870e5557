/** Poetry through cache-mount and cache-disabled: fires, does not fire, and the exact text after each fix. */
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { runRuleTests } from '../helpers/rule-tester';

// The virtualenv may be in ~/.cache/pypoetry/virtualenvs: only the download caches are mounted.
const SUBDIRS = '--mount=type=cache,target=/root/.cache/pypoetry/cache --mount=type=cache,target=/root/.cache/pypoetry/artifacts';
// The virtualenv is known to be elsewhere: the whole cache dir.
const WHOLE = '--mount=type=cache,target=/root/.cache/pypoetry';
const NO_VENV = 'ENV POETRY_VIRTUALENVS_CREATE=false\n';

runRuleTests(cacheMount, {
  valid: [
    { name: 'both download caches mounted', code: `FROM python:3.12\nRUN ${SUBDIRS} poetry install --no-root\n` },
    { name: 'the whole cache dir mounted without a virtualenv', code: `FROM python:3.12\n${NO_VENV}RUN ${WHOLE} poetry install\n` },
    { name: 'a parent of the cache dir mounted', code: `FROM python:3.12\n${NO_VENV}RUN --mount=type=cache,target=/root/.cache poetry install\n` },
    { name: 'POETRY_CACHE_DIR set by ENV and mounted there', code: `FROM python:3.12\nENV POETRY_CACHE_DIR=/opt/poetry-cache POETRY_VIRTUALENVS_IN_PROJECT=true\nRUN --mount=type=cache,target=/opt/poetry-cache poetry install\n` },
    { name: 'id= and sharing= mounts', code: `FROM python:3.12\n${NO_VENV}RUN --mount=type=cache,id=poetry,target=/root/.cache/pypoetry,sharing=locked poetry sync\n` },
    { name: 'poetry commands that download nothing', code: 'FROM python:3.12\nRUN poetry --version && poetry config virtualenvs.create false && poetry run pytest && poetry build\n' },
    { name: 'the word poetry elsewhere', code: 'FROM python:3.12\nRUN pip install poetry==1.8.3\n' },
    { name: 'a non-root user with mounts it owns', code: `FROM python:3.12\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pypoetry/cache,uid=1001 --mount=type=cache,target=/home/app/.cache/pypoetry/artifacts,uid=1001 poetry install\n` },
  ],
  invalid: [
    {
      name: 'poetry install, virtualenv in the cache dir (the default): the two download caches, not virtualenvs/',
      code: 'FROM python:3.12\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\n',
      errors: [{ messageId: 'mountMissing', line: 3, column: 5, endColumn: 19, data: { manager: 'Poetry', dirs: '/root/.cache/pypoetry/cache (index and metadata cache) and /root/.cache/pypoetry/artifacts (downloaded packages)', flags: SUBDIRS } }],
      output: `FROM python:3.12\nCOPY pyproject.toml poetry.lock ./\nRUN ${SUBDIRS} poetry install --no-root\n`,
    },
    {
      name: 'POETRY_VIRTUALENVS_CREATE=false: the whole cache dir, --no-cache dropped',
      code: `FROM python:3.12\n${NO_VENV}RUN poetry install --no-cache --only main\n`,
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/root/.cache/pypoetry', flags: WHOLE } }],
      output: `FROM python:3.12\n${NO_VENV}RUN ${WHOLE} poetry install --only main\n`,
    },
    {
      name: 'poetry reads only true and 1 as true: False does not create a virtualenv either',
      code: 'FROM python:3.12\nENV POETRY_VIRTUALENVS_CREATE=False\nRUN poetry install\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { flags: WHOLE } }],
      output: `FROM python:3.12\nENV POETRY_VIRTUALENVS_CREATE=False\nRUN ${WHOLE} poetry install\n`,
    },
    {
      name: 'POETRY_VIRTUALENVS_CREATE=true keeps the virtualenv in the cache dir',
      code: 'FROM python:3.12\nENV POETRY_VIRTUALENVS_CREATE=true\nRUN poetry install\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { flags: SUBDIRS } }],
      output: `FROM python:3.12\nENV POETRY_VIRTUALENVS_CREATE=true\nRUN ${SUBDIRS} poetry install\n`,
    },
    {
      name: 'POETRY_VIRTUALENVS_IN_PROJECT=1 on the call',
      code: 'FROM python:3.12\nRUN POETRY_VIRTUALENVS_IN_PROJECT=1 poetry install\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { flags: WHOLE } }],
      output: `FROM python:3.12\nRUN ${WHOLE} POETRY_VIRTUALENVS_IN_PROJECT=1 poetry install\n`,
    },
    {
      name: '`poetry config virtualenvs.in-project true` in an earlier RUN of the same user',
      code: 'FROM python:3.12\nRUN pip install poetry && poetry config virtualenvs.in-project true\nRUN poetry install\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { flags: WHOLE } }],
      output: `FROM python:3.12\nRUN pip install poetry && poetry config virtualenvs.in-project true\nRUN ${WHOLE} poetry install\n`,
    },
    {
      name: '`poetry config virtualenvs.create false` earlier in the same RUN',
      code: 'FROM python:3.12\nRUN poetry config virtualenvs.create false && poetry install\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { flags: WHOLE } }],
      output: `FROM python:3.12\nRUN ${WHOLE} poetry config virtualenvs.create false && poetry install\n`,
    },
    {
      name: "another user's poetry config does not move this user's virtualenv",
      code: 'FROM python:3.12\nRUN poetry config virtualenvs.create false\nRUN useradd -u 1001 -m app\nUSER app\nRUN poetry install\n',
      errors: [{ messageId: 'mountMissing', line: 5, data: { flags: '--mount=type=cache,target=/home/app/.cache/pypoetry/cache,uid=1001 --mount=type=cache,target=/home/app/.cache/pypoetry/artifacts,uid=1001' } }],
      output: null,
    },
    {
      name: 'an active virtualenv (VIRTUAL_ENV) is where poetry installs',
      code: 'FROM python:3.12\nENV VIRTUAL_ENV=/opt/venv\nRUN python -m venv $VIRTUAL_ENV && poetry install\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { flags: WHOLE } }],
      output: `FROM python:3.12\nENV VIRTUAL_ENV=/opt/venv\nRUN ${WHOLE} python -m venv $VIRTUAL_ENV && poetry install\n`,
    },
    {
      name: 'POETRY_VIRTUALENVS_PATH inside the cache dir keeps to the download caches',
      code: 'FROM python:3.12\nENV POETRY_VIRTUALENVS_PATH=/root/.cache/pypoetry/envs\nRUN poetry install\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { flags: SUBDIRS } }],
      output: `FROM python:3.12\nENV POETRY_VIRTUALENVS_PATH=/root/.cache/pypoetry/envs\nRUN ${SUBDIRS} poetry install\n`,
    },
    {
      name: 'POETRY_VIRTUALENVS_PATH outside the cache dir',
      code: 'FROM python:3.12\nENV POETRY_VIRTUALENVS_PATH=/opt/venvs\nRUN poetry install\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { flags: WHOLE } }],
      output: `FROM python:3.12\nENV POETRY_VIRTUALENVS_PATH=/opt/venvs\nRUN ${WHOLE} poetry install\n`,
    },
    {
      name: 'XDG_CACHE_HOME moves the cache dir',
      code: `FROM python:3.12\n${NO_VENV}ENV XDG_CACHE_HOME=/cache\nRUN poetry install\n`,
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/cache/pypoetry' } }],
      output: `FROM python:3.12\n${NO_VENV}ENV XDG_CACHE_HOME=/cache\nRUN --mount=type=cache,target=/cache/pypoetry poetry install\n`,
    },
    {
      name: "the base image's own user: reported, not fixed by itself",
      code: 'FROM ghcr.io/example/app:1\nRUN poetry install\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 2 }],
      output: null,
    },
    {
      name: 'a wipe of the cache goes with the fix',
      code: `FROM python:3.12\n${NO_VENV}RUN poetry install --no-root && poetry cache clear pypi --all -n\n`,
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `FROM python:3.12\n${NO_VENV}RUN ${WHOLE} poetry install --no-root\n`,
    },
    {
      name: 'continuation lines, global options before the subcommand',
      code: 'FROM python:3.12\nRUN poetry -C /app \\\n      install \\\n      --no-interaction\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${SUBDIRS} poetry -C /app \\\n      install \\\n      --no-interaction\n`,
    },
    {
      name: 'exec form',
      code: `FROM python:3.12\n${NO_VENV}RUN ["poetry", "install", "--no-root"]\n`,
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `FROM python:3.12\n${NO_VENV}RUN ${WHOLE} ["poetry", "install", "--no-root"]\n`,
    },
    {
      name: 'a mount elsewhere',
      code: `FROM python:3.12\n${NO_VENV}RUN --mount=type=cache,target=/root/.cache/pip poetry install\n`,
      errors: [{ messageId: 'mountElsewhere', line: 3, data: { targets: '/root/.cache/pip' } }],
      output: `FROM python:3.12\n${NO_VENV}RUN --mount=type=cache,target=/root/.cache/pip ${WHOLE} poetry install\n`,
    },
    {
      name: 'only one of the two download caches mounted: the other one is added',
      code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pypoetry/artifacts poetry install\n',
      errors: [{ messageId: 'mountElsewhere', line: 2, data: { dirs: '/root/.cache/pypoetry/cache (index and metadata cache)' } }],
      output: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pypoetry/artifacts --mount=type=cache,target=/root/.cache/pypoetry/cache poetry install\n',
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: 'FROM python:3.12\nRUN poetry install --no-cache\n' },
    { name: 'clearing one package is no wipe', code: `FROM python:3.12\nRUN ${SUBDIRS} poetry install && poetry cache clear pypi:requests:2.31.0\n` },
  ],
  invalid: [
    {
      name: '--no-cache beside the mounts',
      code: `FROM python:3.12\nRUN ${SUBDIRS} poetry --no-cache install\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2, data: { switch: '--no-cache', manager: 'Poetry', target: '/root/.cache/pypoetry/cache and /root/.cache/pypoetry/artifacts' } }],
      output: `FROM python:3.12\nRUN ${SUBDIRS} poetry install\n`,
    },
    {
      name: 'poetry cache clear --all after the install',
      code: `FROM python:3.12\n${NO_VENV}RUN ${WHOLE} poetry install && poetry cache clear --all pypi\n`,
      errors: [{ messageId: 'mountWiped', line: 3 }],
      output: `FROM python:3.12\n${NO_VENV}RUN ${WHOLE} poetry install\n`,
    },
    {
      name: 'rm of a mount point fails the build',
      code: `FROM python:3.12\nRUN ${SUBDIRS} poetry install && rm -rf /root/.cache/pypoetry/artifacts\n`,
      errors: [{ messageId: 'mountPointRemoved', line: 2 }],
      output: `FROM python:3.12\nRUN ${SUBDIRS} poetry install\n`,
    },
  ],
});
