/**
 * `npm run bench:rebuild`: the user's rebuilds with real BuildKit, for the example workspace
 * before and after `dockopt fix`. Cold build, then rounds of no-change, code-change and
 * dependency-change (one requirement added) rebuilds of every service, through
 * `dockopt build --json`, on the bench's own Docker daemon, with pip installing from this
 * machine's package mirror served on 127.0.0.1 through a bandwidth limit. Writes
 * bench/results/rebuild.md.
 *
 * Settings (environment): BENCH_REBUILD_RATE bytes per second (2 000 000), BENCH_REBUILD_ROUNDS
 * rounds of each rebuild kind (3), BENCH_REBUILD_STATE the daemon's folder
 * (/var/tmp/dockopt-bench-rebuild), BENCH_REBUILD_KEEP=1 keeps the workspace copies and logs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEBOOTSTRAP, ensureRootfsTar, importBase, tagStandIns } from './rebuild/base-images';
import { DOCKERD, startBenchDaemon, type BenchDaemon } from './rebuild/daemon';
import { mirrorRootsFromPipConfig, startPackageIndex, type PackageIndex } from './rebuild/package-index';
import { figures, totalsTable } from './rebuild/report';
import { resultsPage, type RunRecord } from './rebuild/results-page';
import { runSeries } from './rebuild/series';
import { adaptRequirements, mirrorProjects, servicesOf } from './rebuild/workspace';

const REPO = path.resolve(__dirname, '..');
const EXAMPLE = path.join(REPO, 'examples', 'ha-ingestor');
const CLI = path.join(REPO, 'dist', 'cli.js');
const CACHE = path.join(REPO, '.cache', 'bench-rebuild');
const RESULTS = path.join(REPO, 'bench', 'results', 'rebuild.md');
const LAST_RUN = path.join(CACHE, 'last-run.json');
const RATE = Number(process.env.BENCH_REBUILD_RATE ?? 2_000_000);
const ROUNDS = Number(process.env.BENCH_REBUILD_ROUNDS ?? 3);
const STATE = process.env.BENCH_REBUILD_STATE ?? '/var/tmp/dockopt-bench-rebuild';
/** One per round: a project none of the services installs yet, added to every requirements file. */
const ADDED_PROJECTS = ['pyyaml', 'rich', 'tenacity'];

const log = (line: string) => console.error(`bench:rebuild: ${line}`);

/** What the bench runs besides docker: Debian's dockerd and debootstrap, installed when missing. */
function ensureTools(): void {
  const missing = [
    [DOCKERD, 'docker.io'],
    [DEBOOTSTRAP, 'debootstrap'],
  ].filter(([file]) => !fs.existsSync(file));
  if (missing.length === 0) return;
  const packages = missing.map(([, pkg]) => pkg);
  log(`apt-get install ${packages.join(' ')}`);
  const install = () => spawnSync('/usr/bin/apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'ignore' }).status === 0;
  if (!install()) {
    spawnSync('/usr/bin/apt-get', ['update'], { stdio: 'ignore' });
    if (!install()) throw new Error(`apt-get install ${packages.join(' ')} failed`);
  }
}

/** A copy of the example with requirements the mirror can satisfy; the notes say what changed. */
function pristineCopy(dir: string, roots: string[]): string[] {
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return adaptRequirements(servicesOf(dir), mirrorProjects(roots));
}

function fixCopy(dir: string): string {
  return execFileSync(process.execPath, [CLI, 'fix', dir], { encoding: 'utf8' }).split(dir + path.sep).join('');
}

function writePage(run: RunRecord, fixOutput: string): void {
  const dockerVersion = /version ([^,\s]+)/.exec(execFileSync(DOCKERD, ['--version'], { encoding: 'utf8' }))?.[1] ?? '?';
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, resultsPage(run, { dockerVersion, fixOutput }));
  console.log(totalsTable(figures(run.results.before, run.results.after)));
  log(`wrote ${path.relative(REPO, RESULTS)}`);
}

/** BENCH_REBUILD_REPORT_ONLY=1: the page again from the last run's record (the fix is re-run on a copy). */
function reportOnly(): void {
  const run = JSON.parse(fs.readFileSync(LAST_RUN, 'utf8')) as RunRecord;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-bench-rebuild-'));
  try {
    const copy = path.join(work, 'after');
    pristineCopy(copy, mirrorRootsFromPipConfig());
    writePage(run, fixCopy(copy));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_REBUILD_REPORT_ONLY === '1') return reportOnly();
  if (process.getuid?.() !== 0) throw new Error('needs root (debootstrap, its own dockerd)');
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const started = new Date();
  ensureTools();
  const roots = mirrorRootsFromPipConfig();
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-bench-rebuild-')));
  let index: PackageIndex | undefined;
  let daemon: BenchDaemon | undefined;
  let ok = false;
  try {
    // The pristine copy: the example with requirements the mirror can satisfy.
    const pristine = path.join(work, 'pristine');
    const notes = pristineCopy(pristine, roots);

    index = await startPackageIndex({ roots, bytesPerSecond: RATE });
    log(`package index ${index.url} (mirror: ${roots.join(', ')}), ${RATE} bytes/s`);
    daemon = await startBenchDaemon(STATE);
    const tar = ensureRootfsTar(CACHE, log);
    importBase(daemon, tar, log);
    // Untagged results of earlier runs, in the bench's own daemon only.
    daemon.docker(['image', 'prune', '-f']);

    // Two copies, the second fixed; one empty build cache and base images for both.
    const before = path.join(work, 'before');
    const after = path.join(work, 'after');
    fs.cpSync(pristine, before, { recursive: true });
    fs.cpSync(pristine, after, { recursive: true });
    const fixOutput = fixCopy(after);
    log(`dockopt fix:\n${fixOutput}`);
    daemon.docker(['builder', 'prune', '-af']);
    tagStandIns(daemon, index.url);
    const all = await runSeries({
      series: [
        { label: 'before', services: servicesOf(before) },
        { label: 'after', services: servicesOf(after) },
      ],
      daemon,
      index,
      cli: CLI,
      workDir: work,
      rounds: ROUNDS,
      addedProjects: ADDED_PROJECTS,
      log,
    });
    const results = { before: all.filter((r) => r.series === 'before'), after: all.filter((r) => r.series === 'after') };
    const run: RunRecord = {
      started: started.toISOString(),
      finished: new Date().toISOString(),
      rate: RATE,
      rounds: ROUNDS,
      addedProjects: ADDED_PROJECTS,
      notes,
      results,
    };
    // The raw figures, kept with the base image: the page can be made again from them.
    fs.writeFileSync(LAST_RUN, JSON.stringify(run, null, 1));
    writePage(run, fixOutput);
    ok = true;
  } finally {
    await index?.close();
    await daemon?.stop();
    if (ok && process.env.BENCH_REBUILD_KEEP !== '1') fs.rmSync(work, { recursive: true, force: true });
    else log(`workspace copies and build logs kept in ${work}`);
  }
}

main().catch((error: unknown) => {
  console.error(`bench:rebuild: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
