/**
 * `dockopt/builds` and `dockopt/allBuilds` against the real bundled server (dist/server.js,
 * built by `npm test`): how the client learns which services build a Dockerfile.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { ALL_BUILDS_REQUEST, BUILDS_REQUEST, type AllBuildsParams, type ServiceBuildInfo } from '../../shared/src/protocol';
import { TestLspClient } from '../helpers/lsp-client';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

describe('build requests', () => {
  let root: string;
  let client: TestLspClient;

  before(async () => {
    root = makeWorkspace({
      'compose.yaml': [
        'services:',
        '  api:',
        '    build: ./api',
        '  worker:',
        '    build:',
        '      context: .',
        '      dockerfile: api/Dockerfile',
        '      target: worker',
        '  db:',
        '    image: postgres:16',
        '',
      ].join('\n'),
      'api/Dockerfile': 'FROM python:3.12-slim AS base\nFROM base AS worker\n',
      'tools/Dockerfile': 'FROM busybox\n',
    });
    client = new TestLspClient({ folders: [root] });
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
  });

  /** The workspace is read in the background after `initialized`: ask until it has been. */
  async function allBuilds(params: AllBuildsParams): Promise<ServiceBuildInfo[]> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const result = await client.connection.sendRequest(ALL_BUILDS_REQUEST, params);
      if (result.length > 0) return result;
    }
    throw new Error('the server never listed any build');
  }

  it('dockopt/allBuilds lists every build of the workspace: compose services and lone Dockerfiles', async () => {
    const builds = await allBuilds({});
    assert.deepEqual(
      builds.map((b) => [b.service ?? null, b.dockerfile, b.contextDir, b.target ?? null, b.source]).sort(),
      [
        [null, join(root, 'tools/Dockerfile'), join(root, 'tools'), null, 'dockerfile-folder'],
        ['api', join(root, 'api/Dockerfile'), join(root, 'api'), null, 'compose'],
        ['worker', join(root, 'api/Dockerfile'), root, 'worker', 'compose'],
      ],
    );
    assert.equal(builds.find((b) => b.service === 'api')!.composeFile, join(root, 'compose.yaml'));
  });

  it('dockopt/builds answers for one Dockerfile: one entry per service that builds it', async () => {
    await allBuilds({});
    const builds = await client.connection.sendRequest(BUILDS_REQUEST, { uri: URI.file(join(root, 'api/Dockerfile')).toString() });
    assert.deepEqual(builds.map((b) => b.service).sort(), ['api', 'worker']);
  });

  it('dockopt/allBuilds for a folder outside the workspace lists nothing', async () => {
    await allBuilds({});
    const builds = await client.connection.sendRequest(ALL_BUILDS_REQUEST, { folders: [URI.file(join(root, 'elsewhere')).toString()] });
    assert.deepEqual(builds, []);
  });
});
