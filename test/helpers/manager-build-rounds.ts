/**
 * Builds many small Dockerfiles (the rule pages' before/after pairs) in one BuildKit build, for
 * test/rules/manager-cache-builds.test.ts: one build of 30 stages takes a fraction of 30 builds
 * on a 2-CPU machine. Each Dockerfile ("job") becomes stages of one file, renamed `<job>-…`,
 * with its context files under `<job>/` (so `COPY pyproject.toml ./` reads `<job>/pyproject.toml`)
 * and its FROM images replaced by their stand-ins (test/helpers/manager-stand-ins.ts); a last
 * stage bind-mounts every job's last stage, so all are built. Each job's cache mounts get an id of
 * its own (`dockopt-test-<job>-<id or target>`): BuildKit shares a cache id between every build
 * of the daemon, and jobs using one id in the same build were seen to lose each other's writes
 * (a before that wipes its cache would also empty an after's).
 * The mounts' targets and sharing stay. Each job's share of the plain
 * progress output is told apart by its stage names. When one job fails, BuildKit cancels the
 * rest: the failed ones keep their failure, and the others are built again without them.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { standInTag } from './manager-stand-ins';
import { wrapperScript } from './manager-stubs';

export interface Job {
  /** Stage prefix and context folder: letters and digits. */
  name: string;
  dockerfile: string;
  /** A line added after each FROM (the build series' ENV). */
  env: string;
  /** Context files, relative to the job's folder. */
  files: string[];
  /** What a folder of the project holds (`COPY src src`): the manager's manifests. */
  manifests: string[];
  /** Written into every context file: a new version makes the COPY, and the RUNs after it, run again. */
  version: string;
}

export interface Build {
  ok: boolean;
  output: string;
  /** The output of an attempt that failed outside the job's own commands and was built again. */
  retriedAfter?: string;
}

const imageOf = (fromLine: string) => fromLine.replace(/^FROM\s+/i, '').split(/\s+/).find((w) => !w.startsWith('--')) ?? '';
const isOption = (w: string) => w.startsWith('--');

