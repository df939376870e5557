/**
 * copy-before-install copies the file `ENV PIP_CONSTRAINT` names with the requirements file: this
 * proves with a real BuildKit that the fixed Dockerfile still builds, and that the split without
 * it does not. The base is the local busybox image (docker-gate.ts) with a stand-in `pip` that,
 * like pip, opens the `-r` file and every file PIP_CONSTRAINT names, and fails on a missing one.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixWorkspace } from '../../server/src/fix-workspace';
import { rules } from '../../server/src/rules';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { WorkspaceModel } from '../../server/src/workspace/workspace';
import { dockerSkipReason } from './docker-gate';
import { buildFails, shellQuote, writeFiles } from './scratch-builds';

const skip = dockerSkipReason();
let root = '';

const STAND_IN_PIP = [
  '#!/bin/sh',
  'while [ $# -gt 0 ]; do',
  '  if [ "$1" = -r ]; then test -f "$2" || { echo "ERROR: Could not open requirements file: $2" >&2; exit 1; }; shift; fi',
  '  shift',
  'done',
  'for file in $PIP_CONSTRAINT; do test -f "$file" || { echo "ERROR: Could not open requirements file: $file" >&2; exit 1; }; done',
].join('\n');

function dockerfile(copyAndInstall: string[]): string {
  return [
    'FROM local/busybox:1',
    `RUN printf '%s\\n' ${STAND_IN_PIP.split('\n').map(shellQuote).join(' ')} > /bin/pip && chmod +x /bin/pip`,
    'ENV PIP_CONSTRAINT=/app/constraints.txt',
    'WORKDIR /app',
    ...copyAndInstall,
    '',
  ].join('\n');
}

const FILES: Record<string, string> = { 'requirements.txt': 'flask\n', 'constraints.txt': 'werkzeug<4\n', 'app.py': 'print(1)\n', '.dockerignore': '.git\n' };

before(() => {
  if (!skip) root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-pip-env-'));
});
after(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('ENV PIP_CONSTRAINT and copy-before-install, built with a real BuildKit', { skip }, () => {
  test('the split without the constraints file fails (the one dockopt must not make)', () => {
    const dir = path.join(root, 'naive');
    writeFiles(dir, { ...FILES, Dockerfile: dockerfile(['COPY requirements.txt ./', 'RUN pip install -r requirements.txt', 'COPY . .']) });
    assert.match(buildFails(dir) ?? 'built', /Could not open requirements file: \/app\/constraints\.txt/);
  });

  test('dockopt fix copies the constraints file with the requirements, and the result builds', async () => {
    const dir = path.join(root, 'fixed');
    writeFiles(dir, { ...FILES, Dockerfile: dockerfile(['COPY . .', 'RUN pip install -r requirements.txt']) });
    assert.equal(buildFails(dir), undefined, 'the original builds');
    const workspace = new WorkspaceModel({ roots: [dir] });
    await workspace.refresh();
    const settings = { ...DEFAULT_SETTINGS, rules: Object.fromEntries(rules.map((r) => [r.meta.id, r.meta.id === 'copy-before-install' ? 'warning' : 'off'])) };
    const result = await fixWorkspace(workspace, () => settings);
    for (const file of result.files) fs.writeFileSync(file.path, file.after);
    const fixed = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    assert.equal(fixed, dockerfile(['COPY requirements.txt constraints.txt ./', 'RUN pip install -r requirements.txt', 'COPY . .']));
    assert.equal(buildFails(dir), undefined, 'the fixed Dockerfile builds');
  });
});
