/**
 * A repository nobody reviewed, run through the bundled CLI as a user would: links that lead
 * out of it, dangling links, build contexts above it, FIFOs, devices, huge files, bytes that are
 * not UTF-8, a folder where a Dockerfile should be. Nothing outside the workspace may change,
 * nothing may hang, and every read problem is said in one line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

/** The CLI with a heap bound and a deadline: a hang or a runaway read fails the test instead of CI. */
function dockopt(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.signal, null, `dockopt ${args.join(' ')} was killed (${result.signal}): it hung or ran out of memory`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const temps: string[] = [];
after(() => temps.forEach(removeWorkspace));

/** A repository folder and, beside it, a "home" folder that stands for everything outside it. */
function hostile(files: Record<string, string>) {
  const parent = makeWorkspace({ 'home/.bashrc': 'echo welcome\n' });
  temps.push(parent);
  const repo = join(parent, 'repo');
  mkdirSync(repo);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(repo, rel, '..'), { recursive: true });
    writeFileSync(join(repo, rel), text);
  }
  return { parent, repo, home: join(parent, 'home') };
}

/** Every file below `dir` with its bytes (links as their target), to compare before and after. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = join(dir, rel, name);
      const st = lstatSync(path);
      if (st.isSymbolicLink()) out.set(join(rel, name), `-> ${readlinkSync(path)}`);
      else if (st.isDirectory()) walk(join(rel, name));
      else if (st.isFile()) out.set(join(rel, name), readFileSync(path).toString('base64'));
      else out.set(join(rel, name), 'special');
    }
  };
  walk('');
  return out;
}

const UNOPTIMIZED = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n';

describe('fixes never write outside the workspace or through a link', () => {
  it('does not append an unread .dockerignore to a linked Dockerfile.dockerignore (the ~/.bashrc attack)', () => {
    const { parent, repo, home } = hostile({
      'compose.yaml': 'services:\n  svc:\n    build:\n      context: .\n      dockerfile: svc/Dockerfile\n',
      'svc/Dockerfile': UNOPTIMIZED,
      'svc/requirements.txt': 'flask\n',
      'svc/.dockerignore': '**/$(touch pwned)\n',
      'README.md': 'docs\n',
    });
    symlinkSync(join(home, '.bashrc'), join(repo, 'svc/Dockerfile.dockerignore'));
    const outside = snapshot(home);
    const run = dockopt(['fix', '.'], repo);
    assert.deepEqual(snapshot(home), outside, 'the file outside the repository must not change');
    assert.equal(readlinkSync(join(repo, 'svc/Dockerfile.dockerignore')), join(home, '.bashrc'), 'the link stays a link');
    assert.match(run.stderr, /skipped svc\/Dockerfile\.dockerignore: it resolves through a symbolic link to .*home\/\.bashrc, outside the workspace/);
    assert.equal(readdirSync(parent).sort().join(','), 'home,repo');
  });

  it('does not create a file at the target of a dangling link', () => {
    const { repo, home } = hostile({ 'Dockerfile': UNOPTIMIZED, 'requirements.txt': '', 'docs/guide.md': 'x\n', 'notes.md': 'y\n' });
    symlinkSync(join(home, 'created-by-dockopt'), join(repo, '.dockerignore'));
    const run = dockopt(['fix', '.'], repo);
    assert.deepEqual(readdirSync(home), ['.bashrc']);
    assert.match(run.stderr, /skipped \.dockerignore: it is a symbolic link to nothing/);
    assert.doesNotMatch(run.stdout, /created \.dockerignore/);
  });

  it('does not edit or create .dockerignore files of a build context above the folder', () => {
    const { parent, repo } = hostile({
      'compose.yaml': 'services:\n  web:\n    build:\n      context: ..\n      dockerfile: repo/Dockerfile\n',
      'Dockerfile': UNOPTIMIZED,
      '.dockerignore': 'docs\n', // beside the Dockerfile, not read: the context is the parent
    });
    writeFileSync(join(parent, 'notes.md'), 'outside\n');
    writeFileSync(join(parent, '.dockerignore'), '# the parent folder\'s own\n');
    const before = readFileSync(join(parent, '.dockerignore'), 'utf8');
    const run = dockopt(['check', '--format', 'json', '.'], repo);
    const codes = (JSON.parse(run.stdout) as Array<{ code: string }>).map((f) => f.code);
    assert.ok(codes.includes('dockerignore-not-applied'), run.stdout);
    const fixed = dockopt(['fix', '.'], repo);
    assert.equal(readFileSync(join(parent, '.dockerignore'), 'utf8'), before);
    assert.deepEqual(readdirSync(parent).sort(), ['.dockerignore', 'home', 'notes.md', 'repo']);
    // The fix BuildKit needs is the one inside: the Dockerfile's own ignore file.
    assert.match(fixed.stdout, /created Dockerfile\.dockerignore/);
  });

  it('reads a link inside the workspace but never writes through it, and says why', () => {
    const { repo } = hostile({
      'Dockerfile': UNOPTIMIZED,
      'requirements.txt': '',
      'shared/base.dockerignore': '.git\n',
      'docs/a.md': 'x\n',
      'tests/test_a.py': 'x\n',
    });
    symlinkSync('shared/base.dockerignore', join(repo, '.dockerignore'));
    const run = dockopt(['check', '--format', 'json', '.'], repo);
    const findings = JSON.parse(run.stdout) as Array<{ code: string; message: string; fixable: boolean }>;
    const incomplete = findings.find((f) => f.code === 'dockerignore-incomplete');
    assert.ok(incomplete, run.stdout);
    assert.equal(incomplete.fixable, false);
    assert.match(incomplete.message, /No automatic fix: \.dockerignore is a symbolic link, and dockopt never writes through one\./);
    dockopt(['fix', '.'], repo);
    assert.equal(readFileSync(join(repo, 'shared/base.dockerignore'), 'utf8'), '.git\n');
    assert.ok(lstatSync(join(repo, '.dockerignore')).isSymbolicLink());
  });

  it('never copies a line that is not an ignore pattern from one .dockerignore into another', () => {
    const { repo } = hostile({
      'compose.yaml': 'services:\n  svc:\n    build:\n      context: .\n      dockerfile: svc/Dockerfile\n',
      'svc/Dockerfile': UNOPTIMIZED,
      'svc/requirements.txt': '',
      'svc/.dockerignore': 'docs\n\u001b]0;owned\u0007\n',
    });
    const run = dockopt(['check', '--format', 'json', '.'], repo);
    const notApplied = (JSON.parse(run.stdout) as Array<{ code: string; message: string; fixable: boolean }>).find((f) => f.code === 'dockerignore-not-applied');
    assert.ok(notApplied, run.stdout);
    assert.equal(notApplied.fixable, false);
    assert.match(notApplied.message, /holds control characters/);
    dockopt(['fix', '.'], repo);
    assert.equal(statSync(join(repo, 'svc/Dockerfile.dockerignore'), { throwIfNoEntry: false }), undefined);
  });
});

