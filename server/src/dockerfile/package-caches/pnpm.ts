/**
 * pnpm (https://pnpm.io/settings/store, `storeDir`; pnpm ≥ 7): one content-addressable store for
 * every project, in `--store-dir`, else npm_config_store_dir (pnpm reads npm's configuration, in
 * any case), else `pnpm config set store-dir`, else $PNPM_HOME/store, else
 * $XDG_DATA_HOME/pnpm/store, else ~/.local/share/pnpm/store. pnpm's own Docker guide mounts
 * `target=/pnpm/store` with `ENV PNPM_HOME=/pnpm`.
 *
 * pnpm hard-links the store into node_modules. Across the mount's filesystem boundary it copies
 * instead, which is fine; but where no store dir is set, pnpm first checks that it can hard-link
 * from the project into its home (PNPM_HOME, or the data dir): a cache mount on the home itself
 * (or above it) fails that check, and pnpm then puts its store at the root of the project's
 * filesystem (/.pnpm-store), beside the mount, in the image (pnpm's store-path). So only a mount
 * below the home, on the store, counts for the default store.
 *
 * `pnpm store prune` deletes every store file with a single link, the files no node_modules
 * hard-links: with the store in a mount, pnpm copied every file, so prune empties the mount.
 * A store a later RUN installs from offline (`pnpm fetch`, then `pnpm install --offline`), or a
 * later stage copies, must stay in the image: no automatic fix there (store-needed-later.ts).
 * pnpm < 7 kept its store in ~/.pnpm-store: so does a Dockerfile that installs such a pnpm
 * (`npm i -g pnpm@6`, `corepack prepare pnpm@6…`). Without a version in the Dockerfile (corepack
 * reads package.json's packageManager), pnpm is taken to be 7 or later, released in 2022.
 */
import { readMounts } from '../mounts';
import { coveringCacheMount } from '../cache-locations';
import { workdirAt } from '../container-paths';
import { isCommand, optionValue, plainWords, positionals } from './call-words';
import type { ShellWord } from '../shell';
import type { ManagerContext, PackageManager } from './manager';
import { storeNeededLater, type LaterUse } from './store-needed-later';
import { configSetBefore } from './config-commands';
import { anyEarlierRunMatching } from './earlier-runs';
import { textOf } from './stage-runs';

/** Options that take a value (they may come before the subcommand). */
const WITH_VALUE = new Set(['--store-dir', '-C', '--dir', '--filter', '-F', '--reporter', '--loglevel', '--virtual-store-dir', '--modules-dir', '--lockfile-dir', '--package-import-method', '--network-concurrency', '--child-concurrency', '--registry', '--workspace-concurrency']);
/** Subcommands that fetch packages into the store. */
const INSTALLS = new Set(['install', 'i', 'add', 'fetch', 'update', 'up', 'upgrade']);
/** A pnpm older than 7 (default store ~/.pnpm-store) installed by the Dockerfile: `npm i -g pnpm@6`, `corepack prepare pnpm@6.35.1`. */
const OLD_PNPM = /\bpnpm@[1-6](\.|\b)/;

export const pnpm: PackageManager = {
  name: 'pnpm',
  anchor: 'pnpm',
  mentioned: /\bpnpm\b/,
  readCall(command, words) {
    if (!isCommand(words, ['pnpm'])) return undefined;
    const sub = positionals(words, WITH_VALUE)[0];
    // `--offline` downloads nothing: it installs from the store as the image has it, which a mount would hide.
    if (!sub || !INSTALLS.has(sub.word.value) || words.some((w) => w.value === '--offline')) return undefined;
    return { command, words, subcommand: sub.word, disableWords: [], cacheDir: optionValue(words, ['--store-dir']) };
  },
  caches(call, scope, context) {
    if (call.cacheDir !== undefined) return [{ ...scope.locate(call.cacheDir, '--store-dir', 'runtime'), holds: 'store' }];
    const configured = scope.lookup('npm_config_store_dir', true);
    if (configured) return [{ ...scope.locate(configured.value, configured.via, configured.when), holds: 'store' }];
    const set = configSetBefore(context, call.command, 'pnpm', 'store-dir');
    if (set !== undefined) return [{ ...scope.locate(set, '`pnpm config set store-dir`', 'runtime'), holds: 'store' }];
    // pnpm < 7 (pinned by the Dockerfile) kept its store in the user's home.
    if (installsOldPnpm(context)) return [{ ...scope.locate('~/.pnpm-store', scope.homeVia, 'runtime'), holds: 'store of pnpm < 7' }];
    const pnpmHome = scope.lookup('PNPM_HOME');
    const xdg = scope.lookup('XDG_DATA_HOME');
    const home = pnpmHome
      ? scope.locate(pnpmHome.value, pnpmHome.via, pnpmHome.when)
      : xdg ? scope.locate(`${xdg.value}/pnpm`, xdg.via, xdg.when) : scope.locate('~/.local/share/pnpm', scope.homeVia, 'runtime');
    if (home.dir === undefined) return [{ ...home, holds: 'store' }];
    // A cache mount over pnpm's home: pnpm cannot hard-link there and puts the store at the root of the project's filesystem.
    const overHome = coveringCacheMount(readMounts(context.info.ast), home.dir);
    if (overHome && !inRootDir(context, call.words)) {
      // Another user cannot write at / and pnpm then picks a directory dockopt cannot tell.
      if (!home.owner.root) return [{ via: `the cache mount on ${overHome.target} over pnpm's home`, unresolved: home.dir, owner: home.owner }];
      return [{ ...home, dir: '/.pnpm-store', holds: `store: the cache mount on ${overHome.target} covers pnpm's home ${home.dir}, where pnpm cannot hard-link, so it keeps the store here instead` }];
    }
    return [{ ...home, dir: `${home.dir}/store`, holds: 'store' }];
  },
  isCacheWipe: (words) => {
    const [tool, what, action] = plainWords(words);
    return tool === 'pnpm' && what === 'store' && action === 'prune';
  },
  // pnpm checks that it can write in the folder that holds its store, and keeps its own files there.
  writesBesideCache: () => true,
  unsafeMount(call, scope, context) {
    // `pnpm fetch` fills the store for a later `pnpm install --offline` (pnpm's Docker guide): in a mount, that one finds it empty.
    const dirs = pnpm.caches(call, scope, context).flatMap((c) => (c.dir !== undefined ? [c.dir] : []));
    return storeNeededLater(context, dirs, LATER_USE);
  },
};

const LATER_USE: LaterUse = {
  name: 'pnpm',
  offline: (text) => /\bpnpm\b[^\n]*\s--offline\b/.test(text),
  command: /\bpnpm\s+(install|i|add)\b/,
};

/** A pnpm older than 7 installed by this RUN or an earlier one of the stage. */
function installsOldPnpm(context: ManagerContext): boolean {
  return OLD_PNPM.test(textOf(context.model, context.info)) || anyEarlierRunMatching(context, OLD_PNPM);
}

/** The project is / (WORKDIR /, no --dir): pnpm then keeps its store in its home even over a mount. */
function inRootDir(context: ManagerContext, words: readonly ShellWord[]): boolean {
  if (optionValue(words, ['-C', '--dir']) !== undefined) return false;
  return workdirAt(context.info) === '/';
}
