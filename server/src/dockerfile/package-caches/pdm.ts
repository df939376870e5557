/**
 * PDM (https://pdm-project.org/latest/reference/configuration/): one cache dir, `cache_dir`
 * (PDM_CACHE_DIR, or `pdm config cache_dir`), by default platformdirs' user cache dir:
 * $XDG_CACHE_HOME/pdm, else ~/.cache/pdm. It holds the HTTP responses, package metadata and hashes,
 * and the wheels PDM builds or unpacks. `--no-cache` (PDM 2.13 and later) or PDM_NO_CACHE — any
 * non-empty value: PDM takes the string as the option's default — turns it off for the command;
 * `pdm cache clear` empties it.
 *
 * The virtualenv is elsewhere (the project's .venv, or `venv.location` under the data dir), so the
 * whole cache dir can be mounted — unless `install.cache` is on (off by default): PDM then installs
 * packages as symlinks (or hard links) into `<cache_dir>/packages`, which a mount would leave out of
 * the image. dockopt reads `pdm config install.cache` commands; a project's pdm.toml it cannot see.
 */
import type { ManagerCall, ManagerContext, PackageManager } from './manager';
import type { CommandScope } from '../cache-locations';
import { flagWords, isCommand, plainWords, positionals } from './call-words';
import { configSetsBefore, lastSet } from './config-commands';

/** Global options that take a value (they may come before the subcommand). */
const WITH_VALUE = new Set(['-p', '--project', '-c', '--config']);
/** Subcommands that resolve or install, through the cache. */
const INSTALLS = new Set(['install', 'sync', 'add', 'update', 'lock']);

/** PDM's reading of a boolean setting (`ensure_boolean`): any non-empty value but false, no and 0. */
const pdmTrue = (value: string) => value !== '' && !['false', 'no', '0'].includes(value.toLowerCase());

export const pdm: PackageManager = {
  name: 'PDM',
  anchor: 'pdm',
  mentioned: /\bpdm\b/,
  readCall(command, words) {
    if (!isCommand(words, ['pdm'])) return undefined;
    const sub = positionals(words, WITH_VALUE)[0];
    if (!sub || !INSTALLS.has(sub.word.value)) return undefined;
    return { command, words, subcommand: sub.word, disableWords: flagWords(words, ['--no-cache']) };
  },
  caches(call: ManagerCall, scope: CommandScope, context: ManagerContext) {
    const set = scope.lookup('PDM_CACHE_DIR');
    if (set) return [scope.locate(set.value, set.via, set.when)];
    const configured = lastSet(configSetsBefore(context, call.command, 'pdm'), 'cache_dir');
    if (configured) return [scope.locate(configured, '`pdm config cache_dir`', 'runtime')];
    const xdg = scope.lookup('XDG_CACHE_HOME');
    if (xdg) return [scope.locate(`${xdg.value}/pdm`, xdg.via, xdg.when)];
    return [scope.locate('~/.cache/pdm', scope.homeVia, 'runtime')];
  },
  disablingVariables: [{ name: 'PDM_NO_CACHE', disables: (value) => value !== '' }],
  isCacheWipe: (words) => {
    const [tool, what, action] = plainWords(words);
    return tool === 'pdm' && what === 'cache' && action === 'clear';
  },
  unsafeMount(call, _scope, context) {
    const installCache = lastSet(configSetsBefore(context, call.command, 'pdm'), 'install.cache');
    if (installCache !== undefined && pdmTrue(installCache)) {
      return "`pdm config install.cache` is on: PDM links the installed packages to its cache, which a mount would leave out of the image";
    }
    return undefined;
  },
};
