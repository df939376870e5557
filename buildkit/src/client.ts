/**
 * What the build client can do, found by asking it: `docker buildx version` (use
 * `docker buildx build` when it works) and the build command's `--help` (`rawjson` among
 * the --progress values, else `plain`; no --progress at all for clients without BuildKit).
 * Every process is started with an argument vector, never through a shell.
 */
import { spawn } from 'node:child_process';
import { builderNeedsBuildx, clientNotFound, clientNotRunnable, type BuildProblem } from './problems';

export interface ClientOptions {
  /** The client executable: `docker` (default), `/usr/bin/docker`, `podman`, `nerdctl`, a wrapper. */
  command?: string;
  /** `--builder NAME` (buildx): a remote BuildKit does the work. */
  builder?: string;
  /** Environment of the client process (default: this process's). DOCKER_BUILDKIT=1 is added. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface ClientCapabilities {
  command: string;
  /** Arguments before the build options: `['build']` or `['buildx', 'build']`. */
  buildArgs: string[];
  buildx: boolean;
  /** The progress mode to ask for; null when the client has no --progress (not BuildKit). */
  progress: 'rawjson' | 'plain' | null;
}

export type ProbeResult = { capabilities: ClientCapabilities; problem?: undefined } | { problem: BuildProblem; capabilities?: undefined };

export interface Captured {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: NodeJS.ErrnoException;
}

const PROBE_TIMEOUT_MS = 15_000;

export function clientEnv(options: ClientOptions): NodeJS.ProcessEnv {
  return { ...(options.env ?? process.env), DOCKER_BUILDKIT: '1' };
}

/** Runs a short client command and collects its output; never throws. */
export function capture(command: string, args: string[], options: ClientOptions, timeoutMs = PROBE_TIMEOUT_MS): Promise<Captured> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let child;
    try {
      child = spawn(command, args, { cwd: options.cwd, env: clientEnv(options), stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ code: null, stdout, stderr, error: error as NodeJS.ErrnoException });
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr, error });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function spawnProblem(command: string, error: NodeJS.ErrnoException): BuildProblem {
  return error.code === 'ENOENT' ? clientNotFound(command) : clientNotRunnable(command, error.code ?? error.message);
}

/** The progress modes a build command's --help lists. */
export function progressModeFromHelp(help: string): 'rawjson' | 'plain' | null {
  const line = help.split('\n').find((l) => /--progress\b/.test(l));
  if (!line) return null;
  // The list of values may wrap onto the next lines of the help text.
  const start = help.indexOf(line);
  const block = help.slice(start, start + 400);
  return /\brawjson\b/.test(block) ? 'rawjson' : 'plain';
}

const probes = new Map<string, Promise<ProbeResult>>();

/** Asks the client what it supports; answers are remembered per command, builder and daemon. */
export function probeClient(options: ClientOptions = {}): Promise<ProbeResult> {
  const env = clientEnv(options);
  const key = [options.command ?? 'docker', options.builder ?? '', env.DOCKER_HOST ?? '', env.DOCKER_CONTEXT ?? '', env.PATH ?? ''].join('\0');
  let probe = probes.get(key);
  if (!probe) {
    probe = probeUncached(options);
    probes.set(key, probe);
    // A failed probe (client missing, not yet installed) is asked again next time.
    void probe.then((r) => r.problem && probes.delete(key));
  }
  return probe;
}

async function probeUncached(options: ClientOptions): Promise<ProbeResult> {
  const command = options.command ?? 'docker';
  const buildx = await capture(command, ['buildx', 'version'], options);
  if (buildx.error) return { problem: spawnProblem(command, buildx.error) };
  const hasBuildx = buildx.code === 0;
  if (options.builder && !hasBuildx) return { problem: builderNeedsBuildx(command) };
  const buildArgs = hasBuildx ? ['buildx', 'build'] : ['build'];
  const help = await capture(command, [...buildArgs, '--help'], options);
  if (help.error) return { problem: spawnProblem(command, help.error) };
  return {
    capabilities: { command, buildArgs, buildx: hasBuildx, progress: progressModeFromHelp(help.stdout + help.stderr) },
  };
}

/** The ID of a local image, or null (not present, remote builder, client error). */
export async function inspectImageId(ref: string, options: ClientOptions = {}): Promise<string | null> {
  // The reference comes from the Dockerfile's FROM line: after `--`, `FROM -f…` is an image name, not an option.
  const result = await capture(options.command ?? 'docker', ['image', 'inspect', '--format={{.Id}}', '--', ref], options, 10_000);
  const id = result.stdout.trim();
  return result.code === 0 && /^(sha256:)?[0-9a-f]{12,}$/.test(id) ? id : null;
}
