import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { BuildHistory, defaultHistoryDir, serviceKey } from '../../buildkit/src/history';
import { record } from './records';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-history-'));
  dirs.push(dir);
  return dir;
}

test('keeps the last 20 builds of a service, oldest first', async () => {
  const history = new BuildHistory(tempDir());
  for (let i = 1; i <= 23; i++) await history.add(record(i));
  const builds = await history.list(serviceKey('/w/Dockerfile', '/w'));
  assert.equal(builds.length, 20);
  assert.equal(builds[0].id, 'build-4');
  assert.equal((await history.latest(serviceKey('/w/Dockerfile', '/w')))?.id, 'build-23');
});

test('keeps services apart by Dockerfile, context and target', async () => {
  const history = new BuildHistory(tempDir());
  const a = serviceKey('/w/Dockerfile', '/w');
  const b = serviceKey('/w/Dockerfile', '/w', 'test');
  await history.add(record(1, [], 1000, a));
  await history.add(record(2, [], 1000, b));
  assert.deepEqual((await history.list(a)).map((r) => r.id), ['build-1']);
  assert.deepEqual((await history.list(b)).map((r) => r.id), ['build-2']);
  assert.equal((await history.services()).length, 2);
});

test('an unreadable history file reads as empty and is replaced on the next build', async () => {
  const dir = tempDir();
  const history = new BuildHistory(dir);
  await history.add(record(1));
  const [file] = fs.readdirSync(dir);
  fs.writeFileSync(path.join(dir, file), '{ not json');
  assert.deepEqual(await history.list(serviceKey('/w/Dockerfile', '/w')), []);
  await history.add(record(2));
  assert.deepEqual((await history.list(serviceKey('/w/Dockerfile', '/w'))).map((r) => r.id), ['build-2']);
  assert.deepEqual(fs.readdirSync(dir), [file], 'no temporary files left');
});

test('a history directory that does not exist yet holds no builds', async () => {
  const history = new BuildHistory(path.join(tempDir(), 'not', 'yet'));
  assert.equal(await history.latest(serviceKey('/w/Dockerfile', '/w')), null);
});

test('the CLI keeps history under $XDG_CACHE_HOME/dockopt, else ~/.cache/dockopt', () => {
  assert.equal(defaultHistoryDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }), '/x/cache/dockopt');
  assert.equal(defaultHistoryDir({ HOME: '/home/u' }), '/home/u/.cache/dockopt');
  assert.equal(defaultHistoryDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' }), '/home/u/.cache/dockopt');
});
