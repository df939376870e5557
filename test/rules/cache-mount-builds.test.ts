/**
 * The cache-mount fixes, built by a real BuildKit (see test/build/docker-gate.ts for when these
 * skip). The stand-in base images (test/helpers/cache-stub-images.ts) have stub pip/npm that print
 * where they wrote their cache and whether that is a mount or the image: every fixed Dockerfile
 * must build, and its stub must have written into the mount (and find it there the next build).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { applyTextEdits } from '../../server/src/fixes/apply';
import { rule as npmRule } from '../../server/src/rules/npm-cache-mount';
import { rule as pipRule } from '../../server/src/rules/pip-cache-mount';
import { rule as noCacheRule } from '../../server/src/rules/pip-no-cache-dir';
import { dockerSkipReason, TEST_DOCKER } from '../build/docker-gate';
import { ensureStubImages, STUB_IMAGES } from '../helpers/cache-stub-images';
import { check, fixOnce } from '../helpers/rule-tester';

const skip = dockerSkipReason();
const runId = `${process.pid}x${Date.now()}`;
let root = '';

before(() => {
  if (skip) return;
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-cache-builds-'));
  ensureStubImages(TEST_DOCKER);
});
after(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** What `dockopt fix` would do with these rules: their preferred fixes, pass after pass. */
function fixAll(text: string): string {
  for (let pass = 0; pass < 5; pass++) {
    let next = text;
    for (const rule of [pipRule, noCacheRule, npmRule]) next = fixOnce(rule, next);
    if (next === text) return text;
    text = next;
  }
  return text;
}

/**
 * A cache mount without an id gets one of this test run's own: BuildKit's default id is the
 * target, shared by every build of the daemon, and another test's build of the same target
 * running meanwhile (the examples' pip mounts) could change what the second build finds.
 */
function ownCacheIds(line: string): string {
  return line.replace(/--mount=(\S+)/g, (whole, spec: string) => {
    const parts = spec.split(',');
    if (!parts.includes('type=cache') || parts.some((p) => p.startsWith('id='))) return whole;
    const target = parts.find((p) => /^(target|dst|destination)=/.test(p))?.replace(/^[^=]*=/, '') ?? '';
    return `--mount=${spec},id=dockopt-test-${runId}${target}`;
  });
}

let builds = 0;
/**
 * Builds the Dockerfile with a line unique to this build after its first FROM, so every RUN runs
 * again (--no-cache would also start the cache mounts empty); its plain output.
 */
