/** Which files are Dockerfiles: by name, and by what compose and dev container files say. */
import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { join } from 'node:path';
import { isDockerfileName, kindOf } from '../../server/src/workspace/discover';
import { parseDevcontainerFile } from '../../server/src/workspace/devcontainer';
import { parseComposeFile } from '../../server/src/workspace/compose';
import { WorkspaceModel } from '../../server/src/workspace/workspace';
import { lintWorkspace } from '../../server/src/lint-workspace';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const DOCKERFILES = ['Dockerfile', 'dockerfile', 'DOCKERFILE', 'Dockerfile.dev', 'Dockerfile-alpine', 'Dockerfile_dev', 'dockerfile.prod', 'api.Dockerfile', 'api.dockerfile', 'Containerfile', 'Containerfile.ci', 'containerfile-arm64', 'web.containerfile'];
const NOT_DOCKERFILES = ['Dockerfile.dockerignore', '.dockerignore', 'Dockerfile.md', 'Dockerfile.j2', 'Dockerfile.template', 'Dockerfile.orig', 'dockerfiles', 'Dockerfile.', 'mydockerfile', 'README.md', 'dockerfile.sh'];

describe('isDockerfileName', () => {
  for (const name of DOCKERFILES) it(`${name} is a Dockerfile`, () => assert.equal(isDockerfileName(name), true));
  for (const name of NOT_DOCKERFILES) it(`${name} is not`, () => assert.equal(isDockerfileName(name), false));
});

test('dev container files are build declarations, wherever .devcontainer holds them', () => {
  assert.equal(kindOf('/w/.devcontainer/devcontainer.json'), 'compose');
  assert.equal(kindOf('/w/.devcontainer/python/devcontainer.json'), 'compose');
  assert.equal(kindOf('/w/.devcontainer.json'), 'compose');
  assert.equal(kindOf('/w/config/devcontainer.json'), undefined);
});

test('compose file names with a suffix are compose files', () => {
  for (const name of ['docker-compose.dev.yml', 'docker-compose-dev.yml', 'compose.prod.yaml', 'compose-ci.yml']) assert.equal(kindOf(`/w/${name}`), 'compose', name);
});

test('a dev container build reads its Dockerfile and context relative to its own folder, comments and trailing commas allowed', () => {
  const text = '{\n  // the image\n  "name": "py",\n  "build": { "dockerfile": "../docker/dev.Dockerfile", "context": "..", },\n}\n';
  assert.deepEqual(parseDevcontainerFile(text, '/w/.devcontainer/devcontainer.json').services, [{ name: 'py', build: { context: '..', dockerfile: 'docker/dev.Dockerfile' } }]);
  assert.deepEqual(parseDevcontainerFile('{ "dockerFile": "Dockerfile" }', '/w/.devcontainer/devcontainer.json').services, [{ name: 'devcontainer', build: { context: '.', dockerfile: 'Dockerfile' } }]);
  assert.deepEqual(parseDevcontainerFile('{ "image": "python:3.12" }', '/w/.devcontainer/devcontainer.json').services, []);
  assert.match(parseDevcontainerFile('[', '/w/.devcontainer/devcontainer.json').error ?? '', /not valid JSON/);
});

test("compose's !reset and !override tags parse as values, without warnings", () => {
  const warnings: unknown[] = [];
  const onWarning = (w: unknown) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    const parse = parseComposeFile('services:\n  web:\n    build: ./web\n    ports: !reset []\n    environment: !override\n      A: "1"\n  api:\n    build: !reset null\n', '/w/compose.override.yaml');
    assert.deepEqual(parse.services, [{ name: 'web', build: { context: './web' } }, { name: 'api' }]);
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(warnings, []);
});

test('a Dockerfile that a compose or dev container file names is checked, whatever its name, with that context', async () => {
  const root = makeWorkspace({
    'compose.yaml': 'services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/web.build\n',
    'docker/web.build': 'FROM python:3.11-slim\n',
    '.devcontainer/devcontainer.json': '{ "build": { "dockerfile": "dev.image", "context": ".." } }',
    '.devcontainer/dev.image': 'FROM python:3.10\n',
    'Dockerfile-alpine': 'FROM python:3.9-alpine\n',
  });
  try {
    const workspace = new WorkspaceModel({ roots: [root] });
    await workspace.refresh();
    assert.deepEqual(workspace.dockerfiles().sort(), [join(root, '.devcontainer/dev.image'), join(root, 'Dockerfile-alpine'), join(root, 'docker/web.build')]);
    assert.equal(workspace.buildsFor(join(root, '.devcontainer/dev.image'))[0].contextDir, root);
    const findings = await lintWorkspace(workspace, () => DEFAULT_SETTINGS);
    const versions = findings.filter((f) => f.ruleId === 'python-base-version').map((f) => f.path).sort();
    assert.deepEqual(versions, [join(root, '.devcontainer/dev.image'), join(root, 'Dockerfile-alpine'), join(root, 'docker/web.build')]);
  } finally {
    removeWorkspace(root);
  }
});
