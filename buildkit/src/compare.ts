/** Two builds of one service side by side: per step cached before/after and time, and the speed-up. */
import { normalizeInstruction } from './dockerfile-steps';
import type { BuildRecord, RecordedStep } from './history';

export interface StepSide {
  status: RecordedStep['status'];
  cached: boolean;
  durationMs: number | null;
}

export interface StepComparison {
  /** Stage and instruction text: how a step is recognized across builds when lines move. */
  key: string;
  text: string;
  stage: string | null;
  /** Line in the later build (else the earlier one). */
  line: number | null;
  before: StepSide | null;
  after: StepSide | null;
}

export interface BuildComparison {
  before: BuildRecord;
  after: BuildRecord;
  steps: StepComparison[];
  /** before.durationMs / after.durationMs; null when either is 0. */
  speedup: number | null;
  savedMs: number;
}

function stepKey(step: RecordedStep): string {
  return `${step.platform ?? ''}|${step.stage ?? ''}|${normalizeInstruction(step.text)}`;
}

function side(step: RecordedStep): StepSide {
  return { status: step.status, cached: step.cached, durationMs: step.durationMs };
}

/**
 * The two builds a comparison means: `after` is the build at `afterIndex` (default: the newest
 * that succeeded, else the newest), `before` the newest successful build before it (else the
 * one just before). A failed or cancelled build ran too little to say anything about speed.
 */
export function comparablePair(all: readonly BuildRecord[], afterIndexInAll?: number): [BuildRecord, BuildRecord] | undefined {
  // A build that could not run has no steps or time to compare.
  const builds = all.filter((b) => b.status !== 'error');
  const afterIndex = afterIndexInAll === undefined ? undefined : builds.indexOf(all[afterIndexInAll]);
  if (afterIndex !== undefined && afterIndex < 0) return undefined;
  const lastSucceeded = (end: number) => {
    for (let i = end; i >= 0; i--) if (builds[i].status === 'succeeded') return i;
    return -1;
  };
  let after = afterIndex ?? lastSucceeded(builds.length - 1);
  if (after < 0) after = builds.length - 1;
  if (after < 1) return undefined;
  let before = lastSucceeded(after - 1);
  if (before < 0) before = after - 1;
  return [builds[before], builds[after]];
}

/** Dockerfile steps of both builds, in the later build's order, then steps only the earlier had. */
export function compareBuilds(before: BuildRecord, after: BuildRecord): BuildComparison {
  const rows = new Map<string, StepComparison>();
  const add = (step: RecordedStep, which: 'before' | 'after') => {
    if (step.internal) return;
    const key = stepKey(step);
    const row = rows.get(key) ?? { key, text: step.text, stage: step.stage, line: step.line, before: null, after: null };
    row[which] = side(step);
    if (which === 'after') row.line = step.line;
    rows.set(key, row);
  };
  const byLine = (a: RecordedStep, b: RecordedStep) => (a.line ?? 0) - (b.line ?? 0);
  for (const s of [...after.steps].sort(byLine)) add(s, 'after');
  for (const s of [...before.steps].sort(byLine)) add(s, 'before');
  return {
    before,
    after,
    steps: [...rows.values()],
    speedup: before.durationMs > 0 && after.durationMs > 0 ? before.durationMs / after.durationMs : null,
    savedMs: before.durationMs - after.durationMs,
  };
}

/**
 * Two builds of one service differ by a few percent from run to run with nothing changed:
 * closer than this is "the same time", not "1.0× slower".
 */
export const SAME_TIME_RATIO = 0.05;
export const SAME_TIME_MS = 250;

export type SpeedChange =
  | { kind: 'unknown' }
  | { kind: 'same'; savedMs: number }
  | { kind: 'faster' | 'slower'; factor: number; savedMs: number };

/** How the later build's time compares with the earlier one's. */
export function speedChange(beforeMs: number, afterMs: number): SpeedChange {
  if (!(beforeMs > 0) || !(afterMs > 0)) return { kind: 'unknown' };
  const savedMs = beforeMs - afterMs;
  if (Math.abs(savedMs) < Math.max(SAME_TIME_MS, SAME_TIME_RATIO * beforeMs)) return { kind: 'same', savedMs };
  return savedMs > 0 ? { kind: 'faster', factor: beforeMs / afterMs, savedMs } : { kind: 'slower', factor: afterMs / beforeMs, savedMs };
}
