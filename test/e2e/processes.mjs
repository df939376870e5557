// Build client processes still running for a workspace: "Cancel leaves no docker process behind".
import { spawnSync } from 'node:child_process';

/** `pid args` of each process running `client` with an argument under `folder`. */
export function dockerProcesses(client, folder) {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes(client) && line.includes(folder));
}

/** Polls `ps` (there is no event for another process's exit) until none is left, or fails. */
export async function waitForNoDockerProcess(client, folder, ms = 15_000) {
  const deadline = Date.now() + ms;
  let left = dockerProcesses(client, folder);
  while (left.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = dockerProcesses(client, folder);
  }
  if (left.length) throw new Error(`docker processes left ${ms / 1000} s after Cancel:\n${left.join('\n')}`);
}
