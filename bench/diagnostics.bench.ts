/**
 * Diagnostics latency, dockopt against dockerfile-language-server-nodejs on the same files:
 *  1. in process: dockopt's engine (a full parse and all rules, with the build context the
 *     language server gives: the folder's file list, its .dockerignore, its project files) vs
 *     the peer's validator (dockerfile-utils);
 *  2. over LSP: time from a didChange to the diagnostics of that change, both servers over stdio.
 * Prints medians and the ratio dockopt/peer measured in this one run.
 */
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { parseDockerfile } from '../server/src/dockerfile/model';
import { lintFile } from '../server/src/lint-workspace';
import { DEFAULT_SETTINGS } from '../server/src/settings';
import { WorkspaceModel } from '../server/src/workspace/workspace';
import { TestLspClient } from '../test/helpers/lsp-client';
import { makeWorkspace, removeWorkspace } from '../test/helpers/temp-workspace';
import { median, realWorldDockerfile } from './dockerfiles';

const RUNS = Number(process.env.BENCH_RUNS ?? 41);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 50);
const PEER = join(__dirname, '..', 'node_modules', 'dockerfile-language-server-nodejs', 'lib', 'server.js');

/** Both, interleaved run by run after a warm-up, so neither profits from the machine's moods or the JIT's order. */
function timeInProcess(ours: () => void, peer: () => void): [number, number] {
  for (let k = 0; k < 20; k++) {
    ours();
    peer();
  }
  const oursTimes: number[] = [];
  const peerTimes: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    let start = performance.now();
    ours();
    oursTimes.push(performance.now() - start);
    start = performance.now();
    peer();
    peerTimes.push(performance.now() - start);
  }
  return [median(oursTimes), median(peerTimes)];
}

async function timeOverLsp(serverArgs: string[] | undefined, root: string, text: string): Promise<number> {
  const client = new TestLspClient({ folders: [root], serverArgs });
  try {
    await client.initialize();
    const uri = client.open(join(root, 'Dockerfile'), text);
    await client.diagnostics(uri, undefined, 30_000);
    const times: number[] = [];
    // A language server runs for hours: the first WARMUP changes (JIT warm-up) are not counted,
    // for either server.
    for (let k = -WARMUP; k < RUNS; k++) {
      // Each change really changes the text, as typing does: a comment line at the end.
      const changed = `${text}# edit ${k}\n`;
      const published = client.publishes(uri);
      const start = performance.now();
      const version = client.change(uri, changed);
      // The peer sends no version with its diagnostics: the next publish is the answer to this change.
      await client.diagnostics(uri, (_d, p) => p.version === version || (p.version === undefined && client.publishes(uri) > published), 30_000);
      if (k >= 0) times.push(performance.now() - start);
    }
    return median(times);
  } finally {
    await client.stop();
  }
}

async function main() {
  const root = makeWorkspace({ 'requirements.txt': 'flask\n', '.dockerignore': '.git\n' });
  try {
    console.log(`diagnostics latency, median of ${RUNS} runs (ms); ratio = dockopt / peer\n`);
    console.log('lines  where        dockopt     peer   ratio');
    const path = join(root, 'Dockerfile');
    for (const lines of [200, 2000]) {
      const text = realWorldDockerfile(lines);
      // A build context as the server has one: rules that read the context's files run too.
      const workspace = new WorkspaceModel({ roots: [root] });
      workspace.setOverlay(path, text);
      await workspace.refresh();
      await workspace.ensureScans(workspace.buildsFor(path));
      const [ours, peer] = timeInProcess(
        () => lintFile(workspace, path, DEFAULT_SETTINGS, parseDockerfile(text)),
        () => validate(text),
      );
      console.log(`${String(lines).padStart(5)}  in process ${ours.toFixed(2).padStart(9)} ${peer.toFixed(2).padStart(8)} ${(ours / peer).toFixed(2).padStart(7)}`);
      const oursLsp = await timeOverLsp(undefined, root, text);
      const peerLsp = await timeOverLsp([PEER, '--stdio'], root, text);
      console.log(`${String(lines).padStart(5)}  over LSP   ${oursLsp.toFixed(2).padStart(9)} ${peerLsp.toFixed(2).padStart(8)} ${(oursLsp / peerLsp).toFixed(2).padStart(7)}`);
    }
  } finally {
    removeWorkspace(root);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
