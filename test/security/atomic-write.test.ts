/**
 * `dockopt fix` writes each file whole or not at all: a temporary file in the same folder,
 * renamed over the original (or linked into place for a new file), keeping mode and owner.
 * Killed while it writes (a few milliseconds into its writing), every file is either as it was or as fixed.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WriteRefused, writeFileAtomic } from '../../server/src/fixes/write-file-atomic';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const temps: string[] = [];
after(() => temps.forEach(removeWorkspace));
function workspace(files: Record<string, string>): string {
  const root = makeWorkspace(files);
  temps.push(root);
  return root;
}

describe('writeFileAtomic', () => {
  it('replaces the text and keeps the mode', () => {
    const root = workspace({ 'Dockerfile': 'old\n' });
    chmodSync(join(root, 'Dockerfile'), 0o640);
    writeFileAtomic(join(root, 'Dockerfile'), 'old\n', 'new\n', [root]);
    assert.equal(readFileSync(join(root, 'Dockerfile'), 'utf8'), 'new\n');
    assert.equal(statSync(join(root, 'Dockerfile')).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(root), ['Dockerfile'], 'no temporary file is left');
  });

  it('refuses to overwrite a file that changed since the fix was computed', () => {
    const root = workspace({ 'Dockerfile': 'edited by the user\n' });
    assert.throws(() => writeFileAtomic(join(root, 'Dockerfile'), 'old\n', 'new\n', [root]), (e) => e instanceof WriteRefused && /changed while dockopt was fixing it/.test(e.message));
    assert.equal(readFileSync(join(root, 'Dockerfile'), 'utf8'), 'edited by the user\n');
  });

  it('does not re-create a folder deleted while it ran', () => {
    const root = workspace({ 'svc/Dockerfile': 'FROM x\n' });
    rmSync(join(root, 'svc'), { recursive: true });
    assert.throws(() => writeFileAtomic(join(root, 'svc/.dockerignore'), undefined, '.git\n', [root]), (e) => e instanceof WriteRefused && /folder of svc\/\.dockerignore does not exist/.test(e.message));
    assert.equal(existsSync(join(root, 'svc')), false);
  });

  it('does not replace a file that appeared where it meant to create one', () => {
    const root = workspace({ '.dockerignore': 'mine\n' });
    assert.throws(() => writeFileAtomic(join(root, '.dockerignore'), undefined, '.git\n', [root]), WriteRefused);
    assert.equal(readFileSync(join(root, '.dockerignore'), 'utf8'), 'mine\n');
  });
});

describe('dockopt fix killed while it writes', () => {
  const SERVICES = 60;
  const files: Record<string, string> = {};
  for (let i = 0; i < SERVICES; i++) {
    files[`s${i}/Dockerfile`] = `FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n`;
    files[`s${i}/requirements.txt`] = 'flask\n';
    files[`s${i}/docs/guide.md`] = 'guide\n';
  }

  it('leaves every file either as it was or as fixed', async () => {
    const pristine = workspace(files);
    const copyOf = (dir: string) => {
      const copy = workspace({});
      cpSync(dir, copy, { recursive: true });
      return copy;
    };
    // What a complete run makes of every file.
    const complete = copyOf(pristine);
    const full = spawnSync(process.execPath, [CLI, 'fix', '.'], { cwd: complete, encoding: 'utf8' });
    assert.notEqual(full.status, 2, full.stderr);
    const paths = [...new Set([...listFiles(pristine), ...listFiles(complete)])];
    const changed = paths.filter((p) => read(pristine, p) !== read(complete, p));
    assert.ok(changed.length >= SERVICES * 2, `a complete run changes the Dockerfiles and creates ignore files (${changed.length})`);

    // Each kill waits for the run's first write (s0/.dockerignore is the first file it writes),
    // then lands a few milliseconds into the writing: timing that no machine load can skew.
    const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let interruptedMidWrite = 0;
    for (let k = 0; k < 6; k++) {
      const dir = copyOf(pristine);
      const child = spawn(process.execPath, [CLI, 'fix', '.'], { cwd: dir, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const deadline = Date.now() + 120_000;
      while (!existsSync(join(dir, 's0/.dockerignore')) && child.exitCode === null && Date.now() < deadline) sleep(1);
      sleep(Math.floor(random() * 120));
      child.kill('SIGKILL');
      await exited;
      let fresh = 0;
      for (const p of paths) {
        const now = read(dir, p);
        assert.ok(now === read(pristine, p) || now === read(complete, p), `${p} is neither old nor new after kill ${k}`);
        if (changed.includes(p) && now === read(complete, p)) fresh++;
      }
      if (fresh > 0 && fresh < changed.length) interruptedMidWrite++;
      for (const name of listFiles(dir)) {
        if (!paths.includes(name)) assert.match(name, /(^|\/)\.[^/]+\.dockopt-\d+-[a-z0-9]+\.tmp$/, `only dockopt's own temporary files may be left: ${name}`);
      }
      // A second run finishes the job.
      spawnSync(process.execPath, [CLI, 'fix', '.'], { cwd: dir });
      for (const p of changed) assert.equal(read(dir, p), read(complete, p), `${p} after the run that finished the job`);
    }
    assert.ok(interruptedMidWrite >= 3, `kills that landed while files were being written: ${interruptedMidWrite} of 6`);
  });
});

function listFiles(root: string, rel = ''): string[] {
  return readdirSync(join(root, rel)).flatMap((name) => {
    const path = rel ? `${rel}/${name}` : name;
    return statSync(join(root, path)).isDirectory() ? listFiles(root, path) : [path];
  });
}

function read(root: string, rel: string): string | undefined {
  try {
    return readFileSync(join(root, rel), 'utf8');
  } catch {
    return undefined;
  }
}
