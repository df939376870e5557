/**
 * What the cache-mount rules (pip-cache-mount, pip-no-cache-dir, npm-cache-mount) share:
 * where pip's and npm's caches live for one call (which depends on the user that runs it
 * and on the environment it sees), whether a RUN's mounts cover that directory, the text of
 * a new `--mount=type=cache,…` flag and where it goes. The edits that remove words, commands and
 * ENV properties are in text-removal.ts (re-exported here for the rules).
 */
import { posix } from 'node:path';
import type { DockerfileModel, InstructionInfo } from '../dockerfile/model';
import { normalizeDir, type RunMount } from '../dockerfile/mounts';
import { commandStart, findPipCall, type NpmCall, type PipCall } from '../dockerfile/package-managers';
import { parseRunScript, type RunScript, type ShellWord, type SimpleCommand } from '../dockerfile/shell';
import { imageDefaultUser, imageUserNamed, readArgDefaults } from '../dockerfile/users';
import { isBlank } from './text-removal';
import type { TextEdit } from './types';

export { keepsMeaning, removeEnvPropertiesEdits, removeWordsEdits } from './text-removal';

/** The user a package manager runs as, and where its home is. */
export interface CacheOwner {
  /** `root`, the user as written after USER / `sudo -u`, or `the user of <image>`. */
  label: string;
  root: boolean;
  /** Undefined when dockopt does not know it (the base image's user, or a user it did not create). */
  home?: string;
  uid?: number;
  gid?: number;
  /** The base image's own user, which dockopt does not know. */
  unknown?: true;
}

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

/** The pip calls of a RUN that use pip's cache (install, download, wheel), with where that cache is. */
export function pipRun(model: DockerfileModel, info: InstructionInfo): PipRun | undefined {
  // Windows images: no BuildKit cache mounts, and their caches live elsewhere.
  if (info.keyword !== 'RUN' || info.stage?.windows) return undefined;
  const script = parseRunScript(model, info.ast);
  const calls = script.commands.flatMap((command) => {
    const call = findPipCall(command);
    return call ? [{ call, location: pipCacheLocation(model, info, call) }] : [];
  });
  return calls.length > 0 ? { script, calls } : undefined;
}

/**
 * How pip's cache is switched off for one call: `--no-cache-dir` words and non-empty
 * `PIP_NO_CACHE_DIR=` assignments of the call, or (when the call sets none) an ENV in force.
 * pip turns its cache off for any non-empty value of PIP_NO_CACHE_DIR — `0`, `false` and `no`
 * included, for backwards compatibility — and ignores an empty one (which then also hides the ENV,
 * and stays: it is what keeps the cache on).
 */
export function pipCacheSwitches(info: InstructionInfo, call: PipCall): { words: ShellWord[]; env: boolean } {
  const assignments = call.noCacheDirAssignments;
  const emptied = assignments.some((w) => w.value === 'PIP_NO_CACHE_DIR=');
  const words = [...call.noCacheDirWords, ...assignments.filter((w) => w.value !== 'PIP_NO_CACHE_DIR=')];
  const sudo = sudoTarget(call.command);
  // A non-empty assignment hides the ENV only until it is removed: the ENV counts too.
  const seesEnv = (sudo === undefined || sudo.preservesEnv) && !emptied;
  return { words, env: seesEnv && (info.env.get('PIP_NO_CACHE_DIR') ?? '') !== '' };
}

/** pip's cache for this call: --cache-dir, else PIP_CACHE_DIR, else $XDG_CACHE_HOME/pip, else ~/.cache/pip. */
export function pipCacheLocation(model: DockerfileModel, info: InstructionInfo, call: PipCall): CacheLocation {
  const scope = callScope(model, info, call.command);
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
  const scope = callScope(model, info, call.command);
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
  const stages = new Set<InstructionInfo['stage']>();
  for (let stage = info.stage; stage; stage = stage.parent) stages.add(stage);
  const userOf = (i: InstructionInfo) => (i.user?.unknown ? '' : i.user?.name ?? 'root');
  let found: string | undefined;
  for (const set of npmConfigSets(model)) {
    if (set.run.index >= info.index || !stages.has(set.run.stage)) continue;
    if (set.global || userOf(set.run) === userOf(info)) found = set.dir;
  }
  for (const command of script?.commands ?? []) {
    if (command === call.command) break;
    const set = readNpmConfigSetCache(command);
    if (set) found = set.dir;
  }
  return found;
}

