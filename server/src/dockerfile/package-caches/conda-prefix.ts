/**
 * Where conda, mamba and micromamba keep their package cache for one call: the `pkgs` dir of the
 * installation's root prefix (conda's default first entry of `pkgs_dirs`; the first writable one
 * is used), unless CONDA_PKGS_DIRS names others. The root prefix is where the installation is:
 *
 * - micromamba (and mamba 2): `-r/--root-prefix`, else MAMBA_ROOT_PREFIX (the mambaorg/micromamba
 *   image sets /opt/conda). Without either, micromamba 1 uses ~/micromamba and 2 uses
 *   ~/.local/share/mamba: which one runs is not known, so the cache dir is not either.
 * - conda (and mamba 1, a conda plugin): the prefix the conda being run was installed to — the
 *   path the call names (`/opt/conda/bin/conda`), an installer run earlier with `-b -p PREFIX`
 *   (Miniconda, Miniforge, Anaconda), or the image's (continuumio/miniconda3 and anaconda3 install
 *   to /opt/conda; condaforge/miniforge3 too, as its CONDA_DIR says).
 *
 * A user that cannot write the root prefix gets ~/.conda/pkgs instead (the next entry), so for a
 * non-root user the prefix must be known to be theirs: one they installed, or the micromamba image's
 * own, which belongs to its user. `conda config` that changes `pkgs_dirs` makes the dir unknown.
 */
import { posix } from 'node:path';
import { commandScope, type CacheLocation, type CommandScope } from '../cache-locations';
import { imageRepository } from '../users';
import type { InstructionInfo } from '../model';
import { parseRunScript, type SimpleCommand } from '../shell';
import { commandStart } from '../package-managers';
import type { ManagerCall, ManagerContext } from './manager';
import { wordsAfterWrappers } from './stage-runs';
import { earlierRunsMatching } from './earlier-runs';
import { basename } from './call-words';

/** Images whose conda is installed to /opt/conda by root, with no USER: checked in their Dockerfiles. */
const CONDA_IMAGES = /^(continuumio\/(miniconda3?|anaconda3?)|condaforge\/(miniforge3|mambaforge|miniforge-pypy3|mambaforge-pypy3))$/;

/** An installer script of a conda distribution, as Dockerfiles name it after downloading it. */
const INSTALLER = /(mini|ana)conda|miniforge|mambaforge/i;
const PKGS_DIRS = /\bpkgs_dirs\b/;

/** The package cache of a conda, mamba or micromamba call. */
export function condaPkgsDir(tool: string, call: ManagerCall, scope: CommandScope, context: ManagerContext): CacheLocation {
  const { owner } = scope;
  const unknown = (via: string, unresolved: string): CacheLocation => ({ via, unresolved, owner });
  const pkgs = scope.lookup('CONDA_PKGS_DIRS');
  if (pkgs) {
    const dirs = pkgs.value.split(',').map((d) => d.trim()).filter(Boolean);
    // The first writable entry: the first, for root; for another user, only when it is the only one.
    if (dirs.length === 1 || (dirs.length > 1 && owner.root)) return scope.locate(dirs[0], pkgs.via, pkgs.when);
    return unknown(pkgs.via, pkgs.value);
  }
  if (pkgsDirsConfigured(context, call.command)) return unknown('pkgs_dirs', 'set by `conda config`');
  if (call.cacheDir !== undefined) return scope.locate(call.cacheDir, '--root-prefix', 'runtime');
  const mambaRoot = tool === 'conda' ? undefined : scope.lookup('MAMBA_ROOT_PREFIX');
  if (mambaRoot) return scope.locate(`${mambaRoot.value}/pkgs`, mambaRoot.via, mambaRoot.when);
  if (tool === 'micromamba') return unknown("micromamba's root prefix", '~/micromamba (1.x) or ~/.local/share/mamba (2.x), as MAMBA_ROOT_PREFIX is not set');

  const prefix = condaPrefix(call, context);
  if (!prefix) return unknown("conda's root prefix", 'where conda is installed, which dockopt does not know');
  // A user other than root writes there only when the prefix is theirs.
  if (!owner.root && prefix.owner !== owner.label) return unknown(`the first pkgs dir ${owner.label} can write`, `${prefix.dir}/pkgs or ~/.conda/pkgs`);
  return scope.locate(`${prefix.dir}/pkgs`, prefix.via, 'runtime');
}

/** Where the conda that runs is installed, and who installed it (a user label; `root`). */
function condaPrefix(call: ManagerCall, context: ManagerContext): { dir: string; via: string; owner?: string } | undefined {
  // `/opt/conda/bin/conda install …`
  const path = call.words[0].value;
  if (/^\/.+\/bin\/(conda|mamba)$/.test(path)) return { dir: posix.dirname(posix.dirname(path)), via: path };
  const installed = installerPrefixes(context, call.command).at(-1);
  if (installed) return installed;
  const image = context.info.stage?.image;
  if (image !== undefined && CONDA_IMAGES.test(imageRepository(image))) return { dir: '/opt/conda', via: `the conda of ${imageRepository(image)}`, owner: 'root' };
  return undefined;
}

/**
 * The prefixes conda installers were run to (`bash Miniforge3.sh -b -p /opt/conda`) before the
 * call: in earlier RUNs of the stage, then earlier in this RUN, each with the user that ran it.
 */
function installerPrefixes(context: ManagerContext, command: SimpleCommand): Array<{ dir: string; via: string; owner: string }> {
  const { model, info } = context;
  const out: Array<{ dir: string; via: string; owner: string }> = [];
  const read = (run: InstructionInfo, commands: readonly SimpleCommand[]) => {
    for (const other of commands) {
      if (other === command) break;
      const raw = installerPrefix(wordsAfterWrappers(other));
      if (raw === undefined) continue;
      const scope = commandScope(model, run, other);
      const dir = scope.locate(raw, 'the installer', 'runtime').dir;
      if (dir !== undefined) out.push({ dir, via: `the installer's -p ${raw}`, owner: scope.owner.label });
    }
  };
  for (const run of earlierRunsMatching(context, INSTALLER)) read(run, parseRunScript(model, run.ast).commands);
  read(info, context.script.commands);
  return out;
}

/** The `-p PREFIX` of a batch-mode installer run (`bash Miniconda3-latest-Linux-x86_64.sh -b -p /opt/conda`). */
function installerPrefix(words: readonly string[]): string | undefined {
  const script = words.findIndex((w) => w.endsWith('.sh') && INSTALLER.test(basename(w)));
  // Run by a shell (`bash x.sh`, `sh x.sh`) or as the command itself (`./x.sh`).
  if (script < 0 || (script > 0 && !['bash', 'sh'].includes(basename(words[0])))) return undefined;
  const args = words.slice(script + 1);
  const at = args.indexOf('-p');
  return at >= 0 ? args[at + 1] : undefined;
}

/** Whether the RUN installs a conda distribution itself, before or after the call: a prefix it creates. */
export function runInstallsConda(context: ManagerContext): boolean {
  return context.script.commands.some((c) => installerPrefix(wordsAfterWrappers(c)) !== undefined);
}

/** A `conda config --add|--append|--prepend|--set pkgs_dirs …` before the call (dockopt does not follow .condarc). */
function pkgsDirsConfigured(context: ManagerContext, command: SimpleCommand): boolean {
  if (earlierRunsMatching(context, PKGS_DIRS).length > 0) return true;
  for (const other of context.script.commands) {
    if (other === command) break;
    const { index } = commandStart(other);
    if (other.words.slice(index).some((w) => w.value === 'pkgs_dirs')) return true;
  }
  return false;
}
