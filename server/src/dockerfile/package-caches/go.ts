/**
 * Go (`go help environment`, `go help modules`, `go help cache`): two caches.
 * - The module cache: downloaded modules, in GOMODCACHE, else the first entry of GOPATH + /pkg/mod,
 *   GOPATH defaulting to ~/go (the golang image sets GOPATH=/go: /go/pkg/mod). Every call that
 *   resolves modules fills it: build, install, test, run, vet, get, mod download|tidy|vendor.
 * - The build cache: compiled packages and test results, in GOCACHE, else
 *   $XDG_CACHE_HOME/go-build, else ~/.cache/go-build. Only the calls that compile use it.
 * A variable set in the environment wins over the user's go env file, which `go env -w` writes
 * (and `go env -u` clears); dockopt reads the `go env -w` of earlier RUNs of the same user.
 *
 * Nothing switches either off: GOCACHE=off fails the build since Go 1.12 ("build cache is
 * disabled by GOCACHE=off, but required"), so there is no cache to mount, not a cache to save.
 * `-mod=vendor` (flag or GOFLAGS) builds from vendor/ and GOPROXY=off downloads nothing: those
 * calls need no module cache. `go clean -modcache` and `go clean -cache` wipe them.
 * Older Go has fewer caches: none before Go 1.10, no module cache before 1.11, and modules only
 * with GO111MODULE=on or a go.mod up to 1.15 (GOPATH mode otherwise, as GO111MODULE=off asks of
 * any version); the golang image's tag says which Go runs.
 * Both caches are safe for concurrent go commands (the go command locks its files), so the
 * mounts need no `sharing=locked`, as Docker's Go guide mounts them.
 */
import { userOf, type CacheLocation, type CommandScope } from '../cache-locations';
import { commandStart } from '../package-managers';
import { imageRepository } from '../users';
import { parseRunScript, type SimpleCommand } from '../shell';
import { isCommand, positionals } from './call-words';
import { earlierRunsMatching } from './earlier-runs';
import type { ManagerCache, ManagerContext, PackageManager } from './manager';
import { storeNeededLater } from './store-needed-later';

/** Calls that compile (both caches) and calls that only resolve modules (the module cache). */
const BUILDS = new Set(['build', 'install', 'test', 'run', 'vet']);
const FETCHES = new Set(['get', 'mod download', 'mod tidy', 'mod vendor']);
/** `go -C dir build`: the one flag before the subcommand, with a value. */
const WITH_VALUE = new Set(['-C']);
const MODULES = 'downloaded modules';
const BUILD_CACHE = 'compiled packages';

