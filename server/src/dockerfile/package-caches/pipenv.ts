/**
 * Pipenv (https://pipenv.pypa.io/en/latest/configuration.html): installs by running pip, with
 * PIP_CACHE_DIR set to its own cache dir, PIPENV_CACHE_DIR, by default platformdirs' user cache
 * dir ($XDG_CACHE_HOME/pipenv, else ~/.cache/pipenv); its resolver (`lock`, and `install` when the
 * lock file is stale) caches there too. So pip's own PIP_CACHE_DIR does not move it, while the rest
 * of the environment reaches pip: a non-empty PIP_NO_CACHE_DIR switches pip's cache off under pipenv
 * as under pip. `--clear` (PIPENV_CLEAR) clears the caches; `pipenv --clear` alone only does that.
 *
 * The virtualenv is elsewhere (WORKON_HOME, ~/.local/share/virtualenvs, or the project's .venv
 * with PIPENV_VENV_IN_PROJECT), so the whole cache dir can be mounted.
 */
import type { PackageManager } from './manager';
import { flagWords, isCommand, positionals, truthy } from './call-words';

/** Global options that take a value (they may come before the subcommand). */
const WITH_VALUE = new Set(['--python', '--pypi-mirror']);
/** Subcommands that resolve or install through pip. */
const INSTALLS = new Set(['install', 'sync', 'update', 'lock']);

export const pipenv: PackageManager = {
  name: 'Pipenv',
  anchor: 'pipenv',
  mentioned: /\bpipenv\b/,
  readCall(command, words) {
    if (!isCommand(words, ['pipenv'])) return undefined;
    const sub = positionals(words, WITH_VALUE)[0];
    if (!sub || !INSTALLS.has(sub.word.value)) return undefined;
    return { command, words, subcommand: sub.word, disableWords: flagWords(words, ['--clear']) };
  },
  caches(_call, scope) {
    const set = scope.lookup('PIPENV_CACHE_DIR');
    if (set) return [scope.locate(set.value, set.via, set.when)];
    const xdg = scope.lookup('XDG_CACHE_HOME');
    if (xdg) return [scope.locate(`${xdg.value}/pipenv`, xdg.via, xdg.when)];
    return [scope.locate('~/.cache/pipenv', scope.homeVia, 'runtime')];
  },
  disablingVariables: [
    // pip reads any non-empty value as off, `0` and `false` included (for backwards compatibility).
    { name: 'PIP_NO_CACHE_DIR', disables: (value) => value !== '' },
    { name: 'PIPENV_CLEAR', disables: truthy },
  ],
  // `pipenv --clear` with no subcommand: it clears the caches and exits.
  isCacheWipe: (words) => words[0]?.replace(/^.*\//, '') === 'pipenv' && words.includes('--clear') && positionals(words.map((value) => ({ value, start: 0, end: 0 })), WITH_VALUE).length === 0,
};
