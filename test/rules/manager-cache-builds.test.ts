/**
 * Every package manager's before/after pair on the `cache-mount` and `cache-disabled` pages, built
 * by a real BuildKit (see test/build/docker-gate.ts for when this skips) on stand-in base images
 * whose manager stubs say where they wrote their cache (test/helpers/manager-stubs.ts,
 * manager-stand-ins.ts). The "after" is built twice, with its copied manifest changed in between
 * (or, when it copies none, the line the test adds after FROM): the first build must write every
 * cache into a mount and nothing it installs into one, the second must find the cache warm. The
 * "before" must not: its cache is off, in the image, or cold on the rebuild.
 *
 * What the test changes in a pair before building it: the FROM image becomes its stand-in (same
 * repository, tag `dockopt-stub-<tag>`), a `# syntax=` line goes (nothing can be pulled here), and
 * `ENV DOCKOPT_STUB_RUN=…` follows each FROM: the package the stubs also "install", unique to the
 * build series, so a hit cannot come from an older run. All the pairs' afters are built as stages
 * of one Dockerfile, their stages renamed and their context files in a folder each
 * (test/helpers/manager-build-rounds.ts), and so are the befores.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PACKAGE_MANAGERS } from '../../server/src/dockerfile/package-caches';
import { dockerSkipReason, TEST_DOCKER } from '../build/docker-gate';
import { buildJobs, contextFiles, standInsOf, unbuildable, type Build, type Job } from '../helpers/manager-build-rounds';
import { ensureStandIns } from '../helpers/manager-stand-ins';
import { MANAGER_STUBS, type ManagerStub } from '../helpers/manager-stubs';

const skip = dockerSkipReason();
const runId = `${process.pid.toString(36)}${Date.now().toString(36)}`;
const DOCKERFILE_BLOCK = /^```dockerfile\n([\s\S]*?)^```$/gm;

interface Pair { page: string; heading: string; anchor: string; before: string; after: string }

/** GitHub's anchor of a heading: `conda / mamba` → `conda--mamba`. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');

/**
 * The `### <manager>` sections of a page's "## Before / after", each with its Dockerfiles two by
 * two (as test/rules/docs-examples.test.ts reads them, which has no manager names to give).
 */
