// code-server for the real-editor runs (test/vscode/run.mjs, test/e2e/run.mjs): installed by scripts/vscode-setup.sh, started on
// 127.0.0.1 and a free port with its own user-data and extensions dirs, stopped with its whole
// process group (extension host, pty host, the builds they started).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** code-server's entry.js from scripts/vscode-setup.sh (which installs it unless told not to). */
export function codeServerEntry(root, install) {
  const script = join(root, 'scripts', 'vscode-setup.sh');
  const result = spawnSync('bash', install ? [script] : [script, '--check'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const path = result.stdout.trim().split('\n').pop();
  if (result.status !== 0 || !path || !existsSync(path)) {
    throw new Error(install ? 'scripts/vscode-setup.sh failed (see above)' : 'code-server is not set up: run `bash scripts/vscode-setup.sh`');
  }
  return path;
}

/** The flags that keep code-server's state in the given dirs (and out of ~/.config). */
function stateArgs(dirs) {
  return ['--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

/** Installs a packaged extension the way a user does: `code-server --install-extension x.vsix`. */
export function installExtension(entry, dirs, vsix, logFile) {
  const out = openSync(logFile, 'a');
  const result = spawnSync(process.execPath, [entry, ...stateArgs(dirs), '--install-extension', vsix], { stdio: ['ignore', out, out], timeout: 120_000 });
  if (result.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${result.status ?? result.signal}); see ${logFile}`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts code-server in its own process group (so stopping it stops what it started). */
export function startCodeServer(entry, dirs, port, logFile) {
  const out = openSync(logFile, 'a');
  return spawn(
    process.execPath,
    [
      entry,
      ...stateArgs(dirs),
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
}

/** Resolves once code-server answers /healthz; rejects if it exits or 60 s pass. */
export async function waitForServer(port, child, logFile) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}); see ${logFile}`);
    const ok = await new Promise((resolve) => {
      const request = get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.on('error', () => resolve(false));
      request.on('timeout', () => request.destroy());
    });
    if (ok) return;
    // Polling a port that is not open yet: there is no event to wait on.
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer within 60 s; see ${logFile}`);
}

/** Interrupted (Ctrl+C, a CI timeout): kill code-server's process group too, then exit 1. */
export function stopOnInterrupt(current) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      try {
        const server = current();
        if (server?.pid) process.kill(-server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      process.exit(1);
    });
  }
}

/** SIGTERM to the process group, SIGKILL after 5 s if anything is left. */
export async function stopProcessGroup(child) {
  if (!child?.pid) return;
  const alive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 5000;
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive()) process.kill(-child.pid, 'SIGKILL');
}
