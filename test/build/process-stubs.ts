/**
 * Stand-in build clients for the tests that stop builds: a script that answers dockopt's
 * probes like a client without buildx, then "builds" by starting long-running children (one
 * of them, with its own child, deaf to INT, TERM and HUP) and writing every PID it started,
 * and its own, to $PIDS_FILE. Plus the helpers to tell when those processes are gone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** How many PIDs the client writes once everything it starts runs. */
export const STUB_PROCESS_COUNT = 4;

export function writeSpawningClient(dir: string): string {
  const file = path.join(dir, 'fake-docker');
  fs.writeFileSync(
    file,
    [
      '#!/bin/sh',
      'if [ "$1" = buildx ] || [ "$1" = image ]; then exit 1; fi',
      'if [ "$2" = --help ]; then echo "      --progress string   Set type of progress output (auto, plain, tty)"; exit 0; fi',
      'echo "#1 [1/2] RUN sleep 300" >&2',
      'sleep 300 &',
      'echo $! >> "$PIDS_FILE"',
      // Only SIGKILL ends this one and its sleep.
      `sh -c 'trap "" INT TERM HUP; sleep 300 & echo $! >> "$PIDS_FILE"; echo $$ >> "$PIDS_FILE"; wait' &`,
      'echo $$ >> "$PIDS_FILE"',
      'wait',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return file;
}

export function recordedPids(pidsFile: string): number[] {
  return fs.existsSync(pidsFile) ? fs.readFileSync(pidsFile, 'utf8').split('\n').filter(Boolean).map(Number) : [];
}

/** Running and not a zombie (a reparented child may wait for a reaper that never comes in a container). */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Polls `check` every 50 ms; throws after `ms`. */
export async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Leaves nothing behind on the test machine, whatever a test's assertions said. */
export function killLeftovers(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
