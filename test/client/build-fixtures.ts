/**
 * Build records for the client's build tests, made from a Dockerfile and what happened to
 * each of its steps (as the runner would have recorded them), plus a fake runner.
 */
import * as path from 'node:path';
import {
  computeTotals,
  readDockerfileSteps,
  serviceKey,
  type BuildRecord,
  type BuildRequest,
  type CacheMiss,
  type RecordedStep,
  type RunningServiceBuild,
  type ServiceBuildOptions,
  type ServiceBuildResult,
} from '../../buildkit/src';
import { toTarget, type ServiceTarget } from '../../client/src/builds/plan';

export const ROOT = '/w/shop';
export const API_DOCKERFILE = path.join(ROOT, 'api/Dockerfile');

export const API_TEXT = [
  'FROM python:3.12-slim',
  'WORKDIR /app',
  'COPY requirements.txt .',
  'RUN pip install -r requirements.txt',
  'COPY src/ ./src/',
  'RUN python -m compileall src',
  '',
].join('\n');

export type StepOutcome = 'cached' | number | 'failed' | 'canceled';

let counter = 0;

/** `outcomes[line]`: 'cached', milliseconds it ran, 'failed' or 'canceled'; lines without one are not run. */
export function makeRecord(options: {
  text?: string;
  dockerfile?: string;
  outcomes: Record<number, StepOutcome>;
  miss?: { line: number; message: string; kind?: CacheMiss['kind'] };
  durationMs?: number;
  startedAt?: string;
  status?: BuildRecord['status'];
}): BuildRecord {
  const text = options.text ?? API_TEXT;
  const dockerfile = options.dockerfile ?? API_DOCKERFILE;
  const layout = readDockerfileSteps(text);
  const steps: RecordedStep[] = [
    { id: '#1', name: '[internal] load build definition from Dockerfile', platform: null, stage: null, index: null, line: null, text: '[internal] load build definition from Dockerfile', internal: true, status: 'executed', cached: false, durationMs: 30, error: null, reason: null },
  ];
  for (const ins of layout.instructions.filter((i) => i.stepIndex !== null)) {
    const outcome = options.outcomes[ins.line];
    if (outcome === undefined) continue;
    const isMiss = options.miss?.line === ins.line;
    steps.push({
      id: `#${steps.length + 1}`,
      name: `[${ins.stepIndex}/${layout.stages[ins.stageIndex].stepCount}] ${ins.keyword === 'FROM' ? ins.text.replace('FROM ', 'FROM docker.io/library/') : ins.text}`,
      platform: null,
      stage: null,
      index: ins.stepIndex,
      line: ins.line,
      text: ins.keyword === 'FROM' ? ins.text.replace('FROM ', 'FROM docker.io/library/') : ins.text,
      internal: false,
      status: outcome === 'cached' ? 'cached' : outcome === 'failed' ? 'failed' : outcome === 'canceled' ? 'canceled' : 'executed',
      cached: outcome === 'cached',
      durationMs: typeof outcome === 'number' ? outcome : outcome === 'failed' ? 400 : null,
      error: outcome === 'failed' ? 'process "/bin/sh -c python -m compileall src" did not complete successfully: exit code: 1' : null,
      reason: isMiss ? { kind: options.miss!.kind ?? 'sources-changed', message: options.miss!.message } : null,
    });
  }
  const durationMs = options.durationMs ?? 10_000;
  const status = options.status ?? (Object.values(options.outcomes).includes('failed') ? 'failed' : 'succeeded');
  const missIns = options.miss ? layout.instructions.find((i) => i.line === options.miss!.line)! : null;
  return {
    version: 1,
    id: `rec-${++counter}`,
    service: serviceKey(dockerfile, path.dirname(dockerfile), null),
    startedAt: options.startedAt ?? '2025-01-02T10:00:00.000Z',
    status,
    exitCode: status === 'succeeded' ? 0 : 1,
    durationMs,
    format: 'plain',
    argv: ['docker', 'build'],
    totals: computeTotals(
      steps.map((s) => ({ ...s, digest: null, count: null, logTail: [], transferred: false, startedAt: null, completedAt: null, seen: 0 })),
      durationMs,
    ),
    steps,
    miss: missIns
      ? { kind: options.miss!.kind ?? 'sources-changed', message: options.miss!.message, line: missIns.line, instruction: missIns.text, stepName: missIns.text }
      : null,
    problem: status === 'failed' ? { kind: 'build-failed', message: 'Build failed at RUN python -m compileall src (Dockerfile line 6)', hint: 'Open the Dockerfile at line 6.' } : null,
    fingerprint: {
      steps: layout.instructions
        .filter((i) => i.stepIndex !== null)
        .map((i) => ({ line: i.line, stageIndex: i.stageIndex, stage: `stage-${i.stageIndex}`, stepIndex: i.stepIndex!, keyword: i.keyword, text: i.text })),
      baseImages: [],
      buildArgs: {},
      ignoreFile: null,
    },
  };
}

/** The api service; another name gives another service (its own Dockerfile folder). */
export function apiTarget(service = 'api'): ServiceTarget {
  const dockerfile = service === 'api' ? API_DOCKERFILE : path.join(ROOT, service, 'Dockerfile');
  return toTarget({ service, dockerfile, contextDir: path.dirname(dockerfile) }, ROOT);
}

export interface FakeRun {
  request: BuildRequest;
  options: ServiceBuildOptions;
  cancelled: boolean;
  finish(record: BuildRecord, previous?: BuildRecord | null): void;
}

/** A runner that starts nothing: each build waits until the test finishes it (or it is cancelled). */
export function fakeRunner() {
  const runs: FakeRun[] = [];
  let active = 0;
  let maxActive = 0;
  const start = (request: BuildRequest, options: ServiceBuildOptions): RunningServiceBuild => {
    let resolve!: (result: ServiceBuildResult) => void;
    const result = new Promise<ServiceBuildResult>((r) => (resolve = r));
    active++;
    maxActive = Math.max(maxActive, active);
    const run: FakeRun = {
      request,
      options,
      cancelled: false,
      finish(record, previous = null) {
        active--;
        resolve({ record: { ...record, service: serviceKey(request.dockerfile, request.context, request.target) }, previous, run: {} as ServiceBuildResult['run'] });
      },
    };
    runs.push(run);
    return {
      pid: 4242,
      cancel() {
        if (run.cancelled) return;
        run.cancelled = true;
        run.finish(makeRecord({ outcomes: { 0: 'cached', 1: 'canceled' }, status: 'canceled', dockerfile: request.dockerfile }));
      },
      result,
    };
  };
  return { start, runs, maxActive: () => maxActive };
}

/**
 * Waits until `check` holds, letting queued callbacks and I/O (history files, terminals) run in
 * between. The deadline is in time, not turns: a loaded machine needs more turns for the same I/O.
 */
export async function until(check: () => boolean, what = 'condition', timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
