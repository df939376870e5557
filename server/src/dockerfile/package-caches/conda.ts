/**
 * conda, mamba and micromamba (https://docs.conda.io/projects/conda/en/stable/user-guide/configuration/custom-env-and-pkg-locations.html):
 * they download packages into a package cache, `<root prefix>/pkgs` by default (where it is:
 * conda-prefix.ts), extract them there and hard-link the files into the environment. Where a hard
 * link is not possible — a cache mount is another filesystem — they copy the files instead, by
 * themselves, so the environment in the image is complete. The mount takes `sharing=locked`: the
 * tools guard the cache with lock files (`clean --locks` removes them), not for two writers at once.
 * Its `cache/` subdir holds the channel indexes (repodata), which the mount keeps as well.
 *
 * A mount on `<prefix>/pkgs` hides what the base image left there. The official images leave
 * nothing (`conda clean --all` ends their builds: the tarballs and the unused extracted packages
 * go); an extracted package an environment was linked from is not read again — conda and micromamba
 * read what is installed from `conda-meta/`, and a package the cache lacks is downloaded again into
 * the mount. So hiding it costs one download, never a broken environment.
 *
 * `conda clean` with `-a/--all`, `-p/--packages`, `-t/--tarballs`, `-i/--index-cache` or
 * `-f/--force-pkgs-dirs` (also in bundles: `-afy`, `-tipsy`) wipes the mounted cache. dockopt does
 * not add the mount by itself when the RUN installs the distribution (the installer refuses a
 * prefix that exists, and the mount creates it) or when soft links are asked for (the environment
 * would link into the mount, which is not in the image).
 */
import type { PackageManager } from './manager';
import { isCommand, optionValue, positionals, truthy, basename } from './call-words';
import { condaPkgsDir, runInstallsConda } from './conda-prefix';

/** Options that take a value, before or between the words of a subcommand. */
const WITH_VALUE = new Set(['-r', '--root-prefix', '--rc-file', '-n', '--name', '-p', '--prefix', '-c', '--channel', '-f', '--file']);
/** Subcommands that download packages into the cache: one word, or `env` and a second one. */
const INSTALLS = new Set(['install', 'create', 'update', 'upgrade', 'env create', 'env update']);
/** `clean` options that remove what the cache holds; a short bundle (`-afy`) with one of a, p, t, i, f does too. */
const WIPES = new Set(['-a', '--all', '-p', '--packages', '-t', '--tarballs', '-i', '--index-cache', '-f', '--force-pkgs-dirs']);

const TOOLS = ['conda', 'mamba', 'micromamba'] as const;
function condaTool(tool: (typeof TOOLS)[number]): PackageManager {
  return {
    name: tool,
    anchor: 'conda',
    mentioned: new RegExp(`\\b${tool}\\b`),
    readCall(command, words) {
      if (!isCommand(words, [tool])) return undefined;
      const args = positionals(words, WITH_VALUE);
      const first = args[0]?.word.value;
      const sub = first === 'env' ? (INSTALLS.has(`env ${args[1]?.word.value}`) ? args[1] : undefined) : INSTALLS.has(first) ? args[0] : undefined;
      if (!sub) return undefined;
      // micromamba's (and mamba 2's) root prefix for this call: the cache is its pkgs dir.
      const root = tool === 'conda' ? undefined : optionValue(words, ['-r', '--root-prefix']);
      return { command, words, subcommand: sub.word, disableWords: [], cacheDir: root === undefined ? undefined : `${root}/pkgs` };
    },
    caches(call, scope, context) {
      return [{ ...condaPkgsDir(tool, call, scope, context), sharing: 'locked' }];
    },
    isCacheWipe: (words) => {
      if (!TOOLS.includes(basename(words[0] ?? '') as (typeof TOOLS)[number])) return false;
      const args = words.slice(1);
      if (args.find((w) => !w.startsWith('-')) !== 'clean') return false;
      return args.some((w) => WIPES.has(w) || /^-[a-zA-Z]*[aptif][a-zA-Z]*$/.test(w));
    },
    unsafeMount(call, scope, context) {
      if (runInstallsConda(context)) return `This RUN also installs ${tool}'s distribution, whose installer refuses a prefix that exists, and the mount would create it first`;
      const softlink = call.words.some((w) => w.value === '--always-softlink') || [scope.runtime.get('CONDA_ALWAYS_SOFTLINK'), scope.buildEnv.get('CONDA_ALWAYS_SOFTLINK')].some((v) => v !== undefined && truthy(v));
      if (softlink) return `${tool} is asked to soft-link the environment's files to its cache, which a mount would leave out of the image`;
      return undefined;
    },
  };
}

export const conda = condaTool('conda');
export const mamba = condaTool('mamba');
export const micromamba = condaTool('micromamba');
