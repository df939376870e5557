/**
 * Editor latency over LSP stdio (issue 8, target 1), dockopt against
 * dockerfile-language-server-nodejs on the same files, in one run:
 *  - three shapes (dense with findings, real-world, no findings) at 50, 200, 2 000 and 10 000
 *    lines: didChange → publishDiagnostics of that change, both servers open at once and the
 *    changes interleaved (ours, peer, ours, peer…) so that the machine's load hits both alike.
 *    Two kinds of edit, measured apart: a comment line appended at the end, and one character
 *    changed mid-file, inside the RUN, ENV or LABEL nearest the middle line (midFileEdit);
 *  - each server's RSS right after the last measured change, and again at rest: after REST_MS
 *    with no change, the same wait for both (dockopt collects its garbage once it has rested,
 *    server/src/lsp/idle-collection.ts);
 *  - the pathological inputs of item 5: open → first diagnostics, then one edit, and how long a
 *    small document's change waits for its diagnostics while the server works on the large one;
 *  - the cost of an edit at 10 000 lines over one at 200 (target ≤ 2), for each kind of edit,
 *    and whether dockopt ever published diagnostics of one document version twice.
 * Prints medians, the ratio dockopt / peer, the RSS, and how many of dockopt's measured checks
 * its time limit cut short (server/src/lsp/check-limits.ts: rules still running at 700 ms stop
 * and the document says so; a cut check is faster, and reports less).
 *
 * BENCH_RUNS (default 15), BENCH_WARMUP (default 10), BENCH_SIZES (default 50,200,2000,10000),
 * BENCH_SERVER (default dist/server.js), BENCH_PATHOLOGICAL=0 to skip the pathological inputs,
 * BENCH_REST_MS (default 4000) for the wait before the RSS at rest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_PATH, TestLspClient } from '../test/helpers/lsp-client';
import { makeWorkspace, removeWorkspace } from '../test/helpers/temp-workspace';
import { cleanDockerfile } from './clean-dockerfile';
import { denseDockerfile } from './dense-dockerfile';
import { median, realWorldDockerfile } from './dockerfiles';
import { pathologicalInputs } from './pathological-dockerfiles';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const SIZES = (process.env.BENCH_SIZES ?? '50,200,2000,10000').split(',').map(Number);
const OURS = process.env.BENCH_SERVER ?? SERVER_PATH;
const PEER = join(__dirname, '..', 'node_modules', 'dockerfile-language-server-nodejs', 'lib', 'server.js');
const PEER_VERSION = JSON.parse(readFileSync(join(__dirname, '..', 'node_modules', 'dockerfile-language-server-nodejs', 'package.json'), 'utf8')).version;
const TIMEOUT = 120_000;
/**
 * How long both servers are left without a change before their RSS at rest is read. dockopt
 * collects 2 s after its last check and, if the heap is still fragmented, again 0.5 s later
 * (idle-collection.ts: IDLE_MS, AGAIN_AFTER_MS); each pause is ~0.1–0.3 s here and V8 hands the
 * freed pages back within ~0.5 s: 4 s leaves a margin on a loaded machine.
 */
const REST_MS = Number(process.env.BENCH_REST_MS ?? 4000);

interface Side {
  name: string;
  client: TestLspClient;
  uri: string;
}

async function start(name: string, serverPath: string, root: string, file: string, text: string): Promise<Side & { openMs: number; openCut: boolean }> {
  const client = new TestLspClient({ folders: [root], serverArgs: [serverPath, '--stdio'] });
  await client.initialize();
  const started = performance.now();
  const uri = client.open(join(root, file), text);
  const diagnostics = await client.diagnostics(uri, undefined, TIMEOUT);
  return { name, client, uri, openMs: performance.now() - started, openCut: diagnostics.some((d) => CUT_SHORT.test(String(d.message))) };
}

/** One change, timed to the diagnostics of that change (the peer sends no version: its next publish). */
async function timeChange(side: Side, text: string): Promise<{ ms: number; cut: boolean }> {
  const published = side.client.publishes(side.uri);
  const started = performance.now();
  const version = side.client.change(side.uri, text);
  const diagnostics = await side.client.diagnostics(side.uri, (_d, p) => p.version === version || (p.version === undefined && side.client.publishes(side.uri) > published), TIMEOUT);
  return { ms: performance.now() - started, cut: diagnostics.some((d) => CUT_SHORT.test(String(d.message))) };
}

/** dockopt's notices of a check it cut short or did not run (server/src/lsp/check-limits.ts). */
const CUT_SHORT = /^dockopt (stopped checking|does not check) this/;

