/**
 * Which step cost the rebuild, and why. The first step that ran after cached ones is the
 * cache miss: every later step of its stage runs again because of it. Its reason comes from
 * comparing this build's fingerprint with the previous build's: the files a COPY/ADD reads,
 * the instruction text, the base image, a stage it copies from that was rebuilt.
 */
import { compileIgnore } from '../../shared/src/dockerignore/ignore-matcher';
import { changedFiles, type SourceDigest } from './context-sources';
import type { DockerfileInstruction, DockerfileSteps } from './dockerfile-steps';
import type { BuildFingerprint, StepFingerprint } from './fingerprint';
import { stageLabel } from './fingerprint';
import { isCachedStep, isFromStep, type BuildStep } from './model';

export type MissKind =
  | 'sources-changed'
  | 'instruction-changed'
  | 'new-instruction'
  | 'base-image-changed'
  | 'stage-rebuilt'
  | 'earlier-miss'
  | 'previous-incomplete'
  | 'cache-unavailable'
  | 'no-history';

export interface MissReason {
  kind: MissKind;
  /** One sentence for the user. */
  message: string;
  /** For sources-changed: the context files that differ (changed, added or removed). */
  changedFiles?: string[];
  /** Of those, the ones a .dockerignore change now leaves out of the context (they did not change). */
  newlyExcluded?: string[];
  /** Of those, the ones a .dockerignore change lets into the context again. */
  newlyIncluded?: string[];
  /** For earlier-miss / stage-rebuilt: the line of the miss that caused this one. */
  causeLine?: number;
}

export interface CacheMiss extends MissReason {
  line: number;
  /** The instruction as written (normalized): `COPY src/ ./src/`. */
  instruction: string;
  stepName: string;
}

/** What the previous build did at each Dockerfile line (from its record): a step it never finished left no cache. */
export interface PreviousOutcome {
  steps: ReadonlyArray<{ line: number | null; status: BuildStep['status']; cached: boolean; internal: boolean }>;
}

export interface CacheAnalysis {
  miss: CacheMiss | null;
  /** Why each step that ran did not come from the cache, by step id. */
  reasons: Map<string, MissReason>;
}

function ran(step: BuildStep): boolean {
  return !isCachedStep(step) && (step.status === 'executed' || step.status === 'failed' || step.status === 'canceled');
}

const NAMED_FILES = 3;

function listFiles(files: string[]): string {
  const shown = files.slice(0, NAMED_FILES).join(', ');
  return files.length > NAMED_FILES ? `${shown} (+${files.length - NAMED_FILES} more)` : shown;
}

/** The previous build's fingerprint of the same instruction: same stage and text, else same position. */
function previousOf(previous: BuildFingerprint, current: StepFingerprint): StepFingerprint | undefined {
  const sameStage = previous.steps.filter((s) => s.stage === current.stage);
  return (
    sameStage.find((s) => s.text === current.text && s.stepIndex === current.stepIndex) ??
    sameStage.find((s) => s.stepIndex === current.stepIndex)
  );
}

