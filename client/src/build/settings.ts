/**
 * The `dockopt.build.*` settings, read through a getter so tests need no VS Code. Bad values
 * (a hand-edited settings.json) fall back to the defaults instead of breaking a build.
 */
export interface BuildSettings {
  /** The client executable: `docker`, `/usr/bin/docker`, `podman`, `nerdctl`, a wrapper. */
  command: string;
  /** `--builder NAME` for buildx (a remote BuildKit); undefined for the default builder. */
  builder: string | undefined;
  /** How many services "Build All Services" builds at once. */
  parallel: number;
  /** Per-line "cached" / time decorations in the Dockerfile after a build. */
  decorations: boolean;
  /** More client options, e.g. `--network=none` on machines without a bridge network. */
  extraArgs: string[];
}

export const DEFAULT_BUILD_SETTINGS: BuildSettings = {
  command: 'docker',
  builder: undefined,
  parallel: 2,
  decorations: true,
  extraArgs: [],
};

export const MAX_PARALLEL = 16;

/** `get(key)` reads `dockopt.build.<key>` (VS Code: a configuration scoped to the Dockerfile). */
export function readBuildSettings(get: (key: string) => unknown): BuildSettings {
  const command = get('command');
  const builder = get('builder');
  const parallel = get('parallel');
  const decorations = get('decorations');
  const extraArgs = get('extraArgs');
  return {
    command: typeof command === 'string' && command.trim() !== '' ? command.trim() : DEFAULT_BUILD_SETTINGS.command,
    builder: typeof builder === 'string' && builder.trim() !== '' ? builder.trim() : undefined,
    parallel:
      typeof parallel === 'number' && Number.isFinite(parallel)
        ? Math.min(MAX_PARALLEL, Math.max(1, Math.floor(parallel)))
        : DEFAULT_BUILD_SETTINGS.parallel,
    decorations: typeof decorations === 'boolean' ? decorations : DEFAULT_BUILD_SETTINGS.decorations,
    extraArgs: Array.isArray(extraArgs) ? extraArgs.filter((a): a is string => typeof a === 'string' && a !== '') : [],
  };
}
