/**
 * pip-sync (pip-tools, https://pip-tools.readthedocs.io/): makes the environment match a
 * requirements file by running `python -m pip install` (and `pip uninstall`) with the caller's
 * environment, so the downloads land in pip's own cache: PIP_CACHE_DIR, else
 * $XDG_CACHE_HOME/pip, else ~/.cache/pip, which a non-empty PIP_NO_CACHE_DIR switches off (pip
 * reads `0` and `false` as off too). `--pip-args "…"` hands pip more options, `--no-cache-dir`
 * among them sometimes. pip-tools' own cache (~/.cache/pip-tools) is pip-compile's, not pip-sync's.
 */
import type { ShellWord } from '../shell';
import type { PackageManager } from './manager';
import { isCommand } from './call-words';

export const pipSync: PackageManager = {
  name: 'pip-sync',
  anchor: 'pip-sync',
  mentioned: /\bpip-sync\b/,
  readCall(command, words) {
    if (!isCommand(words, ['pip-sync'])) return undefined;
    // A dry run installs nothing.
    if (words.some((w) => w.value === '-n' || w.value === '--dry-run')) return undefined;
    const pipArgs = readPipArgs(words);
    const alone = pipArgs !== undefined && pipArgs.options.length === 1 && pipArgs.options[0] === '--no-cache-dir';
    let cacheDir: string | undefined;
    pipArgs?.options.forEach((o, k, all) => {
      if (o === '--cache-dir') cacheDir = all[k + 1];
      else if (o.startsWith('--cache-dir=')) cacheDir = o.slice('--cache-dir='.length);
    });
    return { command, words, subcommand: words[0], disableWords: alone ? pipArgs.words : [], cacheDir };
  },
  caches(call, scope) {
    if (call.cacheDir !== undefined) return [scope.locate(call.cacheDir, '--pip-args --cache-dir', 'runtime')];
    const set = scope.lookup('PIP_CACHE_DIR');
    if (set) return [scope.locate(set.value, set.via, set.when)];
    const xdg = scope.lookup('XDG_CACHE_HOME');
    if (xdg) return [scope.locate(`${xdg.value}/pip`, xdg.via, xdg.when)];
    return [scope.locate('~/.cache/pip', scope.homeVia, 'runtime')];
  },
  disablingVariables: [{ name: 'PIP_NO_CACHE_DIR', disables: (value) => value !== '' }],
  isCacheWipe: (words) => {
    const names = words.filter((w) => !w.startsWith('-')).map((w) => w.replace(/^.*\//, ''));
    const at = names.findIndex((n) => /^pip\d*(\.\d+)*$/.test(n));
    return at >= 0 && names[at + 1] === 'cache' && (names[at + 2] === 'purge' || names[at + 2] === 'remove');
  },
  unsafeMount(call) {
    const pipArgs = readPipArgs(call.words);
    if (pipArgs && pipArgs.options.length > 1 && pipArgs.options.includes('--no-cache-dir')) {
      return '`--pip-args` also passes --no-cache-dir to pip, among other options, which a fix cannot take apart: remove it by hand';
    }
    return undefined;
  },
};

/** The `--pip-args` of the call: its words (the option and its value), and the options the value holds. */
function readPipArgs(words: readonly ShellWord[]): { words: ShellWord[]; options: string[] } | undefined {
  for (let i = 1; i < words.length; i++) {
    const value = words[i].value;
    if (value === '--pip-args' && words[i + 1]) return { words: [words[i], words[i + 1]], options: words[i + 1].value.split(/\s+/).filter(Boolean) };
    if (value.startsWith('--pip-args=')) return { words: [words[i]], options: value.slice('--pip-args='.length).split(/\s+/).filter(Boolean) };
  }
  return undefined;
}