export const go: PackageManager = {
  name: 'Go',
  redoes(caches) {
    const modules = caches.some((c) => c.holds === MODULES);
    const builds = caches.some((c) => c.holds === BUILD_CACHE);
    return modules && builds ? 'downloads every module and compiles every package' : builds ? 'compiles every package' : 'downloads every module';
  },
  anchor: 'go',
  mentioned: /\bgo\b/,
  readCall(command, words) {
    if (!isCommand(words, ['go'])) return undefined;
    const args = positionals(words, WITH_VALUE);
    const first = args[0]?.word.value;
    if (first === undefined) return undefined;
    if (BUILDS.has(first) || FETCHES.has(first)) return { command, words, subcommand: args[0].word, disableWords: [] };
    const pair = args[1] !== undefined ? `${first} ${args[1].word.value}` : '';
    return FETCHES.has(pair) ? { command, words, subcommand: args[1].word, disableWords: [] } : undefined;
  },
  caches(call, scope, context) {
    const values = call.words.map((w) => w.value);
    const builds = BUILDS.has(call.subcommand.value);
    const written = goEnvWritten(context, call.command);
    const setting = (name: string) => fromEnvironment(scope, name) ?? fromGoEnvFile(written, name);
    const out: ManagerCache[] = [];
    const version = goVersion(context.info.stage?.image);
    if (version !== undefined && version < 10) return out;
    const offline = setting('GOPROXY')?.value === 'off';
    const vendored = builds && (hasModVendor(values) || / -mod=vendor(\s|$)/.test(` ${setting('GOFLAGS')?.value ?? ''}`));
    const gopathMode = setting('GO111MODULE')?.value === 'off' || (version !== undefined && version < 11);
    if (!offline && !vendored && !gopathMode) out.push({ ...moduleCache(scope, setting), holds: MODULES });
    if (builds) {
      const cache = setting('GOCACHE');
      if (cache?.value !== 'off') out.push({ ...buildCache(scope, cache), holds: BUILD_CACHE });
    }
    return out;
  },
  isCacheWipe(words) {
    if (!isCommandWords(words) || words[1] !== 'clean') return false;
    const flags = words.slice(2).map((w) => w.replace(/^--/, '-'));
    return flags.some((f) => f === '-modcache' || f === '-cache') && flags.every((f) => ['-modcache', '-cache', '-testcache', '-fuzzcache', '-x'].includes(f));
  },
  unsafeMount(call, scope, context) {
    // Go 1.11–1.15 uses modules only with a go.mod (or GO111MODULE=on): the module cache may go unused.
    const version = goVersion(context.info.stage?.image);
    const modules = scope.lookup('GO111MODULE')?.value === 'on' || call.subcommand.value === 'mod' || call.words.some((w) => w.value === 'mod');
    if (version !== undefined && version >= 11 && version < 16 && !modules) return `Go 1.${version} works in GOPATH mode, without the module cache, unless the project has a go.mod`;
    // Only the module cache is a store later instructions read; the build cache is rebuilt as needed.
    const dirs = go.caches(call, scope, context).filter((c) => c.holds === MODULES && c.dir !== undefined).map((c) => c.dir!);
    return storeNeededLater(context, dirs, {
      name: 'Go',
      offline: (text, run) => /\bGOPROXY=["']?off\b/.test(text) || run.env.get('GOPROXY') === 'off',
      command: /(^|[\s"'[,/])go["']?,?\s+["']?(run|build|test|generate)\b/,
    });
  },
};

interface Setting { value: string; via: string; when: 'runtime' | 'build' }

/** The minor version of Go 1 the golang image's tag names (`golang:1.8`, `golang:1.14.2-alpine`), when it names one. */
function goVersion(image: string | undefined): number | undefined {
  if (image === undefined || imageRepository(image) !== 'golang') return undefined;
  const tag = /:1\.(\d+)/.exec(image.replace(/@.*$/, ''));
  return tag ? Number(tag[1]) : undefined;
}

/** A Go variable from the call's assignments, ENV, ARG or the image (an empty one is unset, as Go reads it). */
function fromEnvironment(scope: CommandScope, name: string): Setting | undefined {
  return scope.lookup(name);
}

function fromGoEnvFile(written: ReadonlyMap<string, string>, name: string): Setting | undefined {
  const value = written.get(name);
  return value !== undefined && value !== '' ? { value, via: '`go env -w`', when: 'runtime' } : undefined;
}

/** GOMODCACHE, else GOPATH's first entry + /pkg/mod, else ~/go/pkg/mod. */
function moduleCache(scope: CommandScope, setting: (name: string) => Setting | undefined): CacheLocation {
  const modcache = setting('GOMODCACHE');
  if (modcache) return scope.locate(modcache.value, modcache.via, modcache.when);
  const gopath = setting('GOPATH');
  if (gopath) {
    const first = gopath.value.split(':')[0];
    // A GOPATH starting with `:` leaves no module cache: every go command that needs it fails.
    if (first === '') return { via: gopath.via, unresolved: gopath.value, owner: scope.owner };
    return scope.locate(`${first}/pkg/mod`, gopath.via, gopath.when);
  }
  return scope.locate('~/go/pkg/mod', scope.homeVia, 'runtime');
}

/** GOCACHE, else $XDG_CACHE_HOME/go-build, else ~/.cache/go-build (Go's os.UserCacheDir). */
function buildCache(scope: CommandScope, cache: Setting | undefined): CacheLocation {
  if (cache) return scope.locate(cache.value, cache.via, cache.when);
  const xdg = scope.lookup('XDG_CACHE_HOME');
  if (xdg) return scope.locate(`${xdg.value}/go-build`, xdg.via, xdg.when);
  return scope.locate('~/.cache/go-build', scope.homeVia, 'runtime');
}

function hasModVendor(values: readonly string[]): boolean {
  return values.some((v, k) => v === '-mod=vendor' || v === '--mod=vendor' || ((v === '-mod' || v === '--mod') && values[k + 1] === 'vendor'));
}

function isCommandWords(words: readonly string[]): boolean {
  return words.length > 0 && words[0].slice(words[0].lastIndexOf('/') + 1) === 'go';
}

/**
 * The values `go env -w` wrote (and `go env -u` cleared) before the call, for its user: in
 * earlier RUNs of the stage (or the stages it builds on) run as the same user, then earlier in
 * the call's own RUN. The go env file is per user (os.UserConfigDir()/go/env).
 */
function goEnvWritten(context: ManagerContext, call: SimpleCommand): Map<string, string> {
  const { model, info } = context;
  const written = new Map<string, string>();
  for (const run of earlierRunsMatching(context, GO_ENV)) {
    if (userOf(run) !== userOf(info)) continue;
    for (const command of parseRunScript(model, run.ast).commands) applyGoEnv(command, written);
  }
  for (const command of context.script.commands) {
    if (command === call) break;
    applyGoEnv(command, written);
  }
  return written;
}

function applyGoEnv(command: SimpleCommand, written: Map<string, string>): void {
  const words = command.words.slice(commandStart(command).index);
  if (!isCommand(words, ['go']) || words[1]?.value !== 'env') return;
  const args = words.slice(2).map((w) => w.value);
  if (args[0] === '-w') {
    for (const arg of args.slice(1)) {
      const eq = arg.indexOf('=');
      if (eq > 0) written.set(arg.slice(0, eq), arg.slice(eq + 1));
    }
  } else if (args[0] === '-u') {
    for (const name of args.slice(1)) written.delete(name);
  }
}

/** The RUNs that may run `go env`, found once per parse (most RUNs write no go env: they are never read for it). */
/** RUNs that may write the go env file (`go env -w`, `go env -u`). */
const GO_ENV = /\bgo\s+env\b/;
