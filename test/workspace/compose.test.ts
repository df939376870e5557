import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { interpolate, isComposeFileName, parseComposeFile, resolveComposeBuilds } from '../../server/src/workspace/compose';

const ROOT = path.resolve('/proj');
const file = (name: string) => path.join(ROOT, name);
const builds = (text: string, name = 'docker-compose.yml') => resolveComposeBuilds([parseComposeFile(text, file(name))]);

test('short form `build: ./dir` builds dir/Dockerfile with dir as context', () => {
  assert.deepEqual(builds('services:\n  api:\n    build: ./services/api\n'), [
    { service: 'api', composeFile: file('docker-compose.yml'), contextDir: file('services/api'), dockerfilePath: file('services/api/Dockerfile'), target: undefined },
  ]);
});

test('long form: dockerfile is relative to the context, target is kept', () => {
  const [b] = builds('services:\n  api:\n    build:\n      context: ./services/api\n      dockerfile: docker/Prod.Dockerfile\n      target: runtime\n');
  assert.equal(b.contextDir, file('services/api'));
  assert.equal(b.dockerfilePath, file('services/api/docker/Prod.Dockerfile'));
  assert.equal(b.target, 'runtime');
});

test('context: . with dockerfile: services/x/Dockerfile builds from the project root', () => {
  const [b] = builds('services:\n  x:\n    build:\n      context: .\n      dockerfile: services/x/Dockerfile\n');
  assert.equal(b.contextDir, ROOT);
  assert.equal(b.dockerfilePath, file('services/x/Dockerfile'));
});

test('build without context uses the compose file folder', () => {
  const [b] = builds('services:\n  x:\n    build:\n      dockerfile: Dockerfile.dev\n');
  assert.equal(b.contextDir, ROOT);
  assert.equal(b.dockerfilePath, file('Dockerfile.dev'));
});

test('image-only services, inline Dockerfiles and remote contexts give no build', () => {
  const text = [
    'services:',
    '  db:',
    '    image: postgres:16',
    '  inline:',
    '    build:',
    '      context: .',
    '      dockerfile_inline: |',
    '        FROM alpine',
    '  remote:',
    '    build: https://github.com/docker/example.git#main',
    '  gitssh:',
    '    build:',
    '      context: git@github.com:org/repo.git',
    '',
  ].join('\n');
  assert.deepEqual(builds(text), []);
  const parsed = parseComposeFile(text, file('compose.yaml'));
  assert.equal(parsed.services.find((s) => s.name === 'inline')?.skipped, 'inline Dockerfile');
  assert.equal(parsed.services.find((s) => s.name === 'remote')?.skipped, 'remote build context');
});

test('${VAR:-default} takes the default; a set variable wins; $$ is a dollar', () => {
  assert.equal(interpolate('${CTX:-./app}', {}), './app');
  assert.equal(interpolate('${CTX:-./app}', { CTX: './other' }), './other');
  assert.equal(interpolate('${CTX-./app}', { CTX: '' }), '');
  assert.equal(interpolate('${CTX:-./app}', { CTX: '' }), './app');
  assert.equal(interpolate('$NAME/x', {}), '/x');
  assert.equal(interpolate('a$$b', {}), 'a$b');
  assert.equal(interpolate('${REQ:?must be set}x', {}), 'x');
  const [b] = builds('services:\n  x:\n    build:\n      context: ${APP_DIR:-./services/x}\n      dockerfile: ${DF:-Dockerfile}\n');
  assert.equal(b.contextDir, file('services/x'));
});

test('YAML merge keys (<<: *anchor) are followed', () => {
  const text = 'x-build: &b\n  context: ./shared\nservices:\n  one:\n    build:\n      <<: *b\n      dockerfile: One.Dockerfile\n';
  const [b] = builds(text);
  assert.equal(b.contextDir, file('shared'));
  assert.equal(b.dockerfilePath, file('shared/One.Dockerfile'));
});

test('malformed YAML gives no services and a message, without throwing', () => {
  const parsed = parseComposeFile('services:\n  api:\n    build: [unclosed\n', file('compose.yaml'));
  assert.deepEqual(parsed.services, []);
  assert.match(parsed.error ?? '', /^compose\.yaml is not valid YAML: /);
});

test('a file without services, or with a scalar, gives no services and no error', () => {
  assert.deepEqual(parseComposeFile('volumes:\n  data: {}\n', file('compose.yaml')), { path: file('compose.yaml'), services: [] });
  assert.deepEqual(parseComposeFile('just a string', file('compose.yaml')).services, []);
  assert.deepEqual(parseComposeFile('', file('compose.yaml')).services, []);
});

test('an override in the same folder adds a build merged over the base service', () => {
  const base = parseComposeFile('services:\n  api:\n    build:\n      context: ./api\n', file('docker-compose.yml'));
  const override = parseComposeFile('services:\n  api:\n    build:\n      target: dev\n', file('docker-compose.dev.yml'));
  const result = resolveComposeBuilds([base, override]);
  assert.deepEqual(
    result.map((b) => [b.service, b.contextDir, b.target, path.basename(b.composeFile)]),
    [
      ['api', file('api'), undefined, 'docker-compose.yml'],
      ['api', file('api'), 'dev', 'docker-compose.dev.yml'],
    ],
  );
});

test('an override that changes nothing adds no duplicate build', () => {
  const base = parseComposeFile('services:\n  api:\n    build: ./api\n', file('compose.yaml'));
  const override = parseComposeFile('services:\n  api:\n    build:\n      context: ./api\n', file('docker-compose.override.yml'));
  assert.equal(resolveComposeBuilds([base, override]).length, 1);
});

test('compose file names', () => {
  for (const name of ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml', 'docker-compose.prod.yml', 'docker-compose.override.yaml']) {
    assert.equal(isComposeFileName(name), true, name);
  }
  for (const name of ['compose.json', 'my-compose.yml', 'docker-compose.yml.bak']) assert.equal(isComposeFileName(name), false, name);
});
