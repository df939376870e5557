/**
 * copy-before-install applies its split of an npm workspace by itself (fix-all, Optimize All):
 * this proves, with a real BuildKit, that the fixed Dockerfile still builds. The base is the
 * local busybox image (see docker-gate.ts) with a stand-in `npm` that, like npm ci, reads the
 * workspace's members from package-lock.json and fails when a member's package.json is missing.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixWorkspace } from '../../server/src/fix-workspace';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { WorkspaceModel } from '../../server/src/workspace/workspace';
import { dockerSkipReason } from './docker-gate';
import { buildFails, shellQuote, writeFiles } from './scratch-builds';

const skip = dockerSkipReason();
let root = '';

/** npm ci, as far as the manifests go: every member the lockfile names needs its package.json. */
const STAND_IN_NPM = [
  '#!/bin/sh',
  'set -e',
  'test -f package.json && test -f package-lock.json',
  'for member in $(grep -o \'"packages/[a-z]*":\' package-lock.json | tr -d \'":\'); do',
  '  test -f "$member/package.json" || { echo "npm ERR! missing: $member/package.json" >&2; exit 1; }',
  '  mkdir -p "node_modules/$(basename "$member")"',
  'done',
].join('\n');

const FILES: Record<string, string> = {
  'package.json': '{"name":"root","private":true,"workspaces":["packages/*"]}\n',
  'package-lock.json': '{"lockfileVersion":3,"packages":{"":{"workspaces":["packages/*"]},"packages/api":{"name":"api"},"packages/lib":{"name":"lib"}}}\n',
  'packages/api/package.json': '{"name":"api","dependencies":{"lib":"file:../lib"}}\n',
  'packages/api/index.js': 'require("lib")\n',
  'packages/lib/package.json': '{"name":"lib"}\n',
  'packages/lib/index.js': 'module.exports = 1\n',
  '.dockerignore': 'node_modules\n',
};

function dockerfile(copyAndInstall: string[]): string {
  return [
    'FROM local/busybox:1',
    `RUN printf '%s\\n' ${STAND_IN_NPM.split('\n').map(shellQuote).join(' ')} > /bin/npm && chmod +x /bin/npm`,
    'WORKDIR /app',
    ...copyAndInstall,
    'CMD ["ls", "node_modules"]',
    '',
  ].join('\n');
}

before(() => {
  if (!skip) root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-ws-'));
});
after(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('an npm workspace split by copy-before-install, built with a real BuildKit', { skip }, () => {
  test('the stand-in npm fails when only the root manifests come first (the split dockopt must not make)', () => {
    const dir = path.join(root, 'naive');
    writeFiles(dir, { ...FILES, Dockerfile: dockerfile(['COPY package.json package-lock.json ./', 'RUN npm ci', 'COPY . .']) });
    assert.match(buildFails(dir) ?? 'built', /npm ERR! missing: packages\/api\/package\.json/);
  });

  test('the fix-all result copies each member manifest to its own folder, and builds', async () => {
    const dir = path.join(root, 'fixed');
    writeFiles(dir, { ...FILES, Dockerfile: dockerfile(['COPY . .', 'RUN npm ci']) });
    assert.equal(buildFails(dir), undefined, 'the original builds');

    const workspace = new WorkspaceModel({ roots: [dir] });
    await workspace.refresh();
    const settings = { ...DEFAULT_SETTINGS, rules: { ...DEFAULT_SETTINGS.rules, 'npm-cache-mount': 'off' as const } };
    const result = await fixWorkspace(workspace, () => settings);
    for (const file of result.files) fs.writeFileSync(file.path, file.after);
    const fixed = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    assert.equal(
      fixed,
      dockerfile([
        'COPY package.json package-lock.json ./',
        'COPY packages/api/package.json packages/api/',
        'COPY packages/lib/package.json packages/lib/',
        'RUN npm ci',
        'COPY . .',
      ]),
    );
    assert.equal(buildFails(dir), undefined, 'the fixed Dockerfile builds');
  });
});
