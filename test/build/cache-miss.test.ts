import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeCacheMisses } from '../../buildkit/src/cache-miss';
import { copySourcePatterns, filesForPattern, ignoreFileFor, listContextFiles } from '../../buildkit/src/context-sources';
import { attachLines, readDockerfileSteps } from '../../buildkit/src/dockerfile-steps';
import { fingerprintBuild, type BuildFingerprint } from '../../buildkit/src/fingerprint';
import { parsePlainProgress } from '../../buildkit/src/plain-progress';
import { fixture } from './fixtures';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function context(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-miss-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const PYTHON_APP = fixture('python-app.Dockerfile');

async function fingerprintOf(dir: string, dockerfile = PYTHON_APP, imageIds: Record<string, string> = {}): Promise<BuildFingerprint> {
  fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  return fingerprintBuild(readDockerfileSteps(dockerfile), {
    dockerfile: path.join(dir, 'Dockerfile'),
    contextDir: dir,
    inspectImage: async (ref) => imageIds[ref] ?? null,
  });
}

function analyze(outputFixture: string, current: BuildFingerprint, previous: BuildFingerprint | null, dockerfile = PYTHON_APP) {
  const layout = readDockerfileSteps(dockerfile);
  const steps = attachLines(parsePlainProgress(fixture(outputFixture)).steps, layout);
  return analyzeCacheMisses(steps, layout, current, previous);
}

test('names the COPY whose files changed as the miss, with the file', async () => {
  const dir = context({ 'requirements.txt': 'flask\n', 'src/main.py': 'print(1)\n', 'src/util.py': 'x = 1\n' });
  const before = await fingerprintOf(dir);
  fs.writeFileSync(path.join(dir, 'src/main.py'), 'print(2)\n');
  const { miss, reasons } = analyze('python-app.code-change.plain.txt', await fingerprintOf(dir), before);
  assert.equal(miss?.line, 5);
  assert.equal(miss?.instruction, 'COPY src/ ./src/');
  assert.equal(miss?.kind, 'sources-changed');
  assert.deepEqual(miss?.changedFiles, ['src/main.py']);
  assert.equal(miss?.message, 'files it copies changed since the last build: src/main.py');
  const later = [...reasons.values()].find((r) => r.kind === 'earlier-miss');
  assert.equal(later?.causeLine, 5);
});

test('names added and removed files too', async () => {
  const dir = context({ 'requirements.txt': 'flask\n', 'src/a.py': '', 'src/b.py': '' });
  const before = await fingerprintOf(dir);
  fs.rmSync(path.join(dir, 'src/a.py'));
  fs.writeFileSync(path.join(dir, 'src/c.py'), '');
  const { miss } = analyze('python-app.code-change.plain.txt', await fingerprintOf(dir), before);
  assert.deepEqual(miss?.changedFiles, ['src/a.py', 'src/c.py']);
});

test('says the instruction changed, quoting what it was', async () => {
  const dir = context({ 'requirements.txt': 'flask\n', 'src/main.py': '' });
  const before = await fingerprintOf(dir, PYTHON_APP.replace('COPY src/ ./src/', 'COPY src/ ./code/'));
  const { miss } = analyze('python-app.code-change.plain.txt', await fingerprintOf(dir), before);
  assert.equal(miss?.kind, 'instruction-changed');
  assert.equal(miss?.message, 'instruction changed since the last build (was: COPY src/ ./code/)');
});

test('blames a changed base image on the first step after FROM', async () => {
  const dockerfile = 'FROM python:3.12-slim\nRUN echo "checking" && ls && exit 3\n';
  const dir = context({});
  const before = await fingerprintOf(dir, dockerfile, { 'python:3.12-slim': 'sha256:' + '1'.repeat(64) });
  const now = await fingerprintOf(dir, dockerfile, { 'python:3.12-slim': 'sha256:' + '2'.repeat(64) });
  const layout = readDockerfileSteps(dockerfile);
  const steps = attachLines(parsePlainProgress('#4 [1/2] FROM docker.io/library/python:3.12-slim\n#4 DONE 0.0s\n#5 [2/2] RUN echo "checking" && ls && exit 3\n#5 DONE 1.0s\n').steps, layout);
  const { miss } = analyzeCacheMisses(steps, layout, now, before);
  assert.equal(miss?.kind, 'base-image-changed');
  assert.equal(miss?.message, 'base image python:3.12-slim changed (111111111111 → 222222222222)');
});

test('a COPY --from after a rebuilt stage blames that stage', async () => {
  const dockerfile = fixture('multi-stage.Dockerfile');
  const dir = context({});
  const fp = await fingerprintOf(dir, dockerfile);
  const { reasons } = analyze('multi-stage.plain.txt', fp, fp, dockerfile);
  const layout = readDockerfileSteps(dockerfile);
  const steps = attachLines(parsePlainProgress(fixture('multi-stage.plain.txt')).steps, layout);
  const copy = steps.find((s) => s.line === 9)!;
  assert.equal(reasons.get(copy.id)?.kind, 'stage-rebuilt');
  assert.match(reasons.get(copy.id)!.message, /^stage deps was rebuilt \(line 3 missed the cache\)$/);
});

test('says the cache entry went away when nothing it depends on changed', async () => {
  const dir = context({ 'requirements.txt': 'flask\n', 'src/main.py': '' });
  const fp = await fingerprintOf(dir);
  const { miss } = analyze('python-app.code-change.plain.txt', fp, fp);
  assert.equal(miss?.kind, 'cache-unavailable');
});

test('blames nothing on a cold first build, and nothing on a fully cached one', async () => {
  const dir = context({ 'requirements.txt': 'flask\n', 'src/main.py': '' });
  const fp = await fingerprintOf(dir);
  assert.equal(analyze('failure.plain.txt', fp, null, fixture('failure.Dockerfile')).miss?.kind, 'no-history');
  assert.equal(analyze('python-app.unchanged.plain.txt', fp, fp).miss, null);
  const cold = fixture('python-app.cold.plain.txt').replace('#5 CACHED', '#5 DONE 0.0s');
  const layout = readDockerfileSteps(PYTHON_APP);
  assert.equal(analyzeCacheMisses(attachLines(parsePlainProgress(cold).steps, layout), layout, fp, null).miss, null);
});

test('leaves files the .dockerignore excludes out of the hashes', async () => {
  const dir = context({ '.dockerignore': '**/*.log\n', 'requirements.txt': '', 'src/main.py': '', 'src/debug.log': 'a' });
  const before = await fingerprintOf(dir);
  fs.writeFileSync(path.join(dir, 'src/debug.log'), 'b');
  const now = await fingerprintOf(dir);
  assert.deepEqual(now.steps.find((s) => s.line === 5)?.sources, before.steps.find((s) => s.line === 5)?.sources);
  assert.deepEqual(Object.keys(now.steps.find((s) => s.line === 5)!.sources!.files!), ['src/main.py']);
});

test('reads <Dockerfile>.dockerignore beside the Dockerfile before <context>/.dockerignore', async () => {
  const dir = context({ '.dockerignore': 'a.txt\n', 'Dockerfile.dockerignore': 'b.txt\n', 'a.txt': '', 'b.txt': '' });
  const choice = ignoreFileFor(path.join(dir, 'Dockerfile'), dir);
  assert.equal(choice.kind, 'dockerfile-specific');
  const files = await listContextFiles(dir, choice);
  assert.ok(files.includes('a.txt'));
  assert.ok(!files.includes('b.txt'));
  assert.ok(!(await listContextFiles(dir, ignoreFileFor(path.join(dir, 'other.Dockerfile'), dir))).includes('a.txt'));
});

test('knows which COPY/ADD sources come from the context', () => {
  const of = (text: string) => copySourcePatterns(readDockerfileSteps(`FROM scratch\n${text}`).instructions[1]);
  assert.deepEqual(of('COPY --chown=app:app --link src/ ./src/'), ['src/']);
  assert.deepEqual(of('COPY ["a b.txt", "c", "/dest/"]'), ['a b.txt', 'c']);
  assert.equal(of('COPY --from=builder /out /out'), null);
  assert.equal(of('COPY $APP_DIR /app'), null);
  assert.deepEqual(of('ADD https://example.com/x.tgz local.tgz /x/'), ['local.tgz']);
  assert.equal(of('RUN echo'), null);
  // Read by the engine's COPY reader: quotes removed, heredocs and exec forms that are not JSON left out.
  assert.deepEqual(of('COPY "a.txt" \'b.txt\' /dest/'), ['a.txt', 'b.txt']);
  assert.deepEqual(of('COPY --parents src/ \\\n  lib/ /dest/'), ['src/', 'lib/']);
  assert.equal(of('COPY <<EOF /app/x\nhello\nEOF'), null);
  assert.equal(of('COPY [src, /dest/]'), null);
  assert.equal(of('COPY --FROM=builder /out /out'), null);
});

test('matches source patterns like BuildKit: directories, globs, the whole context', () => {
  const files = ['src/a.py', 'src/lib/b.py', 'requirements.txt', 'req-dev.txt', 'README.md'];
  assert.deepEqual(filesForPattern('./src', files), ['src/a.py', 'src/lib/b.py']);
  assert.deepEqual(filesForPattern('req*.txt', files), ['requirements.txt', 'req-dev.txt']);
  assert.deepEqual(filesForPattern('s?c', files), ['src/a.py', 'src/lib/b.py']);
  assert.deepEqual(filesForPattern('.', files), files);
  assert.deepEqual(filesForPattern('/README.md', files), ['README.md']);
});
