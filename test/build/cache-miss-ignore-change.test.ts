/**
 * A .dockerignore change moves files in or out of what a COPY sends without changing them: the
 * miss says "newly excluded" / "newly included", apart from files that really changed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeCacheMisses } from '../../buildkit/src/cache-miss';
import { attachLines, readDockerfileSteps } from '../../buildkit/src/dockerfile-steps';
import { fingerprintBuild, type BuildFingerprint } from '../../buildkit/src/fingerprint';
import { parsePlainProgress } from '../../buildkit/src/plain-progress';
import { fixture } from './fixtures';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const DOCKERFILE = fixture('python-app.Dockerfile');

function context(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-ignore-change-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  fs.writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
  return dir;
}

const fingerprintOf = (dir: string) => fingerprintBuild(readDockerfileSteps(DOCKERFILE), { dockerfile: path.join(dir, 'Dockerfile'), contextDir: dir });

function missOf(current: BuildFingerprint, previous: BuildFingerprint) {
  const layout = readDockerfileSteps(DOCKERFILE);
  const steps = attachLines(parsePlainProgress(fixture('python-app.code-change.plain.txt')).steps, layout);
  return analyzeCacheMisses(steps, layout, current, previous).miss;
}

const FILES = { 'requirements.txt': 'flask\n', 'src/main.py': 'print(1)\n', 'src/__pycache__/main.cpython-311.pyc': 'bytecode' };

test('a file a new .dockerignore pattern leaves out is "newly excluded", not "changed"', async () => {
  const dir = context({ ...FILES, '.dockerignore': '.git\n' });
  const before = await fingerprintOf(dir);
  fs.writeFileSync(path.join(dir, '.dockerignore'), '.git\n__pycache__/\n**/__pycache__\n');
  const miss = missOf(await fingerprintOf(dir), before);
  assert.equal(miss?.kind, 'sources-changed');
  assert.equal(miss?.message, 'files newly excluded by .dockerignore: src/__pycache__/main.cpython-311.pyc');
  assert.deepEqual(miss?.newlyExcluded, ['src/__pycache__/main.cpython-311.pyc']);
  assert.equal(miss?.newlyIncluded, undefined);
});

test('a file a removed pattern lets back in is "newly included"; a real change is named apart', async () => {
  const dir = context({ ...FILES, '.dockerignore': '**/__pycache__\n' });
  const before = await fingerprintOf(dir);
  fs.writeFileSync(path.join(dir, '.dockerignore'), '.git\n');
  fs.writeFileSync(path.join(dir, 'src/main.py'), 'print(2)\n');
  const miss = missOf(await fingerprintOf(dir), before);
  assert.equal(
    miss?.message,
    'files it copies changed since the last build: src/main.py; files newly included (no longer excluded by .dockerignore): src/__pycache__/main.cpython-311.pyc',
  );
  assert.deepEqual(miss?.changedFiles, ['src/__pycache__/main.cpython-311.pyc', 'src/main.py']);
});

test('a file deleted while the .dockerignore also changed is still "changed"', async () => {
  const dir = context({ ...FILES, 'src/old.py': '', '.dockerignore': '.git\n' });
  const before = await fingerprintOf(dir);
  fs.rmSync(path.join(dir, 'src/old.py'));
  fs.writeFileSync(path.join(dir, '.dockerignore'), '.git\n*.log\n');
  const miss = missOf(await fingerprintOf(dir), before);
  assert.equal(miss?.message, 'files it copies changed since the last build: src/old.py');
});

test('a record from before ignore texts were kept: every difference is "changed"', async () => {
  const dir = context({ ...FILES, '.dockerignore': '.git\n' });
  const { ignoreText: _dropped, ...before } = await fingerprintOf(dir);
  fs.writeFileSync(path.join(dir, '.dockerignore'), '**/__pycache__\n');
  const miss = missOf(await fingerprintOf(dir), before);
  assert.equal(miss?.message, 'files it copies changed since the last build: src/__pycache__/main.cpython-311.pyc');
});
