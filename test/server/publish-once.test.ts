/**
 * One document version's diagnostics are published once (issue 8): a workspace event re-checks
 * every open document, and a re-check that finds the same must not send them again.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { STATUS_NOTIFICATION } from '../../shared/src/protocol';
import { TestLspClient } from '../helpers/lsp-client';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const DOCKERFILE = 'FROM python:3.11-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n';

let root: string;
let client: TestLspClient;
let statuses = 0;

before(async () => {
  root = makeWorkspace({ 'Dockerfile': DOCKERFILE, 'requirements.txt': 'flask\n', '.dockerignore': '.git\n' });
  client = new TestLspClient({ folders: [root] });
  client.connection.onNotification(STATUS_NOTIFICATION.method, () => {
    statuses++;
  });
  await client.initialize();
});
after(async () => {
  await client.stop();
  removeWorkspace(root);
});

it('re-checks after workspace events without publishing the same diagnostics of a version again', async () => {
  const uri = client.open(join(root, 'Dockerfile'), DOCKERFILE);
  await client.diagnostics(uri, (d) => d.some((x) => x.code === 'pip-cache-mount'));
  // Let the context scan settle: its completion may rightly publish once more, with what it found.
  await new Promise((r) => setTimeout(r, 1000));
  const before = client.versionsPublished(uri).length;
  for (let k = 0; k < 3; k++) {
    // A configuration change re-checks every open document: wait for this re-check's status.
    const seen = statuses;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    for (let wait = 0; statuses === seen && wait < 100; wait++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(statuses > seen, 'the document was re-checked');
  }
  assert.equal(client.versionsPublished(uri).length, before, `published: ${JSON.stringify(client.versionsPublished(uri))}`);
});