function build(dockerfile: string): { ok: boolean; output: string } {
  const dir = path.join(root, `b${builds++}`);
  fs.mkdirSync(dir);
  const lines = dockerfile.split('\n');
  const from = lines.findIndex((l) => l.startsWith('FROM '));
  lines.splice(from + 1, 0, `RUN echo ${runId}-${builds} >/dev/null`);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), lines.map(ownCacheIds).join('\n'));
  const result = spawnSync(TEST_DOCKER, ['build', '--progress=plain', '--network=none', dir], {
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** The stub's report lines (`stub-pip: cache /root/.cache/pip in mount (uid 0) miss flask`). */
const reports = (output: string) => output.split('\n').filter((l) => /stub-(pip|npm): /.test(l)).map((l) => l.replace(/^#\d+ [\d.]+ /, ''));

function builtTwice(dockerfile: string, expected: RegExp): void {
  const first = build(dockerfile);
  assert.ok(first.ok, first.output);
  assert.ok(reports(first.output).some((r) => expected.test(r) && r.includes(' miss ')), reports(first.output).join('\n') || first.output);
  const second = build(dockerfile);
  assert.ok(second.ok, second.output);
  assert.ok(reports(second.output).some((r) => expected.test(r) && r.includes(' hit ')), reports(second.output).join('\n'));
}

describe('cache-mount fixes built by a real BuildKit', { skip }, () => {
  test('pip as root: the mount replaces --no-cache-dir, and the rm of the cache goes (it would fail the build)', () => {
    const before = `FROM ${STUB_IMAGES.pythonRoot}\nRUN pip install --no-cache-dir a${runId} \\\n    && rm -rf /root/.cache/pip\n`;
    const fixed = fixAll(before);
    assert.equal(fixed, `FROM ${STUB_IMAGES.pythonRoot}\nRUN --mount=type=cache,target=/root/.cache/pip pip install a${runId}\n`);
    builtTwice(fixed, /^stub-pip: cache \/root\/\.cache\/pip in mount \(uid 0\)/);
  });

  test('pip after `export PIP_NO_CACHE_DIR=1` in the RUN: the mount, and the export goes with its &&', () => {
    const before = `FROM ${STUB_IMAGES.pythonRoot}\nRUN export PIP_NO_CACHE_DIR=1 && pip install j${runId}\n`;
    const fixed = fixAll(before);
    assert.equal(fixed, `FROM ${STUB_IMAGES.pythonRoot}\nRUN --mount=type=cache,target=/root/.cache/pip pip install j${runId}\n`);
    builtTwice(fixed, /^stub-pip: cache \/root\/\.cache\/pip in mount \(uid 0\)/);
    // With the export left in, the mount stays empty: what the fix prevents.
    const kept = build(`FROM ${STUB_IMAGES.pythonRoot}\nRUN --mount=type=cache,target=/root/.cache/pip export PIP_NO_CACHE_DIR=1 && pip install k${runId}\n`);
    assert.ok(kept.ok, kept.output);
    assert.ok(reports(kept.output).some((r) => /^stub-pip: cache off/.test(r)), reports(kept.output).join('\n') || kept.output);
  });

  test('the wipe left in a RUN with the mount fails the build: what the fix prevents', () => {
    const result = build(`FROM ${STUB_IMAGES.pythonRoot}\nRUN --mount=type=cache,target=/root/.cache/pip pip install b${runId} && rm -rf /root/.cache/pip\n`);
    assert.equal(result.ok, false);
    assert.match(result.output, /Device or resource busy|Resource busy/i);
  });

  test('pip cache purge with the mount (pip-no-cache-dir) goes; the next build finds the cache', () => {
    const before = `FROM ${STUB_IMAGES.pythonRoot}\nRUN --mount=type=cache,target=/root/.cache/pip pip install c${runId} && pip cache purge\n`;
    assert.equal(check(noCacheRule, before).length, 1);
    const fixed = fixAll(before);
    assert.equal(fixed, `FROM ${STUB_IMAGES.pythonRoot}\nRUN --mount=type=cache,target=/root/.cache/pip pip install c${runId}\n`);
    builtTwice(fixed, /^stub-pip: cache \/root\/\.cache\/pip in mount/);
  });

  test('ARG PIP_CACHE_DIR and --no-cache (a prefix of --no-cache-dir): the mount on the ARG\'s dir', () => {
    const fixed = fixAll(`FROM ${STUB_IMAGES.pythonRoot}\nARG PIP_CACHE_DIR=/pc\nRUN pip install --no-cache d${runId}\n`);
    assert.equal(fixed, `FROM ${STUB_IMAGES.pythonRoot}\nARG PIP_CACHE_DIR=/pc\nRUN --mount=type=cache,target=/pc pip install d${runId}\n`);
    builtTwice(fixed, /^stub-pip: cache \/pc in mount/);
  });

  test('a non-root user the Dockerfile creates (useradd -u): the mount in its home, with its uid', () => {
    const fixed = fixAll(`FROM ${STUB_IMAGES.pythonRoot}\nRUN useradd -u 1001 -m web\nUSER web\nRUN pip install --no-cache-dir e${runId}\n`);
    assert.equal(fixed, `FROM ${STUB_IMAGES.pythonRoot}\nRUN useradd -u 1001 -m web\nUSER web\nRUN --mount=type=cache,target=/home/web/.cache/pip,uid=1001 pip install e${runId}\n`);
    builtTwice(fixed, /^stub-pip: cache \/home\/web\/\.cache\/pip in mount \(uid 1001\)/);
  });

  test('a base image that runs as a known non-root user (Jupyter\'s jovyan): its home and uid', () => {
    const fixed = fixAll(`FROM ${STUB_IMAGES.jupyter}\nRUN pip install --no-cache-dir f${runId}\n`);
    assert.equal(fixed, `FROM ${STUB_IMAGES.jupyter}\nRUN --mount=type=cache,target=/home/jovyan/.cache/pip,uid=1000,gid=100 pip install f${runId}\n`);
    builtTwice(fixed, /^stub-pip: cache \/home\/jovyan\/\.cache\/pip in mount \(uid 1000\)/);
  });

  test('a base image whose user is unknown: no automatic fix; assuming root would have put the cache in the image', () => {
    const before = `FROM ${STUB_IMAGES.nonRoot}\nRUN pip install --no-cache-dir g${runId}\n`;
    assert.equal(fixAll(before), before);
    // What dockopt used to do (root assumed): pip, as app, writes its cache into the layer.
    const rootAssumed = build(`FROM ${STUB_IMAGES.nonRoot}\nRUN --mount=type=cache,target=/root/.cache/pip pip install g${runId}\n`);
    assert.ok(rootAssumed.ok, rootAssumed.output);
    assert.ok(reports(rootAssumed.output).some((r) => /^stub-pip: cache \/home\/app\/\.cache\/pip in image \(uid 1000\)/.test(r)), rootAssumed.output);
    // The quick fix a human may pick (it says it assumes root): pip cannot write to the root-owned
    // mount, so it turns its cache off: nothing lands in the image, the build passes.
    const [finding] = check(pipRule, before);
    assert.equal(finding.fixes[0].isPreferred, false);
    const change = finding.fixes[0].changes[0];
    const picked = applyTextEdits(before, change.kind === 'edit' ? change.edits : []).text;
    const result = build(picked);
    assert.ok(result.ok, result.output);
    assert.ok(reports(result.output).some((r) => /^stub-pip: cache \/var\/cache\/pip not writable \(uid 1000\)/.test(r)), result.output);
  });

  test('npm as root: the mount, and npm cache clean --force goes', () => {
    const fixed = fixAll(`FROM ${STUB_IMAGES.nodeRoot}\nRUN npm ci h${runId} && npm cache clean --force\n`);
    assert.equal(fixed, `FROM ${STUB_IMAGES.nodeRoot}\nRUN --mount=type=cache,target=/root/.npm npm ci h${runId}\n`);
    builtTwice(fixed, /^stub-npm: cache \/root\/\.npm in mount \(uid 0\)/);
  });

  test('npm config set cache earlier in the RUN: the mount on that dir is the right one', () => {
    const dockerfile = `FROM ${STUB_IMAGES.nodeRoot}\nRUN --mount=type=cache,target=/npmc npm config set cache /npmc && npm ci i${runId}\n`;
    assert.equal(fixAll(dockerfile), dockerfile);
    builtTwice(dockerfile, /^stub-npm: cache \/npmc in mount/);
  });
});
