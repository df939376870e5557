import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { isInsideDir, WorkspaceModel } from '../../server/src/workspace/workspace';
import { isInside } from '../../shared/src/files/containment';
import { makeWorkspace, writeFiles } from '../helpers/temp-workspace';

const roots: string[] = [];
after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function makeTree(files: Record<string, string>): string {
  const root = makeWorkspace(files, 'dockopt-ws-');
  roots.push(root);
  return root;
}

function write(root: string, rel: string, text: string): void {
  writeFiles(root, { [rel]: text });
}

async function load(files: Record<string, string>) {
  const root = makeTree(files);
  const ws = new WorkspaceModel({ roots: [root] });
  await ws.refresh();
  return { root, ws, at: (rel: string) => path.join(root, rel) };
}

const FROM = 'FROM python:3.12\n';

test('a Dockerfile nobody builds gets its own folder as context', async () => {
  const { ws, at } = await load({ 'app/Dockerfile': FROM });
  const [build] = ws.buildsFor(at('app/Dockerfile'));
  assert.equal(build.contextDir, at('app'));
  assert.equal(build.source, 'dockerfile-folder');
  assert.deepEqual(build.ignoreFile, { path: at('app/.dockerignore'), kind: 'context-root', exists: false });
});

test('compose `context: .` + `dockerfile: services/x/Dockerfile`: root context, the .dockerignore beside it unread', async () => {
  const { ws, at } = await load({
    'docker-compose.yml': 'services:\n  x:\n    build:\n      context: .\n      dockerfile: services/x/Dockerfile\n',
    'services/x/Dockerfile': FROM,
    'services/x/.dockerignore': 'tests/\n',
  });
  const [build] = ws.buildsFor(at('services/x/Dockerfile'));
  assert.equal(build.contextDir, at('.'));
  assert.equal(build.source, 'compose');
  assert.equal(build.service, 'x');
  assert.equal(build.composeFile, at('docker-compose.yml'));
  // Nothing is read; creating one means `<Dockerfile>.dockerignore`, which only this build reads.
  assert.deepEqual(build.ignoreFile, { path: at('services/x/Dockerfile.dockerignore'), kind: 'dockerfile-specific', exists: false });
  assert.deepEqual(build.unreadIgnoreFile, { path: at('services/x/.dockerignore'), text: 'tests/\n' });
});

test('<Dockerfile>.dockerignore beside the Dockerfile wins over <context>/.dockerignore', async () => {
  const { ws, at } = await load({ 'app/Dockerfile': FROM, 'app/.dockerignore': 'a\n', 'app/Dockerfile.dockerignore': 'b\n' });
  const [build] = ws.buildsFor(at('app/Dockerfile'));
  assert.deepEqual(build.ignoreFile, { path: at('app/Dockerfile.dockerignore'), kind: 'dockerfile-specific', exists: true, text: 'b\n' });
  assert.deepEqual(build.unreadIgnoreFile, { path: at('app/.dockerignore'), text: 'a\n' });
});

test('the context root .dockerignore is read when there is no Dockerfile-specific one', async () => {
  const { ws, at } = await load({
    'compose.yaml': 'services:\n  x:\n    build:\n      context: .\n      dockerfile: svc/Dockerfile\n',
    'svc/Dockerfile': FROM,
    '.dockerignore': '**/.git\n',
  });
  const [build] = ws.buildsFor(at('svc/Dockerfile'));
  assert.deepEqual(build.ignoreFile, { path: at('.dockerignore'), kind: 'context-root', exists: true, text: '**/.git\n' });
  assert.equal(build.unreadIgnoreFile, undefined);
});

test('other Dockerfiles of the context that would read the same .dockerignore are its co-readers', async () => {
  const { ws, at } = await load({
    'app/Dockerfile': FROM,
    'app/Dockerfile.dev': 'FROM python:3.12\nCOPY tests/ ./tests/\n',
    'app/Dockerfile.ci': FROM,
    'app/Dockerfile.ci.dockerignore': '',
  });
  const [build] = ws.buildsFor(at('app/Dockerfile'));
  assert.equal(build.ignoreFile.kind, 'context-root');
  assert.deepEqual(build.coReaders, [{ dockerfilePath: at('app/Dockerfile.dev'), dockerfileText: 'FROM python:3.12\nCOPY tests/ ./tests/\n' }]);
  assert.equal(ws.buildsFor(at('app/Dockerfile.ci'))[0].coReaders, undefined, 'its own ignore file is read by it alone');
});

