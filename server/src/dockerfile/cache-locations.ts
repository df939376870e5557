/**
 * Where pip's and npm's caches live for one call (which depends on the user that runs it and on
 * the environment it sees), and whether a RUN's mounts cover that directory. The edits that add
 * a mount are in fixes/cache-mount-edits.ts; those that remove words, commands and ENV
 * properties in fixes/text-removal.ts.
 */
import { posix } from 'node:path';
import type { DockerfileModel, InstructionInfo } from './model';
import { isWithin } from './container-paths';
import { imageEnvironment } from './image-environments';
import { normalizeDir, type RunMount } from './mounts';
import { commandStart, findPipCall, type NpmCall, type PipCall } from './package-managers';
import { parseRunScript, type RunScript, type ShellWord, type SimpleCommand } from './shell';
import { resolveSudoUser, resolveUser, sudoTarget, type ResolvedUser } from './user-in-force';
import { expandText, type Variable } from './variables';
import { NO_VARIABLES, variablesAt, type VariableSource } from './variable-scope';
import { stateBefore, type ForwardFold } from './package-caches/stage-folds';
import { exportsBefore } from './run-exports';

/** The user a package manager runs as, and where its home is. */
export type CacheOwner = ResolvedUser;

export interface CacheLocation {
  /** Absolute, normalized; undefined when it depends on something dockopt cannot resolve. */
  dir?: string;
  /** Where the directory comes from, for messages: `--cache-dir`, `ENV PIP_CACHE_DIR`, `the home of app`… */
  via: string;
  /** The text dockopt could not resolve (e.g. `$CACHE/pip`), when `dir` is undefined. */
  unresolved?: string;
  /**
   * Set when `dir` is unknown only because the user's home is: a cache directory given for the
   * call (`--cache-dir`, `--cache`) puts the cache where dockopt knows it is.
   */
  homeUnknown?: true;
  owner: CacheOwner;
}

/**
 * Where a fix puts the cache of a user whose home dockopt does not know: a directory set for the
 * call (`--cache-dir`, `--cache`), so the mount is where the tool writes whoever runs it. Outside
 * /tmp, which RUNs often wipe (`rm -rf /tmp/*` would hit the mount and fail the build).
 *
 * It cannot be made writable by every uid: BuildKit creates a cache mount owned by root, and
 * `mode=0777` is not honoured under the docker driver (the daemon's umask makes it 0755:
 * moby/moby#47415). So such a fix is only offered, never preferred: it works when that user is
 * root; as another user pip turns its cache off (nothing lands in the image) and npm fails.
 */
export const SET_CACHE_DIRS = { pip: '/var/cache/pip', npm: '/var/cache/npm' } as const;

// ---------------------------------------------------------------------------------------
// Where the cache is

export interface PipRun {
  script: RunScript;
  calls: Array<{ call: PipCall; location: CacheLocation }>;
}

/** Each RUN's pip reading, once per parse: `pip-cache-mount` and `pip-no-cache-dir` both ask. */
const PIP_RUNS = new WeakMap<InstructionInfo, PipRun | null>();

/**
 * The pip calls of a RUN that use pip's cache (install, download, wheel), with where that cache
 * is. Shared between rules: do not change it.
 */
export function pipRun(model: DockerfileModel, info: InstructionInfo): PipRun | undefined {
  // Windows images: no BuildKit cache mounts, and their caches live elsewhere.
  if (info.keyword !== 'RUN' || info.stage?.windows) return undefined;
  let run = PIP_RUNS.get(info);
  if (run === undefined) {
    const script = parseRunScript(model, info.ast);
    const calls = script.commands.flatMap((command) => {
      const call = findPipCall(command);
      return call ? [{ call, location: pipCacheLocation(model, info, call, script) }] : [];
    });
    PIP_RUNS.set(info, (run = calls.length > 0 ? { script, calls } : null));
  }
  return run ?? undefined;
}

