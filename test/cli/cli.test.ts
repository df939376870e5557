/** The bundled `dockopt` CLI (dist/cli.js, built by `npm test`) as a user runs it. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

function dockopt(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const OLD = 'FROM python:3.11-slim\nWORKDIR /app\n';
const workspaces: string[] = [];
function workspace(files: Record<string, string>): string {
  const root = makeWorkspace(files);
  workspaces.push(root);
  return root;
}
after(() => workspaces.forEach(removeWorkspace));

describe('dockopt check', () => {
  it('checks a file named on the command line as a Dockerfile, whatever its name', () => {
    const root = workspace({ 'docker/web.build': OLD, 'docker/.dockerignore': '.git\n' });
    const run = dockopt(['check', 'docker/web.build'], root);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^docker\/web\.build\n  1:13 +warning .* python-base-version\n/);
  });

  it('exits 0 and says so when there is nothing to report', () => {
    const root = workspace({ 'Dockerfile': 'FROM python:3.12-slim\n', '.dockerignore': '.git\n' });
    const run = dockopt(['check'], root);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'dockopt: no problems found.\n');
  });

  it('exits 1 and lists findings as path, line:column, severity, message and rule id', () => {
    const root = workspace({ 'svc/Dockerfile': OLD, 'svc/.dockerignore': '.git\n' });
    const run = dockopt(['check', '.'], root);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^svc\/Dockerfile\n  1:13 +warning python:3\.11-slim .* python-base-version\n/);
    assert.match(run.stdout, /1 problem \(1 warning\), 1 fixable with `dockopt fix`\.\n$/);
  });

  it('prints one JSON array of findings with 0-based LSP ranges and paths relative to the working directory', () => {
    const root = workspace({ 'svc/Dockerfile': OLD, 'svc/.dockerignore': '.git\n' });
    const run = dockopt(['check', 'svc', '--format', 'json'], root);
    assert.equal(run.code, 1);
    const findings = JSON.parse(run.stdout);
    assert.deepEqual(findings.find((f: any) => f.code === 'python-base-version'), {
      file: 'svc/Dockerfile',
      range: { start: { line: 0, character: 12 }, end: { line: 0, character: 21 } },
      code: 'python-base-version',
      severity: 'warning',
      message: findings.find((f: any) => f.code === 'python-base-version').message,
      fixable: true,
    });
  });

  it('prints SARIF 2.1.0 with rules, 1-based regions and relative artifact URIs', () => {
    const root = workspace({ 'svc/Dockerfile': OLD, 'svc/.dockerignore': '.git\n' });
    const run = dockopt(['check', '--format=sarif'], root);
    const sarif = JSON.parse(run.stdout);
    assert.equal(sarif.version, '2.1.0');
    const [result] = sarif.runs[0].results;
    assert.equal(result.ruleId, 'python-base-version');
    assert.equal(sarif.runs[0].tool.driver.rules[result.ruleIndex].id, 'python-base-version');
    assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, { uri: 'svc/Dockerfile', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 1, startColumn: 13, endLine: 1, endColumn: 22 });
  });

  it('lists a thin .dockerignore once, on the Dockerfile, not again on the ignore file', () => {
    const root = workspace({ 'Dockerfile': 'FROM python:3.12-slim\nCOPY app.py /app/\n', 'app.py': 'print(1)\n', '.dockerignore': '.git\n', 'docs/guide.md': 'x\n'.repeat(100) });
    const findings = JSON.parse(dockopt(['check', '--format', 'json'], root).stdout);
    const incomplete = findings.filter((f: any) => f.code === 'dockerignore-incomplete');
    assert.deepEqual(incomplete.map((f: any) => f.file), ['Dockerfile']);
  });

  it('checks a single Dockerfile given as a path', () => {
    const root = workspace({ 'a/Dockerfile': OLD, 'a/.dockerignore': '.git\n', 'b/Dockerfile': OLD });
    const run = dockopt(['check', 'a/Dockerfile', '--format', 'json'], root);
    const files = new Set(JSON.parse(run.stdout).map((f: any) => f.file));
    assert.deepEqual([...files], ['a/Dockerfile']);
  });

  it('exits 2 with one clear line for a missing path, without the usage hint: the path is wrong, not the syntax', () => {
    const root = workspace({ 'Dockerfile': OLD });
    const run = dockopt(['check', 'missing'], root);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'dockopt: no such file or folder: missing\n');
  });

  it('exits 2 with one clear line and the usage hint for an unknown option or format, and an unknown command', () => {
    const root = workspace({ 'Dockerfile': OLD });
    for (const args of [['check', '--colour'], ['check', '--format', 'xml'], ['lint'], ['check', '--format']]) {
      const run = dockopt(args, root);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, /^dockopt: .+\nRun 'dockopt --help' for usage\.\n$/, args.join(' '));
      assert.doesNotMatch(run.stderr, /at .+\(.+:\d+:\d+\)/);
    }
  });

  it('reports a malformed compose file on stderr and still checks the Dockerfiles', () => {
    const root = workspace({ 'compose.yaml': 'services: [\n  bad', 'Dockerfile': OLD, '.dockerignore': '.git\n' });
    const run = dockopt(['check'], root);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /compose\.yaml/);
    assert.match(run.stdout, /python-base-version/);
  });
});

describe('dockopt fix', () => {
  it('applies the fixes in place, says what it changed, and a second run changes nothing', () => {
    const root = workspace({ 'svc/Dockerfile': OLD, 'svc/.dockerignore': '.git\n' });
    const first = dockopt(['fix'], root);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /^fixed svc\/Dockerfile \(python-base-version\)$/m);
    assert.equal(readFileSync(join(root, 'svc/Dockerfile'), 'utf8'), 'FROM python:3.12-slim\nWORKDIR /app\n');
    const second = dockopt(['fix'], root);
    assert.equal(second.code, 0);
    assert.equal(second.stdout, 'dockopt: nothing to fix.\n');
  });

  it('--dry-run prints a unified diff, writes nothing, and exits 1 when something would change', () => {
    const root = workspace({ 'svc/Dockerfile': OLD, 'svc/.dockerignore': '.git\n' });
    const run = dockopt(['fix', '--dry-run'], root);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^--- a\/svc\/Dockerfile\n\+\+\+ b\/svc\/Dockerfile\n@@ -1,2 \+1,2 @@\n-FROM python:3\.11-slim\n\+FROM python:3\.12-slim\n WORKDIR \/app\n/m);
    assert.equal(readFileSync(join(root, 'svc/Dockerfile'), 'utf8'), OLD);
  });

  it('exits 1 and lists what it could not fix', () => {
    const root = workspace({ 'Dockerfile': 'FROM python:2.7\n', '.dockerignore': '.git\n' });
    const run = dockopt(['fix'], root);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /Left for you \(no automatic fix\):\nDockerfile\n/);
  });
});
