import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  enabledFilesExcludeGlobs,
  folderExcludeGlobs,
  toFolderRelativeGlob,
} from '../../client/src/optimize-all/excludes';

test('files.exclude: only entries set to true are used', () => {
  assert.deepEqual(
    enabledFilesExcludeGlobs({ '**/.git': true, '**/dist': false, '**/*.js': { when: '$(basename).ts' } }),
    ['**/.git'],
  );
});

test('files.exclude: a value that is not an object gives no globs', () => {
  assert.deepEqual(enabledFilesExcludeGlobs(undefined), []);
  assert.deepEqual(enabledFilesExcludeGlobs(['**/.git']), []);
  assert.deepEqual(enabledFilesExcludeGlobs('**/.git'), []);
});

test('an absolute glob inside the folder becomes relative; one outside it is dropped', () => {
  assert.equal(toFolderRelativeGlob('/work/app/vendor/**', '/work/app'), 'vendor/**');
  assert.equal(toFolderRelativeGlob('/elsewhere/vendor', '/work/app'), undefined);
});

test('negations, empty globs and the folder itself are dropped', () => {
  assert.equal(toFolderRelativeGlob('!keep', '/w'), undefined);
  assert.equal(toFolderRelativeGlob('  ', '/w'), undefined);
  assert.equal(toFolderRelativeGlob('./', '/w'), undefined);
});

test('a leading ./ and trailing slashes are removed', () => {
  assert.equal(toFolderRelativeGlob('./vendor/', '/w'), 'vendor');
});

test('a leading # is sent as written: in a VS Code glob it is a plain character', () => {
  assert.equal(toFolderRelativeGlob('#scratch', '/w'), '#scratch');
});

test('a folder gets files.exclude and dockopt.exclude together, each once', () => {
  assert.deepEqual(
    folderExcludeGlobs({ '**/.git': true, '**/{tmp,cache}': true }, ['**/.git', 'third_party/**', 42], '/w'),
    ['**/.git', '**/{tmp,cache}', 'third_party/**'],
  );
});

test('Windows folder paths and backslashes are handled', () => {
  assert.deepEqual(folderExcludeGlobs({}, ['C:\\repo\\vendor\\**'], 'C:\\repo'), ['vendor/**']);
});

test('the globs sent to the server skip those Dockerfiles in its workspace discovery', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { discover } = await import('../../server/src/workspace/discover');
  const root = mkdtempSync(path.join(tmpdir(), 'dockopt-excludes-'));
  try {
    for (const dir of ['services/api', 'services/tmp', 'vendor/lib', 'third_party/x']) {
      mkdirSync(path.join(root, dir), { recursive: true });
      writeFileSync(path.join(root, dir, 'Dockerfile'), 'FROM scratch\n');
    }
    const exclude = folderExcludeGlobs({ '**/{tmp,vendor}': true }, ['third_party/**'], root);
    const found = await discover(root, { exclude });
    assert.deepEqual(
      found.dockerfiles.map((f) => path.relative(root, f).split(path.sep).join('/')),
      ['services/api/Dockerfile'],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
