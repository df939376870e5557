/**
 * Records the progress fixtures under test/fixtures/build-output/ from REAL BuildKit builds.
 * Not a test: run it by hand after `bash scripts/docker-setup.sh`:
 *   node --import tsx test/build/record-fixtures.ts
 *
 * plain: Debian's docker 20.10 client with `--progress=plain` (stderr, as a user sees it).
 * rawjson: that client has no `--progress=rawjson`, so the same daemon's BuildKit status stream
 * is taken from the Engine API (`POST /build?version=2`, whose `moby.buildkit.trace` records are
 * protobuf StatusResponse messages) and written one SolveStatus JSON per line, as buildx's
 * rawjson mode encodes client.SolveStatus (lower-case keys, log data base64). The build's final
 * error is written as buildx prints it: `ERROR: <message>`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

const DOCKER = '/usr/bin/docker';
const OUT = path.join(__dirname, '..', 'fixtures', 'build-output');

interface Scenario {
  name: string;
  files: Record<string, string>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'python-app',
    files: {
      Dockerfile: [
        'FROM python:3.12-slim',
        'WORKDIR /app',
        'COPY requirements.txt .',
        'RUN --mount=type=cache,target=/root/.cache/pip \\',
        '    pip install -r requirements.txt',
        'COPY src/ ./src/',
        'RUN echo built && ls src',
        '',
      ].join('\n'),
      'requirements.txt': 'flask\nrequests\n',
      'src/main.py': 'print("hello")\n',
      '.dockerignore': '.git\n*.log\n',
    },
  },
  {
    name: 'failure',
    files: {
      Dockerfile: [
        'FROM local/busybox:1',
        'WORKDIR /app',
        'COPY . .',
        'RUN echo "checking" && ls && exit 3',
        'RUN echo never',
        '',
      ].join('\n'),
      'app.sh': 'echo app\n',
    },
  },
  {
    name: 'cancel',
    files: {
      Dockerfile: ['FROM local/busybox:1', 'RUN echo starting && sleep 300', ''].join('\n'),
    },
  },
  {
    name: 'multi-stage',
    files: {
      Dockerfile: [
        'FROM local/busybox:1 AS deps',
        'WORKDIR /deps',
        // Long enough that BuildKit's plain printer switches between the two stages mid-step.
        'RUN for i in 1 2 3 4 5 6; do echo "deps $i"; sleep 1; done',
        '',
        'FROM local/busybox:1 AS assets',
        'WORKDIR /assets',
        'RUN for i in 1 2 3 4 5 6; do echo "assets $i"; sleep 1.3; done',
        '',
        'FROM local/busybox:1',
        'COPY --from=deps /deps /opt/deps',
        'COPY --from=assets /assets /opt/assets',
        'RUN echo final',
        '',
      ].join('\n'),
    },
  },
];

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

/** Runs the Debian client; cancels with SIGINT (as Ctrl-C would) once `cancelWhen` shows up. */
function plainBuild(dir: string, extra: string[], cancelWhen?: RegExp, env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(DOCKER, ['build', '--progress=plain', '--network=none', ...extra, '.'], {
      cwd: dir,
      env: { ...process.env, DOCKER_BUILDKIT: '1', ...env },
    });
    let out = '';
    let canceled = false;
    const take = (chunk: Buffer) => {
      out += chunk.toString();
      if (cancelWhen && !canceled && cancelWhen.test(out)) {
        canceled = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

// --- protobuf StatusResponse -> SolveStatus JSON -------------------------------------------

interface Field { no: number; wire: number; varint?: bigint; bytes?: Buffer }

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos);
    pos = next;
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, p] = readVarint(buf, pos);
      out.push({ no, wire, varint: v });
      pos = p;
    } else if (wire === 2) {
      const [len, p] = readVarint(buf, pos);
      out.push({ no, wire, bytes: buf.subarray(p, p + Number(len)) });
      pos = p + Number(len);
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else {
      throw new Error(`unexpected wire type ${wire}`);
    }
  }
  return out;
}

