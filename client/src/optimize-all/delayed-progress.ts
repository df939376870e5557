/**
 * A progress notification that only appears when the work takes long (a large workspace):
 * small workspaces finish before it would show, so they never flash a notification.
 * Cancelling the notification cancels the work.
 */
import { CancellationTokenSource, type CancellationToken } from 'vscode-jsonrpc';

/** What the notification gets when it opens. */
export interface ProgressSession {
  /** Wires the notification's message line and its Cancel button to the work. */
  attach(report: (message: string) => void, cancellation: CancellationToken): void;
  /** Settles when the work is over and the notification should close. */
  readonly closed: Promise<void>;
}

/** Opens the notification (in VS Code: `window.withProgress` returning `session.closed`). */
export type ShowProgress = (session: ProgressSession) => void;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class DelayedProgress {
  private readonly source = new CancellationTokenSource();
  private lastMessage: string | undefined;
  private forward: ((message: string) => void) | undefined;
  private finished = false;
  private close: () => void = () => {};
  private readonly timer: unknown;

  constructor(
    private readonly show: ShowProgress,
    delayMs: number,
    private readonly timers: Timers = realTimers,
  ) {
    this.timer = timers.setTimeout(() => this.open(), delayMs);
  }

  /** Cancelled when the user cancels the notification. */
  get cancellation(): CancellationToken {
    return this.source.token;
  }

  get shown(): boolean {
    return this.forward !== undefined;
  }

  report(message: string): void {
    this.lastMessage = message;
    this.forward?.(message);
  }

  finish(): void {
    this.finished = true;
    this.timers.clearTimeout(this.timer);
    this.close();
  }

  private open(): void {
    if (this.finished) return;
    const closed = new Promise<void>((resolve) => (this.close = resolve));
    this.show({
      attach: (report, cancellation) => {
        this.forward = report;
        if (this.lastMessage !== undefined) report(this.lastMessage);
        cancellation.onCancellationRequested(() => this.source.cancel());
      },
      closed,
    });
  }
}