test('a Dockerfile built by two services has two builds', async () => {
  const { ws, at } = await load({
    'docker-compose.yml': 'services:\n  a:\n    build: ./app\n  b:\n    build:\n      context: .\n      dockerfile: app/Dockerfile\n      target: test\n',
    'app/Dockerfile': FROM,
  });
  const builds = ws.buildsFor(at('app/Dockerfile'));
  assert.deepEqual(builds.map((b) => [b.service, b.contextDir, b.target]), [['a', at('app'), undefined], ['b', at('.'), 'test']]);
});

test('a settings override beats compose and the folder', async () => {
  const { root, ws, at } = await load({
    'docker-compose.yml': 'services:\n  a:\n    build: ./app\n',
    'app/Dockerfile': FROM,
    'lone/Dockerfile': FROM,
  });
  ws.setSettings({ contextOverrides: [{ dockerfile: 'app/Dockerfile', context: '.' }, { dockerfile: path.join(root, 'lone/Dockerfile'), context: 'lone/..' }], exclude: [] });
  assert.deepEqual(ws.buildsFor(at('app/Dockerfile')).map((b) => [b.source, b.contextDir]), [['setting', root]]);
  assert.deepEqual(ws.buildsFor(at('lone/Dockerfile')).map((b) => [b.source, b.contextDir]), [['setting', root]]);
});

test('builds for a .dockerignore: those that read it and those beside it that read another', async () => {
  const { ws, at } = await load({
    'docker-compose.yml': [
      'services:',
      '  rooted:',
      '    build:',
      '      context: .',
      '      dockerfile: services/x/Dockerfile',
      '  own:',
      '    build: ./services/y',
      '',
    ].join('\n'),
    'services/x/Dockerfile': FROM,
    'services/x/.dockerignore': 'tests/\n',
    'services/y/Dockerfile': FROM,
    'services/y/.dockerignore': 'tests/\n',
  });
  const x = ws.buildsForIgnoreFile(at('services/x/.dockerignore'));
  assert.deepEqual(x.map((b) => [b.service, b.ignoreFile.path === at('services/x/.dockerignore')]), [['rooted', false]]);
  assert.equal(x[0].dockerfileText, FROM);
  const y = ws.buildsForIgnoreFile(at('services/y/.dockerignore'));
  assert.deepEqual(y.map((b) => [b.service, b.ignoreFile.path === at('services/y/.dockerignore')]), [['own', true]]);
  assert.deepEqual(ws.buildsForIgnoreFile(at('.dockerignore')), [], 'no such file: nobody reads it');
  ws.setOverlay(at('.dockerignore'), '**/.git\n');
  assert.deepEqual(ws.buildsForIgnoreFile(at('.dockerignore')).map((b) => b.service), ['rooted']);
});

test('editor texts win over the disk, for ignore files, compose files and Dockerfiles', async () => {
  const { ws, at } = await load({ 'docker-compose.yml': 'services:\n  a:\n    build: ./app\n', 'app/Dockerfile': FROM });
  ws.setOverlay(at('app/.dockerignore'), 'node_modules\n');
  assert.deepEqual(ws.buildsFor(at('app/Dockerfile'))[0].ignoreFile, { path: at('app/.dockerignore'), kind: 'context-root', exists: true, text: 'node_modules\n' });
  ws.setOverlay(at('docker-compose.yml'), 'services:\n  a:\n    build:\n      context: .\n      dockerfile: app/Dockerfile\n');
  assert.equal(ws.buildsFor(at('app/Dockerfile'))[0].contextDir, at('.'));
  ws.setOverlay(at('app/Dockerfile'), 'FROM node:20\n');
  assert.equal(ws.buildsForIgnoreFile(at('app/.dockerignore'))[0].dockerfileText, 'FROM node:20\n');
  ws.setOverlay(at('docker-compose.yml'), undefined);
  ws.setOverlay(at('app/.dockerignore'), undefined);
  assert.equal(ws.buildsFor(at('app/Dockerfile'))[0].contextDir, at('app'));
  assert.equal(ws.buildsFor(at('app/Dockerfile'))[0].ignoreFile.exists, false);
});

