/**
 * Runs one `docker build` (or `docker buildx build`, podman, nerdctl…) with BuildKit on and
 * parses its progress as it streams. The client is spawned with an argument vector (paths
 * with spaces, quotes, `$(…)` or `;` stay data) in its own process group, so cancelling
 * stops the client and anything it started: nothing is left behind. Values go as
 * `--flag=value` and the context after `--`, so no path or value from a repository can read
 * as an option. If this process exits while a build runs, its group is killed on the way out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { clientEnv, probeClient, type ClientCapabilities, type ClientOptions } from './client';
import { LineBuffer } from './line-buffer';
import { RawJsonEcho } from './rawjson-echo';
import { cancelUnfinished, type BuildProgress } from './model';
import { createProgressParser } from './progress';
import {
  buildFailed,
  canceled as canceledProblem,
  classifyClientError,
  clientNotFound,
  clientNotRunnable,
  legacyBuilder,
  type BuildProblem,
} from './problems';

export interface BuildRequest {
  dockerfile: string;
  context: string;
  target?: string;
  buildArgs?: Record<string, string>;
  /** `-t NAME`. */
  tag?: string;
  noCache?: boolean;
  /** More client options, placed before the context (e.g. `--network=none`). */
  extraArgs?: string[];
}

export type BuildStatus = 'succeeded' | 'failed' | 'canceled' | 'error';

export interface RunOptions extends ClientOptions {
  /** Raw client output as it arrives. */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  /** Output for a person (the terminal): as it arrives for plain progress, rawjson rendered as text. */
  onDisplay?: (text: string) => void;
  /** The parsed model, at most every `progressIntervalMs` while the build runs. */
  onProgress?: (progress: BuildProgress) => void;
  progressIntervalMs?: number;
  /** Aborting it cancels the build. */
  signal?: AbortSignal;
  /** Skip probing the client (already known). */
  capabilities?: ClientCapabilities;
  /** Grace periods before SIGTERM and SIGKILL after a cancel's SIGINT. */
  cancelGraceMs?: { term: number; kill: number };
}

export interface BuildRun {
  status: BuildStatus;
  /** The client's exit code; null when it was not started or died by a signal. */
  exitCode: number | null;
  startedAt: string;
  durationMs: number;
  argv: string[];
  capabilities: ClientCapabilities | null;
  progress: BuildProgress;
  problem: BuildProblem | null;
}

/** How to stop a build. */
export interface CancelOptions {
  /**
   * What the client's process group gets first (default SIGINT, Ctrl-C: the client asks
   * BuildKit to stop the build). A stronger signal (SIGTERM, SIGHUP) is sent as is; after the
   * grace periods the group gets SIGTERM, then SIGKILL.
   */
  signal?: NodeJS.Signals;
  /** SIGKILL the group this soon, whatever the grace periods say (a second cancel shortens, never lengthens). */
  killAfterMs?: number;
}

export interface RunningBuild {
  /** Process (and process group) id of the client once started. */
  readonly pid: number | undefined;
  cancel(options?: CancelOptions): void;
  readonly result: Promise<BuildRun>;
}

/** The client's arguments (after the executable) for a build request. */
export function buildArgv(request: BuildRequest, capabilities: ClientCapabilities, builder?: string): string[] {
  const args = [...capabilities.buildArgs];
  if (capabilities.progress) args.push(`--progress=${capabilities.progress}`);
  // `--flag=value`: a value that starts with `-` stays the flag's value, in every client's parser.
  if (builder) args.push(`--builder=${builder}`);
  args.push(`--file=${request.dockerfile}`);
  if (request.target) args.push(`--target=${request.target}`);
  for (const [key, value] of Object.entries(request.buildArgs ?? {})) args.push(`--build-arg=${key}=${value}`);
  if (request.tag) args.push(`--tag=${request.tag}`);
  if (request.noCache) args.push('--no-cache');
  args.push(...(request.extraArgs ?? []));
  // docker, buildx, podman and nerdctl (all cobra) take `--` before the context. A relative
  // path starting with `-` also gets `./`: `-` alone would still mean "the context on stdin".
  args.push('--', request.context.startsWith('-') ? `./${request.context}` : request.context);
  return args;
}

function emptyProgress(): BuildProgress {
  return { format: 'plain', steps: [], errorText: null, messages: [], legacyBuilder: false, spanMs: null };
}

/** Signals the whole process group; quiet when it is already gone. */
function signalGroup(pid: number, signal: NodeJS.Signals, child: ChildProcess): void {
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left to signal.
  }
}

function groupAlive(pid: number): boolean {
  if (process.platform === 'win32') return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The clients running now, by process group. A client runs detached (its own group, so a
 * cancel reaches everything it started), which also means it would outlive us: when this
 * process exits (the CLI on an uncaught error, the extension host shutting down) every group
 * still here is killed. Nothing can run on SIGKILL of this process; that is the one way out
 * that leaves a build behind.
 */
const liveGroups = new Map<number, ChildProcess>();
let exitHookInstalled = false;

function killLiveGroups(): void {
  for (const [pid, child] of liveGroups) signalGroup(pid, 'SIGKILL', child);
  liveGroups.clear();
}

function trackGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  liveGroups.set(child.pid, child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killLiveGroups);
  }
}

/** Process group ids of the builds running in this process (for tests and diagnostics). */
export function runningBuildGroups(): number[] {
  return [...liveGroups.keys()];
}

