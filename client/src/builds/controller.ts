/**
 * The builds running in this window: at most one per service, each started through the
 * runner (`startServiceBuild`, or a fake in tests), cancellable, and announced to the tree,
 * the status bar and the decorations. Remembers the last build for "Rebuild". Disposing it
 * (the extension deactivating) stops every build's whole process group, quickly.
 */
import type { BuildProgress, BuildRecord, BuildHistory, RunningServiceBuild, ServiceBuildOptions, ServiceBuildResult, BuildRequest } from '../../../buildkit/src';
import { Emitter, type Disposable } from 'vscode-jsonrpc/node';
import { toRequest, type ServiceTarget } from './plan';
import type { BuildSettings } from './settings';
import { unrunnableResult } from './unrunnable';

export type StartServiceBuild = (request: BuildRequest, options: ServiceBuildOptions) => RunningServiceBuild;

/**
 * The extension host is going away and may not run our timers much longer: SIGTERM now (the
 * client tells BuildKit to stop), SIGKILL soon after. The runner also kills what is left when
 * the host process exits.
 */
export const DISPOSE_CANCEL = { signal: 'SIGTERM', killAfterMs: 1_000 } as const;

export interface ActiveBuild {
  readonly target: ServiceTarget;
  /** Clock time (ms) when it started. */
  readonly startedAt: number;
  /** The parsed progress so far (null until the client printed something). */
  readonly progress: BuildProgress | null;
  readonly cancelRequested: boolean;
  cancel(): void;
  /** Settles when the build is over; a runner that failed gives an `error` record (message in `error` too). */
  readonly result: Promise<ServiceBuildResult | null>;
  readonly error: string | null;
}

export type BuildEvent =
  | { type: 'started'; build: ActiveBuild }
  | { type: 'progress'; build: ActiveBuild }
  | { type: 'finished'; build: ActiveBuild; record: BuildRecord | null };

export class AlreadyBuildingError extends Error {
  constructor(readonly target: ServiceTarget) {
    super(`dockopt: ${target.label} is already building.`);
  }
}

export interface ControllerDeps {
  startBuild: StartServiceBuild;
  history?: BuildHistory;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

export interface StartIo {
  /** BuildKit's output for a person, as it arrives. */
  onDisplay?(text: string): void;
}

export class BuildController implements Disposable {
  private readonly active = new Map<string, ActiveBuild>();
  /** The runner's handles of the active builds, for dispose (which must not wait like a cancel). */
  private readonly handles = new Map<string, RunningServiceBuild>();
  private readonly emitter = new Emitter<BuildEvent>();
  readonly onDidChange = this.emitter.event;
  /** The last build started (what "Rebuild" repeats). */
  private lastTarget: ServiceTarget | undefined;

  constructor(private readonly deps: ControllerDeps) {}

  get last(): ServiceTarget | undefined {
    return this.lastTarget;
  }

  running(): ActiveBuild[] {
    return [...this.active.values()];
  }

  get(id: string): ActiveBuild | undefined {
    return this.active.get(id);
  }

  start(target: ServiceTarget, settings: BuildSettings, io: StartIo = {}): ActiveBuild {
    if (this.active.has(target.id)) throw new AlreadyBuildingError(target);
    const now = this.deps.now ?? Date.now;
    let progress: BuildProgress | null = null;
    let cancelRequested = false;
    let error: string | null = null;
    let handle: RunningServiceBuild | undefined;
    const build: ActiveBuild = {
      target,
      startedAt: now(),
      get progress() {
        return progress;
      },
      get cancelRequested() {
        return cancelRequested;
      },
      get error() {
        return error;
      },
      cancel: () => {
        if (cancelRequested) return;
        cancelRequested = true;
        handle?.cancel();
      },
      result: undefined as unknown as Promise<ServiceBuildResult | null>,
    };
    try {
      handle = this.deps.startBuild(toRequest(target, settings), {
        command: settings.command,
        builder: settings.builder,
        env: this.deps.env,
        history: this.deps.history,
        onDisplay: io.onDisplay,
        onProgress: (snapshot) => {
          progress = snapshot;
          this.emitter.fire({ type: 'progress', build });
        },
      });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const running = handle;
    (build as { result: Promise<ServiceBuildResult | null> }).result = (running ? running.result : Promise.reject(new Error(error ?? 'not started')))
      .then(
        (result) => result,
        (e: unknown): ServiceBuildResult => {
          error = e instanceof Error ? e.message : String(e);
          // Still a build of this service: the tree and the status bar show that it failed.
          return unrunnableResult(target.key, error, build.startedAt, now() - build.startedAt);
        },
      )
      .then((result) => {
        this.active.delete(target.id);
        this.handles.delete(target.id);
        this.emitter.fire({ type: 'finished', build, record: result?.record ?? null });
        return result;
      });
    this.active.set(target.id, build);
    if (running) this.handles.set(target.id, running);
    this.lastTarget = target;
    this.emitter.fire({ type: 'started', build });
    return build;
  }

  cancel(id: string): boolean {
    const build = this.active.get(id);
    build?.cancel();
    return !!build;
  }

  cancelAll(): number {
    const all = this.running();
    for (const build of all) build.cancel();
    return all.length;
  }

  dispose(): void {
    for (const handle of this.handles.values()) handle.cancel(DISPOSE_CANCEL);
    this.handles.clear();
    this.emitter.dispose();
  }
}
