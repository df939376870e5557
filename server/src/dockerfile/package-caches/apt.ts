/**
 * apt (Debian, Ubuntu; apt.conf(5), apt-get(8)): `apt-get install` downloads packages into
 * /var/cache/apt/archives and reads the package lists `apt-get update` wrote into
 * /var/lib/apt/lists. Docker's own RUN --mount reference mounts both directories with
 * `sharing=locked` (apt locks them), after removing /etc/apt/apt.conf.d/docker-clean: the official
 * Debian and Ubuntu images ship that file, which deletes the downloaded packages after every
 * install (and the `apt` front end deletes them itself unless
 * `Binary::apt::APT::Keep-Downloaded-Packages` is true). apt needs root: as another user without
 * sudo it fails whatever the mounts, so such a call gets no finding.
 *
 * The lists are mounted only where the RUN fetches them itself (`apt-get update` before every
 * install of the RUN): an install that relies on lists an earlier RUN left in the image would
 * find the mount's instead, empty on a first build ("Unable to locate package"). Likewise a RUN
 * whose lists a later RUN installs from without updating keeps them in its layer. Such RUNs get
 * a mount on the downloaded packages only, which still saves every download.
 *
 * hadolint's DL3009 ("delete the apt-get lists") stays quiet under a cache mount on
 * /var/lib/apt/lists, or on both /var/lib/apt and /var/cache/apt: the fix's result.
 */
import { readMounts } from '../mounts';
import { coveringCacheMount } from '../cache-locations';
import type { InstructionInfo } from '../model';
import { commandStart } from '../package-managers';
import { sudoTarget } from '../user-in-force';
import { parseRunScript, type ShellWord, type SimpleCommand } from '../shell';
import { isCommand, plainWords, positionals, basename } from './call-words';
import type { ManagerCache, ManagerCall, ManagerContext, PackageManager } from './manager';
import { anyEarlierRunMatching } from './earlier-runs';
import { stateAfter, type BackwardFold } from './stage-folds';
import { commandsBefore, textOf } from './stage-runs';

const ARCHIVES = '/var/cache/apt';
// The lists (and their lock), not all of /var/lib/apt: extended_states, apt's record of which packages were
// installed automatically, belongs to the image (a shared cache of it misleads `apt-get autoremove`).
const LISTS_DIR = '/var/lib/apt/lists';
const DOCKER_CLEAN = '/etc/apt/apt.conf.d/docker-clean';
const KEEP_LINE = `'Binary::apt::APT::Keep-Downloaded-Packages "true";'`;
const KEEP_FILE = '/etc/apt/apt.conf.d/keep-cache';
/** The setup commands, as root or (for a RUN whose user reaches apt through sudo) through sudo. */
const SETUP = {
  root: { removeDockerClean: `rm -f ${DOCKER_CLEAN}`, keepPackages: `echo ${KEEP_LINE} > ${KEEP_FILE}` },
  sudo: { removeDockerClean: `sudo rm -f ${DOCKER_CLEAN}`, keepPackages: `echo ${KEEP_LINE} | sudo tee ${KEEP_FILE} > /dev/null` },
};

/** Options of apt-get and apt that take a value (they may come before the subcommand). */
const WITH_VALUE = new Set(['-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release', '-a', '--host-architecture']);
/** Subcommands that download packages into /var/cache/apt/archives, by front end. */
const INSTALLS: Record<string, ReadonlySet<string>> = {
  'apt-get': new Set(['install', 'upgrade', 'dist-upgrade', 'build-dep']),
  apt: new Set(['install', 'upgrade', 'full-upgrade', 'dist-upgrade', 'reinstall']),
};

export const apt: PackageManager = {
  name: 'apt',
  anchor: 'apt',
  mentioned: /\bapt(-get)?\b/,
  readCall(command, words) {
    if (!isCommand(words, ['apt-get', 'apt'])) return undefined;
    const sub = positionals(words, WITH_VALUE)[0];
    if (!sub || !INSTALLS[basename(words[0].value)].has(sub.word.value)) return undefined;
    return { command, words, subcommand: sub.word, disableWords: [] };
  },
  caches(call, scope, context) {
    const owner = scope.owner;
    // Not root and no sudo: apt fails ("are you root?"), mount or not. A user dockopt does not know may be root.
    if (!owner.root && !owner.unknown) return [];
    const asRoot = { ...owner, root: true, label: 'root' };
    const cache = (dir: string, holds: string): ManagerCache => ({ dir, via: 'apt', owner: asRoot, sharing: 'locked', holds });
    const caches = [cache(ARCHIVES, 'downloaded packages')];
    if (listsMountable(context) || listsMounted(context)) caches.push(cache(LISTS_DIR, 'package lists'));
    return caches;
  },
  isCacheWipe: (words) => {
    const [tool, action] = plainWords(words);
    return (tool === 'apt-get' || tool === 'apt') && (action === 'clean' || action === 'distclean');
  },
  mountNeeds(_call, _scope, context) {
    // Judged for all the RUN's installs at once: each call asks, and they must agree on one first command.
    const prelude = missingSetup(context, aptCalls(context));
    return prelude ? { prelude: { command: prelude, why: 'so apt keeps the packages it downloads' } } : undefined;
  },
  mountedButUnused(context) {
    const calls = aptCalls(context);
    const prelude = missingSetup(context, calls);
    if (!prelude) return undefined;
    const why = prelude.includes(`rm -f ${DOCKER_CLEAN}`)
      ? `${DOCKER_CLEAN} (which Debian and Ubuntu images ship) deletes the packages apt downloads after every install, and nothing in this stage removes it`
      : 'the apt front end deletes the packages it downloads after installing them unless Binary::apt::APT::Keep-Downloaded-Packages is true';
    // Only the downloaded packages are lost; the lists stay in their mount.
    return { why, prelude, dir: ARCHIVES };
  },
  unsafeMount(call, scope) {
    // apt's directories moved by the call or its configuration: the mounts may not be where apt writes.
    const moved = call.words.some((w, k) => /^(-o|--option)$/.test(call.words[k - 1]?.value ?? '') && /^Dir(::|=)/i.test(w.value))
      || call.words.some((w) => /^--option=Dir(::|=)/i.test(w.value) || w.value === '-c' || w.value.startsWith('--config-file'));
    if (moved) return "The call sets apt's directories or configuration itself (-o Dir::…, -c)";
    if (scope.lookup('APT_CONFIG')) return 'APT_CONFIG points apt at another configuration';
    return undefined;
  },
};