/** Every `npm config set cache` of the file, read once per parse: rules ask for each npm call. */
function npmConfigSets(model: DockerfileModel): Array<{ run: InstructionInfo; dir: string; global: boolean }> {
  let sets = CONFIG_SETS.get(model);
  if (!sets) {
    sets = [];
    for (const run of model.stages.flatMap((stage) => stage.instructions)) {
      // Most RUNs set no npm config: skip reading them (`npm cache clean` is no reason to).
      if (run.keyword !== 'RUN' || !/\bnpm\s+(?:config\s+|c\s+)?set\b/.test(model.text.slice(run.startOffset, run.endOffset))) continue;
      for (const command of parseRunScript(model, run.ast).commands) {
        const set = readNpmConfigSetCache(command);
        if (set) sets.push({ run, ...set });
      }
    }
    CONFIG_SETS.set(model, sets);
  }
  return sets;
}

const CONFIG_SETS = new WeakMap<DockerfileModel, Array<{ run: InstructionInfo; dir: string; global: boolean }>>();

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

interface Lookup { value: string; via: string; when: 'runtime' | 'build' }

/** The user and the variables one simple command of a RUN runs with. */
function callScope(model: DockerfileModel, info: InstructionInfo, command: SimpleCommand) {
  const sudo = sudoTarget(command);
  const owner = sudo === undefined ? ownerOf(model, info, info.user) : sudoOwner(model, info, sudo.user);
  // sudo resets the environment (env_reset) unless -E: ENV values and assignments before it do not reach the command.
  const keepsEnv = sudo === undefined || sudo.preservesEnv;
  const buildEnv: VariableSource = keepsEnv ? environmentOf(model, info) : NO_VARIABLES;
  const { envAssignments } = commandStart(command);
  const runtime = new Map<string, string>();
  for (const word of [...(keepsEnv ? command.assignments : []), ...envAssignments]) {
    const eq = word.value.indexOf('=');
    runtime.set(word.value.slice(0, eq), word.value.slice(eq + 1));
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
    const fromRun = find({ get: (key) => runtime.get(key), origin: () => '' });
    if (fromRun) return { value: fromRun.value, via: `${fromRun.key}=`, when: 'runtime' };
    const fromEnv = find(buildEnv);
    if (fromEnv) return { value: fromEnv.value, via: `${buildEnv.origin(fromEnv.key)} ${fromEnv.key}`, when: 'build' };
    return undefined;
  };

  // Docker expands ENV values when it builds (only ENV/ARG are known then); the shell expands
  // RUN assignments and flags when it runs (HOME is known then).
  const variable = (when: 'runtime' | 'build') => (name: string, depth: number): string | undefined => {
    if (depth > 8) return undefined;
    const raw = (when === 'runtime' ? runtime.get(name) : undefined) ?? buildEnv.get(name);
    if (raw !== undefined) return expand(raw, variable('build'), depth + 1);
    return name === 'HOME' && when === 'runtime' ? owner.home : undefined;
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

  return { owner, homeVia, lookup, locate };
}

/**
 * The variables a RUN sees from the Dockerfile: the stage's ARGs with a value (an ARG is in the
 * environment of the RUNs after it, in its stage only), then the ENVs, which win over an ARG.
 */
/** Variables looked up by name only: reading a whole environment per RUN would cost ENVs × RUNs. */
export interface VariableSource {
  get(name: string): string | undefined;
  /** `ENV` or `ARG`: where a variable it has comes from, for messages. */
  origin(name: string): string;
}

const NO_VARIABLES: VariableSource = { get: () => undefined, origin: () => 'ENV' };

function environmentOf(model: DockerfileModel, info: InstructionInfo): VariableSource {
  const env = info.env;
  const args = info.stage ? stageArgs(model).get(info.stage) : undefined;
  const argValue = (name: string): string | undefined => {
    let value: string | undefined;
    for (const arg of args?.get(name) ?? []) if (arg.index < info.index) value = arg.value;
    return value;
  };
  return {
    get: (name) => env.get(name) ?? argValue(name),
    origin: (name) => (env.get(name) !== undefined ? 'ENV' : 'ARG'),
  };
}

type ArgsByName = Map<string, Array<{ index: number; value: string }>>;

/** The ARGs with a value of each stage, by name, in order: read once per parse. */
function stageArgs(model: DockerfileModel): Map<InstructionInfo['stage'], ArgsByName> {
  let byStage = STAGE_ARGS.get(model);
  if (byStage) return byStage;
  byStage = new Map();
  // The global ARGs (before the first FROM), read only when an `ARG NAME` needs their defaults.
  let globals: Map<string, string> | undefined;
  const globalDefault = (name: string) => {
    if (!globals) {
      globals = new Map();
      for (const i of model.instructions) {
        if (i.stage) break;
        if (i.keyword === 'ARG') for (const [k, v] of readArgDefaults(i.ast)) globals.set(k, v);
      }
    }
    return globals.get(name);
  };
  for (const i of model.stages.flatMap((stage) => stage.instructions)) {
    if (i.keyword !== 'ARG' || !i.stage) continue;
    const defaults = new Map(readArgDefaults(i.ast));
    const names: ArgsByName = byStage.get(i.stage) ?? new Map();
    for (const arg of i.ast.getArguments()) {
      const name = arg.getValue().split('=')[0];
      // `ARG NAME` alone takes the default of a global ARG of that name, when there is one.
      const value = defaults.get(name) ?? globalDefault(name);
      if (value !== undefined) names.set(name, [...(names.get(name) ?? []), { index: i.index, value }]);
    }
    byStage.set(i.stage, names);
  }
  STAGE_ARGS.set(model, byStage);
  return byStage;
}

const STAGE_ARGS = new WeakMap<DockerfileModel, Map<InstructionInfo['stage'], ArgsByName>>();

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** `$NAME` and `${NAME}` replaced; undefined when a variable (or another expansion) is unknown. */
function expand(value: string, variable: (name: string, depth: number) => string | undefined, depth: number): string | undefined {
  let known = true;
  const out = value.replace(/\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/g, (_match, braced: string | undefined, bare: string | undefined) => {
    const resolved = variable((braced ?? bare)!, depth);
    if (resolved === undefined) known = false;
    return resolved ?? '';
  });
  return known && !out.includes('$') && !out.includes('`') ? out : undefined;
}

/** The user `sudo`/`doas` switches to (`root` unless -u), or undefined when the command has no sudo. */
function sudoTarget(command: SimpleCommand): { user: string; preservesEnv: boolean } | undefined {
  const { index } = commandStart(command);
  let target: { user: string; preservesEnv: boolean } | undefined;
  const words = command.words;
  for (let i = 0; i < index; i++) {
    const value = words[i].value;
    if (/^(.*\/)?(sudo|doas)$/.test(value)) target = { user: 'root', preservesEnv: false };
    else if (!target) continue;
    else if (value === '-u' || value === '--user') target.user = words[i + 1]?.value ?? target.user;
    else if (/^-u./.test(value)) target.user = value.slice(2);
    else if (value.startsWith('--user=')) target.user = value.slice('--user='.length);
    else if (value === '-E' || value.startsWith('--preserve-env')) target.preservesEnv = true;
  }
  return target;
}

function sudoOwner(model: DockerfileModel, info: InstructionInfo, target: string): CacheOwner {
  const name = target.replace(/^#/, ''); // sudo -u '#1000' takes a uid
  if (name === 'root' || name === '0') return ownerOf(model, info, undefined);
  const uid = /^\d+$/.test(name) ? Number(name) : undefined;
  return ownerOf(model, info, { name, uid });
}

const ROOT: CacheOwner = { label: 'root', root: true, home: '/root' };

function ownerOf(model: DockerfileModel, info: InstructionInfo, user: InstructionInfo['user']): CacheOwner {
  if (!user) return ROOT;
  const image = info.stage?.image;
  if (user.unknown) return { label: `the user of ${image ?? 'the base image'}`, root: false, unknown: true };
  const numeric = /^\d+$/.test(user.name);
  const known = model.knownUsers.get(user.name) ?? (numeric ? [...model.knownUsers.values()].find((u) => u.uid === Number(user.name)) : undefined);
  const fromImage = image !== undefined ? imageUserNamed(image, user.name) : undefined;
  // A uid without a passwd entry gets HOME=/ from Docker: known only when the image's users are.
  const imageKnown = image !== undefined && imageDefaultUser(image).kind !== 'unknown';
  return {
    label: user.name,
    root: false,
    home: known?.home ?? fromImage?.home ?? (numeric && imageKnown ? '/' : undefined),
    uid: user.uid ?? known?.uid ?? fromImage?.uid,
    gid: user.gid ?? known?.gid ?? fromImage?.gid,
  };
}

// ---------------------------------------------------------------------------------------
// Mounts

/** The cache mount of the RUN whose target is the directory or one of its parents. */
export function coveringCacheMount(mounts: readonly RunMount[], dir: string): RunMount | undefined {
  return mounts.find((m) => m.type === 'cache' && m.target !== undefined && (m.target === dir || m.target === '/' || dir.startsWith(m.target + '/')));
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

/** `,uid=N[,gid=N]` appended to a mount's value, or the wrong uid replaced; undefined when it cannot be placed. */
export function ownerOptionsEdit(model: DockerfileModel, mount: RunMount, location: CacheLocation): TextEdit | undefined {
  const { owner } = location;
  if (!mount.valueRange || owner.uid === undefined) return undefined;
  const start = model.offsetAt(mount.valueRange.start);
  const end = model.offsetAt(mount.valueRange.end);
  const value = model.text.slice(start, end);
  // Quoted or continued over lines: not a value dockopt rewrites.
  if (/["'\s]/.test(value) || value.includes(model.escapeChar)) return undefined;
  const options = value.split(',').filter((o) => !/^(uid|gid)=/.test(o));
  options.push(`uid=${owner.uid}`);
  if (owner.gid !== undefined) options.push(`gid=${owner.gid}`);
  return { start, end, newText: options.join(',') };
}

/** A non-root user whose uid dockopt does not know: a root-owned cache mount would not be writable. */
export function ownerUnknown(location: { owner: CacheOwner }): boolean {
  return !location.owner.root && location.owner.uid === undefined;
}

/** `--mount=type=cache,target=/root/.cache/pip`, with the owner's uid/gid when not root and known. */
export function cacheMountFlag(location: { dir: string; owner: CacheOwner }): string {
  let flag = `--mount=type=cache,target=${location.dir}`;
  if (!location.owner.root && location.owner.uid !== undefined) flag += `,uid=${location.owner.uid}`;
  if (!location.owner.root && location.owner.gid !== undefined) flag += `,gid=${location.owner.gid}`;
  return flag;
}

/**
 * `option` (`--cache-dir=/var/cache/pip`) right after each call's subcommand word, as the RUN
 * writes its words (an exec-form element, or a shell word). Undefined when a subcommand's text
 * is not plainly written (quotes, escapes): better no fix than a wrong one.
 */
export function afterSubcommandEdits(text: string, script: RunScript, calls: ReadonlyArray<{ command: SimpleCommand; subcommand: string }>, option: string): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const call of calls) {
    const span = commandSpan(call.command, call.subcommand);
    const word = span ? call.command.words.find((w) => w.end === span.end && w.value === call.subcommand) : undefined;
    if (!word) return undefined;
    const written = text.slice(word.start, word.end);
    if (script.form === 'exec' && written.startsWith('"')) {
      if (written !== JSON.stringify(word.value)) return undefined;
      edits.push({ start: word.end, end: word.end, newText: `, ${JSON.stringify(option)}` });
    } else {
      if (written !== word.value || /[\s"'$`\\]/.test(option)) return undefined;
      edits.push({ start: word.end, end: word.end, newText: ` ${option}` });
    }
  }
  return edits;
}

/**
 * Inserts the flags where a RUN's flags end (before the command, the exec-form `[` or `<<EOF`).
 * When the fix also deletes the RUN's first word (`RUN PIP_NO_CACHE_DIR=1 pip …`), the flags go
 * before the word that follows the deletion instead, so the edits never overlap.
 */
export function insertFlagsEdit(text: string, script: RunScript, flags: readonly string[], deletions: readonly TextEdit[] = []): TextEdit {
  let at = script.argumentsStart;
  for (const deletion of [...deletions].sort((a, b) => a.start - b.start)) {
    if (deletion.start <= at && at < deletion.end) {
      at = deletion.end;
      while (isBlank(text[at])) at++;
    }
  }
  return { start: at, end: at, newText: flags.map((f) => `${f} `).join('') };
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

// ---------------------------------------------------------------------------------------
// Finding ranges

/** From the command name (after sudo/env) to the subcommand: `pip install`, `python -m pip install`. */
export function commandSpan(command: SimpleCommand, subcommand: string): { start: number; end: number } | undefined {
  const { index } = commandStart(command);
  const first = command.words[index];
  if (!first) return undefined;
  const sub = command.words.slice(index + 1).find((w) => w.value === subcommand);
  return { start: first.start, end: Math.max(first.end, sub?.end ?? first.end) };
}
