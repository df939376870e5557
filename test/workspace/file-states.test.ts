import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { FileStates } from '../../server/src/workspace/file-states';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const roots: string[] = [];
after(() => roots.forEach(removeWorkspace));

function workspace(files: Record<string, string>): string {
  const root = makeWorkspace(files, 'dockopt-file-states-');
  roots.push(root);
  return root;
}

test('readAll caches what a read would find, and the disk is not read again', async () => {
  const root = workspace({ 'a/.dockerignore': 'node_modules\n', 'b/Dockerfile': 'FROM x\n' });
  const work = { fileLookups: 0 };
  const states = new FileStates(() => [root], work);
  const wanted = ['a/.dockerignore', 'a/Dockerfile.dockerignore', 'b/Dockerfile', 'b/missing/.dockerignore'].map((rel) => path.join(root, rel));
  await states.readAll(wanted);
  // Changed on the disk after the read: the cached state answers until the path is dropped.
  fs.writeFileSync(path.join(root, 'a/.dockerignore'), 'changed\n');
  fs.writeFileSync(path.join(root, 'a/Dockerfile.dockerignore'), 'created\n');
  assert.deepEqual(
    wanted.map((abs) => [states.read(abs).exists, states.read(abs).text]),
    [
      [true, 'node_modules\n'],
      [false, undefined],
      [true, 'FROM x\n'],
      [false, undefined],
    ],
  );
  states.drop(wanted[0]);
  assert.equal(states.read(wanted[0]).text, 'changed\n');
});

test('readAll leaves an open editor text and a state read meanwhile as they are', async () => {
  const root = workspace({ 'Dockerfile': 'FROM disk\n', '.dockerignore': 'disk\n' });
  const states = new FileStates(() => [root], { fileLookups: 0 });
  const dockerfile = path.join(root, 'Dockerfile');
  const ignore = path.join(root, '.dockerignore');
  states.setOverlay(dockerfile, 'FROM editor\n');
  states.read(ignore);
  fs.writeFileSync(ignore, 'changed\n');
  await states.readAll([dockerfile, ignore]);
  assert.equal(states.read(dockerfile).text, 'FROM editor\n');
  assert.equal(states.read(ignore).text, 'disk\n');
});

test('readAll gives the event loop a turn between slices (the language server answers meanwhile)', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) files[`s${i}/.dockerignore`] = `${i}\n`;
  const root = workspace(files);
  const states = new FileStates(() => [root], { fileLookups: 0 });
  let turns = 0;
  let reading = true;
  const tick = () => {
    if (!reading) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  // Slices of no time: a turn after every file.
  await states.readAll(Object.keys(files).map((rel) => path.join(root, rel)), 0);
  reading = false;
  assert.ok(turns >= 20, `${turns} turns of the event loop while reading 40 files`);
  assert.equal(states.read(path.join(root, 's39/.dockerignore')).text, '39\n');
});