/** Root, as far as the Dockerfile says (no USER, USER root or 0). */
function runsAsRoot(info: InstructionInfo): boolean {
  const user = info.user;
  return user === undefined || (!user.unknown && (user.name === 'root' || user.name === '0' || user.uid === 0));
}

/** The apt installs of the RUN, read like the table does. */
function aptCalls(context: ManagerContext): ManagerCall[] {
  return context.script.commands.flatMap((command) => {
    const call = apt.readCall(command, command.words.slice(commandStart(command).index));
    return call ? [call] : [];
  });
}

/** An `apt-get update` / `apt update` (the words after wrappers). */
function isUpdate(words: readonly string[]): boolean {
  if (words.length === 0 || !['apt-get', 'apt'].includes(basename(words[0]))) return false;
  const args = words.slice(1);
  const first = args.find((w, k) => !w.startsWith('-') && !WITH_VALUE.has(args[k - 1] ?? ''));
  return first === 'update';
}

function isInstall(words: readonly string[]): boolean {
  if (words.length === 0 || !['apt-get', 'apt'].includes(basename(words[0]))) return false;
  const args = words.slice(1);
  const first = args.find((w, k) => !w.startsWith('-') && !WITH_VALUE.has(args[k - 1] ?? ''));
  return first !== undefined && INSTALLS[basename(words[0])].has(first);
}

/** Whether every install of the script comes after an update in it. */
function updatesBeforeEveryInstall(commands: readonly SimpleCommand[]): boolean {
  let updated = false;
  for (const command of commands) {
    const words = command.words.slice(commandStart(command).index).map((w: ShellWord) => w.value);
    if (isUpdate(words)) updated = true;
    else if (isInstall(words) && !updated) return false;
  }
  return true;
}

/**
 * Whether the RUN's package lists can go into a mount: it fetches them before every install, and
 * no later RUN built on it installs from them without fetching its own (or mounting them), unless
 * this RUN deletes them from the image anyway.
 */
function listsMountable(context: ManagerContext): boolean {
  if (!updatesBeforeEveryInstall(context.script.commands)) return false;
  const { model } = context;
  if (/\brm\s[^;&|]*\/var\/lib\/apt\/lists/.test(textOf(model, context.info))) return true;
  return !stateAfter(model, context.info, LATER_INSTALL_FROM_IMAGE_LISTS);
}

/** Looking forward: whether a later RUN on top of this layer installs from the lists the image holds (no update of its own, no lists mount). */
const LATER_INSTALL_FROM_IMAGE_LISTS: BackwardFold<boolean> = {
  initial: false,
  step: (later, run, model) =>
    later ||
    (run.keyword === 'RUN' &&
      /\bapt(-get)?\b/.test(textOf(model, run)) &&
      !coveringCacheMount(readMounts(run.ast), LISTS_DIR) &&
      !updatesBeforeEveryInstall(parseRunScript(model, run.ast).commands)),
  merge: (a, b) => a || b,
};

/** The RUN already mounts a cache on the lists: a wipe of them concerns that mount. */
function listsMounted(context: ManagerContext): boolean {
  return coveringCacheMount(readMounts(context.info.ast), LISTS_DIR) !== undefined;
}

/** A RUN (or a command of this one) that removed docker-clean, or kept the `apt` front end's downloads. */
const DOCKER_CLEAN_REMOVED = /\brm\s[^;&|]*\/etc\/apt\/apt\.conf\.d\/docker-clean\b/;
const PACKAGES_KEPT = /Binary::apt::APT::Keep-Downloaded-Packages\s+"?(true|1|yes)/i;

/**
 * The first command the mount on the downloaded packages needs before these calls, when one is
 * missing: docker-clean removed, and for the `apt` front end the packages kept. Either done in an
 * earlier RUN of the stage, or earlier in this RUN, is enough.
 */
function missingSetup(context: ManagerContext, calls: readonly ManagerCall[]): string | undefined {
  if (calls.length === 0) return undefined;
  const before = commandsBefore(context, calls[0].command).map((words) => words.join(' '));
  const done = (test: RegExp) => anyEarlierRunMatching(context, test) || before.some((t) => test.test(t));
  // The first command runs as the RUN's user: one that reaches apt through sudo needs it there too.
  const setup = !runsAsRoot(context.info) && calls.some((c) => sudoTarget(c.command) !== undefined) ? SETUP.sudo : SETUP.root;
  const parts: string[] = [];
  if (!done(DOCKER_CLEAN_REMOVED)) parts.push(setup.removeDockerClean);
  const frontEnd = calls.some((c) => basename(c.words[0].value) === 'apt');
  if (frontEnd && !done(PACKAGES_KEPT)) parts.push(setup.keepPackages);
  return parts.length > 0 ? parts.join(' && ') : undefined;
}