export function startBuild(request: BuildRequest, options: RunOptions = {}): RunningBuild {
  let child: ChildProcess | undefined;
  let cancelRequested = false;
  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  const grace = options.cancelGraceMs ?? { term: 5_000, kill: 10_000 };
  /** When the pending SIGKILL is due (performance.now()), so a later cancel only brings it forward. */
  let killDueAt = Infinity;

  const scheduleKill = (pid: number, child: ChildProcess, afterMs: number) => {
    const due = performance.now() + afterMs;
    if (due >= killDueAt) return;
    killDueAt = due;
    if (afterMs <= 0) signalGroup(pid, 'SIGKILL', child);
    else timers.push(setTimeout(() => signalGroup(pid, 'SIGKILL', child), afterMs));
  };

  const cancel = (how: CancelOptions = {}) => {
    const first = !cancelRequested;
    cancelRequested = true;
    const running = child;
    const pid = running?.pid;
    if (!running || pid === undefined || closed) return;
    const signal = how.signal ?? 'SIGINT';
    if (signal === 'SIGKILL') return scheduleKill(pid, running, 0);
    // Every request reaches the group (a second Ctrl-C too); the grace periods start with the first.
    signalGroup(pid, signal, running);
    if (first) {
      if (signal !== 'SIGTERM') timers.push(setTimeout(() => signalGroup(pid, 'SIGTERM', running), grace.term));
      scheduleKill(pid, running, grace.kill);
    }
    if (how.killAfterMs !== undefined) scheduleKill(pid, running, how.killAfterMs);
  };
  const onAbort = () => cancel();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) cancelRequested = true;

  const result = (async (): Promise<BuildRun> => {
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const command = options.command ?? 'docker';
    const finish = (partial: Partial<BuildRun> & Pick<BuildRun, 'status' | 'problem'>): BuildRun => ({
      exitCode: null,
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      argv: [command],
      capabilities: null,
      progress: emptyProgress(),
      ...partial,
    });

    const probed = options.capabilities ? { capabilities: options.capabilities } : await probeClient(options);
    if (!probed.capabilities) return finish({ status: 'error', problem: probed.problem });
    const capabilities = probed.capabilities;
    const args = buildArgv(request, capabilities, options.builder);
    const argv = [command, ...args];
    if (cancelRequested) return finish({ status: 'canceled', problem: canceledProblem(), argv, capabilities });

    const parser = createProgressParser(capabilities.progress === 'rawjson' ? 'rawjson' : 'plain');
    let lastProgress = 0;
    const interval = options.progressIntervalMs ?? 100;
    const report = () => {
      if (!options.onProgress) return;
      const now = performance.now();
      if (now - lastProgress < interval) return;
      lastProgress = now;
      options.onProgress(parser.snapshot());
    };
    // Each stream has its own line buffer: a line cut between chunks must not mix with the other stream.
    const echo = capabilities.progress === 'rawjson' && options.onDisplay ? new RawJsonEcho() : null;
    const onLine = (line: string) => {
      parser.pushLine(line);
      if (echo) {
        const shown = echo.line(line);
        if (shown) options.onDisplay!(shown);
      }
    };
    const stdoutLines = new LineBuffer(onLine);
    const stderrLines = new LineBuffer(onLine);

    const outcome = await new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
      try {
        child = spawn(command, args, {
          cwd: options.cwd,
          env: clientEnv(options),
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: process.platform !== 'win32',
        });
      } catch (error) {
        resolve({ code: null, error: error as NodeJS.ErrnoException });
        return;
      }
      trackGroup(child);
      const take = (stream: 'stdout' | 'stderr', lines: LineBuffer) => (text: string) => {
        options.onOutput?.(text, stream);
        if (!echo) options.onDisplay?.(text);
        lines.push(text);
        report();
      };
      child.stdout!.setEncoding('utf8').on('data', take('stdout', stdoutLines));
      child.stderr!.setEncoding('utf8').on('data', take('stderr', stderrLines));
      child.on('error', (error) => resolve({ code: null, error }));
      child.on('close', (code) => resolve({ code }));
    });
    closed = true;
    for (const t of timers) clearTimeout(t);
    options.signal?.removeEventListener('abort', onAbort);
    // Whatever the client started and left in its group goes with it.
    if (child?.pid !== undefined) {
      if (groupAlive(child.pid)) signalGroup(child.pid, 'SIGKILL', child);
      liveGroups.delete(child.pid);
    }

    stdoutLines.flush();
    stderrLines.flush();
    const progress = parser.end();
    options.onProgress?.(progress);
    const base = { exitCode: outcome.code, argv, capabilities, progress };

    if (outcome.error) {
      const problem = outcome.error.code === 'ENOENT' ? clientNotFound(command) : clientNotRunnable(command, outcome.error.code ?? outcome.error.message);
      return finish({ ...base, status: 'error', problem });
    }
    if (cancelRequested) {
      cancelUnfinished(progress.steps);
      return finish({ ...base, status: 'canceled', problem: canceledProblem() });
    }
    if (outcome.code === 0) {
      return finish({ ...base, status: 'succeeded', problem: progress.legacyBuilder ? legacyBuilder() : null });
    }
    const stepsStarted = progress.steps.some((s) => !s.internal);
    const clientProblem = classifyClientError(progress.messages.join('\n'), command);
    if (clientProblem && !stepsStarted) return finish({ ...base, status: 'error', problem: clientProblem });
    if (progress.legacyBuilder) return finish({ ...base, status: 'failed', problem: legacyBuilder() });
    const failed = progress.steps.find((s) => s.status === 'failed' && !s.internal) ?? progress.steps.find((s) => s.status === 'failed');
    cancelUnfinished(progress.steps);
    return finish({
      ...base,
      status: 'failed',
      problem: buildFailed(failed ? { name: failed.name, line: failed.line, error: failed.error } : null, progress.errorText),
    });
  })();

  return {
    get pid() {
      return child?.pid;
    },
    cancel,
    result,
  };
}