/**
 * How pip's cache is switched off for one call: `--no-cache-dir` words and non-empty
 * `PIP_NO_CACHE_DIR=` assignments of the call, or (when the call sets none) an ENV in force.
 * pip turns its cache off for any non-empty value of PIP_NO_CACHE_DIR — `0`, `false` and `no`
 * included, for backwards compatibility — and ignores an empty one (which then also hides the ENV,
 * and stays: it is what keeps the cache on). `arg`: an ARG of the stage with a non-empty default does
 * (when no ENV sets the variable); it can only be told apart from an ENV with the model.
 */
export function pipCacheSwitches(
  info: InstructionInfo,
  call: PipCall,
  model?: DockerfileModel,
  script?: RunScript,
): { words: ShellWord[]; commands: SimpleCommand[]; env: boolean; arg: boolean } {
  const assignments = call.noCacheDirAssignments;
  const emptied = assignments.some((w) => w.value === 'PIP_NO_CACHE_DIR=');
  const words = [...call.noCacheDirWords, ...assignments.filter((w) => w.value !== 'PIP_NO_CACHE_DIR=')];
  const commands: SimpleCommand[] = [];
  const sudo = sudoTarget(call.command);
  // A non-empty assignment hides the ENV only until it is removed: the ENV counts too.
  const seesEnv = (sudo === undefined || sudo.preservesEnv) && !emptied;
  // `export PIP_NO_CACHE_DIR=1` earlier in the RUN, unless the call sets its own: the export's
  // word goes, or the whole `export` when that is all it sets (a bare `export` prints the environment).
  const exported = seesEnv && assignments.length === 0 && script ? exportsBefore(script, call.command).get('PIP_NO_CACHE_DIR') : undefined;
  if (exported && exported.value !== '') {
    const others = exported.command.words.slice(1).filter((w) => !w.value.startsWith('PIP_NO_CACHE_DIR='));
    if (others.length === 0) commands.push(exported.command);
    else words.push(...exported.command.words.slice(1).filter((w) => w.value.startsWith('PIP_NO_CACHE_DIR=')));
  }
  // An empty export keeps the cache on, and hides an ENV; a set one hides it only until removed.
  const hidden = exported !== undefined && exported.value === '';
  const env = info.env.get('PIP_NO_CACHE_DIR');
  // An ARG of the stage with a value is in the RUN's environment too, unless an ENV sets the variable (ENV wins).
  const arg = seesEnv && !hidden && env === undefined && model !== undefined && (variablesAt(model, info).get('PIP_NO_CACHE_DIR') ?? '') !== '';
  return { words, commands, env: seesEnv && !hidden && (env ?? '') !== '', arg };
}

/** pip's cache for this call: --cache-dir, else PIP_CACHE_DIR, else $XDG_CACHE_HOME/pip, else ~/.cache/pip. */
export function pipCacheLocation(model: DockerfileModel, info: InstructionInfo, call: PipCall, script?: RunScript): CacheLocation {
  const scope = commandScope(model, info, call.command, script);
  if (call.cacheDir !== undefined) return scope.locate(call.cacheDir, '--cache-dir', 'runtime');
  // pip ignores empty configuration values, and platformdirs an empty XDG_CACHE_HOME.
  const pipCacheDir = scope.lookup('PIP_CACHE_DIR');
  if (pipCacheDir) return scope.locate(pipCacheDir.value, pipCacheDir.via, pipCacheDir.when);
  const xdg = scope.lookup('XDG_CACHE_HOME');
  if (xdg) return scope.locate(`${xdg.value}/pip`, xdg.via, xdg.when);
  return scope.locate('~/.cache/pip', scope.homeVia, 'runtime');
}

/**
 * npm's cache for this call: --cache, else npm_config_cache (any case, ENV or ARG), else an
 * `npm config set cache DIR` before it (in this RUN or an earlier one), else ~/.npm.
 */
