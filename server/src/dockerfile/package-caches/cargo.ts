/**
 * Cargo (https://doc.rust-lang.org/cargo/guide/cargo-home.html): downloads go to the Cargo home,
 * CARGO_HOME, else ~/.cargo (the rust image sets CARGO_HOME=/usr/local/cargo): crates.io's index
 * and the .crate files under registry/ (registry/src holds them unpacked), git dependencies as
 * bare repositories under git/db (checked out into git/checkouts). Cargo's guide to caching the
 * Cargo home in CI keeps registry/index, registry/cache and git/db.
 *
 * dockopt mounts $CARGO_HOME/registry and $CARGO_HOME/git/db, never the whole Cargo home: it also
 * holds bin/ (what `cargo install` and rustup put there, which the image needs) and config.toml.
 * Nor target/: it holds the build's output, which a mount keeps out of the image; mounting it only
 * works when the same RUN copies the binary out, which is the Dockerfile's author to write.
 * `sharing=locked`: Cargo's lock on its package cache is $CARGO_HOME/.package-cache, outside the
 * mounts, so two builds sharing the mounts would not see each other's lock.
 * A mount on git/db is not asked for when the registry is mounted already: only projects with git
 * dependencies use it, which dockopt cannot see.
 *
 * `--offline`, `--frozen` (and CARGO_NET_OFFLINE=true) download nothing: such calls need no
 * mount, and a later RUN building offline needs what an earlier one left in the image.
 */
import { readMounts } from '../mounts';
import { coveringCacheMount } from '../cache-locations';
import { isCommand, positionals, plainWords } from './call-words';
import type { ManagerCache, PackageManager } from './manager';
import { storeNeededLater } from './store-needed-later';

/** Options that may come before the subcommand and take a value (`cargo --config k=v build`, `cargo -Z flag build`). */
const WITH_VALUE = new Set(['--config', '-Z', '--color', '-C', '--manifest-path', '--target', '--target-dir', '-p', '--package', '-j', '--jobs', '--features', '-F', '--bin', '--example', '--test', '--bench', '--profile', '--root', '--git', '--branch', '--tag', '--rev', '--path', '--registry', '--index']);
/** Subcommands (and their aliases) that resolve and download dependencies; `chef cook` is cargo-chef's build of the dependencies. */
const DOWNLOADS = new Set(['build', 'b', 'check', 'c', 'test', 't', 'run', 'r', 'install', 'fetch', 'doc', 'd', 'bench', 'update', 'vendor', 'clippy', 'rustc', 'rustdoc', 'generate-lockfile', 'zigbuild', 'auditable', 'nextest']);
const OFFLINE = ['--offline', '--frozen'];

export const cargo: PackageManager = {
  name: 'Cargo',
  anchor: 'cargo',
  mentioned: /\bcargo\b/,
  readCall(command, words) {
    if (!isCommand(words, ['cargo'])) return undefined;
    // `cargo +nightly build`: rustup's toolchain override is not the subcommand.
    const args = positionals(words, WITH_VALUE).filter((a) => !a.word.value.startsWith('+'));
    const sub = args[0];
    if (!sub) return undefined;
    const downloads = DOWNLOADS.has(sub.word.value) || (sub.word.value === 'chef' && args[1]?.word.value === 'cook');
    if (!downloads || words.some((w) => OFFLINE.includes(w.value))) return undefined;
    return { command, words, subcommand: sub.word.value === 'chef' ? args[1].word : sub.word, disableWords: [] };
  },
  caches(call, scope, context) {
    if (scope.lookup('CARGO_NET_OFFLINE')?.value === 'true') return [];
    const set = scope.lookup('CARGO_HOME');
    const at = (sub: string, holds: string): ManagerCache => ({
      ...(set ? scope.locate(`${set.value}/${sub}`, set.via, set.when) : scope.locate(`~/.cargo/${sub}`, scope.homeVia, 'runtime')),
      sharing: 'locked',
      holds,
    });
    const registry = at('registry', 'crate registry');
    const mounts = readMounts(context.info.ast);
    if (registry.dir !== undefined && coveringCacheMount(mounts, registry.dir)) return [registry];
    return [registry, at('git/db', 'git dependencies')];
  },
  isCacheWipe(words) {
    // cargo-cache (`cargo install cargo-cache`): `cargo cache --autoclean` and the like empty the registry.
    const [tool, sub] = plainWords(words);
    return tool === 'cargo' && sub === 'cache' && words.some((w) => ['-a', '--autoclean', '-e', '--autoclean-expensive', '-r', '--remove-dir'].includes(w));
  },
  unsafeMount(call, scope, context) {
    const dirs = cargo.caches(call, scope, context).filter((c) => c.holds === 'crate registry' && c.dir !== undefined).map((c) => c.dir!);
    return storeNeededLater(context, dirs, {
      name: 'Cargo',
      offline: (text, run) => /\bcargo\b[^\n]*\s--(offline|frozen)\b|\bCARGO_NET_OFFLINE=["']?true\b/.test(text) || run.env.get('CARGO_NET_OFFLINE') === 'true',
      command: /(^|[\s"'[,/])cargo["']?,?\s+["']?(run|r|watch|test)\b/,
    });
  },
};
