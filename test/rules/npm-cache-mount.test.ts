/** npm-cache-mount as a RuleTester table: every case fires (with its message id) or not, and fixes to its output. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTextEdits } from '../../server/src/fixes/apply';
import { rule } from '../../server/src/rules/npm-cache-mount';
import type { Finding } from '../../server/src/rules/types';
import { check, fixOnce, runRuleTests } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/root/.npm';

runRuleTests(rule, {
  valid: [
    { name: 'on a Windows base image', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN npm ci\n' },
    { name: 'for npm run build', code: 'FROM node:20\nRUN npm run build\n' },
    { name: 'for npm test', code: 'FROM node:20\nRUN npm test\n' },
    { name: 'for yarn', code: 'FROM node:20\nRUN yarn install --frozen-lockfile\n' },
    { name: 'for pnpm', code: 'FROM node:20\nRUN pnpm install --frozen-lockfile\n' },
    { name: 'for npx', code: 'FROM node:20\nRUN npx tsc\n' },
    { name: 'for echo npm ci', code: 'FROM node:20\nRUN echo npm ci\n' },
    { name: 'with the mount', code: `FROM node:20\nRUN ${MOUNT} npm ci\n` },
    { name: 'npm ci --cache DIR under a mount above DIR', code: 'FROM node:20\nRUN --mount=type=cache,target=/e npm ci --cache /e/npm\n' },
    { name: 'NPM_CONFIG_CACHE from an ENV, mounted', code: 'FROM node:20\nENV NPM_CONFIG_CACHE=/npm-cache\nRUN --mount=type=cache,target=/npm-cache npm ci\n' },
    { name: "for the seed's health-dashboard RUN", code: `FROM node:20\nRUN ${MOUNT} \\\n    npm ci --prefer-offline\n` },
    { name: 'with # dockopt ignore=npm-cache-mount on the line before', code: 'FROM node:20\n# dockopt ignore=npm-cache-mount\nRUN npm ci\n' },
    // Offline, npm installs from the cache the image holds: a mount would hide it.
    { name: 'npm ci --offline (from a cache the image holds)', code: 'FROM node:20\nCOPY npm-cache /root/.npm\nRUN npm ci --offline\n' },
    { name: 'npm install --offline=true', code: 'FROM node:20\nRUN npm install --offline=true\n' },
    { name: 'npm_config_offline=true npm ci', code: 'FROM node:20\nRUN npm_config_offline=true npm ci\n' },
    { name: 'env NPM_CONFIG_OFFLINE=true npm ci', code: 'FROM node:20\nRUN env NPM_CONFIG_OFFLINE=true npm ci\n' },
  ],
  invalid: [
    {
      name: 'npm ci: the preferred fix adds only the mount',
      code: 'FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n',
      errors: [{ messageId: 'noMount', line: 4, column: 5, endColumn: 11, data: { dirs: '/root/.npm', command: 'npm ci', flags: MOUNT, notes: '' }, minor: false }],
      output: `FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN ${MOUNT} npm ci\n`,
    },
    {
      name: 'a later offline install reads the cache this RUN leaves in the image (a stage built on it): no automatic fix',
      code: 'FROM node:20 AS deps\nCOPY package*.json ./\nRUN npm ci\nFROM deps\nCOPY . .\nRUN npm ci --offline && npm run build\n',
      errors: [{ messageId: 'noMount', line: 3, data: { notes: ' Line 6 runs npm offline on what this RUN leaves in the image (with a cache mount here it needs the same mount, or it fails), so dockopt does not add the mount by itself.' } }],
      output: null,
    },
    {
      name: 'a later offline install under the same mount reads the mount: the fix applies',
      code: `FROM node:20\nRUN npm ci\nRUN ${MOUNT} npm ci --offline\n`,
      errors: [{ messageId: 'noMount', line: 2, data: { notes: '' } }],
      output: `FROM node:20\nRUN ${MOUNT} npm ci\nRUN ${MOUNT} npm ci --offline\n`,
    },
    {
      name: 'a stage that copies the cache out: no automatic fix',
      code: 'FROM node:20 AS deps\nRUN npm ci\nFROM node:20\nCOPY --from=deps /root/.npm /root/.npm\n',
      errors: [{ messageId: 'noMount', line: 2 }],
      output: null,
    },
    {
      name: 'a later offline install in the same stage: no automatic fix',
      code: 'FROM node:20\nRUN npm install -g typescript\nRUN npm_config_offline=true npm install -g typescript\n',
      errors: [{ messageId: 'toolOnlyNoMount', line: 2 }],
      output: null,
    },
    {
      name: 'an offline install before the RUN, or in another stage, does not hold its fix back',
      code: 'FROM node:20 AS seeded\nRUN npm ci --offline\nFROM node:20\nRUN npm ci\n',
      errors: [{ messageId: 'noMount', line: 4, data: { notes: '' } }],
      output: `FROM node:20 AS seeded\nRUN npm ci --offline\nFROM node:20\nRUN ${MOUNT} npm ci\n`,
    },
    {
      name: 'npm ci --offline=false downloads as usual',
      code: 'FROM node:20\nRUN npm ci --offline=false\n',
      errors: [{ messageId: 'noMount', line: 2 }],
      output: `FROM node:20\nRUN ${MOUNT} npm ci --offline=false\n`,
    },
    {
      name: 'npm ci --omit=dev: the mount goes before the command',
      code: 'FROM node:20-alpine\nRUN npm ci --omit=dev\n',
      errors: [{ messageId: 'noMount', line: 2 }],
      output: `FROM node:20-alpine\nRUN ${MOUNT} npm ci --omit=dev\n`,
    },
    ...['npm install', 'npm i', 'npm --prefix /app ci', 'sudo npm ci', '/usr/local/bin/npm ci'].map((command) => ({
      name: `adds the mount for ${command}`,
      code: `FROM node:20\nRUN ${command}\n`,
      errors: [{ messageId: 'noMount', line: 2 }],
      output: `FROM node:20\nRUN ${MOUNT} ${command}\n`,
    })),
    {
      name: 'adds the mount for npm install -g typescript: a minor finding that says it saves little',
      code: 'FROM node:20\nRUN npm install -g typescript\n',
      errors: [{ messageId: 'toolOnlyNoMount', line: 2, column: 5, endColumn: 16, data: { command: 'npm install' }, minor: true }],
      output: `FROM node:20\nRUN ${MOUNT} npm install -g typescript\n`,
    },
    {
      name: 'one mount for two installs in a chain',
      code: 'FROM node:20\nRUN npm ci && cd web && npm install --no-audit\n',
      errors: [{ messageId: 'noMount', line: 2, column: 5, endColumn: 11 }],
      output: `FROM node:20\nRUN ${MOUNT} npm ci && cd web && npm install --no-audit\n`,
    },
    {
      name: '--prefer-offline already there',
      code: 'FROM node:20\nRUN npm ci --prefer-offline\n',
      errors: [{ messageId: 'noMount', line: 2 }],
      output: `FROM node:20\nRUN ${MOUNT} npm ci --prefer-offline\n`,
    },
    {
      name: 'exec form: the mount before the [',
      code: 'FROM node:20\nRUN ["npm", "ci", "--omit=dev"]\n',
      errors: [{ messageId: 'noMount', line: 2 }],
      output: `FROM node:20\nRUN ${MOUNT} ["npm", "ci", "--omit=dev"]\n`,
    },
    {
      name: 'heredoc',
      code: 'FROM node:20\nRUN <<EOF\nset -e\nnpm ci\nEOF\n',
      errors: [{ messageId: 'noMount', line: 4 }],
      output: `FROM node:20\nRUN ${MOUNT} <<EOF\nset -e\nnpm ci\nEOF\n`,
    },
    {
      name: 'continuations with a comment line, and CRLF, keep their bytes',
      code: 'FROM node:20\r\nRUN apk add git \\\r\n    # needed by a dependency\r\n    && npm ci\r\n',
      errors: [{ messageId: 'noMount', line: 4 }],
      output: `FROM node:20\r\nRUN ${MOUNT} apk add git \\\r\n    # needed by a dependency\r\n    && npm ci\r\n`,
    },
    {
      name: 'USER node in the official node image: /home/node/.npm as 1000:1000',
      code: 'FROM node:20-alpine\nUSER node\nRUN npm ci\n',
      errors: [{ messageId: 'noMount', line: 3, data: { dirs: '/home/node/.npm (npm runs as node)', notes: '' } }],
      output: 'FROM node:20-alpine\nUSER node\nRUN --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 npm ci\n',
    },
    {
      name: 'a user made with adduser gets their home and uid',
      code: 'FROM node:20-alpine\nRUN addgroup -g 1500 web && adduser -D -u 1500 -G web web\nUSER web\nRUN npm ci\n',
      errors: [{ messageId: 'noMount', line: 4, data: { dirs: '/home/web/.npm (npm runs as web)' } }],
      output: 'FROM node:20-alpine\nRUN addgroup -g 1500 web && adduser -D -u 1500 -G web web\nUSER web\nRUN --mount=type=cache,target=/home/web/.npm,uid=1500,gid=1500 npm ci\n',
    },
    {
      name: 'a user made without a uid: the message asks for it, the fix is not applied',
      code: 'FROM node:20\nRUN useradd -m app\nUSER app\nRUN npm ci\n',
      errors: [{ messageId: 'noMount', line: 4, data: { dirs: '/home/app/.npm (npm runs as app)', notes: ' dockopt does not know the uid of app: add uid=<its uid> to the mount, or npm cannot write to it.' } }],
      output: null,
    },
    {
      name: 'a user the Dockerfile does not create: offered, not applied',
      code: 'FROM node:20\nUSER app\nRUN npm ci\n',
      errors: [{ messageId: 'homeUnknown', line: 3, column: 5, endColumn: 11, data: { user: 'app', command: 'npm ci', cacheDir: '/var/cache/npm', notes: '' } }],
      output: null,
    },
    {
      name: 'one call with --cache and one in an unknown home: both sentences, not applied',
      code: 'FROM node:20\nUSER app\nRUN npm ci --cache /x && npm install\n',
      errors: [{ messageId: 'noMount', line: 3, data: { dirs: '/x (npm runs as app)', flags: '--mount=type=cache,target=/x' } }],
      output: null,
    },
    {
      name: 'ENV npm_config_cache',
      code: 'FROM node:20\nENV npm_config_cache=/npm-cache\nRUN npm ci\n',
      errors: [{ messageId: 'noMount', line: 3, data: { dirs: '/npm-cache' } }],
      output: 'FROM node:20\nENV npm_config_cache=/npm-cache\nRUN --mount=type=cache,target=/npm-cache npm ci\n',
    },
    {
      name: 'ENV NPM_CONFIG_CACHE',
      code: 'FROM node:20\nENV NPM_CONFIG_CACHE=/npm-cache\nRUN npm ci\n',
      errors: [{ messageId: 'noMount', line: 3, data: { dirs: '/npm-cache' } }],
      output: 'FROM node:20\nENV NPM_CONFIG_CACHE=/npm-cache\nRUN --mount=type=cache,target=/npm-cache npm ci\n',
    },
    {
      name: '--cache of the call',
      code: 'FROM node:20\nRUN npm ci --cache /tmp/.npm\n',
      errors: [{ messageId: 'noMount', line: 2, data: { dirs: '/tmp/.npm' } }],
      output: 'FROM node:20\nRUN --mount=type=cache,target=/tmp/.npm npm ci --cache /tmp/.npm\n',
    },
    {
      name: 'npm ci --cache=DIR',
      code: 'FROM node:20\nRUN npm ci --cache=/npm-cache\n',
      errors: [{ messageId: 'noMount', line: 2, data: { dirs: '/npm-cache' } }],
      output: 'FROM node:20\nRUN --mount=type=cache,target=/npm-cache npm ci --cache=/npm-cache\n',
    },
    {
      name: 'npm_config_cache and NPM_CONFIG_CACHE on the call, and through env',
      code: 'FROM node:20\nRUN npm_config_cache=/c npm ci && NPM_CONFIG_CACHE=/d npm install && env npm_config_cache=/e npm i\n',
      errors: [{ messageId: 'noMount', line: 2, column: 25, data: { dirs: '/c and /d and /e' } }],
      output: 'FROM node:20\nRUN --mount=type=cache,target=/c --mount=type=cache,target=/d --mount=type=cache,target=/e npm_config_cache=/c npm ci && NPM_CONFIG_CACHE=/d npm install && env npm_config_cache=/e npm i\n',
    },
    {
      name: "root's mount under USER node is on the wrong directory: a second mount",
      code: `FROM node:20\nUSER node\nRUN ${MOUNT} npm ci\n`,
      errors: [{ messageId: 'mountElsewhere', line: 3, column: 42, endColumn: 48, data: { dirs: '/home/node/.npm (npm runs as node)', targets: '/root/.npm' } }],
      output: `FROM node:20\nUSER node\nRUN ${MOUNT} --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 npm ci\n`,
    },
    {
      name: 'a --cache dockopt cannot resolve: no fix, the message says why',
      code: 'FROM node:20\nRUN npm ci --cache $C\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 2, data: { command: 'npm ci', via: '--cache', unresolved: '$C' } }],
      output: null,
    },
    {
      name: 'npm install -g <tool> with a mount elsewhere: minor',
      code: 'FROM node:20\nRUN --mount=type=cache,target=/x npm install -g tsc\n',
      errors: [{ messageId: 'toolOnlyMountElsewhere', line: 2, column: 34, endColumn: 45, data: { targets: '/x' }, minor: true }],
      output: 'FROM node:20\nRUN --mount=type=cache,target=/x --mount=type=cache,target=/root/.npm npm install -g tsc\n',
    },
    {
      name: 'npm i -g <tool> in an unknown home: minor, not applied',
      code: 'FROM node:20\nUSER app\nRUN npm i -g tsc\n',
      errors: [{ messageId: 'toolOnlyHomeUnknown', line: 3, data: { user: 'app', command: 'npm i' }, minor: true }],
      output: null,
    },
    {
      name: "npm i -g pnpm with a mount elsewhere, then pnpm install: npm's finding stays minor (pnpm install is cache-mount's)",
      code: 'FROM node:20\nRUN --mount=type=cache,target=/x npm i -g pnpm && pnpm install\n',
      errors: [{ messageId: 'toolOnlyMountElsewhere', line: 2, column: 34, endColumn: 39, data: { targets: '/x' }, minor: true }],
      output: 'FROM node:20\nRUN --mount=type=cache,target=/x --mount=type=cache,target=/root/.npm npm i -g pnpm && pnpm install\n',
    },
    {
      name: 'npm i -g yarn in an unknown home, then yarn install: minor too',
      code: 'FROM node:20\nUSER app\nRUN npm i -g yarn && yarn install\n',
      errors: [{ messageId: 'toolOnlyHomeUnknown', line: 3, column: 5, endColumn: 10, data: { user: 'app', command: 'npm i' }, minor: true }],
      output: null,
    },
  ],
});

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

describe('npm-cache-mount: the fixes a table cannot show', () => {
  test('npm ci: the mount is preferred, the --prefer-offline one is not', () => {
    const finding = only('FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n');
    assert.deepEqual(finding.fixes.map((f) => f.isPreferred), [true, false]);
  });

  test('npm ci: the second fix also adds --prefer-offline after the subcommand', () => {
    const text = 'FROM node:20-alpine\nRUN npm ci --omit=dev\n';
    const after = applyFix(text, only(text), 1);
    assert.equal(after, `FROM node:20-alpine\nRUN ${MOUNT} npm ci --prefer-offline --omit=dev\n`);
    assert.deepEqual(check(rule, after), []);
  });

  test('two installs in a chain: --prefer-offline goes to each', () => {
    const text = 'FROM node:20\nRUN npm ci && cd web && npm install --no-audit\n';
    assert.equal(applyFix(text, only(text), 1), `FROM node:20\nRUN ${MOUNT} npm ci --prefer-offline && cd web && npm install --prefer-offline --no-audit\n`);
  });

  test('only the mount fix when --prefer-offline is already there', () => {
    const finding = only('FROM node:20\nRUN npm ci --prefer-offline\n');
    assert.deepEqual(finding.fixes.map((f) => f.title), ['Add an npm cache mount on /root/.npm']);
  });

  test('exec form: --prefer-offline as an element', () => {
    const text = 'FROM node:20\nRUN ["npm", "ci", "--omit=dev"]\n';
    assert.equal(applyFix(text, only(text), 1), `FROM node:20\nRUN ${MOUNT} ["npm", "ci", "--prefer-offline", "--omit=dev"]\n`);
  });

  test('a user the Dockerfile does not create: the fixes are offered, none preferred', () => {
    const text = 'FROM node:20\nUSER app\nRUN npm ci\n';
    const finding = only(text);
    assert.deepEqual(finding.fixes.map((f) => f.isPreferred), [false, false]);
    assert.equal(applyFix(text, finding, 0), 'FROM node:20\nUSER app\nRUN --mount=type=cache,target=/var/cache/npm npm ci --cache=/var/cache/npm\n');
    assert.equal(applyFix(text, finding, 1), 'FROM node:20\nUSER app\nRUN --mount=type=cache,target=/var/cache/npm npm ci --cache=/var/cache/npm --prefer-offline\n');
    assert.equal(fixOnce(rule, text), text);
  });
});

describe('npm-cache-mount: the messages read in full', () => {
  test('no mount; a mount elsewhere', () => {
    assert.equal(
      only('FROM node:20\nRUN npm ci\n').message,
      'npm keeps its cache in /root/.npm and this RUN mounts no cache there, so npm ci downloads all packages again on every build. ' +
        'Mount it with --mount=type=cache,target=/root/.npm.',
    );
    assert.equal(
      only(`FROM node:20\nUSER node\nRUN ${MOUNT} npm ci\n`).message,
      "npm keeps its cache in /home/node/.npm (npm runs as node), but this RUN's cache mount is on /root/.npm, so npm ci downloads all packages again on every build. " +
        'Mount it with --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000.',
    );
  });

  test('a lone npm install -g <tool>, with a wipe: the notes come before the remark that it saves little', () => {
    assert.equal(
      only('FROM node:20\nRUN npm install -g typescript && rm -rf /root/.npm\n').message,
      'npm keeps its cache in /root/.npm and this RUN mounts no cache there, so npm install -g downloads the tool again on every build. ' +
        'Mount it with --mount=type=cache,target=/root/.npm. ' +
        'The RUN also wipes that cache (`rm -rf /root/.npm`): with the mount, removing the mount point fails the build, so it must go. ' +
        '(npm install -g installs a tool, which downloads little: the mount saves little here.)',
    );
  });

  test('an unknown uid, then a second user whose home is unknown', () => {
    assert.equal(
      only('FROM node:20\nUSER app\nRUN npm ci --cache /x && npm install\n').message,
      'npm keeps its cache in /x (npm runs as app) and this RUN mounts no cache there, so npm ci downloads all packages again on every build. ' +
        'Mount it with --mount=type=cache,target=/x. ' +
        'dockopt does not know the uid of app: add uid=<its uid> to the mount, or npm cannot write to it. ' +
        'npm runs here as app, whose home dockopt does not know, so its cache (~/.npm there) has no mount and npm ci downloads all packages again on every build. ' +
        'If that user is root, --cache=/var/cache/npm with --mount=type=cache,target=/var/cache/npm puts the cache in a mount; ' +
        'another user needs uid=<its uid> on the mount, which dockopt cannot know, so it does not fix this RUN by itself.',
    );
  });

  test('npm i -g yarn before yarn install, in an unknown home: the tool only (yarn install is cache-mount\'s)', () => {
    assert.equal(
      only('FROM node:20\nUSER app\nRUN npm i -g yarn && yarn install\n').message,
      'npm runs here as app, whose home dockopt does not know, so its cache (~/.npm there) has no mount and npm i downloads all packages again on every build. ' +
        'If that user is root, --cache=/var/cache/npm with --mount=type=cache,target=/var/cache/npm puts the cache in a mount; ' +
        'another user needs uid=<its uid> on the mount, which dockopt cannot know, so it does not fix this RUN by itself. ' +
        '(npm install -g installs a tool, which downloads little: the mount saves little here.)',
    );
  });

  test('a cache directory dockopt cannot resolve', () => {
    assert.equal(
      only('FROM node:20\nRUN npm ci --cache $C\n').message,
      "npm ci runs without a cache mount, so every build downloads all packages again. dockopt cannot tell where npm's cache is " +
        "(--cache is $C): add --mount=type=cache,target=<npm's cache dir> to this RUN.",
    );
  });
});
