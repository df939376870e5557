/**
 * The pseudoterminal a build task runs in: BuildKit's own output, live, then dockopt's step
 * table and totals. Ctrl+C, closing the terminal and terminating the task all cancel the build
 * (the runner stops the client's whole process group). Free of `vscode`: VS Code takes this
 * object as its `Pseudoterminal`.
 */
import { compareBuilds, formatBuildReport, formatDuration, type BuildRecord, type ServiceBuildResult } from '../../../server/src/build';
import type { ActiveBuild } from './controller';
import { Emitter } from './events';

const CTRL_C = '\x03';
const BOLD = '\x1b[1m';
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const YELLOW = '\x1b[33m';
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
  const colour = record.status === 'succeeded' ? GREEN : record.status === 'canceled' ? YELLOW : RED;
  const [headline, ...rest] = formatBuildReport(record).split('\n');
  const out = [`${BOLD}${colour}${headline}${RESET}`, ...rest];
  if (previous && record.status === 'succeeded' && previous.durationMs > 0 && record.durationMs > 0) {
    const cmp = compareBuilds(previous, record);
    out.push(
      cmp.savedMs >= 0
        ? `Since the previous build (${formatDuration(previous.durationMs)}): ${cmp.speedup!.toFixed(1)}× faster.`
        : `Since the previous build (${formatDuration(previous.durationMs)}): ${(1 / cmp.speedup!).toFixed(1)}× slower.`,
    );
  }
  return out.join('\n').replace(/\n*$/, '\n');
}

export class BuildTerminal {
  private readonly writeEmitter = new Emitter<string>();
  private readonly closeEmitter = new Emitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private build: ActiveBuild | undefined;
  private closed = false;
  private settle!: (result: ServiceBuildResult | null) => void;
  /** Settles when the build is over (null when it never ran or the runner failed). */
  readonly finished = new Promise<ServiceBuildResult | null>((resolve) => (this.settle = resolve));

  /**
   * `start` begins the build, writing BuildKit's output through the function it gets; it
   * may throw (the service is already building), which ends the terminal with the message.
   */
  constructor(
    private readonly start: (write: (text: string) => void) => ActiveBuild,
    private readonly header: string,
  ) {}

  open(): void {
    this.write(`${BOLD}${this.header}${RESET}\n`);
    try {
      this.build = this.start((text) => this.write(text));
    } catch (error) {
      this.write(`${RED}${error instanceof Error ? error.message : String(error)}${RESET}\n`);
      this.end(1, null);
      return;
    }
    const build = this.build;
    void build.result.then((result) => {
      this.write(`\n${summaryText(result, build.error)}`);
      this.end(exitCodeOf(result?.record ?? null), result);
    });
  }

  /** The user closed the terminal, or the task was terminated. */
  close(): void {
    this.closed = true;
    this.build?.cancel();
  }

  handleInput(data: string): void {
    if (!data.includes(CTRL_C) || !this.build || this.build.cancelRequested) return;
    this.write(`^C\n${YELLOW}dockopt: cancelling the build…${RESET}\n`);
    this.build.cancel();
  }

  private write(text: string): void {
    if (!this.closed) this.writeEmitter.fire(toTerminalText(text));
  }

  private end(code: number, result: ServiceBuildResult | null): void {
    this.settle(result);
    if (!this.closed) this.closeEmitter.fire(code);
  }
}
