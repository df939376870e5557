/** `dockopt --version` is package.json's version, from the bundle and from the sources (tsx). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { main } from '../../server/src/cli';

const ROOT = join(__dirname, '..', '..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

test('package.json has a real version to print', () => {
  assert.match(version, /^\d+\.\d+\.\d+/);
  assert.notEqual(version, '0.0.0-dev');
});

test('the bundled CLI (dist/cli.js) prints package.json\'s version', () => {
  for (const flag of ['--version', '-v']) {
    const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), flag], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `${version}\n`, flag);
  }
});

test('the CLI run from its sources prints package.json\'s version', async () => {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  const code = await main(['--version'], { stdout, stderr: new PassThrough(), cwd: ROOT, env: {}, version: 'unused' });
  assert.equal(code, 0);
  assert.equal(out, `${version}\n`);
});
