/**
 * One build of one service, start to finish: fingerprint the inputs, run the client while
 * parsing its progress (steps get their Dockerfile lines as they appear), find the cache
 * miss and why, and keep the record in the history. What the CLI and the extension call.
 */
import * as path from 'node:path';
import { readTextFile } from '../../shared/src/files/safe-read';
import { analyzeCacheMisses } from './cache-miss';
import { inspectImageId } from './client';
import { attachLines, readDockerfileSteps } from './dockerfile-steps';
import { fingerprintBuild, type BuildFingerprint } from './fingerprint';
import { serviceKey, type BuildHistory, type BuildRecord, type RecordedStep } from './history';
import { computeTotals, isCachedStep, orderSteps } from './model';
import { buildFailed, type BuildProblem } from './problems';
import { startBuild, type BuildRequest, type BuildRun, type CancelOptions, type RunOptions } from './runner';

export interface ServiceBuildOptions extends RunOptions {
  /** Where builds are kept; without it nothing is stored and misses have no earlier build to compare. */
  history?: BuildHistory;
  /** Ask the client for base image IDs to tell a changed base image (default true). */
  inspectBaseImages?: boolean;
}

export interface ServiceBuildResult {
  record: BuildRecord;
  /** The build compared against (the latest recorded one that ran), if any. */
  previous: BuildRecord | null;
  run: BuildRun;
}

export interface RunningServiceBuild {
  readonly pid: number | undefined;
  cancel(options?: CancelOptions): void;
  readonly result: Promise<ServiceBuildResult>;
}

function unreadableDockerfile(file: string, error: NodeJS.ErrnoException): BuildProblem {
  return {
    kind: 'dockerfile-unreadable',
    message: `Cannot read the Dockerfile ${file}: ${error.code ?? error.message}.`,
    hint: 'Check the Dockerfile path (and the service\'s build settings).',
  };
}

export function startServiceBuild(request: BuildRequest, options: ServiceBuildOptions = {}): RunningServiceBuild {
  const dockerfile = path.resolve(options.cwd ?? process.cwd(), request.dockerfile);
  const context = path.resolve(options.cwd ?? process.cwd(), request.context);
  const key = serviceKey(dockerfile, context, request.target);
  let running: ReturnType<typeof startBuild> | undefined;
  /** A cancel that came before the client started (while the Dockerfile was read). */
  let cancelled: CancelOptions | undefined;

  const result = (async (): Promise<ServiceBuildResult> => {
    let text: string;
    try {
      // Never a blocking read of a FIFO or an endless one of a device: a regular file of at most 2 MiB.
      const read = await readTextFile(dockerfile, [path.dirname(dockerfile), context]);
      if (read.kind !== 'text') throw Object.assign(new Error(read.kind === 'absent' ? 'no such file' : `it ${read.reason}`), { code: read.kind === 'absent' ? 'ENOENT' : undefined });
      text = read.text;
    } catch (error) {
      const run: BuildRun = {
        status: 'error',
        exitCode: null,
        startedAt: new Date().toISOString(),
        durationMs: 0,
        argv: [],
        capabilities: null,
        progress: { format: 'plain', steps: [], errorText: null, messages: [], legacyBuilder: false, spanMs: null },
        problem: unreadableDockerfile(dockerfile, error as NodeJS.ErrnoException),
      };
      const record = toRecord(key, run, emptyFingerprint(), null);
      // Kept like every build, so the tree and the status bar show that this one could not run.
      if (options.history) await options.history.add(record).catch(() => {});
      return { record, previous: null, run };
    }
    const layout = readDockerfileSteps(text);
    const history = options.history;
    const previous = history ? ((await history.list(key)).filter((b) => b.status !== 'error').pop() ?? null) : null;
    const fingerprinting = fingerprintBuild(layout, {
      dockerfile,
      contextDir: context,
      buildArgs: request.buildArgs,
      inspectImage: options.inspectBaseImages === false ? undefined : (ref) => inspectImageId(ref, options),
    });
    running = startBuild(
      { ...request, dockerfile, context },
      {
        ...options,
        onProgress: (progress) => {
          attachLines(progress.steps, layout);
          options.onProgress?.(progress);
        },
      },
    );
    if (cancelled) running.cancel(cancelled);
    const [run, fingerprint] = await Promise.all([running.result, fingerprinting]);
    attachLines(run.progress.steps, layout);
    const analysis = analyzeCacheMisses(run.progress.steps, layout, fingerprint, previous?.fingerprint ?? null, previous ?? undefined);
    if (run.problem?.kind === 'build-failed') {
      const failed = run.progress.steps.find((s) => s.status === 'failed' && !s.internal);
      run.problem = buildFailed(failed ? { name: failed.name, line: failed.line, error: failed.error } : null, run.progress.errorText);
    }
    const record = toRecord(key, run, fingerprint, analysis.miss, analysis.reasons);
    // Every build is kept, those that could not run too (the next build's `previous` skips them):
    // a failure must show where the last success used to.
    if (history) await history.add(record);
    return { record, previous, run };
  })();

  return {
    get pid() {
      return running?.pid;
    },
    cancel(options: CancelOptions = {}) {
      cancelled = options;
      running?.cancel(options);
    },
    result,
  };
}

function emptyFingerprint(): BuildFingerprint {
  return { steps: [], baseImages: [], buildArgs: {}, ignoreFile: null };
}

function toRecord(
  service: BuildRecord['service'],
  run: BuildRun,
  fingerprint: BuildFingerprint,
  miss: BuildRecord['miss'],
  reasons: ReadonlyMap<string, RecordedStep['reason']> = new Map(),
): BuildRecord {
  const steps: RecordedStep[] = orderSteps(run.progress.steps).map((s) => ({
    id: s.id,
    name: s.name,
    platform: s.platform,
    stage: s.stage,
    index: s.index,
    line: s.line,
    text: s.text,
    internal: s.internal,
    status: s.status,
    cached: isCachedStep(s),
    durationMs: s.durationMs,
    error: s.error,
    reason: reasons.get(s.id) ?? null,
  }));
  return {
    version: 1,
    id: `${run.startedAt.replace(/[^0-9]/g, '')}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    service,
    startedAt: run.startedAt,
    status: run.status,
    exitCode: run.exitCode,
    durationMs: run.durationMs,
    format: run.progress.format,
    argv: run.argv,
    totals: computeTotals(run.progress.steps, run.durationMs),
    steps,
    miss,
    problem: run.problem,
    fingerprint,
  };
}
