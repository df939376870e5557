/**
 * The build model both progress parsers produce: BuildKit's steps (vertices) with what
 * happened to each, and the totals a user compares builds by. Free of `vscode`.
 */
import { parseStepName, type StepName } from './step-name';

/** `pending`: announced but not started (rawjson only); `running`: started, not finished. */
export type StepStatus = 'pending' | 'running' | 'cached' | 'executed' | 'failed' | 'canceled';

export interface BuildStep extends StepName {
  /** `#8` in plain output, the vertex digest in rawjson. */
  id: string;
  /** The name exactly as BuildKit printed it. */
  name: string;
  /** The vertex digest when the output shows it (rawjson, and plain from BuildKit before 0.10). */
  digest: string | null;
  /** 0-based Dockerfile line of the instruction; null until matched, and for internal steps. */
  line: number | null;
  status: StepStatus;
  durationMs: number | null;
  error: string | null;
  /** The last lines the step printed (bounded): enough to show why it failed. */
  logTail: string[];
  /** The step reported transfers (e.g. a FROM that pulled layers, context uploads). */
  transferred: boolean;
  /** Epoch ms, when the output carries timestamps (rawjson). */
  startedAt: number | null;
  completedAt: number | null;
  /** Order in which the step first appeared in the output. */
  seen: number;
}

export type ProgressFormat = 'plain' | 'rawjson';

export interface BuildProgress {
  format: ProgressFormat;
  steps: BuildStep[];
  /** The client's last error line after the steps (`failed to solve: …`), without `ERROR:`. */
  errorText: string | null;
  /** Lines that were not progress (client errors, warnings, legacy output), bounded. */
  messages: string[];
  /** The output is the legacy builder's (`Step 1/5 : FROM …`), not BuildKit's. */
  legacyBuilder: boolean;
  /** Wall time the output itself spans (rawjson timestamps); null when it has none. */
  spanMs: number | null;
}

export interface BuildTotals {
  wallMs: number | null;
  /**
   * Dockerfile steps that can come from the build cache: not internal ones, and not `FROM`
   * (resolving the base image is not a cache hit a build earned; a cold build must say 0%).
   */
  totalSteps: number;
  cachedSteps: number;
  /** cachedSteps / totalSteps, 0 when there are no steps. */
  hitRatio: number;
  /** Time spent in Dockerfile steps that ran (executed or failed), a base image pull included. */
  executedMs: number;
}

export const LOG_TAIL_LINES = 40;

/**
 * Whether BuildKit served a step from its cache (`CACHED`). A FROM whose image was already
 * there is reported DONE, not CACHED: that is base-image resolution, not reuse of an earlier
 * build, and it does not count (see BuildTotals).
 */
export function isCachedStep(step: Pick<BuildStep, 'status'>): boolean {
  return step.status === 'cached';
}

export function isFromStep(step: Pick<BuildStep, 'text'>): boolean {
  return /^FROM\s/i.test(step.text);
}

export function computeTotals(steps: readonly BuildStep[], wallMs: number | null): BuildTotals {
  const dockerfileSteps = steps.filter((s) => !s.internal && s.status !== 'pending');
  const countable = dockerfileSteps.filter((s) => !isFromStep(s));
  const cachedSteps = countable.filter(isCachedStep).length;
  const executedMs = dockerfileSteps
    .filter((s) => !isCachedStep(s) && (s.status === 'executed' || s.status === 'failed'))
    .reduce((sum, s) => sum + (s.durationMs ?? 0), 0);
  return {
    wallMs,
    totalSteps: countable.length,
    cachedSteps,
    hitRatio: countable.length === 0 ? 0 : cachedSteps / countable.length,
    executedMs,
  };
}

/** Steps in the order a reader expects: by Dockerfile line, internal setup first, export last. */
export function orderSteps(steps: readonly BuildStep[]): BuildStep[] {
  const firstLined = Math.min(...steps.filter((s) => s.line !== null).map((s) => s.seen), Infinity);
  const key = (s: BuildStep) => (s.line !== null ? s.line : s.seen < firstLined ? -1 : Number.MAX_SAFE_INTEGER);
  return [...steps].sort((a, b) => key(a) - key(b) || a.seen - b.seen);
}

/** Marks what was still running when the build ended as canceled (the client stopped it). */
export function cancelUnfinished(steps: BuildStep[]): void {
  for (const step of steps) if (step.status === 'running') step.status = 'canceled';
}

export function appendLog(step: BuildStep, line: string): void {
  step.logTail.push(line);
  if (step.logTail.length > LOG_TAIL_LINES) step.logTail.splice(0, step.logTail.length - LOG_TAIL_LINES);
}

/** Pushes a line into a bounded list, dropping the oldest. */
export function pushBounded(list: string[], line: string, max = 200): void {
  list.push(line);
  if (list.length > max) list.splice(0, list.length - max);
}

/** `failed to solve: …` from the lines a client printed after the steps, if any. */
export function lastErrorLine(messages: readonly string[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const line = messages[i].trim();
    if (line === '' || /^-+$/.test(line) || line.startsWith('> ') || /^\d+ \|/.test(line) || /^Dockerfile:\d+$/.test(line)) {
      continue;
    }
    if (/^WARNING\b/i.test(line)) continue;
    return line.replace(/^ERROR:?\s*/, '');
  }
  return null;
}

/** A step as a progress stream first names it; both parsers start steps here. */
export function newStep(start: { id: string; name: string; digest: string | null; status: BuildStep['status']; seen: number }): BuildStep {
  return {
    ...parseStepName(start.name),
    id: start.id,
    name: start.name,
    digest: start.digest,
    line: null,
    status: start.status,
    durationMs: null,
    error: null,
    logTail: [],
    transferred: false,
    startedAt: null,
    completedAt: null,
    seen: start.seen,
  };
}
