import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { discover, discoverSync, isDockerfileName, isDockerignoreName, kindOf } from '../../server/src/workspace/discover';

const roots: string[] = [];
after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function makeTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-discover-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const relAll = (root: string, files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/'));

test('finds Dockerfiles, compose files and ignore files, skipping node_modules and .git', async () => {
  const root = makeTree({
    'Dockerfile': '',
    'api/Dockerfile.dev': '',
    'api/Dockerfile.dev.dockerignore': '',
    'web/web.Dockerfile': '',
    'web/Containerfile': '',
    'web/.dockerignore': '',
    'Dockerfile.dockerignore': '',
    'docker-compose.yml': '',
    'deploy/compose.yaml': '',
    'docker-compose.prod.yml': '',
    'node_modules/pkg/Dockerfile': '',
    '.git/Dockerfile': '',
    'README.md': '',
  });
  const found = await discover(root);
  assert.deepEqual(relAll(root, found.dockerfiles), ['Dockerfile', 'api/Dockerfile.dev', 'web/Containerfile', 'web/web.Dockerfile']);
  assert.deepEqual(relAll(root, found.composeFiles), ['deploy/compose.yaml', 'docker-compose.prod.yml', 'docker-compose.yml']);
  assert.deepEqual(relAll(root, found.dockerignores), ['Dockerfile.dockerignore', 'api/Dockerfile.dev.dockerignore', 'web/.dockerignore']);
  assert.deepEqual(discoverSync(root), found);
});

test('exclude globs skip files and whole folders', async () => {
  const root = makeTree({ 'a/Dockerfile': '', 'fixtures/x/Dockerfile': '', 'b/Dockerfile': '' });
  const found = await discover(root, { exclude: ['fixtures', '**/b/Dockerfile'] });
  assert.deepEqual(relAll(root, found.dockerfiles), ['a/Dockerfile']);
});

test('a folder that does not exist gives nothing, without throwing', async () => {
  assert.deepEqual(await discover(path.join(os.tmpdir(), 'dockopt-no-such-dir-4711')), { dockerfiles: [], composeFiles: [], dockerignores: [] });
});

test('file names', () => {
  for (const name of ['Dockerfile', 'Dockerfile.prod', 'api.Dockerfile', 'Containerfile']) assert.equal(isDockerfileName(name), true, name);
  for (const name of ['Dockerfile.dockerignore', 'Dockerfile.dev.dockerignore', 'dockerfile-notes.txt', 'Dockerfile.']) {
    assert.equal(isDockerfileName(name), false, name);
  }
  for (const name of ['.dockerignore', 'Dockerfile.dockerignore', 'api.Dockerfile.dockerignore']) assert.equal(isDockerignoreName(name), true, name);
  assert.equal(isDockerignoreName('dockerignore'), false);
});

test('every name with a kind is found, whatever its case and folder (the walk tests names quickly first)', async () => {
  const named = [
    'Dockerfile',
    'DOCKERFILE',
    'dockerfile.prod',
    'Dockerfile-api',
    'Dockerfile_worker',
    'api.Dockerfile',
    'api.dockerfile',
    'Containerfile',
    'CONTAINERFILE.dev',
    'web.containerfile',
    '.dockerignore',
    'api.Dockerfile.dockerignore',
    'compose.yaml',
    'compose.yml',
    'docker-compose.yaml',
    'docker-compose.yml',
    'compose.prod.yaml',
    'docker-compose-dev.yml',
    'docker-compose.override.yml',
    '.devcontainer.json',
    '.devcontainer/devcontainer.json',
    '.devcontainer/python/devcontainer.json',
  ];
  // The same names in a folder whose own name would pass the quick test, and in one that would not.
  const files: Record<string, string> = {};
  for (const name of named) {
    files[`docker-stuff/${name}`] = '';
    files[`plain/${name}`] = '';
  }
  for (const name of ['main.py', 'docs/README.md', 'dockerignore', 'composer.json', 'containers.txt', 'Dockerfile.md']) files[`plain/${name}`] = '';
  const root = makeTree(files);
  const found = await discover(root);
  const all = relAll(root, [...found.dockerfiles, ...found.composeFiles, ...found.dockerignores]).sort();
  const expected = Object.keys(files)
    .filter((rel) => kindOf(path.join(root, rel)) !== undefined)
    .sort();
  assert.deepEqual(all, expected);
  assert.equal(expected.length, named.length * 2);
  assert.deepEqual(relAll(root, [...discoverSync(root).dockerfiles]).sort(), relAll(root, found.dockerfiles).sort());
});
