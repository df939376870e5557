/**
 * Cache directories set somewhere other than ENV and the call's flag: an ARG (in the environment of
 * the RUNs after it, in its stage), `npm config set cache`. The mount on that directory is the
 * right one: no finding, no second mount. And the near-worthless findings (pip's own tools,
 * `npm install -g <tool>`) rank below the real installs. RuleTester tables, one per rule.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintDockerfile } from '../../server/src/engine';
import { rule as npmRule } from '../../server/src/rules/npm-cache-mount';
import { rule as pipRule } from '../../server/src/rules/pip-cache-mount';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { runRuleTests } from '../helpers/rule-tester';

const PIP = '--mount=type=cache,target=/root/.cache/pip';
const NPM = '--mount=type=cache,target=/root/.npm';

// A wheelhouse a `pip wheel -w` of the same Dockerfile fills: installing from it downloads nothing.
const WHEELHOUSE =
  `FROM python:3.12 AS build\nCOPY requirements.txt .\nRUN ${PIP} pip wheel --wheel-dir /wheels/ -r requirements.txt\n` +
  'FROM python:3.12\nCOPY --from=build /wheels /wheels\nRUN pip install /wheels/*\n';

runRuleTests(pipRule, {
  valid: [
    { name: 'ARG PIP_CACHE_DIR with a default in the stage is where pip keeps its cache', code: 'FROM python:3.12\nARG PIP_CACHE_DIR=/pc\nRUN --mount=type=cache,target=/pc pip install flask\n' },
    { name: '`ARG PIP_CACHE_DIR` alone takes the global default', code: 'ARG PIP_CACHE_DIR=/pc\nFROM python:3.12\nARG PIP_CACHE_DIR\nRUN --mount=type=cache,target=/pc pip install flask\n' },
    { name: 'an ARG builds an ENV value', code: 'FROM python:3.12\nARG CACHE=/c\nENV PIP_CACHE_DIR=$CACHE/pip\nRUN --mount=type=cache,target=/c/pip pip install flask\n' },
    { name: 'an install that downloads nothing: --no-index', code: 'FROM python:3.12\nCOPY wheels /wheels\nRUN pip install --no-index --find-links=/wheels -r requirements.txt\n' },
    { name: 'an install that downloads nothing: a wheelhouse filled by pip wheel -w', code: WHEELHOUSE },
  ],
  invalid: [
    {
      name: 'ARG PIP_CACHE_DIR: the fix mounts its directory',
      code: 'FROM python:3.12\nARG PIP_CACHE_DIR=/pc\nRUN pip install flask\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/pc' } }],
      output: 'FROM python:3.12\nARG PIP_CACHE_DIR=/pc\nRUN --mount=type=cache,target=/pc pip install flask\n',
    },
    {
      name: 'a global ARG not declared in the stage is not in its environment',
      code: 'ARG PIP_CACHE_DIR=/pc\nFROM python:3.12\nRUN pip install flask\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/root/.cache/pip' } }],
      output: `ARG PIP_CACHE_DIR=/pc\nFROM python:3.12\nRUN ${PIP} pip install flask\n`,
    },
    {
      name: 'an ARG of another stage is not in its environment',
      code: 'FROM python:3.12 AS base\nARG PIP_CACHE_DIR=/pc\nFROM base\nRUN pip install flask\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/root/.cache/pip' } }],
      output: `FROM python:3.12 AS base\nARG PIP_CACHE_DIR=/pc\nFROM base\nRUN ${PIP} pip install flask\n`,
    },
    {
      name: 'an ARG after the RUN is not in its environment',
      code: 'FROM python:3.12\nRUN pip install flask\nARG PIP_CACHE_DIR=/pc\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/root/.cache/pip' } }],
      output: `FROM python:3.12\nRUN ${PIP} pip install flask\nARG PIP_CACHE_DIR=/pc\n`,
    },
    {
      name: 'ENV wins over an ARG of the same name',
      code: 'FROM python:3.12\nARG PIP_CACHE_DIR=/a\nENV PIP_CACHE_DIR=/b\nRUN pip install flask\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/b' } }],
      output: 'FROM python:3.12\nARG PIP_CACHE_DIR=/a\nENV PIP_CACHE_DIR=/b\nRUN --mount=type=cache,target=/b pip install flask\n',
    },
    {
      name: 'a lone pip install --upgrade pip setuptools wheel: a minor finding that says it saves little, its fix still applied',
      code: 'FROM python:3.12\nRUN pip install --upgrade pip setuptools wheel\n',
      errors: [{ messageId: 'mountMissing', line: 2, minor: true, data: { notes: " (This RUN only installs pip's own tools, which download little: the mount saves little here.)" } }],
      output: `FROM python:3.12\nRUN ${PIP} pip install --upgrade pip setuptools wheel\n`,
    },
    {
      name: 'named packages without their dependencies (--no-deps) download little',
      code: 'FROM python:3.12\nRUN pip install redisvl==0.0.7 --no-deps\n',
      errors: [{ messageId: 'mountMissing', line: 2, minor: true, data: { notes: ' (This RUN installs only the packages it names, without their dependencies, which download little: the mount saves little here.)' } }],
      output: `FROM python:3.12\nRUN ${PIP} pip install redisvl==0.0.7 --no-deps\n`,
    },
    {
      name: '--no-deps with a requirements file is not minor: it can name many',
      code: 'FROM python:3.12\nRUN pip install --no-deps -r requirements.txt\n',
      errors: [{ messageId: 'mountMissing', line: 2, minor: false, data: { notes: '' } }],
      output: `FROM python:3.12\nRUN ${PIP} pip install --no-deps -r requirements.txt\n`,
    },
    {
      name: 'named packages with their dependencies are not minor',
      code: 'FROM python:3.12\nRUN pip install flask gunicorn\n',
      errors: [{ messageId: 'mountMissing', line: 2, minor: false }],
      output: `FROM python:3.12\nRUN ${PIP} pip install flask gunicorn\n`,
    },
    {
      name: 'a folder no pip wheel filled may need dependencies from the index',
      code: WHEELHOUSE.replace('pip install /wheels/*', 'pip install /dist/*'),
      errors: [{ messageId: 'mountMissing', line: 6 }],
      output: WHEELHOUSE.replace('RUN pip install /wheels/*', `RUN ${PIP} pip install /dist/*`),
    },
    {
      name: 'wheels built --no-deps may need dependencies from the index',
      code: WHEELHOUSE.replace('pip wheel --wheel-dir', 'pip wheel --no-deps --wheel-dir'),
      errors: [{ messageId: 'mountMissing', line: 6 }],
      output: WHEELHOUSE.replace('pip wheel --wheel-dir', 'pip wheel --no-deps --wheel-dir').replace('RUN pip install /wheels/*', `RUN ${PIP} pip install /wheels/*`),
    },
    {
      name: 'pip upgrading itself before a real install: the finding is on the real install, without the note',
      code: 'FROM python:3.12\nRUN pip install -U pip && pip install -r requirements.txt\n',
      errors: [{ messageId: 'mountMissing', line: 2, column: 27, endColumn: 38, minor: false, data: { notes: '' } }],
      output: `FROM python:3.12\nRUN ${PIP} pip install -U pip && pip install -r requirements.txt\n`,
    },
  ],
});

runRuleTests(npmRule, {
  valid: [
    { name: 'npm config set cache earlier in the RUN: the mount on that dir counts', code: 'FROM node:20\nRUN --mount=type=cache,target=/npmc npm config set cache /npmc && npm ci\n' },
    { name: 'npm set cache=DIR earlier in the RUN', code: 'FROM node:20\nRUN --mount=type=cache,target=/npmc npm set cache=/npmc && npm ci\n' },
    { name: 'npm config set cache in an earlier RUN of the same user', code: 'FROM node:20\nRUN npm config set cache /npmc\nRUN --mount=type=cache,target=/npmc npm ci\n' },
    { name: 'npm config set -g cache in an earlier RUN, for another user', code: 'FROM node:20\nRUN npm config set -g cache /npmc\nUSER node\nRUN --mount=type=cache,target=/npmc,uid=1000 npm ci\n' },
    { name: 'ARG npm_config_cache', code: 'FROM node:20\nARG npm_config_cache=/npmc\nRUN --mount=type=cache,target=/npmc npm ci\n' },
  ],
  invalid: [
    {
      name: 'npm config set cache earlier in the RUN: the fix mounts that dir, no second mount',
      code: 'FROM node:20\nRUN npm config set cache /npmc --global && npm ci\n',
      errors: [{ messageId: 'noMount', line: 2, column: 44, endColumn: 50, data: { dirs: '/npmc' } }],
      output: 'FROM node:20\nRUN --mount=type=cache,target=/npmc npm config set cache /npmc --global && npm ci\n',
    },
    {
      name: "another user's npm config set cache does not count",
      code: 'FROM node:20\nRUN npm config set cache /npmc\nUSER node\nRUN --mount=type=cache,target=/npmc npm ci\n',
      errors: [{ messageId: 'mountElsewhere', line: 4, data: { dirs: '/home/node/.npm (npm runs as node)', targets: '/npmc' } }],
      output: 'FROM node:20\nRUN npm config set cache /npmc\nUSER node\nRUN --mount=type=cache,target=/npmc --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 npm ci\n',
    },
    {
      name: 'a config set after the install does not count',
      code: 'FROM node:20\nRUN npm ci && npm config set cache /npmc\n',
      errors: [{ messageId: 'noMount', line: 2, data: { dirs: '/root/.npm' } }],
      output: `FROM node:20\nRUN ${NPM} npm ci && npm config set cache /npmc\n`,
    },
    {
      name: 'a lone npm install -g <tool>: a minor finding that says it saves little',
      code: 'FROM node:20\nRUN npm install -g typescript\n',
      errors: [{ messageId: 'toolOnlyNoMount', line: 2, minor: true }],
      output: `FROM node:20\nRUN ${NPM} npm install -g typescript\n`,
    },
    {
      name: 'npm ci is not minor',
      code: 'FROM node:20\nRUN npm ci\n',
      errors: [{ messageId: 'noMount', line: 2, minor: false }],
      output: `FROM node:20\nRUN ${NPM} npm ci\n`,
    },
    {
      name: "npm install -g pnpm before pnpm install: npm's finding is minor (pnpm install is cache-mount's), the fix mounts npm's cache",
      code: 'FROM node:20\nRUN npm install -g pnpm && pnpm install --frozen-lockfile\n',
      errors: [{ messageId: 'toolOnlyNoMount', line: 2, column: 5, endColumn: 16, minor: true }],
      output: `FROM node:20\nRUN ${NPM} npm install -g pnpm && pnpm install --frozen-lockfile\n`,
    },
    {
      name: 'npm install -g yarn before yarn install',
      code: 'FROM node:20\nRUN npm i -g yarn && yarn install\n',
      errors: [{ messageId: 'toolOnlyNoMount', line: 2, minor: true }],
      output: `FROM node:20\nRUN ${NPM} npm i -g yarn && yarn install\n`,
    },
    {
      name: 'a real npm ci after a global install: the finding is on npm ci, without the note',
      code: 'FROM node:20\nRUN npm i -g npm@10 && npm ci\n',
      errors: [{ messageId: 'noMount', line: 2, column: 24, minor: false }],
      output: `FROM node:20\nRUN ${NPM} npm i -g npm@10 && npm ci\n`,
    },
  ],
});

test('the engine reports a minor finding at information severity, the real install beside it as a warning', () => {
  const text = 'FROM python:3.12\nRUN pip install -U pip\nRUN pip install -r requirements.txt\n';
  const found = lintDockerfile({ path: '/w/Dockerfile', text, builds: [], settings: DEFAULT_SETTINGS }).filter((f) => f.ruleId === 'pip-cache-mount');
  assert.deepEqual(found.map((f) => [f.range.start.line, f.severity]), [[1, 'info'], [2, 'warning']]);
  const hinted = lintDockerfile({ path: '/w/Dockerfile', text, builds: [], settings: { ...DEFAULT_SETTINGS, rules: { 'pip-cache-mount': 'hint' } } });
  assert.deepEqual(hinted.filter((f) => f.ruleId === 'pip-cache-mount').map((f) => f.severity), ['hint', 'hint'], 'a lower configured level wins');
});

test('npm: the engine reports a lone npm install -g <tool> at information severity, npm ci as a warning', () => {
  const text = 'FROM node:20\nRUN npm install -g typescript\nRUN npm ci\n';
  const found = lintDockerfile({ path: '/w/Dockerfile', text, builds: [], settings: DEFAULT_SETTINGS }).filter((f) => f.ruleId === 'npm-cache-mount');
  assert.deepEqual(found.map((f) => [f.range.start.line, f.severity]), [[1, 'info'], [2, 'warning']]);
});