test('invalidate re-reads a changed compose file and names the Dockerfiles it affects', async () => {
  const { root, ws, at } = await load({ 'docker-compose.yml': 'services:\n  a:\n    build: ./app\n', 'app/Dockerfile': FROM });
  write(root, 'docker-compose.yml', 'services:\n  a:\n    build:\n      context: .\n      dockerfile: app/Dockerfile\n');
  assert.equal(ws.buildsFor(at('app/Dockerfile'))[0].contextDir, at('app'), 'cached until told');
  assert.deepEqual(ws.invalidate(at('docker-compose.yml')), [at('app/Dockerfile')]);
  assert.equal(ws.buildsFor(at('app/Dockerfile'))[0].contextDir, at('.'));
});

test('invalidate picks up a created .dockerignore and a new Dockerfile', async () => {
  const { root, ws, at } = await load({ 'app/Dockerfile': FROM });
  assert.equal(ws.buildsFor(at('app/Dockerfile'))[0].ignoreFile.exists, false);
  write(root, 'app/.dockerignore', '*.log\n');
  assert.deepEqual(ws.invalidate(at('app/.dockerignore')), [at('app/Dockerfile')]);
  assert.equal(ws.buildsFor(at('app/Dockerfile'))[0].ignoreFile.text, '*.log\n');
  write(root, 'web/Dockerfile', FROM);
  ws.invalidate(at('web/Dockerfile'));
  assert.deepEqual(ws.dockerfiles().sort(), [at('app/Dockerfile'), at('web/Dockerfile')]);
  fs.rmSync(at('web'), { recursive: true });
  ws.invalidate(at('web'));
  assert.deepEqual(ws.dockerfiles(), [at('app/Dockerfile')]);
});

test('a Dockerfile compose names under another name is checked once it is created (its event, or its folder\'s)', async () => {
  const { root, ws, at } = await load({ 'docker-compose.yml': 'services:\n  a:\n    build:\n      context: ./app\n      dockerfile: app.docker\n', 'app/main.py': 'print(1)\n' });
  assert.deepEqual(ws.dockerfiles(), []);
  write(root, 'app/app.docker', FROM);
  ws.invalidate(at('app/main.py')); // another file's event changes nothing
  assert.deepEqual(ws.dockerfiles(), []);
  ws.invalidate(at('app/app.docker'));
  assert.deepEqual(ws.dockerfiles(), [at('app/app.docker')]);
  fs.rmSync(at('app/app.docker'));
  ws.invalidate(at('app'));
  assert.deepEqual(ws.dockerfiles(), []);
  write(root, 'app/app.docker', FROM);
  ws.invalidate(at('app'));
  assert.deepEqual(ws.dockerfiles(), [at('app/app.docker')]);
});

test('a malformed compose file gives a message and no builds, and the rest still works', async () => {
  const { ws, at } = await load({ 'docker-compose.yml': 'services: [oops\n', 'app/Dockerfile': FROM });
  assert.deepEqual(ws.composeErrors().map((e) => e.path), [at('docker-compose.yml')]);
  assert.equal(ws.buildsFor(at('app/Dockerfile'))[0].source, 'dockerfile-folder');
});

test('builds carry the context scan once it has landed', async () => {
  const { ws, at } = await load({ 'app/Dockerfile': FROM, 'app/main.py': 'print(1)\n' });
  assert.equal(ws.buildsFor(at('app/Dockerfile'))[0].scan, undefined);
  await ws.ensureScans(ws.buildsFor(at('app/Dockerfile')));
  assert.deepEqual(ws.buildsFor(at('app/Dockerfile'))[0].scan?.files.map((f) => f.path), ['Dockerfile', 'main.py']);
});