export function npmCacheLocation(model: DockerfileModel, info: InstructionInfo, call: NpmCall, script?: RunScript): CacheLocation {
  const scope = commandScope(model, info, call.command, script);
  if (call.cacheDir !== undefined) return scope.locate(call.cacheDir, '--cache', 'runtime');
  const configured = scope.lookup('npm_config_cache', true);
  if (configured) return scope.locate(configured.value, configured.via, configured.when);
  const set = npmConfigSetCache(model, info, call, script);
  if (set !== undefined) return scope.locate(set, '`npm config set cache`', 'runtime');
  return scope.locate('~/.npm', scope.homeVia, 'runtime');
}

/**
 * The last `npm config set cache DIR` (or `npm set cache DIR`, `cache=DIR`) before the call: in
 * the RUN itself, or in an earlier RUN of the stage (or the stages it builds on) that ran as the
 * same user (a user's ~/.npmrc) or wrote the global config (`-g`, `--location=global`).
 */
function npmConfigSetCache(model: DockerfileModel, info: InstructionInfo, call: NpmCall, script: RunScript | undefined): string | undefined {
  const sets = stateBefore(model, info, NPM_CACHE_SETS);
  const own = sets?.byUser.get(userOf(info));
  let found = own && (!sets?.global || own.order > sets.global.order) ? own.dir : sets?.global?.dir;
  for (const command of script?.commands ?? []) {
    if (command === call.command) break;
    const set = readNpmConfigSetCache(command);
    if (set) found = set.dir;
  }
  return found;
}

/** Whose config a RUN writes (~/.npmrc, the go env file): the user it runs as ('' for the base image's unknown user). */
export const userOf = (i: InstructionInfo) => (i.user?.unknown ? '' : i.user?.name ?? 'root');

interface NpmCacheSet { dir: string; order: number }

/**
 * The `npm config set cache` in force, per user and global, folded over each stage chain once per
 * parse (stage-folds.ts): looking through every earlier set at each npm call cost calls × sets,
 * a second on a file of 1 800 chained stages that each set one.
 */
const NPM_CACHE_SETS: ForwardFold<{ global?: NpmCacheSet; byUser: ReadonlyMap<string, NpmCacheSet> }> = {
  initial: () => ({ byUser: new Map() }),
  step(state, run, model) {
    // Most RUNs set no npm config: skip reading them (`npm cache clean` is no reason to).
    if (run.keyword !== 'RUN' || !/\bnpm\s+(?:config\s+|c\s+)?set\b/.test(model.text.slice(run.startOffset, run.endOffset))) return state;
    let next = state;
    parseRunScript(model, run.ast).commands.forEach((command, k) => {
      const set = readNpmConfigSetCache(command);
      if (!set) return;
      const entry = { dir: set.dir, order: run.index + k / 1e6 };
      next = set.global ? { ...next, global: entry } : { ...next, byUser: new Map(next.byUser).set(userOf(run), entry) };
    });
    return next;
  },
};

