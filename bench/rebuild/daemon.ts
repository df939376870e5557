/**
 * The benchmark's own Docker daemon (its own data root, socket and BuildKit cache). The bench
 * tags its Debian-based stand-ins under the official names the example's Dockerfiles use
 * (`python:3.11-alpine`…) and empties its build cache before each cold build: on the shared
 * daemon both would change what other builds and tests see. Its data root outlives the run,
 * so the imported base image is there for the next one.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DOCKER = '/usr/bin/docker';
/** Debian's docker.io daemon (scripts/docker-setup.sh installs it). */
export const DOCKERD = '/usr/sbin/dockerd';

export interface BenchDaemon {
  /** Environment for the docker client: DOCKER_HOST on this daemon, BuildKit on. */
  env: NodeJS.ProcessEnv;
  version: string;
  docker(args: string[], input?: Buffer | string): string;
  stop(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startBenchDaemon(stateDir: string): Promise<BenchDaemon> {
  fs.mkdirSync(stateDir, { recursive: true });
  const socket = path.join(stateDir, 'docker.sock');
  const pidfile = path.join(stateDir, 'dockerd.pid');
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_BUILDKIT: '1' };
  const docker = (args: string[], input?: Buffer | string): string => {
    const result = spawnSync(DOCKER, args, { env, input, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) {
      throw new Error(`docker ${args.join(' ')} failed (${result.status}): ${result.stderr?.toString().trim() || result.error?.message}`);
    }
    return result.stdout.toString();
  };
  const answers = () => spawnSync(DOCKER, ['info', '--format', '{{.ServerVersion}}'], { env, encoding: 'utf8' });

  // A daemon left by an earlier run that was killed: reuse it if it answers, else clear its pid file.
  let started: number | undefined;
  if (answers().status !== 0) {
    const stale = Number(fs.readFileSync(pidfile, { encoding: 'utf8', flag: 'a+' }).trim());
    if (stale && alive(stale)) throw new Error(`a dockerd (pid ${stale}) holds ${stateDir} but does not answer`);
    fs.rmSync(pidfile, { force: true });
    const log = fs.openSync(path.join(stateDir, 'dockerd.log'), 'w');
    const child = spawn(
      DOCKERD,
      [
        '--data-root', path.join(stateDir, 'data'),
        '--exec-root', path.join(stateDir, 'exec'),
        '--pidfile', pidfile,
        '--host', `unix://${socket}`,
        '--iptables=false',
        '--bridge=none',
      ],
      { detached: true, stdio: ['ignore', log, log] },
    );
    child.unref();
    started = child.pid;
    const deadline = Date.now() + 60_000;
    while (answers().status !== 0) {
      if (Date.now() > deadline || !alive(child.pid ?? 0)) {
        throw new Error(`the bench's dockerd did not answer; see ${path.join(stateDir, 'dockerd.log')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return {
    env,
    version: answers().stdout.trim(),
    docker,
    async stop() {
      // Only a daemon this run started; it is ended by its own pid.
      if (!started || !alive(started)) return;
      process.kill(started, 'SIGTERM');
      const deadline = Date.now() + 30_000;
      while (alive(started) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    },
  };
}
