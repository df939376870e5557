/**
 * Incremental parser of `--progress=rawjson`: one JSON-encoded SolveStatus per line
 * (`{"vertexes":[…],"statuses":[…],"logs":[…],"warnings":[…]}`). A vertex comes back many
 * times as it progresses; updates are merged by digest. Log data is base64. Lines that are
 * not JSON are the client's own (`ERROR: failed to solve: …`).
 */
import { LineBuffer } from './line-buffer';
import { appendLog, lastErrorLine, newStep, pushBounded, type BuildProgress, type BuildStep } from './model';
import { parseStepName } from './step-name';

interface RawVertex {
  digest?: string;
  name?: string;
  started?: string;
  completed?: string;
  cached?: boolean;
  error?: string;
}

interface RawStatus {
  vertex?: string;
}

interface RawLog {
  vertex?: string;
  data?: string;
}

interface RawSolveStatus {
  vertexes?: RawVertex[];
  statuses?: RawStatus[];
  logs?: RawLog[];
}

/** Errors BuildKit gives the steps it stopped because the build was cancelled. */
const CANCELED_ERROR = /context canceled|\bcanceled\b|cancelled/i;

export class RawJsonProgressParser {
  private readonly steps = new Map<string, BuildStep>();
  /** Log text after the last newline of each vertex, completed by its next log record. */
  private readonly partialLogs = new Map<string, string>();
  private readonly messages: string[] = [];
  private first: number | null = null;
  private last: number | null = null;
  private readonly lines = new LineBuffer((line) => this.pushLine(line));

  feed(chunk: string): void {
    this.lines.push(chunk);
  }

  pushLine(line: string): void {
    const trimmed = line.trim();
    if (trimmed === '') return;
    let status: RawSolveStatus | null = null;
    if (trimmed.startsWith('{')) {
      try {
        status = JSON.parse(trimmed) as RawSolveStatus;
      } catch {
        status = null;
      }
    }
    if (!status || typeof status !== 'object') {
      pushBounded(this.messages, line);
      return;
    }
    for (const v of Array.isArray(status.vertexes) ? status.vertexes : []) this.mergeVertex(v);
    for (const s of Array.isArray(status.statuses) ? status.statuses : []) {
      const step = s?.vertex ? this.steps.get(s.vertex) : undefined;
      if (step) step.transferred = true;
    }
    for (const l of Array.isArray(status.logs) ? status.logs : []) this.appendLogData(l);
  }

  private mergeVertex(v: RawVertex): void {
    if (!v || typeof v.digest !== 'string') return;
    let step = this.steps.get(v.digest);
    if (!step) {
      step = newStep({ id: v.digest, name: v.name ?? v.digest, digest: v.digest, status: 'pending', seen: this.steps.size });
      this.steps.set(v.digest, step);
    } else if (v.name && v.name !== step.name) {
      Object.assign(step, parseStepName(v.name), { name: v.name });
    }
    const started = parseTime(v.started);
    const completed = parseTime(v.completed);
    // A vertex can run more than once (e.g. a context loaded twice): keep the whole span.
    if (started !== null) {
      step.startedAt = step.startedAt === null ? started : Math.min(step.startedAt, started);
      this.first = this.first === null ? started : Math.min(this.first, started);
    }
    if (completed !== null) {
      step.completedAt = step.completedAt === null ? completed : Math.max(step.completedAt, completed);
      this.last = this.last === null ? completed : Math.max(this.last, completed);
    }
    if (v.error) {
      step.error = v.error;
      step.status = CANCELED_ERROR.test(v.error) ? 'canceled' : 'failed';
    } else if (completed !== null) {
      step.status = v.cached ? 'cached' : 'executed';
    } else if (started !== null && step.status === 'pending') {
      step.status = 'running';
    }
    if (step.startedAt !== null && step.completedAt !== null) {
      step.durationMs = Math.max(0, step.completedAt - step.startedAt);
    }
  }

  private appendLogData(l: RawLog): void {
    const step = l?.vertex ? this.steps.get(l.vertex) : undefined;
    if (!step || typeof l.data !== 'string') return;
    const text = (this.partialLogs.get(step.id) ?? '') + Buffer.from(l.data, 'base64').toString('utf8');
    const parts = text.split(/\r?\n/);
    this.partialLogs.set(step.id, parts.pop() ?? '');
    for (const part of parts) appendLog(step, part);
  }

  snapshot(): BuildProgress {
    return this.model(false);
  }

  end(): BuildProgress {
    this.lines.flush();
    return this.model(true);
  }

  private model(final: boolean): BuildProgress {
    const steps: BuildStep[] = [];
    for (const s of this.steps.values()) {
      // Vertices announced but never started did not run: plain output never shows them either.
      if (final && s.status === 'pending') continue;
      const copy = { ...s, logTail: [...s.logTail] };
      const partial = this.partialLogs.get(s.id);
      if (final && partial) copy.logTail.push(partial);
      steps.push(copy);
    }
    return {
      format: 'rawjson',
      steps,
      errorText: lastErrorLine(this.messages),
      messages: [...this.messages],
      legacyBuilder: false,
      spanMs: this.first !== null && this.last !== null ? this.last - this.first : null,
    };
  }
}

function parseTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  // Go's zero time (0001-01-01) means "not set".
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}


export function parseRawJsonProgress(text: string): BuildProgress {
  const parser = new RawJsonProgressParser();
  parser.feed(text);
  return parser.end();
}