function readNpmConfigSetCache(command: SimpleCommand): { dir: string; global: boolean } | undefined {
  const { index } = commandStart(command);
  const words = command.words.slice(index).map((w) => w.value);
  if (words[0]?.replace(/^.*\//, '') !== 'npm') return undefined;
  const global = words.some((w) => w === '-g' || w === '--global' || w === '--location=global') || words.join(' ').includes('--location global');
  const positionals = words.slice(1).filter((w, k, all) => !w.startsWith('-') && all[k - 1] !== '--location');
  const at = positionals[0] === 'set' ? 1 : (positionals[0] === 'config' || positionals[0] === 'c') && positionals[1] === 'set' ? 2 : -1;
  if (at < 0) return undefined;
  for (let k = at; k < positionals.length; k++) {
    if (positionals[k] === 'cache' && positionals[k + 1] !== undefined) return { dir: positionals[k + 1], global };
    if (positionals[k].startsWith('cache=')) return { dir: positionals[k].slice('cache='.length), global };
  }
  return undefined;
}

export interface Lookup { value: string; via: string; when: 'runtime' | 'build' }

/** The user, the variables and the cache locations of one simple command of a RUN. */
export type CommandScope = ReturnType<typeof commandScope>;

/** The user and the variables one simple command of a RUN runs with. */
export function commandScope(model: DockerfileModel, info: InstructionInfo, command: SimpleCommand, script?: RunScript) {
  const sudo = sudoTarget(command);
  const facts = { knownUsers: model.knownUsers, image: info.stage?.image };
  const owner = sudo === undefined ? resolveUser(facts, info.user) : resolveSudoUser(facts, sudo.user);
  // sudo resets the environment (env_reset) unless -E: ENV values and assignments before it do not reach the command.
  const keepsEnv = sudo === undefined || sudo.preservesEnv;
  const buildEnv: VariableSource = keepsEnv ? withImageEnvironment(variablesAt(model, info), info.stage?.image) : NO_VARIABLES;
  const { envAssignments } = commandStart(command);
  // What earlier `export`s of the RUN set, then the command's own assignments (sudo drops both).
  const runtime = new Map<string, string>(keepsEnv && script ? [...exportsBefore(script, command)].map(([name, e]) => [name, e.value]) : []);
  const exported = new Set(runtime.keys());
  for (const word of [...(keepsEnv ? command.assignments : []), ...envAssignments]) {
    const eq = word.value.indexOf('=');
    runtime.set(word.value.slice(0, eq), word.value.slice(eq + 1));
    exported.delete(word.value.slice(0, eq));
  }
  const homeFromEnv = nonEmpty(runtime.get('HOME')) ?? nonEmpty(buildEnv.get('HOME'));
  const homeVia = homeFromEnv !== undefined ? '$HOME' : owner.root ? 'root' : `the home of ${owner.label}`;

  // `anyCase`: npm reads its `npm_config_*` variables in any case; the two spellings people write
  // are looked up by name (iterating the whole environment for each call would cost ENVs × RUNs).
  const lookup = (name: string, anyCase = false): Lookup | undefined => {
    const names = anyCase ? [name.toLowerCase(), name.toUpperCase()] : [name];
    const find = (vars: VariableSource) => {
      for (const key of names) {
        const value = vars.get(key);
        if (value !== undefined && value !== '') return { key, value };
      }
      return undefined;
    };
    const fromRun = find({ get: (key) => runtime.get(key), origin: () => 'ENV' });
    if (fromRun) return { value: fromRun.value, via: exported.has(fromRun.key) ? `export ${fromRun.key}` : `${fromRun.key}=`, when: 'runtime' };
    const fromEnv = find(buildEnv);
    if (fromEnv) return { value: fromEnv.value, via: `${buildEnv.origin(fromEnv.key)} ${fromEnv.key}`, when: 'build' };
    return undefined;
  };

  // Docker expands ENV values when it builds (only ENV/ARG are known then); the shell expands
  // RUN assignments and flags when it runs (HOME is known then).
  const variable = (when: 'runtime' | 'build') => (name: string, depth: number): Variable => {
    if (depth > 8) return 'unknown';
    const assigned = when === 'runtime' ? runtime.get(name) : undefined;
    const raw = assigned ?? buildEnv.get(name);
    if (raw !== undefined) {
      const value = expand(raw, variable('build'), depth + 1);
      return value === undefined ? 'unknown' : { value, origin: assigned !== undefined ? 'command' : buildEnv.origin(name) };
    }
    return name === 'HOME' && when === 'runtime' && owner.home !== undefined ? { value: owner.home, origin: 'home' } : 'unknown';
  };

  const locate = (raw: string, via: string, when: 'runtime' | 'build'): CacheLocation => {
    const home = homeFromEnv !== undefined ? expand(homeFromEnv, variable('build'), 1) : owner.home;
    // The home of a user dockopt does not know: a cache dir set for the call can still place the cache.
    const homeUnknown = homeFromEnv === undefined && owner.home === undefined && /^~(\/|$)|\$\{?HOME\b/.test(raw) ? { homeUnknown: true as const } : {};
    let path = expand(raw, variable(when), 0);
    // pip and npm both expand a leading ~ themselves.
    if (path !== undefined && (path === '~' || path.startsWith('~/'))) {
      if (home === undefined) return { via: homeFromEnv !== undefined ? '$HOME' : via, unresolved: homeFromEnv ?? raw, owner, ...homeUnknown };
      path = home + path.slice(1);
    }
    if (path === undefined || !path.startsWith('/') || /[,"'\s]/.test(path)) return { via, unresolved: raw, owner, ...homeUnknown };
    return { dir: normalizeDir(posix.normalize(path)), via, owner };
  };

  return { owner, homeVia, lookup, locate, runtime: runtime as ReadonlyMap<string, string>, buildEnv };
}

/** The Dockerfile's variables, then those the base image sets (its GOPATH, CARGO_HOME…). */
function withImageEnvironment(vars: VariableSource, image: string | undefined): VariableSource {
  const env = imageEnvironment(image);
  if (Object.keys(env).length === 0) return vars;
  return {
    get: (name) => vars.get(name) ?? (Object.hasOwn(env, name) ? env[name] : undefined),
    origin: (name) => (vars.get(name) !== undefined ? vars.origin(name) : 'image ENV'),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The value with its variables expanded (through `variable`); undefined when one is unknown. */
function expand(value: string, variable: (name: string, depth: number) => Variable, depth: number): string | undefined {
  const out = expandText(value, { lookup: (name) => variable(name, depth), unknown: 'give-up' });
  return out !== undefined && !out.includes('$') && !out.includes('`') ? out : undefined;
}

// ---------------------------------------------------------------------------------------
// Mounts and ranges

/** The cache mount of the RUN whose target is the directory or one of its parents. */
export function coveringCacheMount(mounts: readonly RunMount[], dir: string): RunMount | undefined {
  return mounts.find((m) => m.type === 'cache' && m.target !== undefined && isWithin(m.target, dir));
}

/**
 * A cache mount the tool cannot write to: BuildKit creates it owned by root (uid 0, mode 0755)
 * unless the mount says `uid=`/`mode=`, and pip running as another user then turns its cache off.
 * Only judged when dockopt knows the user's uid.
 */
export function unwritableBy(mount: RunMount, location: CacheLocation): boolean {
  const { owner } = location;
  if (owner.root || owner.uid === undefined) return false;
  const mode = mount.options.get('mode');
  if (mode !== undefined && /^0?[0-7]*7$/.test(mode)) return false; // writable by everyone
  return Number(mount.options.get('uid') ?? 0) !== owner.uid;
}

/** A non-root user whose uid dockopt does not know: a root-owned cache mount would not be writable. */
export function ownerUnknown(location: { owner: CacheOwner }): boolean {
  return !location.owner.root && location.owner.uid === undefined;
}

/** Distinct resolved directories, in order, each with its first location. */
export function distinctDirs<T extends CacheLocation>(locations: readonly T[]): Array<T & { dir: string }> {
  const seen = new Set<string>();
  const out: Array<T & { dir: string }> = [];
  for (const location of locations) {
    if (location.dir === undefined || seen.has(location.dir)) continue;
    seen.add(location.dir);
    out.push(location as T & { dir: string });
  }
  return out;
}

/** From the command name (after sudo/env) to the subcommand: `pip install`, `python -m pip install`. */
export function commandSpan(command: SimpleCommand, subcommand: string): { start: number; end: number } | undefined {
  const { index } = commandStart(command);
  const first = command.words[index];
  if (!first) return undefined;
  const sub = command.words.slice(index + 1).find((w) => w.value === subcommand);
  return { start: first.start, end: Math.max(first.end, sub?.end ?? first.end) };
}
