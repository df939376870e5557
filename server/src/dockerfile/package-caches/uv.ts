/**
 * uv (https://docs.astral.sh/uv/concepts/cache/): one cache for every project and tool, in
 * `--cache-dir`, else UV_CACHE_DIR, else $XDG_CACHE_HOME/uv, else ~/.cache/uv. `--no-cache` (`-n`,
 * or its alias `--no-cache-dir`) or a true UV_NO_CACHE make it a temporary directory removed at exit. uv installs by hard-linking
 * from the cache; across the mount's filesystem boundary it falls back to copying with a warning,
 * which `--link-mode=copy` (UV_LINK_MODE=copy) asks for outright, as uv's Docker guide does.
 */
import type { ManagerCall, PackageManager } from './manager';
import { flagWords, isCommand, optionValue, positionals, truthy, plainWords } from './call-words';

/** Global options that take a value (they may come before the subcommand). */
const WITH_VALUE = new Set(['--cache-dir', '--directory', '--project', '--config-file', '--color', '--python', '-p', '--index-url', '-i', '--extra-index-url', '--index', '--default-index', '--find-links', '-f', '--group', '--extra', '--package', '--only-group', '--no-group', '--link-mode', '-r', '--requirement', '-c', '--constraint', '--target', '--prefix', '--with', '--from']);
/** Subcommands that download packages into the cache and install from it. */
const INSTALLS = new Set(['sync', 'add', 'pip install', 'pip sync', 'tool install']);

export const uv: PackageManager = {
  name: 'uv',
  anchor: 'uv',
  mentioned: /\buv\b/,
  readCall(command, words) {
    if (!isCommand(words, ['uv'])) return undefined;
    const args = positionals(words, WITH_VALUE);
    const first = args[0]?.word.value;
    const pair = args.length > 1 ? `${first} ${args[1].word.value}` : '';
    const sub = INSTALLS.has(first) ? args[0] : INSTALLS.has(pair) ? args[1] : undefined;
    if (!sub) return undefined;
    return { command, words, subcommand: sub.word, disableWords: flagWords(words, ['--no-cache', '--no-cache-dir', '-n']), cacheDir: optionValue(words, ['--cache-dir']) };
  },
  caches(call, scope) {
    if (call.cacheDir !== undefined) return [scope.locate(call.cacheDir, '--cache-dir', 'runtime')];
    const set = scope.lookup('UV_CACHE_DIR');
    if (set) return [scope.locate(set.value, set.via, set.when)];
    const xdg = scope.lookup('XDG_CACHE_HOME');
    if (xdg) return [scope.locate(`${xdg.value}/uv`, xdg.via, xdg.when)];
    return [scope.locate('~/.cache/uv', scope.homeVia, 'runtime')];
  },
  disablingVariables: [{ name: 'UV_NO_CACHE', disables: truthy }],
  isCacheWipe: (words) => { const [tool, what, action] = plainWords(words); return tool === 'uv' && what === 'cache' && ['clean', 'prune'].includes(action); },
  mountNeeds(call: ManagerCall, scope) {
    const linkModeSet = call.words.some((w) => w.value === '--link-mode' || w.value.startsWith('--link-mode=')) || scope.runtime.has('UV_LINK_MODE') || scope.buildEnv.get('UV_LINK_MODE') !== undefined;
    return linkModeSet ? undefined : { option: '--link-mode=copy' };
  },
};
