/**
 * A cancellation signal shaped like VS Code's CancellationToken, so plain modules can take
 * VS Code's token as is and tests can cancel without an editor.
 */
export interface Disposable {
  dispose(): void;
}

export interface CancellationLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): Disposable;
}

export class CancellationSource implements CancellationLike {
  private cancelled = false;
  private readonly listeners = new Set<() => void>();

  get isCancellationRequested(): boolean {
    return this.cancelled;
  }

  onCancellationRequested(listener: () => void): Disposable {
    if (this.cancelled) {
      listener();
      return { dispose() {} };
    }
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const listener of [...this.listeners]) listener();
    this.listeners.clear();
  }
}

export const NEVER_CANCELLED: CancellationLike = {
  isCancellationRequested: false,
  onCancellationRequested: () => ({ dispose() {} }),
};