// Counted work, not time (a timed assertion fails on a loaded machine): resolving every
// service's builds looks up a bounded number of files and build specs per service, so 8× the
// services cost at most 8× the work, whatever the machine's load. A quadratic (re-indexing per
// query, scanning every service per service) fails this at once.
async function resolveServices(n: number) {
  const files: Record<string, string> = {};
  let compose = 'services:\n';
  for (let i = 0; i < n; i++) {
    files[`services/s${i}/Dockerfile`] = FROM;
    if (i % 2) files[`services/s${i}/.dockerignore`] = 'tests\n';
    compose += i % 3 ? `  s${i}:\n    build: ./services/s${i}\n` : `  s${i}:\n    build:\n      context: .\n      dockerfile: services/s${i}/Dockerfile\n`;
  }
  files['docker-compose.yml'] = compose;
  const { ws, at } = await load(files);
  const before = { ...ws.work };
  let withIgnore = 0;
  for (let i = 0; i < n; i++) {
    const [build] = ws.buildsFor(at(`services/s${i}/Dockerfile`));
    if (build.ignoreFile.exists) withIgnore++;
    ws.buildsForIgnoreFile(at(`services/s${i}/.dockerignore`));
  }
  return { withIgnore, work: ws.work.fileLookups - before.fileLookups + ws.work.specVisits - before.specVisits };
}

test('1 000 compose services resolve with work linear in the services (8× the services, at most 8× the look-ups)', async () => {
  const small = await resolveServices(125);
  const large = await resolveServices(1000);
  assert.equal(large.withIgnore, 333); // odd services built from their own folder: i % 2 && i % 3
  assert.ok(large.work >= 2 * 1000, `${large.work} look-ups: each service was resolved`);
  assert.ok(large.work <= 8 * small.work * 1.1, `${small.work} look-ups for 125 services, ${large.work} for 1 000`);
  assert.ok(large.work <= 20 * 1000, `${large.work} look-ups for 1 000 services: more than 20 each`);
});

test("compose ${VAR} take the project's .env, the environment wins over it, and a .env change is seen", async () => {
  const { root, ws, at } = await load({
    'compose.yaml': 'services:\n  api:\n    build:\n      context: ${API_DIR:-default}\n',
    '.env': '# where the api lives\nexport API_DIR="services/api"\n',
    'services/api/Dockerfile': FROM,
    'other/Dockerfile': FROM,
  });
  assert.equal(ws.buildsFor(at('services/api/Dockerfile'))[0].service, 'api');
  write(root, '.env', 'API_DIR=other\n');
  ws.invalidate(at('.env'));
  assert.equal(ws.buildsFor(at('other/Dockerfile'))[0].service, 'api');
  assert.equal(ws.buildsFor(at('services/api/Dockerfile'))[0].source, 'dockerfile-folder');

  const withEnv = new WorkspaceModel({ roots: [root], env: { API_DIR: 'services/api' } });
  await withEnv.refresh();
  assert.equal(withEnv.buildsFor(at('services/api/Dockerfile'))[0].service, 'api');
});

test('.env values: single quotes, a trailing comment, CRLF lines and blank lines are read as docker compose reads them', async () => {
  const { ws, at } = await load({
    'compose.yaml': 'services:\n  api:\n    build:\n      context: ${API_DIR:-default}\n  web:\n    build:\n      context: ${WEB_DIR}\n',
    '.env': "\r\nAPI_DIR='services/api'\r\nWEB_DIR=services/web # the front end\r\n",
    'services/api/Dockerfile': FROM,
    'services/web/Dockerfile': FROM,
  });
  assert.equal(ws.buildsFor(at('services/api/Dockerfile'))[0].service, 'api');
  assert.equal(ws.buildsFor(at('services/web/Dockerfile'))[0].service, 'web');
});

test('isInsideDir: its quick answer for plain names is the answer of the full path comparison', () => {
  const dir = path.resolve('/ctx/app');
  const names = ['', '.', './', './/', './/.', 'a', './a', 'a/', 'a/.', 'a//b', '.a', '...', '....//', 'x..', '..x', '..', '../x', 'a/..', 'a/../b', 'a/../..', '/abs', '.\\x', 'a b/c'];
  for (const name of names) {
    const full = path.join(dir, name);
    const expected = path.relative(dir, full) !== '' && isInside(dir, full);
    assert.equal(isInsideDir(dir, name), expected, JSON.stringify(name));
  }
});
