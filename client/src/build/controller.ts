/**
 * The builds running in this window: at most one per service, each started through the
 * runner (`startServiceBuild`, or a fake in tests), cancellable, and announced to the tree,
 * the status bar and the decorations. Remembers the last build for "Rebuild".
 */
import type { BuildProgress, BuildRecord, BuildHistory, RunningServiceBuild, ServiceBuildOptions, ServiceBuildResult, BuildRequest } from '../../../server/src/build';
import { Emitter, type Disposable } from './events';
import { toRequest, type ServiceTarget } from './plan';
import type { BuildSettings } from './settings';

export type StartServiceBuild = (request: BuildRequest, options: ServiceBuildOptions) => RunningServiceBuild;

export interface ActiveBuild {
  readonly target: ServiceTarget;
  /** Clock time (ms) when it started. */
  readonly startedAt: number;
  /** The parsed progress so far (null until the client printed something). */
  readonly progress: BuildProgress | null;
  readonly cancelRequested: boolean;
  cancel(): void;
  /** Settles when the build is over; null when the runner itself failed (message in `error`). */
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
        (e: unknown) => {
          error = e instanceof Error ? e.message : String(e);
          return null;
        },
      )
      .then((result) => {
        this.active.delete(target.id);
        this.emitter.fire({ type: 'finished', build, record: result?.record ?? null });
        return result;
      });
    this.active.set(target.id, build);
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
    this.cancelAll();
    this.emitter.dispose();
  }
}
