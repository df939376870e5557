/**
 * Poetry (https://python-poetry.org/docs/configuration/): one cache dir, `cache-dir`
 * (POETRY_CACHE_DIR, or `poetry config cache-dir`), by default platformdirs' user cache dir:
 * $XDG_CACHE_HOME/pypoetry, else ~/.cache/pypoetry. In it: `cache/repositories` (the index and
 * package metadata responses), `artifacts` (the downloaded wheels and sdists, and the wheels built
 * from them) — and `virtualenvs`, where `virtualenvs.path` puts the project's virtualenv by default.
 * `--no-cache` (a global option since 1.2.0, honoured by `install` since 1.2.1) turns the caches
 * off; `poetry cache clear <name> --all` empties one.
 *
 * The virtualenv is what decides the mount. A mount on the whole cache dir would hold the
 * virtualenv poetry installs into: it would be left out of the image and the application would
 * start without its packages. So the whole dir is mounted only when the virtualenv is known to be
 * elsewhere — not created (`virtualenvs.create` false: POETRY_VIRTUALENVS_CREATE, or `poetry config`;
 * poetry reads only `true` and `1` as true), in the project (`virtualenvs.in-project` true), under a
 * `virtualenvs.path` outside the cache, or an active VIRTUAL_ENV, which poetry installs into.
 * Otherwise the two download caches are mounted, `cache` and `artifacts`, and `virtualenvs` stays in
 * the image. Poetry 1.4 and later installs wheels itself (`installer.modern-installation`), without
 * pip; before, it ran pip, whose cache (~/.cache/pip) this entry does not mount.
 */
import { overlaps } from '../container-paths';
import type { CacheLocation, CommandScope } from '../cache-locations';
import type { ManagerCache, ManagerCall, ManagerContext, PackageManager } from './manager';
import { flagWords, isCommand, plainWords, positionals } from './call-words';
import { configSetsBefore, lastSet } from './config-commands';

/** Global options that take a value (they may come before the subcommand). */
const WITH_VALUE = new Set(['-C', '--directory', '-P', '--project']);
/** Subcommands that resolve or install, through the caches. */
const INSTALLS = new Set(['install', 'add', 'update', 'lock', 'sync']);

/** poetry's own reading of a boolean setting: only `true` and `1` are true. */
const poetryTrue = (value: string) => value === 'true' || value === '1';

export const poetry: PackageManager = {
  name: 'Poetry',
  anchor: 'poetry',
  mentioned: /\bpoetry\b/,
  readCall(command, words) {
    if (!isCommand(words, ['poetry'])) return undefined;
    const sub = positionals(words, WITH_VALUE)[0];
    if (!sub || !INSTALLS.has(sub.word.value)) return undefined;
    return { command, words, subcommand: sub.word, disableWords: flagWords(words, ['--no-cache']) };
  },
  caches(call, scope, context) {
    const base = cacheDir(call, scope, context);
    if (base.dir !== undefined && venvElsewhere(call, scope, context, base.dir)) return [base.location];
    return [
      { ...scope.locate(`${base.raw}/cache`, base.location.via, base.when), holds: 'index and metadata cache' },
      { ...scope.locate(`${base.raw}/artifacts`, base.location.via, base.when), holds: 'downloaded packages' },
    ];
  },
  // Without the virtualenv elsewhere, poetry creates it in the folder above the mounted `cache/` and `artifacts/`.
  writesBesideCache: (call, scope, context) => poetry.caches(call, scope, context).length > 1,
  isCacheWipe: (words) => {
    const [tool, what, action] = plainWords(words);
    return tool === 'poetry' && what === 'cache' && action === 'clear' && words.includes('--all');
  },
};

interface CacheDir { raw: string; when: 'runtime' | 'build'; location: ManagerCache; dir?: string }

/** POETRY_CACHE_DIR, else an earlier `poetry config cache-dir`, else $XDG_CACHE_HOME/pypoetry, else ~/.cache/pypoetry. */
function cacheDir(call: ManagerCall, scope: CommandScope, context: ManagerContext): CacheDir {
  const make = (raw: string, via: string, when: 'runtime' | 'build'): CacheDir => {
    const location: CacheLocation = scope.locate(raw, via, when);
    return { raw, when, location, dir: location.dir };
  };
  const set = scope.lookup('POETRY_CACHE_DIR');
  if (set) return make(set.value, set.via, set.when);
  const configured = lastSet(configSetsBefore(context, call.command, 'poetry'), 'cache-dir');
  if (configured) return make(configured, '`poetry config cache-dir`', 'runtime');
  const xdg = scope.lookup('XDG_CACHE_HOME');
  if (xdg) return make(`${xdg.value}/pypoetry`, xdg.via, xdg.when);
  return make('~/.cache/pypoetry', scope.homeVia, 'runtime');
}

/** Whether the virtualenv poetry installs into is known to be outside the cache dir `dir`. */
function venvElsewhere(call: ManagerCall, scope: CommandScope, context: ManagerContext, dir: string): boolean {
  const configs = configSetsBefore(context, call.command, 'poetry');
  // A variable wins over the config file, as poetry reads them.
  const setting = (variable: string, key: string) => scope.lookup(variable)?.value ?? lastSet(configs, key);
  const create = setting('POETRY_VIRTUALENVS_CREATE', 'virtualenvs.create');
  if (create !== undefined && !poetryTrue(create)) return true;
  const active = scope.lookup('VIRTUAL_ENV');
  if (active && outside(scope.locate(active.value, active.via, active.when).dir, dir)) return true;
  const inProject = setting('POETRY_VIRTUALENVS_IN_PROJECT', 'virtualenvs.in-project');
  if (inProject !== undefined && poetryTrue(inProject)) return true;
  const path = setting('POETRY_VIRTUALENVS_PATH', 'virtualenvs.path');
  // `{cache-dir}/…` is poetry's own placeholder: inside the cache.
  if (path !== undefined && !path.includes('{cache-dir}') && outside(scope.locate(path, 'virtualenvs.path', 'runtime').dir, dir)) return true;
  return false;
}

function outside(path: string | undefined, dir: string): boolean {
  return path !== undefined && !overlaps(path, dir);
}
