/**
 * What to do when the language server's process dies: restart it, tell the user the first
 * time only (later restarts go to the output channel), and give up when it keeps crashing,
 * since a server that dies on every start would otherwise spin forever.
 */
export interface CrashDecision {
  restart: boolean;
  /** A message for a notification; undefined when the log line is enough. */
  notify?: string;
  /** For the output channel, always. */
  log: string;
}

export interface RestartPolicyOptions {
  /** Crashes tolerated within `windowMs` before giving up. */
  maxCrashes?: number;
  windowMs?: number;
}

export class RestartPolicy {
  private crashes: number[] = [];
  private announced = false;
  private readonly maxCrashes: number;
  private readonly windowMs: number;

  constructor(options: RestartPolicyOptions = {}) {
    this.maxCrashes = options.maxCrashes ?? 5;
    this.windowMs = options.windowMs ?? 3 * 60_000;
  }

  onCrash(now: number): CrashDecision {
    this.crashes = [...this.crashes.filter((t) => now - t < this.windowMs), now];
    if (this.crashes.length > this.maxCrashes) {
      const minutes = Math.round(this.windowMs / 60_000);
      const text =
        `The dockopt language server stopped ${this.crashes.length} times in ${minutes} minutes and will not be ` +
        `restarted. See the "dockopt" output, then run "dockopt: Restart Language Server".`;
      return { restart: false, notify: text, log: text };
    }
    const log = `The dockopt language server stopped unexpectedly; restarting it (${this.crashes.length} in the last ${Math.round(this.windowMs / 60_000)} minutes).`;
    if (this.announced) return { restart: true, log };
    this.announced = true;
    return {
      restart: true,
      notify: 'The dockopt language server stopped unexpectedly and was restarted. Details are in the "dockopt" output.',
      log,
    };
  }

  /** A restart the user asked for starts a fresh count (the notice stays said). */
  reset(): void {
    this.crashes = [];
  }
}
