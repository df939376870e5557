/**
 * The text after each instruction of a Dockerfile once it was built: "cached", the step's time,
 * "failed", and at the cache miss why it missed. Lines are those of the text now in the editor:
 * instructions are matched by their text to the ones the build saw, so an edit above them
 * moves the decorations along, and an instruction changed since the build gets none.
 */
import { formatDuration, readDockerfileSteps, type BuildRecord, type RecordedStep } from '../../../buildkit/src';

export type DecorationKind = 'cached' | 'ran' | 'miss' | 'failed' | 'canceled';

export interface LineDecoration {
  /** 0-based line of the instruction in the current text. */
  line: number;
  kind: DecorationKind;
  text: string;
  hover: string;
}

const MAX_REASON = 70;

/** Build-time line → line in `text`, for instructions whose text did not change. */
export function mapLines(record: BuildRecord, text: string): Map<number, number> {
  const now = readDockerfileSteps(text).instructions.filter((i) => i.stepIndex !== null);
  const then = [...record.fingerprint.steps].sort((a, b) => a.line - b.line);
  const map = new Map<number, number>();
  let from = 0;
  for (const step of then) {
    // In order, so two identical instructions (`WORKDIR /app` in two stages) pair up in turn.
    const at = now.findIndex((ins, i) => i >= from && ins.text === step.text);
    if (at < 0) continue;
    map.set(step.line, now[at].line);
    from = at + 1;
  }
  return map;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function combine(steps: RecordedStep[]): { kind: DecorationKind; ms: number | null } {
  if (steps.some((s) => s.status === 'failed')) return { kind: 'failed', ms: null };
  if (steps.every((s) => s.cached)) return { kind: 'cached', ms: null };
  if (steps.some((s) => s.status === 'canceled')) return { kind: 'canceled', ms: null };
  const ms = steps.filter((s) => !s.cached).reduce((max, s) => Math.max(max, s.durationMs ?? 0), 0);
  return { kind: 'ran', ms };
}

export function lineDecorations(record: BuildRecord, text: string): LineDecoration[] {
  const lines = mapLines(record, text);
  const byLine = new Map<number, RecordedStep[]>();
  for (const step of record.steps) {
    if (step.internal || step.line === null || step.status === 'pending' || step.status === 'running') continue;
    const list = byLine.get(step.line) ?? [];
    list.push(step);
    byLine.set(step.line, list);
  }
  const out: LineDecoration[] = [];
  for (const [buildLine, steps] of byLine) {
    const line = lines.get(buildLine);
    if (line === undefined) continue;
    const { kind, ms } = combine(steps);
    const miss = record.miss && record.miss.line === buildLine && kind === 'ran' ? record.miss : null;
    const reason = steps.find((s) => s.reason && !s.cached)?.reason;
    let textAfter: string;
    let hover: string;
    switch (kind) {
      case 'cached':
        textAfter = 'cached';
        hover = 'Served from the BuildKit cache in the last build.';
        break;
      case 'failed':
        textAfter = 'failed';
        hover = `Failed in the last build${steps.find((s) => s.error)?.error ? `: ${steps.find((s) => s.error)!.error}` : '.'}`;
        break;
      case 'canceled':
        textAfter = 'cancelled';
        hover = 'The last build was cancelled during this step.';
        break;
      default:
        textAfter = miss ? `${formatDuration(ms)} · cache miss: ${shorten(miss.message, MAX_REASON)}` : formatDuration(ms);
        hover = miss
          ? `Cache miss: ${miss.message}. Every later step of the stage ran again because of it.`
          : `Ran in ${formatDuration(ms)} in the last build${reason ? ` (${reason.message})` : ''}.`;
    }
    out.push({ line, kind: miss ? 'miss' : kind, text: textAfter, hover });
  }
  return out.sort((a, b) => a.line - b.line);
}