function managerPairs(page: string): Pair[] {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules', `${page}.md`), 'utf8');
  const section = text.split(/^## /m).find((s) => /^before \/ after\s*\n/i.test(s)) ?? '';
  const pairs: Pair[] = [];
  for (const sub of section.split(/^### /m).slice(1)) {
    const heading = sub.slice(0, sub.indexOf('\n')).trim();
    const blocks = [...sub.matchAll(DOCKERFILE_BLOCK)].map((m) => m[1]);
    for (let i = 0; i + 1 < blocks.length; i += 2) pairs.push({ page, heading, anchor: slug(heading), before: blocks[i], after: blocks[i + 1] });
  }
  return pairs;
}

const PAIRS = ['cache-mount', 'cache-disabled'].flatMap(managerPairs);

// ---- building the pairs ----------------------------------------------------------------------

interface Series { builds: Build[]; token: string }

/**
 * Build `n` of a series: the same ENV token every time; when the Dockerfile copies files before
 * its last RUN, build 2 changes them (the manifest change the rebuild is about), else the ENV.
 */
function job(name: string, dockerfile: string, stub: ManagerStub, n: number): Job {
  const token = `${runId}${name}`;
  const files = contextFiles(dockerfile, stub.manifests);
  const lines = dockerfile.split('\n');
  const lastRun = lines.map((l) => /^RUN\s/i.test(l)).lastIndexOf(true);
  const copiesFirst = lines.slice(0, lastRun + 1).some((l) => (/^(COPY|ADD)\s/i.test(l) && !/--from=/i.test(l)) || /--mount=\S*type=bind(?!\S*from=)/.test(l));
  const env = files.length > 0 && copiesFirst ? `ENV DOCKOPT_STUB_RUN=${token}` : `ENV DOCKOPT_STUB_RUN=${token} DOCKOPT_STUB_BUILD=${n}`;
  return { name, dockerfile, env, files, manifests: stub.manifests, version: `${token} build ${n}` };
}

// ---- reading what the stubs said -------------------------------------------------------------

/** The stubs' lines of a build's plain output (`#7 0.213 stub-apk: …` → `stub-apk: …`). */
const stubLines = (output: string) => output.split('\n').map((l) => l.replace(/^#\d+ [\d.]+ /, '')).filter((l) => /^stub-[\w.-]+: /.test(l));
const ENTRY = /^stub-[\w.-]+: cache (\S+) in (mount|image) \(uid \d+\) (hit|miss) (\S+)$/;

/** The last 25 non-blank lines of a build's output (plain progress separates steps with blank lines). */
const lastLines = (output: string) => output.split('\n').filter((l) => l.trim() !== '').slice(-25).join('\n');

/** Why the builds do not show a working cache (none: the cache is mounted, used and warm on the rebuild). */
function cacheProblems(builds: Build[], token: string): string[] {
  const problems: string[] = [];
  builds.forEach((build, i) => {
    const label = `build ${i + 1}`;
    if (!build.ok) { problems.push(`${label} failed:\n${lastLines(build.output)}`); return; }
    const lines = stubLines(build.output);
    const entries = lines.map((l) => ENTRY.exec(l)).filter((m) => m !== null);
    for (const l of lines) {
      if (/: cache off/.test(l)) problems.push(`${label}: ${l}`);
      if (/ installs into \S+ in mount$/.test(l)) problems.push(`${label}: ${l} (the result the image needs stays in the cache mount)`);
    }
    for (const [l, dir, where] of entries) if (where !== 'mount') problems.push(`${label}: ${l} (the cache ${dir} lands in the image)`);
    const own = entries.filter((m) => m[4] === `run-${token}`);
    if (own.length === 0 && !lines.some((l) => /: cache off/.test(l))) problems.push(`${label}: no stub wrote a cache (the RUN did not run the manager?):\n${lines.join('\n') || lastLines(build.output)}`);
    if (i > 0) for (const [l, dir, , state] of own) if (state !== 'hit') problems.push(`${label}: ${l} (the rebuild found ${dir} cold)`);
  });
  return problems;
}

// ---- the tests -------------------------------------------------------------------------------

const stubFor = (pair: Pair) => MANAGER_STUBS[pair.anchor];
const results = new Map<Pair, { after: Series; before: Series } | { problem: string }>();
let root = '';
const timings: string[] = [];
async function timed<T>(label: string, work: Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work;
  timings.push(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

before(async () => {
  if (skip) return;
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-manager-builds-'));
  const buildable = PAIRS.filter((pair) => {
    if (!stubFor(pair)) return false;
    const problems = [...new Set([...unbuildable(pair.before), ...unbuildable(pair.after)])];
    if (problems.length > 0) results.set(pair, { problem: problems.join('\n') });
    return problems.length === 0;
  });
  await timed('stand-in images', ensureStandIns(TEST_DOCKER, buildable.flatMap((p) => [...standInsOf(p.before), ...standInsOf(p.after)])));
  const name = (side: 'a' | 'b', pair: Pair) => `p${buildable.indexOf(pair)}${side}`;
  const jobs = (side: 'a' | 'b', pairs: Pair[], n: number) => pairs.map((pair) => job(name(side, pair), side === 'a' ? pair.after : pair.before, stubFor(pair), n));
  const series = (side: 'a' | 'b', pair: Pair, ...rounds: Array<Map<string, Build>>): Series => ({
    token: `${runId}${name(side, pair)}`,
    builds: rounds.map((r) => r.get(name(side, pair))).filter((b) => b !== undefined),
  });
  const both = async (...rounds: Array<Promise<Map<string, Build>>>) => new Map((await Promise.all(rounds)).flatMap((r) => [...r]));
  // Build 1 of every after (in one build) and every before (in four: a before that fails, by
  // removing its mount point, cancels the other stages of its build, which are built again);
  // then build 2 of the afters and of the befores whose build 1 does not show the cache defeated.
  const first = await timed('builds 1', both(buildJobs(TEST_DOCKER, root, jobs('a', buildable, 1)), buildJobs(TEST_DOCKER, root, jobs('b', buildable, 1), 4)));
  const again = buildable.filter((pair) => cacheProblems(series('b', pair, first).builds, series('b', pair, first).token).length === 0);
  const second = await timed('builds 2', both(buildJobs(TEST_DOCKER, root, jobs('a', buildable, 2)), buildJobs(TEST_DOCKER, root, jobs('b', again, 2), 2)));
  for (const pair of buildable) results.set(pair, { after: series('a', pair, first, second), before: series('b', pair, first, second) });
}, { timeout: 170_000 });

after(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('package-manager cache pairs of the rule pages, built by a real BuildKit', { skip }, () => {
  test('the pages have pairs, and every manager of the table has a stub and a cache-mount pair', (t) => {
    t.diagnostic(timings.join('; '));
    assert.ok(PAIRS.length >= 2, 'no ### <manager> pairs found under "## Before / after"');
    const anchors = [...new Set(PACKAGE_MANAGERS.map((m) => m.anchor))];
    const missing = anchors.filter((anchor) => !MANAGER_STUBS[anchor]);
    assert.deepEqual(missing, [], `managers without a stub in test/helpers/manager-stubs.ts: ${missing.join(', ')}`);
    const withoutPair = anchors.filter((anchor) => !PAIRS.some((p) => p.page === 'cache-mount' && p.anchor === anchor));
    assert.deepEqual(withoutPair, [], `managers without a before/after pair in docs/rules/cache-mount.md: ${withoutPair.join(', ')}`);
  });

  for (const pair of PAIRS) {
    test(`${pair.page} / ${pair.heading}: the after keeps its cache in a mount, warm on the rebuild; the before does not`, (t) => {
      assert.ok(stubFor(pair), `docs/rules/${pair.page}.md has a "### ${pair.heading}" pair but test/helpers/manager-stubs.ts has no stub for "${pair.anchor}": add one (MANAGER_STUBS) so its pair is built`);
      const result = results.get(pair);
      assert.ok(result, 'not built');
      if ('problem' in result) assert.fail(result.problem);
      const { after: fixed, before: original } = result;
      t.diagnostic(`after: ${fixed.builds.map((b) => stubLines(b.output).join('; ')).join(' | ')}`);
      t.diagnostic(`before: ${cacheProblems(original.builds, original.token)[0]?.split('\n')[0]}`);
      // A build the daemon failed once and that passed when built again: said, so it can be looked into.
      for (const b of [...fixed.builds, ...original.builds]) if (b.retriedAfter !== undefined) t.diagnostic(`built again after a failure not its own:\n${lastLines(b.retriedAfter)}`);
      assert.equal(fixed.builds.length, 2, 'the after was not built twice');
      assert.deepEqual(cacheProblems(fixed.builds, fixed.token), [], `the after of ${pair.page} / ${pair.heading}:\n${pair.after}`);
      // A before may fail only as the page says it does: removing the mount point ("Device or resource busy").
      const { ok, output } = original.builds[0];
      assert.ok(ok || /Device or resource busy/.test(output), `the before of ${pair.page} / ${pair.heading} does not build:\n${lastLines(output)}`);
      assert.ok(stubLines(original.builds.map((b) => b.output).join('\n')).length > 0, `the before of ${pair.page} / ${pair.heading} ran no manager stub`);
      assert.notDeepEqual(cacheProblems(original.builds, original.token), [], `the before of ${pair.page} / ${pair.heading} already keeps a warm cache in a mount:\n${pair.before}`);
    });
  }
});