/** The context files a Dockerfile's COPY/ADD lines and bind mounts name; a `.` stands for `manifests`. */
export function contextFiles(dockerfile: string, manifests: string[]): string[] {
  const names = new Set<string>();
  for (const m of dockerfile.matchAll(/^(?:COPY|ADD)\s+(.+)$/gim)) {
    const words = m[1].trim().split(/\s+/);
    if (words.some((w) => /^--from=/i.test(w)) || /^(<<|\[)/.test(words.find((w) => !isOption(w)) ?? '')) continue;
    for (const source of words.filter((w) => !isOption(w)).slice(0, -1)) {
      if (source === '.' || source === './') manifests.forEach((f) => names.add(f));
      else names.add(source.replace(/^\.\//, '').replace('*', ''));
    }
  }
  for (const m of dockerfile.matchAll(/--mount=(\S+)/g)) {
    const options = new Map(m[1].split(',').map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)] as const));
    if (options.get('type') === 'bind' && !options.has('from')) names.add((options.get('source') ?? options.get('src') ?? '.').replace(/^\.\//, ''));
  }
  return [...names].filter((n) => n !== '.' && n !== '');
}

/** Why a Dockerfile cannot be built here (a base image without a stand-in), if it cannot. */
export function unbuildable(dockerfile: string): string[] {
  const stages = new Set<string>();
  const problems: string[] = [];
  for (const line of dockerfile.split('\n')) {
    if (!/^FROM\s/i.test(line)) continue;
    const image = imageOf(line);
    if (!stages.has(image.toLowerCase()) && image !== 'scratch') {
      const standIn = standInTag(image);
      if ('problem' in standIn) problems.push(standIn.problem);
    }
    const stage = /\sAS\s+(\S+)\s*$/i.exec(line)?.[1];
    if (stage) stages.add(stage.toLowerCase());
  }
  return problems;
}

/** The stand-in images a Dockerfile needs. */
export function standInsOf(dockerfile: string): string[] {
  return dockerfile.split('\n').filter((l) => /^FROM\s/i.test(l)).map((l) => standInTag(imageOf(l))).flatMap((s) => ('tag' in s ? [s.tag] : []));
}

/**
 * The job's Dockerfile as stages of the combined one: stand-in FROMs, its stages renamed, its
 * context paths under its folder, no `# syntax=` (nothing can be pulled), its ENV after each
 * FROM. Returns the lines and its last stage's name.
 */
function asStages(job: Job): { globals: string[]; lines: string[]; last: string } {
  const stages = new Map<string, string>();
  const stage = (name: string) => stages.get(name.toLowerCase());
  const inJob = (source: string) => `${job.name}/${source.replace(/^\.(\/|$)/, '')}`;
  const globals: string[] = [];
  const lines: string[] = [];
  let last = '';
  for (const line of job.dockerfile.split('\n')) {
    if (/^#\s*syntax\s*=/i.test(line)) continue;
    // The ARGs before the first FROM stay before every FROM of the combined file.
    if (!last && /^ARG\s/i.test(line)) { globals.push(line); continue; }
    if (/^FROM\s/i.test(line)) {
      const image = imageOf(line);
      const standIn = standInTag(image);
      const base = stage(image) ?? (image === 'scratch' ? 'scratch' : 'tag' in standIn ? standIn.tag : image);
      const own = /\sAS\s+(\S+)\s*$/i.exec(line)?.[1];
      last = `${job.name}-${own ?? `s${stages.size}`}`.toLowerCase();
      stages.set((own ?? `#${stages.size}`).toLowerCase(), last);
      const options = line.replace(/^FROM\s+/i, '').split(/\s+/).filter(isOption);
      lines.push(['FROM', ...options, base, 'AS', last].join(' '), job.env);
      continue;
    }
    const copy = /^(COPY|ADD)\s+(.+)$/i.exec(line);
    if (copy && !/^(<<|\[)/.test(copy[2].split(/\s+/).find((w) => !isOption(w)) ?? '')) {
      const words = copy[2].trim().split(/\s+/);
      const from = words.find((w) => /^--from=/i.test(w));
      const options = words.filter(isOption).map((w) => (w === from ? `--from=${stage(w.slice(7)) ?? w.slice(7)}` : w));
      const paths = words.filter((w) => !isOption(w));
      const sources = paths.slice(0, -1).map((s) => (from ? s : inJob(s)));
      lines.push([copy[1], ...options, ...sources, paths[paths.length - 1]].join(' '));
      continue;
    }
    // RUN --mount=…: a bind mount reads the job's folder, a from= names its renamed stage, a
    // cache mount gets an id of the job's own (its id or target, prefixed).
    lines.push(line.replace(/--mount=(\S+)/g, (_all, spec: string) => {
      const parts = spec.split(',');
      const get = (key: string) => parts.find((p) => p.startsWith(`${key}=`))?.slice(key.length + 1);
      const from = get('from');
      let renamed = parts.map((p) => (from !== undefined && p === `from=${from}` ? `from=${stage(from) ?? from}` : p));
      if (get('type') === 'cache') {
        const id = `id=dockopt-test-${job.name}-${get('id') ?? get('target') ?? get('dst') ?? get('destination')}`;
        renamed = get('id') === undefined ? [...renamed, id] : renamed.map((p) => (p.startsWith('id=') ? id : p));
      }
      if (get('type') === 'bind' && from === undefined) {
        const source = get('source') ?? get('src');
        const moved = `source=${inJob(source ?? '.')}`;
        return `--mount=${source === undefined ? [...renamed, moved].join(',') : renamed.map((p) => (p === `source=${source}` || p === `src=${source}` ? moved : p)).join(',')}`;
      }
      return `--mount=${renamed.join(',')}`;
    }));
  }
  return { globals, lines, last };
}

function writeContext(dir: string, job: Job): void {
  for (const name of job.files) {
    const file = path.join(dir, job.name, name);
    const base = path.basename(name);
    if (name.endsWith('/') || (!/\.[^/]+$/.test(base) && !['gradlew', 'mvnw', 'Pipfile'].includes(base))) {
      // A folder of the project (`COPY src src`, `COPY app/ ./`): the manifests inside, and a changing file.
      fs.mkdirSync(file, { recursive: true });
      for (const manifest of job.manifests) fs.writeFileSync(path.join(file, manifest), `# ${job.version}\n`);
      fs.writeFileSync(path.join(file, 'dockopt-version'), `${job.version}\n`);
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const wrapper = wrapperScript(base);
      fs.writeFileSync(file, `${wrapper ?? ''}# ${job.version}\n`, { mode: 0o755 });
    }
  }
  fs.mkdirSync(path.join(dir, job.name), { recursive: true });
}

function dockerBuild(docker: string, dir: string): Promise<Build> {
  return new Promise((resolve) => {
    const child = spawn(docker, ['build', '--progress=plain', '--network=none', '--output', 'type=cacheonly', dir], { env: { ...process.env, DOCKER_BUILDKIT: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill(), 150_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, output });
    });
  });
}

interface Vertex { stage: string; step: string; lines: string[]; status?: 'done' | 'error' | 'canceled' }

/** The build's vertices (`#7 [job-s0 3/4] RUN …`, its output lines, how it ended), by number. */
function vertices(output: string): Map<string, Vertex> {
  const byId = new Map<string, Vertex>();
  for (const line of output.split('\n')) {
    const m = /^#(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const [, id, rest] = m;
    const header = /^\[(\S+) (\d+\/\d+)\] /.exec(rest);
    let vertex = byId.get(id);
    if (header && !vertex) byId.set(id, (vertex = { stage: header[1], step: header[2], lines: [] }));
    if (!vertex) continue;
    vertex.lines.push(line);
    if (/^(DONE|CACHED)\b/.test(rest)) vertex.status = 'done';
    else if (/^ERROR\b/.test(rest)) vertex.status = 'error';
    else if (/^CANCELED\b/.test(rest)) vertex.status = 'canceled';
  }
  return byId;
}

/**
 * Builds the jobs in `groups` builds at once (a failing job cancels only its own group's); each
 * job's result: ok, and its stages' output.
 */
export async function buildJobs(docker: string, root: string, jobs: Job[], groups = 1): Promise<Map<string, Build>> {
  const size = Math.ceil(jobs.length / groups);
  const parts = Array.from({ length: groups }, (_, i) => jobs.slice(i * size, (i + 1) * size)).filter((g) => g.length > 0);
  return new Map((await Promise.all(parts.map((group) => buildTogether(docker, root, group)))).flatMap((r) => [...r]));
}

/**
 * Whether a failed job's output shows its own commands failing: a stub's error, the mount point a
 * before removes, a command not found. Anything else (the runtime could not start the step, the
 * daemon under load) is worth one more attempt: a real failure fails again the same way.
 */
const failedByItself = (output: string) => /stub-[\w.-]+: error:|Device or resource busy|not found|No such file/.test(output);

/**
 * Builds the jobs as one Dockerfile. A job that fails is not built again unless the failure was
 * not its own (`failedByItself`), once; the ones its failure cancelled are (their canceled steps
 * were not cached).
 */
async function buildTogether(docker: string, root: string, jobs: Job[]): Promise<Map<string, Build>> {
  const results = new Map<string, Build>();
  const firstFailures = new Map<string, string>();
  let pending = jobs;
  for (let attempt = 0; pending.length > 0 && attempt < 4; attempt++) {
    const dir = fs.mkdtempSync(path.join(root, 'round-'));
    const parts = pending.map(asStages);
    pending.forEach((job) => writeContext(dir, job));
    const all = ['FROM local/busybox:1 AS dockopt-all', `RUN ${parts.map((p, i) => `--mount=type=bind,from=${p.last},target=/j${i}`).join(' ')} true`];
    fs.writeFileSync(path.join(dir, 'Dockerfile'), [...new Set(parts.flatMap((p) => p.globals)), ...parts.flatMap((p) => p.lines), ...all, ''].join('\n'));
    const build = await dockerBuild(docker, dir);
    const byId = [...vertices(build.output).values()];
    const retry: Job[] = [];
    pending.forEach((job, i) => {
      const own = byId.filter((v) => v.stage.startsWith(`${job.name}-`));
      const output = own.flatMap((v) => v.lines).join('\n');
      // Done before another job failed: its output is here (built again, its steps would be CACHED, silent).
      const finished = own.some((v) => v.stage === parts[i].last && v.status === 'done' && /^(\d+)\/\1$/.test(v.step));
      const retriedAfter = firstFailures.get(job.name);
      if (build.ok || finished) results.set(job.name, { ok: true, output, ...(retriedAfter !== undefined && { retriedAfter }) });
      else if (own.some((v) => v.status === 'error')) {
        const failure = `${output}\n${build.output.split('\n').filter((l) => !/^#\d+ /.test(l)).join('\n')}`;
        if (retriedAfter === undefined && !failedByItself(failure)) {
          firstFailures.set(job.name, failure);
          retry.push(job);
        } else results.set(job.name, { ok: false, output: failure, ...(retriedAfter !== undefined && { retriedAfter }) });
      } else retry.push(job);
    });
    if (!build.ok && retry.length === pending.length) {
      // Failed outside any job (the Dockerfile, the daemon): every job gets the whole output.
      for (const job of pending) results.set(job.name, { ok: false, output: build.output });
      return results;
    }
    pending = retry;
  }
  for (const job of pending) results.set(job.name, { ok: false, output: 'not built: other jobs\' failures cancelled it four times' });
  return results;
}