/** Go's time.Time JSON form (RFC3339Nano, trailing zeros of the fraction dropped). */
function timestamp(buf: Buffer): string {
  let seconds = 0n;
  let nanos = 0n;
  for (const f of fields(buf)) {
    if (f.no === 1) seconds = f.varint!;
    if (f.no === 2) nanos = f.varint!;
  }
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  const frac = nanos === 0n ? '' : '.' + nanos.toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac}Z`;
}

function vertex(buf: Buffer): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  const inputs: string[] = [];
  for (const f of fields(buf)) {
    if (f.no === 1) v.digest = f.bytes!.toString();
    if (f.no === 2) inputs.push(f.bytes!.toString());
    if (f.no === 3) v.name = f.bytes!.toString();
    if (f.no === 4 && f.varint) v.cached = true;
    if (f.no === 5) v.started = timestamp(f.bytes!);
    if (f.no === 6) v.completed = timestamp(f.bytes!);
    if (f.no === 7) v.error = f.bytes!.toString();
  }
  if (inputs.length) v.inputs = inputs;
  const { digest, name, started, completed, cached, error } = v;
  return Object.fromEntries(
    Object.entries({ digest, inputs: v.inputs, name, started, completed, cached, error }).filter(([, x]) => x !== undefined),
  );
}

function vertexStatus(buf: Buffer): Record<string, unknown> {
  const s: Record<string, unknown> = { id: '', current: 0 };
  for (const f of fields(buf)) {
    if (f.no === 1) s.id = f.bytes!.toString();
    if (f.no === 2) s.vertex = f.bytes!.toString();
    if (f.no === 3) s.name = f.bytes!.toString();
    if (f.no === 4) s.current = Number(f.varint!);
    if (f.no === 5 && f.varint) s.total = Number(f.varint);
    if (f.no === 6) s.timestamp = timestamp(f.bytes!);
    if (f.no === 7) s.started = timestamp(f.bytes!);
    if (f.no === 8) s.completed = timestamp(f.bytes!);
  }
  const { id, vertex: vx, name, total, current, timestamp: ts, started, completed } = s;
  return Object.fromEntries(
    Object.entries({ id, vertex: vx, name, total, current, timestamp: ts ?? '0001-01-01T00:00:00Z', started, completed }).filter(
      ([, x]) => x !== undefined,
    ),
  );
}

function vertexLog(buf: Buffer): Record<string, unknown> {
  const l: Record<string, unknown> = {};
  let data = Buffer.alloc(0);
  for (const f of fields(buf)) {
    if (f.no === 1) l.vertex = f.bytes!.toString();
    if (f.no === 2) l.timestamp = timestamp(f.bytes!);
    if (f.no === 3 && f.varint) l.stream = Number(f.varint);
    if (f.no === 4) data = Buffer.from(f.bytes!);
  }
  return { vertex: l.vertex, stream: l.stream, data: data.toString('base64'), timestamp: l.timestamp };
}

function solveStatusJson(aux: string): string {
  const status: Record<string, unknown[]> = {};
  for (const f of fields(Buffer.from(aux, 'base64'))) {
    const key = ({ 1: 'vertexes', 2: 'statuses', 3: 'logs' } as Record<number, string>)[f.no];
    if (!key) continue;
    const decode = f.no === 1 ? vertex : f.no === 2 ? vertexStatus : vertexLog;
    (status[key] ??= []).push(decode(f.bytes!));
  }
  return JSON.stringify(status);
}

function tarOf(dir: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-C', dir, '-c', '.']);
    const parts: Buffer[] = [];
    tar.stdout.on('data', (b: Buffer) => parts.push(b));
    tar.on('error', reject);
    tar.on('close', (code) => (code === 0 ? resolve(Buffer.concat(parts)) : reject(new Error(`tar exit ${code}`))));
  });
}

function api(method: string, urlPath: string, body?: Buffer): http.ClientRequest {
  return http.request({
    socketPath: '/var/run/docker.sock',
    path: urlPath,
    method,
    headers: body ? { 'Content-Type': 'application/x-tar', 'Content-Length': body.length } : {},
  });
}

/** BuildKit's status stream of a build through the Engine API, as rawjson lines. */
async function rawjsonBuild(dir: string, query: Record<string, string>, cancelWhen?: RegExp): Promise<string> {
  const body = await tarOf(dir);
  const buildId = `dockopt-fixture-${process.pid}-${Date.now()}`;
  const qs = new URLSearchParams({ version: '2', dockerfile: 'Dockerfile', networkmode: 'none', buildid: buildId, ...query });
  return new Promise((resolve, reject) => {
    const req = api('POST', `/v1.41/build?${qs}`, body);
    const lines: string[] = [];
    let canceled = false;
    req.on('response', (res) => {
      let pending = '';
      res.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (!line) continue;
          const msg = JSON.parse(line);
          if (msg.id === 'moby.buildkit.trace') lines.push(solveStatusJson(msg.aux));
          else if (msg.errorDetail) lines.push(`ERROR: ${msg.errorDetail.message}`);
          if (cancelWhen && !canceled && cancelWhen.test(lines.join('\n'))) {
            canceled = true;
            api('POST', `/v1.41/build/cancel?id=${buildId}`).end();
          }
        }
      });
      res.on('end', () => resolve(lines.join('\n') + '\n'));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function save(name: string, text: string): void {
  fs.writeFileSync(path.join(OUT, name), text);
  console.log(`wrote ${name} (${text.length} chars)`);
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-record-'));
  try {
    for (const s of SCENARIOS) {
      const dir = path.join(root, s.name);
      writeFiles(dir, s.files);
      save(`${s.name}.Dockerfile`, s.files.Dockerfile);
      const tag = ['-t', `dockopt-fixture/${s.name}`];
      if (s.name === 'python-app') {
        save('python-app.cold.plain.txt', await plainBuild(dir, [...tag, '--no-cache']));
        save('python-app.unchanged.plain.txt', await plainBuild(dir, tag));
        writeFiles(dir, { 'src/main.py': `print("changed ${Date.now()}")\n` });
        save('python-app.code-change.plain.txt', await plainBuild(dir, tag));
        save('python-app.cold.rawjson.txt', await rawjsonBuild(dir, { t: `dockopt-fixture/${s.name}`, nocache: '1' }));
        writeFiles(dir, { 'src/main.py': `print("changed again ${Date.now()}")\n` });
        save('python-app.code-change.rawjson.txt', await rawjsonBuild(dir, { t: `dockopt-fixture/${s.name}` }));
      } else if (s.name === 'cancel') {
        save('cancel.plain.txt', await plainBuild(dir, [...tag, '--no-cache'], /\d starting\n/));
        save('cancel.rawjson.txt', await rawjsonBuild(dir, { nocache: '1' }, /"data":"c3RhcnRpbmc/));
      } else {
        save(`${s.name}.plain.txt`, await plainBuild(dir, [...tag, '--no-cache']));
        save(`${s.name}.rawjson.txt`, await rawjsonBuild(dir, { nocache: '1' }));
      }
      if (s.name === 'failure') {
        save('failure.legacy.txt', await plainBuild(dir, ['--no-cache'], undefined, { DOCKER_BUILDKIT: '0' }));
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
