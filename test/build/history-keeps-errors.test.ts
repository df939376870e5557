/**
 * A build that could not run is kept in the history like any other (the editor shows it where the
 * last success was); the next build still compares against the last build that ran.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { startServiceBuild } from '../../buildkit/src/build-service';
import { BuildHistory, serviceKey } from '../../buildkit/src/history';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-history-errors-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('a missing client and an unreadable Dockerfile are both recorded as builds that could not run', async () => {
  const history = new BuildHistory(path.join(root, 'history'));
  fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM busybox\n');
  const missing = await startServiceBuild({ dockerfile: 'Dockerfile', context: '.' }, { command: 'dockopt-no-such-docker', history, cwd: root }).result;
  assert.equal(missing.record.status, 'error');
  assert.equal(missing.record.problem?.kind, 'client-not-found');
  const gone = await startServiceBuild({ dockerfile: 'Nope.Dockerfile', context: '.' }, { command: 'dockopt-no-such-docker', history, cwd: root }).result;
  assert.equal(gone.record.problem?.kind, 'dockerfile-unreadable');
  assert.deepEqual((await history.list(serviceKey(path.join(root, 'Dockerfile'), root))).map((b) => b.status), ['error']);
  assert.deepEqual((await history.list(serviceKey(path.join(root, 'Nope.Dockerfile'), root))).map((b) => b.status), ['error']);
  const again = await startServiceBuild({ dockerfile: 'Dockerfile', context: '.' }, { command: 'dockopt-no-such-docker', history, cwd: root }).result;
  assert.equal(again.previous, null, 'a build that could not run is never the one compared against');
});