function rssMb(side: Side): number {
  try {
    const status = readFileSync(`/proc/${side.client.process.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return NaN;
  }
}

/**
 * One character of the file changed, in the middle, as a user typing there: the last letter or
 * digit of the RUN, ENV or LABEL instruction nearest the middle line that fits on one line (not
 * continued, not a heredoc: the file stays the same Dockerfile but for its last argument),
 * replaced by the k-th of 36 characters: consecutive versions differ, and up to 36 versions are
 * all different (neither server may answer a version from a cache of an earlier one). Undefined
 * when the file has no such line.
 */
function midFileEdit(text: string): ((k: number) => string) | undefined {
  const lines = text.split('\n');
  const middle = lines.length >> 1;
  for (let d = 0; d <= middle + 1; d++) {
    for (const i of [middle - d, middle + d]) {
      const line = lines[i];
      if (line === undefined || !/^\s*(RUN|ENV|LABEL)\s/i.test(line) || line.includes('<<') || continued(line) || continued(lines[i - 1])) continue;
      const column = line.search(/[A-Za-z0-9][^A-Za-z0-9]*$/);
      if (column < 0) continue;
      const at = lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0) + column;
      return (k) => `${text.slice(0, at)}${EDIT_CHARACTERS[((k % 36) + 36) % 36]}${text.slice(at + 1)}`;
    }
  }
  return undefined;
}

const EDIT_CHARACTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** The line ends in an escape character: the instruction goes on below. */
const continued = (line: string | undefined) => line !== undefined && /[\\`]\s*$/.test(line);

/** Interleaved changes, ours then peer's, `warmup` of them not counted: the medians and how many of ours were cut short. */
async function timeChanges(ours: Side, peer: Side, version: (k: number) => string, runs: number, warmup: number) {
  const times = { ours: [] as number[], peer: [] as number[] };
  let cut = 0;
  for (let k = -warmup; k < runs; k++) {
    const changed = version(k);
    const a = await timeChange(ours, changed);
    const b = await timeChange(peer, changed);
    if (k >= 0) {
      times.ours.push(a.ms);
      times.peer.push(b.ms);
      if (a.cut) cut++;
    }
  }
  return { ours: median(times.ours), peer: median(times.peer), cut };
}

/**
 * Both servers on the same file; each change really changes the text, as typing does. `atRest`:
 * read the RSS again after REST_MS without a change.
 */
async function compare(root: string, text: string, runs: number, warmup: number, options: { midFile: boolean; atRest: boolean }) {
  const ours = await start('dockopt', OURS, root, 'Dockerfile', text);
  const peer = await start('peer', PEER, root, 'Dockerfile', text);
  try {
    const appended = await timeChanges(ours, peer, (k) => `${text}# edit ${k}\n`, runs, warmup);
    const mid = options.midFile ? midFileEdit(text) : undefined;
    const midFile = mid ? await timeChanges(ours, peer, mid, runs, warmup) : undefined;
    const rss = [rssMb(ours), rssMb(peer)];
    let rssAtRest = [NaN, NaN];
    if (options.atRest) {
      await new Promise((resolve) => setTimeout(resolve, REST_MS));
      rssAtRest = [rssMb(ours), rssMb(peer)];
    }
    return { ...appended, midFile, cut: appended.cut + (midFile?.cut ?? 0), open: [ours.openMs, peer.openMs], openCut: ours.openCut, rss, rssAtRest, duplicates: duplicateVersions(ours) };
  } finally {
    await ours.client.stop();
    await peer.client.stop();
  }
}

/**
 * Publishes of a version dockopt had already published (the target: none): `same`, with the same
 * diagnostics again (waste); `changed`, with different ones (a context scan that landed after the
 * first check of that version found what the first could not).
 */
function duplicateVersions(side: Side): { same: number; changed: number } {
  const last = new Map<number, string>();
  const counts = { same: 0, changed: 0 };
  for (const { version, diagnostics } of side.client.publishedDiagnostics(side.uri)) {
    if (version === undefined) continue;
    const before = last.get(version);
    if (before !== undefined) counts[before === diagnostics ? 'same' : 'changed']++;
    last.set(version, diagnostics);
  }
  return counts;
}

/**
 * While dockopt reads a large document it has just been sent, how long a change to a small
 * open document waits for its diagnostics (the server must keep answering other documents).
 */
async function smallDocumentWait(root: string, large: string): Promise<number> {
  const client = new TestLspClient({ folders: [root], serverArgs: [OURS, '--stdio'] });
  await client.initialize();
  try {
    const small = client.open(join(root, 'small.Dockerfile'), 'FROM python:3.12\nRUN pip install flask\n');
    await client.diagnostics(small, undefined, TIMEOUT);
    const big = client.open(join(root, 'Dockerfile'), large);
    const started = performance.now();
    const version = client.change(small, 'FROM python:3.12\nRUN pip install flask requests\n');
    await client.diagnostics(small, (_d, p) => p.version === version, TIMEOUT);
    const waited = performance.now() - started;
    await client.diagnostics(big, undefined, TIMEOUT);
    return waited;
  } finally {
    await client.stop();
  }
}

const fmt = (ms: number) => ms.toFixed(1).padStart(9);

async function main() {
  const root = makeWorkspace({ 'requirements.txt': 'flask\n', '.dockerignore': '.git\n' });
  try {
    console.log(`didChange → publishDiagnostics over stdio, median of ${RUNS} interleaved changes after ${WARMUP} warm-up ones (ms), for each kind of edit`);
    console.log(`peer: dockerfile-language-server-nodejs ${PEER_VERSION}; ratio = dockopt / peer; RSS (MB) right after the last change, and at rest (${REST_MS} ms later, no change)\n`);
    console.log('                      a line appended at the end  one character mid-file     RSS after the changes  RSS at rest');
    console.log('shape        lines   dockopt      peer   ratio    dockopt      peer   ratio  dockopt RSS  peer RSS  dockopt RSS  peer RSS  checks cut');
    const shapes: Array<[string, (n: number) => string]> = [['dense', denseDockerfile], ['real-world', realWorldDockerfile], ['no findings', cleanDockerfile]];
    const editCost = new Map<string, Map<number, { appended: number; midFile: number }>>();
    const rssAt10k = new Map<string, { after: number[]; rest: number[] }>();
    const duplicates = { same: 0, changed: 0 };
    const mb = (value: number, width: number) => value.toFixed(0).padStart(width);
    for (const [shape, make] of shapes) {
      editCost.set(shape, new Map());
      for (const lines of SIZES) {
        const big = lines >= 10_000;
        const runs = big ? Math.min(RUNS, 7) : RUNS;
        const r = await compare(root, make(lines), runs, big ? Math.min(WARMUP, 3) : WARMUP, { midFile: true, atRest: true });
        const mid = r.midFile ?? { ours: NaN, peer: NaN };
        editCost.get(shape)!.set(lines, { appended: r.ours, midFile: mid.ours });
        if (lines === 10_000) rssAt10k.set(shape, { after: r.rss, rest: r.rssAtRest });
        duplicates.same += r.duplicates.same;
        duplicates.changed += r.duplicates.changed;
        console.log(
          `${shape.padEnd(12)} ${String(lines).padStart(5)} ${fmt(r.ours)} ${fmt(r.peer)} ${(r.ours / r.peer).toFixed(2).padStart(7)}  ${fmt(mid.ours)} ${fmt(mid.peer)} ${(mid.ours / mid.peer).toFixed(2).padStart(7)} ` +
            `${mb(r.rss[0], 12)} ${mb(r.rss[1], 9)} ${mb(r.rssAtRest[0], 12)} ${mb(r.rssAtRest[1], 9)} ${`${r.cut}/${r.midFile ? 2 * runs : runs}`.padStart(11)}`,
        );
      }
    }
    console.log('\nRSS at 10 000 lines, dockopt / peer (target ≤ 1.5): right after the changes, and at rest');
    for (const [shape, { after, rest }] of rssAt10k) console.log(`  ${shape.padEnd(12)} ${(after[0] / after[1]).toFixed(2)}×  ${(rest[0] / rest[1]).toFixed(2)}×`);
    console.log('\nan edit at 10 000 lines over one at 200 lines, dockopt (target ≤ 2): a line appended at the end, and one character mid-file');
    for (const [shape, costs] of editCost) {
      const small = costs.get(200);
      const large = costs.get(10_000);
      if (small !== undefined && large !== undefined) console.log(`  ${shape.padEnd(12)} ${(large.appended / small.appended).toFixed(1)}×  ${(large.midFile / small.midFile).toFixed(1)}×`);
    }
    console.log(`versions dockopt published again: ${duplicates.same} with the same diagnostics (target 0), ${duplicates.changed} with changed ones (a context scan that landed)`);
    if (process.env.BENCH_PATHOLOGICAL !== '0') {
      console.log('\npathological inputs: open → first diagnostics, then the median of 3 edits (ms)\n');
      console.log('input                          open dockopt  open peer  edit dockopt  edit peer  dockopt cut (open, edits)');
      for (const input of pathologicalInputs()) {
        const r = await compare(root, input.text, 3, 0, { midFile: false, atRest: false });
        console.log(`${input.name.padEnd(30)} ${fmt(r.open[0])}   ${fmt(r.open[1])}    ${fmt(r.ours)}  ${fmt(r.peer)}  ${r.openCut ? 'yes' : 'no'}, ${r.cut}/3`);
      }
      console.log('\na small document changed just after a pathological one was opened: its diagnostics waited (ms, dockopt)\n');
      for (const input of pathologicalInputs()) console.log(`${input.name.padEnd(30)} ${fmt(await smallDocumentWait(root, input.text))}`);
    }
  } finally {
    removeWorkspace(root);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