export function analyzeCacheMisses(
  steps: readonly BuildStep[],
  layout: DockerfileSteps,
  current: BuildFingerprint,
  previous: BuildFingerprint | null,
  previousOutcome?: PreviousOutcome,
): CacheAnalysis {
  const reasons = new Map<string, MissReason>();
  const byLine = new Map<number, DockerfileInstruction>(layout.instructions.map((i) => [i.line, i]));
  const stepsAt = (line: number) => steps.filter((s) => s.line === line);
  const lined = steps.filter((s) => s.line !== null && !s.internal).sort((a, b) => a.line! - b.line!);
  const ranInStage = (stageIndex: number) =>
    lined.find((s) => ran(s) && !isFromStep(s) && byLine.get(s.line!)?.stageIndex === stageIndex);

  const candidates: Array<{ step: BuildStep; ins: DockerfileInstruction; reason: MissReason }> = [];
  for (const step of lined) {
    const ins = byLine.get(step.line!);
    if (!ins || ins.keyword === 'FROM' || !ran(step)) continue;
    const stage = layout.stages[ins.stageIndex];
    const before = stage.instructions.find((i) => i.stepIndex === ins.stepIndex! - 1);
    const beforeRan = before && before.keyword !== 'FROM' && stepsAt(before.line).some(ran);
    if (beforeRan) {
      reasons.set(step.id, {
        kind: 'earlier-miss',
        message: `runs again because line ${before.line + 1} (${before.keyword}) missed the cache`,
        causeLine: before.line,
      });
      continue;
    }
    const reason = explain(ins, layout, current, previous, ranInStage, previousOutcome);
    reasons.set(step.id, reason);
    candidates.push({ step, ins, reason });
  }

  const anyCached = lined.some((s) => isCachedStep(s) && !isFromStep(s));
  const first = candidates[0];
  // A first build with nothing cached is cold, not a miss.
  const miss =
    first && (anyCached || previous)
      ? { ...first.reason, line: first.ins.line, instruction: first.ins.text, stepName: first.step.name }
      : null;
  return { miss, reasons };
}

function explain(
  ins: DockerfileInstruction,
  layout: DockerfileSteps,
  current: BuildFingerprint,
  previous: BuildFingerprint | null,
  ranInStage: (stageIndex: number) => BuildStep | undefined,
  previousOutcome?: PreviousOutcome,
): MissReason {
  const stage = layout.stages[ins.stageIndex];
  const fromStage = /--from=(\S+)/i.exec(ins.text)?.[1]?.toLowerCase();
  const parents = [fromStage, stage.base.toLowerCase()].filter((n): n is string => !!n);
  for (const name of parents) {
    const parent = layout.stages.find((s) => s.index < ins.stageIndex && (s.name === name || `stage-${s.index}` === name || String(s.index) === name));
    const rebuilt = parent && ranInStage(parent.index);
    if (rebuilt) {
      return {
        kind: 'stage-rebuilt',
        message: `stage ${stageLabel(layout, parent.index)} was rebuilt (line ${rebuilt.line! + 1} missed the cache)`,
        causeLine: rebuilt.line!,
      };
    }
  }
  if (!previous) return { kind: 'no-history', message: 'no earlier build of this service is recorded to compare with' };

  const now = current.steps.find((s) => s.line === ins.line);
  const then = now ? previousOf(previous, now) : undefined;
  if (!now || !then) return { kind: 'new-instruction', message: 'new instruction since the last build' };
  if (then.text !== now.text) {
    const moved = previous.steps.some((s) => s.stage === now.stage && s.text === now.text);
    return moved
      ? { kind: 'instruction-changed', message: `instructions before it in stage ${now.stage} were added or removed` }
      : { kind: 'instruction-changed', message: `instruction changed since the last build (was: ${then.text})` };
  }
  if (ins.stepIndex === 2) {
    const fromNow = current.steps.find((s) => s.stageIndex === ins.stageIndex && s.stepIndex === 1);
    const fromThen = previous.steps.find((s) => s.stage === now.stage && s.stepIndex === 1);
    if (fromNow && fromThen && fromNow.text !== fromThen.text) {
      return { kind: 'base-image-changed', message: `base image changed (was: ${fromThen.text})` };
    }
    const imageNow = current.baseImages.find((b) => b.stageIndex === ins.stageIndex);
    const imageThen = previous.baseImages.find((b) => b.ref === imageNow?.ref);
    if (imageNow?.id && imageThen?.id && imageNow.id !== imageThen.id) {
      return {
        kind: 'base-image-changed',
        message: `base image ${imageNow.ref} changed (${shortId(imageThen.id)} → ${shortId(imageNow.id)})`,
      };
    }
  }
  if (now.sources && then.sources && now.sources.hash !== then.sources.hash) {
    const files = changedFiles(then.sources, now.sources);
    const split = files ? splitByIgnoreChange(files, then.sources, now.sources, previous, current) : null;
    return {
      kind: 'sources-changed',
      message: split ? sourcesMessage(split) : 'files it copies changed since the last build',
      ...(files ? { changedFiles: files } : {}),
      ...(split?.newlyExcluded.length ? { newlyExcluded: split.newlyExcluded } : {}),
      ...(split?.newlyIncluded.length ? { newlyIncluded: split.newlyIncluded } : {}),
    };
  }
  const argsChanged = Object.keys({ ...current.buildArgs, ...previous.buildArgs }).filter(
    (k) => current.buildArgs[k] !== previous.buildArgs[k],
  );
  if (argsChanged.length) {
    return { kind: 'instruction-changed', message: `build arguments changed since the last build: ${argsChanged.join(', ')}` };
  }
  const unfinished = previousOutcome && unfinishedBefore(previousOutcome, then.line);
  if (unfinished) return { kind: 'previous-incomplete', message: unfinished };
  return {
    kind: 'cache-unavailable',
    message:
      'same instruction and inputs as the last build: its cache entry was probably pruned, or the build ran on another builder or with --no-cache',
  };
}

