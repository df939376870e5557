import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTextEdits } from '../../server/src/fixes/apply';
import { rule } from '../../server/src/rules/npm-cache-mount';
import type { Finding } from '../../server/src/rules/types';
import { check, fix, fixOnce } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/root/.npm';

function only(text: string): Finding {
  const findings = check(rule, text);
  assert.equal(findings.length, 1, `expected one finding, got ${JSON.stringify(findings.map((f) => f.message))}`);
  return findings[0];
}

/** The text after the finding's fix number `index`, preferred or not. */
function applyFix(text: string, finding: Finding, index: number): string {
  const change = finding.fixes[index].changes[0];
  assert.equal(change.kind, 'edit');
  return applyTextEdits(text, change.kind === 'edit' ? change.edits : []).text;
}

describe('npm-cache-mount: fires and fixes', () => {
  test('npm ci: the preferred fix adds only the mount', () => {
    const text = 'FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n';
    const finding = only(text);
    assert.deepEqual(finding.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 10 } });
    assert.match(finding.message, /npm keeps its cache in \/root\/\.npm .*npm ci downloads all packages again/);
    assert.deepEqual(finding.fixes.map((f) => f.isPreferred), [true, false]);
    assert.equal(fix(rule, text), `FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN ${MOUNT} npm ci\n`);
  });

  test('npm ci: the second fix also adds --prefer-offline after the subcommand', () => {
    const text = 'FROM node:20-alpine\nRUN npm ci --omit=dev\n';
    const after = applyFix(text, only(text), 1);
    assert.equal(after, `FROM node:20-alpine\nRUN ${MOUNT} npm ci --prefer-offline --omit=dev\n`);
    assert.deepEqual(check(rule, after), []);
  });

  for (const command of ['npm install', 'npm i', 'npm install -g typescript', 'npm --prefix /app ci', 'sudo npm ci', '/usr/local/bin/npm ci']) {
    test(`adds the mount for ${command}`, () => {
      assert.equal(fix(rule, `FROM node:20\nRUN ${command}\n`), `FROM node:20\nRUN ${MOUNT} ${command}\n`);
    });
  }

  test('one mount for two installs in a chain; --prefer-offline goes to each', () => {
    const text = 'FROM node:20\nRUN npm ci && cd web && npm install --no-audit\n';
    assert.equal(fix(rule, text), `FROM node:20\nRUN ${MOUNT} npm ci && cd web && npm install --no-audit\n`);
    assert.equal(applyFix(text, only(text), 1), `FROM node:20\nRUN ${MOUNT} npm ci --prefer-offline && cd web && npm install --prefer-offline --no-audit\n`);
  });

  test('only the mount fix when --prefer-offline is already there', () => {
    const finding = only('FROM node:20\nRUN npm ci --prefer-offline\n');
    assert.deepEqual(finding.fixes.map((f) => f.title), ['Add an npm cache mount on /root/.npm']);
  });

  test('exec form: the mount before the [ and --prefer-offline as an element', () => {
    const text = 'FROM node:20\nRUN ["npm", "ci", "--omit=dev"]\n';
    assert.equal(fix(rule, text), `FROM node:20\nRUN ${MOUNT} ["npm", "ci", "--omit=dev"]\n`);
    assert.equal(applyFix(text, only(text), 1), `FROM node:20\nRUN ${MOUNT} ["npm", "ci", "--prefer-offline", "--omit=dev"]\n`);
  });

  test('heredoc, continuations and CRLF', () => {
    assert.equal(
      fix(rule, 'FROM node:20\nRUN <<EOF\nset -e\nnpm ci\nEOF\n'),
      `FROM node:20\nRUN ${MOUNT} <<EOF\nset -e\nnpm ci\nEOF\n`,
    );
    const crlf = 'FROM node:20\r\nRUN apk add git \\\r\n    # needed by a dependency\r\n    && npm ci\r\n';
    assert.equal(fix(rule, crlf), `FROM node:20\r\nRUN ${MOUNT} apk add git \\\r\n    # needed by a dependency\r\n    && npm ci\r\n`);
  });

  test('USER node in the official node image: /home/node/.npm as 1000:1000', () => {
    const text = 'FROM node:20-alpine\nUSER node\nRUN npm ci\n';
    assert.match(only(text).message, /\/home\/node\/\.npm \(npm runs as node\)/);
    assert.equal(fix(rule, text), 'FROM node:20-alpine\nUSER node\nRUN --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 npm ci\n');
  });

  test('a user made with adduser gets their home and uid', () => {
    const text = 'FROM node:20-alpine\nRUN addgroup -g 1500 web && adduser -D -u 1500 -G web web\nUSER web\nRUN npm ci\n';
    assert.equal(
      fix(rule, text),
      'FROM node:20-alpine\nRUN addgroup -g 1500 web && adduser -D -u 1500 -G web web\nUSER web\nRUN --mount=type=cache,target=/home/web/.npm,uid=1500,gid=1500 npm ci\n',
    );
  });

  test('a user the Dockerfile does not create: the fixes are offered, none preferred', () => {
    const text = 'FROM node:20\nUSER app\nRUN npm ci\n';
    const finding = only(text);
    assert.match(finding.message, /npm runs here as app, whose home dockopt does not know/);
    assert.deepEqual(finding.fixes.map((f) => f.isPreferred), [false, false]);
    assert.equal(applyFix(text, finding, 0), 'FROM node:20\nUSER app\nRUN --mount=type=cache,target=/var/cache/npm npm ci --cache=/var/cache/npm\n');
    assert.equal(applyFix(text, finding, 1), 'FROM node:20\nUSER app\nRUN --mount=type=cache,target=/var/cache/npm npm ci --cache=/var/cache/npm --prefer-offline\n');
    assert.equal(fixOnce(rule, text), text);
  });

  test('npm_config_cache and NPM_CONFIG_CACHE from ENV, --cache of the call', () => {
    assert.equal(
      fix(rule, 'FROM node:20\nENV npm_config_cache=/npm-cache\nRUN npm ci\n'),
      'FROM node:20\nENV npm_config_cache=/npm-cache\nRUN --mount=type=cache,target=/npm-cache npm ci\n',
    );
    assert.equal(
      fix(rule, 'FROM node:20\nENV NPM_CONFIG_CACHE=/npm-cache\nRUN npm ci\n'),
      'FROM node:20\nENV NPM_CONFIG_CACHE=/npm-cache\nRUN --mount=type=cache,target=/npm-cache npm ci\n',
    );
    assert.equal(
      fix(rule, 'FROM node:20\nRUN npm ci --cache /tmp/.npm\n'),
      'FROM node:20\nRUN --mount=type=cache,target=/tmp/.npm npm ci --cache /tmp/.npm\n',
    );
  });

  test("root's mount under USER node is on the wrong directory", () => {
    const text = `FROM node:20\nUSER node\nRUN ${MOUNT} npm ci\n`;
    assert.match(only(text).message, /but this RUN's cache mount is on \/root\/\.npm/);
  });
});

describe('npm-cache-mount: does not fire', () => {
  test('on a Windows base image', () => {
    assert.deepEqual(check(rule, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN npm ci\n'), []);
  });

  for (const [what, run] of [
    ['for npm run build', 'RUN npm run build'],
    ['for npm test', 'RUN npm test'],
    ['for yarn', 'RUN yarn install --frozen-lockfile'],
    ['for pnpm', 'RUN pnpm install --frozen-lockfile'],
    ['for npx', 'RUN npx tsc'],
    ['for echo npm ci', 'RUN echo npm ci'],
    ['with the mount', `RUN ${MOUNT} npm ci`],
    ["for the seed's health-dashboard RUN", `RUN ${MOUNT} \\\n    npm ci --prefer-offline`],
  ]) {
    test(what, () => {
      assert.deepEqual(check(rule, `FROM node:20\n${run}\n`), []);
    });
  }

  test('with # dockopt ignore=npm-cache-mount on the line before', () => {
    assert.deepEqual(check(rule, 'FROM node:20\n# dockopt ignore=npm-cache-mount\nRUN npm ci\n'), []);
  });
});
