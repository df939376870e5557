/**
 * The pseudoterminal of one service's builds: BuildKit's own output, live, then dockopt's step
 * table and totals. It stays open after a build and the service's next build reuses it (cleared
 * first), so rebuilding, or Build All twice, never piles up terminals. Ctrl+C and closing the
 * terminal cancel the build running in it (the runner stops the client's whole process group).
 * Free of `vscode`: VS Code takes this object as the terminal's `Pseudoterminal`.
 */
import { formatBuildReport, type BuildRecord, type ServiceBuildResult } from '../../../buildkit/src';
import { speedupText } from './comparison';
import type { ActiveBuild } from './controller';
import { Emitter } from 'vscode-jsonrpc/node';

const CTRL_C = '\x03';
const BOLD = '\x1b[1m';
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const YELLOW = '\x1b[33m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** The terminal wants CRLF; BuildKit writes LF. */
export function toTerminalText(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export function exitCodeOf(record: BuildRecord | null): number {
  if (!record) return 1;
  if (record.status === 'succeeded') return 0;
  if (record.status === 'canceled') return 130;
  return record.exitCode && record.exitCode > 0 ? record.exitCode : 1;
}

/** What the terminal prints after the build: the step table, the problem, and the change since the last build. */
export function summaryText(result: ServiceBuildResult | null, error: string | null): string {
  if (!result) return `${RED}dockopt: the build could not run: ${error ?? 'unknown error'}${RESET}\n`;
  const { record, previous } = result;
  if (record.status === 'error' && record.steps.length === 0) {
    const problem = record.problem;
    return `${RED}dockopt: the build could not run: ${problem?.message ?? error ?? 'unknown error'}${RESET}\n${problem?.hint ? `  ${problem.hint}\n` : ''}`;
  }
  const colour = record.status === 'succeeded' ? GREEN : record.status === 'canceled' ? YELLOW : RED;
  const [headline, ...rest] = formatBuildReport(record).split('\n');
  const out = [`${BOLD}${colour}${headline}${RESET}`, ...rest];
  if (previous && record.status === 'succeeded' && previous.status === 'succeeded' && previous.durationMs > 0 && record.durationMs > 0) {
    out.push(`Since the previous build: ${speedupText(previous, record)}.`);
  }
  return out.join('\n').replace(/\n*$/, '\n');
}

/** Clears the screen and the scrollback before a new build. */
const CLEAR = '\x1b[2J\x1b[3J\x1b[H';

export class BuildTerminal {
  private readonly writeEmitter = new Emitter<string>();
  private readonly closeEmitter = new Emitter<number | void>();
  private readonly finishEmitter = new Emitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  /** A build in this terminal ended, with the exit code a task would have had (0, 130, the client's). */
  readonly onDidFinishBuild = this.finishEmitter.event;
  private build: ActiveBuild | undefined;
  private opened = false;
  private closed = false;
  private used = false;
  /** Output written before VS Code opened the terminal (it opens it asynchronously). */
  private pending: string[] = [];

  constructor(readonly label: string) {}

  /** VS Code shows the terminal. */
  open(): void {
    this.opened = true;
    for (const text of this.pending) this.writeEmitter.fire(text);
    this.pending = [];
  }

  /** The user closed the terminal: the build in it stops, and the service's next build opens a new one. */
  close(): void {
    this.closed = true;
    this.build?.cancel();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get isBusy(): boolean {
    return this.build !== undefined;
  }

  handleInput(data: string): void {
    if (!data.includes(CTRL_C) || !this.build || this.build.cancelRequested) return;
    this.write(`^C\n${YELLOW}dockopt: cancelling the build…${RESET}\n`);
    this.build.cancel();
  }

  /**
   * Runs one build here: `start` begins it, writing BuildKit's output through the function it
   * gets; it may throw (the service is already building), which the terminal reports.
   */
  async run(start: (write: (text: string) => void) => ActiveBuild, header: string): Promise<ServiceBuildResult | null> {
    if (this.used) this.write(CLEAR);
    this.used = true;
    this.write(`${BOLD}${header}${RESET}\n`);
    let build: ActiveBuild;
    try {
      build = start((text) => this.write(text));
    } catch (error) {
      this.write(`${RED}${error instanceof Error ? error.message : String(error)}${RESET}\n`);
      this.finishEmitter.fire(1);
      return null;
    }
    this.build = build;
    const result = await build.result;
    this.build = undefined;
    this.write(`\n${summaryText(result, build.error)}`);
    this.write(`${DIM}dockopt: the next build of ${this.label} reuses this terminal.${RESET}\n`);
    this.finishEmitter.fire(exitCodeOf(result?.record ?? null));
    return result;
  }

  private write(text: string): void {
    if (this.closed) return;
    const shown = toTerminalText(text);
    if (this.opened) this.writeEmitter.fire(shown);
    else this.pending.push(shown);
  }

  dispose(): void {
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
    this.finishEmitter.dispose();
  }
}