describe('reads that cannot hang or exhaust memory', () => {
  it('skips a FIFO .dockerignore and says so, without waiting for a writer', () => {
    const { repo } = hostile({ 'Dockerfile': UNOPTIMIZED, 'requirements.txt': '' });
    execFileSync('mkfifo', [join(repo, '.dockerignore')]);
    const run = dockopt(['check', '.'], repo);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /skipped \.dockerignore: it is not a regular file \(a FIFO, socket or device\)/);
  });

  it('refuses a FIFO named on the command line with one line and exit 2', () => {
    const { repo } = hostile({});
    execFileSync('mkfifo', [join(repo, 'Dockerfile')]);
    const run = dockopt(['check', 'Dockerfile'], repo);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'dockopt: Dockerfile is not a regular file (a FIFO, socket or device); it was not read\n');
  });

  it('skips Dockerfiles and ignore files linked to /dev/zero and /dev/urandom within a 256 MB heap', () => {
    const { repo } = hostile({ 'a/requirements.txt': '' });
    symlinkSync('/dev/zero', join(repo, 'a/Dockerfile'));
    symlinkSync('/dev/urandom', join(repo, 'a/.dockerignore'));
    const run = dockopt(['check', '.'], repo);
    assert.match(run.stderr, /skipped a\/Dockerfile: it resolves through a symbolic link to \/dev\/zero, outside the workspace/);
    assert.match(run.stderr, /skipped a\/\.dockerignore: it resolves through a symbolic link to \/dev\/urandom, outside the workspace/);
  });

  it('skips a file larger than 2 MiB and says so', () => {
    const { repo } = hostile({ 'Dockerfile': `FROM python:3.12\n${'# padding\n'.repeat(300_000)}` });
    const run = dockopt(['check', 'Dockerfile'], repo);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'dockopt: Dockerfile is larger than 2 MiB; it was not read\n');
  });
});

describe('bytes that are not UTF-8', () => {
  it('keeps a Latin-1 Dockerfile byte for byte and says why it is not fixed', () => {
    const latin1 = Buffer.concat([Buffer.from('FROM python:3.12-slim\n# Caf'), Buffer.from([0xe9]), Buffer.from('\nCOPY . .\nRUN pip install -r requirements.txt\n')]);
    const { repo } = hostile({ 'requirements.txt': '', '.dockerignore': '.git\n' });
    writeFileSync(join(repo, 'Dockerfile'), latin1);
    const run = dockopt(['fix', '.'], repo);
    assert.deepEqual(readFileSync(join(repo, 'Dockerfile')), latin1);
    assert.match(run.stdout, /No automatic fix: Dockerfile is not valid UTF-8, and dockopt keeps its bytes as they are\./);
    assert.equal(run.code, 1);
  });
});

describe('errors never read as clean', () => {
  it('a folder named Dockerfile is an input error, not "no problems found"', () => {
    const { repo } = hostile({ 'Dockerfile/x.txt': '' });
    for (const format of ['text', 'json', 'sarif']) {
      const run = dockopt(['check', '--format', format, 'Dockerfile'], repo);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr, 'dockopt: Dockerfile is a folder, not a Dockerfile\n');
    }
  });

  it('a missing path is one line, without the usage hint and without a doubled error code', () => {
    const { repo } = hostile({});
    const run = dockopt(['check', 'nope/Dockerfile'], repo);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'dockopt: no such file or folder: nope/Dockerfile\n');
  });

});
