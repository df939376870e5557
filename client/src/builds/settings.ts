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

/**
 * `get(key)` reads `dockopt.build.<key>` (VS Code: a configuration scoped to the Dockerfile).
 * `command` is a `machine` setting: VS Code drops workspace and folder values of it, so the
 * same scoped `get` yields the User (or Remote) value, never one a repository wrote.
 */
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

/**
 * `dockopt.build.command` is read the same way for every build: unscoped (a `machine` setting
 * has one value per machine, whatever the resource), at the moment the build starts. `inspect`
 * says whether that value was set or is the default, for the log line of each build.
 */
export interface ConfigurationReader {
  get(key: string): unknown;
  inspect?(key: string): { globalValue?: unknown } | undefined;
}

export function describeCommandSource(config: ConfigurationReader, command: string, remoteName?: string): string {
  const set = config.inspect?.('command')?.globalValue;
  if (typeof set === 'string' && set.trim() !== '') return `dockopt.build.command = ${command}`;
  // VS Code ignores a machine setting's User-tab value in a remote window (it may apply it only
  // until the extension's settings are registered): the Remote tab is where it takes effect.
  return remoteName
    ? `dockopt.build.command not set for this machine (remote window: set it on the Remote tab of the settings): default '${command}'`
    : `dockopt.build.command not set: default '${command}'`;
}

/**
 * Where "Open Settings" takes the user to set the build client. A `machine` setting cannot be
 * set in a workspace, and in a remote window (code-server, SSH, WSL, containers) it is not
 * even listed on the User tab: it belongs on the Remote tab, which holds the remote machine's
 * settings. In a local window it is the User tab.
 */
export function buildClientSettingsCommand(remoteName: string | undefined): { command: string; args: unknown[] } {
  const query = { query: 'dockopt.build.command' };
  return remoteName
    ? { command: 'workbench.action.openRemoteSettings', args: [query] }
    : { command: 'workbench.action.openGlobalSettings', args: [query] };
}
