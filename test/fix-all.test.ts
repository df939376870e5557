/**
 * Fix-all over every fixture: applying all preferred fixes once gives files that a second
 * fix-all leaves untouched, and the fixes keep each file's own line endings.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseDockerfile } from '../server/src/dockerfile/model';
import { fixWorkspace } from '../server/src/fix-workspace';
import { lintWorkspace } from '../server/src/lint-workspace';
import { DEFAULT_SETTINGS } from '../server/src/settings';
import { WorkspaceModel } from '../server/src/workspace/workspace';
import { removeWorkspace } from './helpers/temp-workspace';

const FIXTURES = join(__dirname, 'fixtures', 'dockerfiles');
const roots: string[] = [];
after(() => roots.forEach(removeWorkspace));

async function fixOnDisk(root: string) {
  const workspace = new WorkspaceModel({ roots: [root] });
  await workspace.refresh();
  const result = await fixWorkspace(workspace, () => DEFAULT_SETTINGS);
  for (const file of result.files) writeFileSync(file.path, file.after);
  return result;
}

describe('fix-all over the Dockerfile fixtures', () => {
  for (const name of readdirSync(FIXTURES).filter((n) => n.endsWith('.Dockerfile'))) {
    test(`${name}: a second fix-all changes nothing`, async () => {
      const root = mkdtempSync(join(tmpdir(), 'dockopt-fixall-'));
      roots.push(root);
      cpSync(join(FIXTURES, name), join(root, 'Dockerfile'));
      writeFileSync(join(root, 'requirements.txt'), 'flask\n');
      writeFileSync(join(root, 'package.json'), '{}\n');
      writeFileSync(join(root, 'README.md'), '# app\n');
      const original = readFileSync(join(root, 'Dockerfile'), 'utf8');

      await fixOnDisk(root);
      const fixed = readFileSync(join(root, 'Dockerfile'), 'utf8');
      const second = await fixOnDisk(root);
      assert.deepEqual(second.files.map((f) => f.path), [], 'the second fix-all must change nothing');

      // Line endings stay the file's own: no LF line appears in a CRLF file, nor the reverse.
      const crlf = original.includes('\r\n');
      assert.equal(/[^\r]\n/.test(fixed) || fixed.startsWith('\n'), !crlf && fixed.includes('\n'));
      if (crlf) assert.ok(!/[^\r]\n/.test(fixed));
      // What is left has no automatic fix; a fixed file still parses into as many stages.
      const workspace = new WorkspaceModel({ roots: [root] });
      await workspace.refresh();
      const left = await lintWorkspace(workspace, () => DEFAULT_SETTINGS);
      assert.deepEqual(left.filter((f) => f.fixes.some((x) => x.isPreferred)).map((f) => f.message), []);
      assert.equal(parseDockerfile(fixed).stages.length, parseDockerfile(original).stages.length);
    });
  }
});