/** Why the previous build left no cache entry for the step at that line, or null when it finished it. */
function unfinishedBefore(previous: PreviousOutcome, line: number): string | null {
  const steps = previous.steps.filter((s) => !s.internal && s.line === line);
  if (steps.length === 0) return 'the last build stopped before this step, so it left nothing to reuse';
  if (steps.some((s) => s.cached || s.status === 'executed')) return null;
  if (steps.some((s) => s.status === 'failed')) return 'it failed in the last build, so there was nothing to reuse';
  if (steps.some((s) => s.status === 'canceled')) return 'the last build was cancelled during this step, so it left nothing to reuse';
  return 'the last build did not run this step, so it left nothing to reuse';
}

interface SourceChanges {
  changed: string[];
  newlyExcluded: string[];
  newlyIncluded: string[];
}

/**
 * A file that left (or joined) what an instruction copies because the .dockerignore changed did
 * not itself change: the ignore file's text before and after says which ones those are. Without
 * both texts (older records, huge ignore files) every difference is "changed".
 */
function splitByIgnoreChange(
  files: readonly string[],
  before: SourceDigest,
  after: SourceDigest,
  previous: BuildFingerprint,
  current: BuildFingerprint,
): SourceChanges {
  const out: SourceChanges = { changed: [], newlyExcluded: [], newlyIncluded: [] };
  const known = typeof previous.ignoreText === 'string' && typeof current.ignoreText === 'string' && previous.ignoreText !== current.ignoreText;
  const then = known ? compileIgnore(previous.ignoreText!) : null;
  const now = known ? compileIgnore(current.ignoreText!) : null;
  for (const file of files) {
    const wasThere = before.files !== null && file in before.files;
    const isThere = after.files !== null && file in after.files;
    if (then && now && wasThere && !isThere && now.ignores(file) && !then.ignores(file)) out.newlyExcluded.push(file);
    else if (then && now && !wasThere && isThere && then.ignores(file) && !now.ignores(file)) out.newlyIncluded.push(file);
    else out.changed.push(file);
  }
  return out;
}

function sourcesMessage(split: SourceChanges): string {
  const parts: string[] = [];
  if (split.changed.length) parts.push(`files it copies changed since the last build: ${listFiles(split.changed)}`);
  if (split.newlyExcluded.length) parts.push(`files newly excluded by .dockerignore: ${listFiles(split.newlyExcluded)}`);
  if (split.newlyIncluded.length) parts.push(`files newly included (no longer excluded by .dockerignore): ${listFiles(split.newlyIncluded)}`);
  return parts.length ? parts.join('; ') : 'files it copies changed since the last build';
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}
