/**
 * Incremental parser of BuildKit's `--progress=plain` output:
 *
 *   #8 [stage-0 4/6] RUN pip install -r requirements.txt   the step's name (repeated when steps interleave)
 *   #8 sha256:…                                            its digest (BuildKit before 0.10)
 *   #8 0.110 Collecting flask                              a log line, seconds since the step started
 *   #8 transferring context: 2B done                       progress of a transfer
 *   #8 ...                                                 the printer switches to another step
 *   #8 DONE 1.1s | #8 CACHED | #8 ERROR: … | #8 CANCELED
 *
 * Lines without `#N` are the client's own (errors after the build, warnings, legacy builder).
 */
import { LineBuffer } from './line-buffer';
import {
  appendLog,
  lastErrorLine,
  newStep,
  pushBounded,
  type BuildProgress,
  type BuildStep,
} from './model';

const VERTEX_LINE = /^#(\d+) (.*)$/;
const DIGEST_ONLY = /^sha256:[0-9a-f]{64}$/;
const DONE = /^DONE (\d+(?:\.\d+)?)s$/;
const ERROR = /^ERROR:?\s*(.*)$/;
const LOG = /^(\d+\.\d+)(?: (.*))?$/;
const LEGACY = /^(Sending build context to Docker daemon|Step \d+\/\d+ : |DEPRECATED: The legacy builder)/;

export class PlainProgressParser {
  private readonly steps = new Map<string, BuildStep>();
  private readonly messages: string[] = [];
  private legacyBuilder = false;
  private readonly lines = new LineBuffer((line) => this.pushLine(line));

  /** Feeds a chunk of output as it arrives; lines may be cut anywhere. */
  feed(chunk: string): void {
    this.lines.push(chunk);
  }

  pushLine(raw: string): void {
    const line = raw.replace(/\s+$/, '');
    const m = VERTEX_LINE.exec(line) ?? (/^#\d+$/.test(line) ? [line, line.slice(1), ''] : null);
    if (!m) {
      if (line.trim() === '') return;
      if (LEGACY.test(line)) this.legacyBuilder = true;
      pushBounded(this.messages, line);
      return;
    }
    // `#0 building with "default" instance using docker driver`: buildx's preamble, not a step.
    if (m[1] === '0') return;
    const id = `#${m[1]}`;
    const rest = m[2];
    const step = this.steps.get(id);
    if (!step) {
      this.steps.set(id, newStep({ id, name: rest, digest: null, status: 'running', seen: this.steps.size }));
      return;
    }
    if (rest === step.name || rest === '...' || rest === '') return;
    if (DIGEST_ONLY.test(rest)) {
      step.digest ??= rest;
      return;
    }
    const done = DONE.exec(rest);
    if (done) {
      step.status = 'executed';
      step.durationMs = Math.round(Number(done[1]) * 1000);
      return;
    }
    if (rest === 'CACHED') {
      step.status = 'cached';
      return;
    }
    if (rest === 'CANCELED') {
      step.status = 'canceled';
      return;
    }
    const error = ERROR.exec(rest);
    if (error) {
      step.status = 'failed';
      step.error = error[1];
      return;
    }
    const log = LOG.exec(rest);
    if (log) {
      appendLog(step, log[2] ?? '');
      return;
    }
    step.transferred = true;
  }

  /** The model so far (steps are copies: later input does not change them). */
  snapshot(): BuildProgress {
    return {
      format: 'plain',
      steps: [...this.steps.values()].map((s) => ({ ...s, logTail: [...s.logTail] })),
      errorText: lastErrorLine(this.messages),
      messages: [...this.messages],
      legacyBuilder: this.legacyBuilder,
      spanMs: null,
    };
  }

  /** The output ended: flushes a last unterminated line and returns the final model. */
  end(): BuildProgress {
    this.lines.flush();
    return this.snapshot();
  }
}


/** Parses a whole recorded output at once. */
export function parsePlainProgress(text: string): BuildProgress {
  const parser = new PlainProgressParser();
  parser.feed(text);
  return parser.end();
}
