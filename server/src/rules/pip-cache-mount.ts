/**
 * pip-cache-mount: a RUN that installs with pip has no BuildKit cache mount on pip's cache, so
 * every build that re-runs it downloads (and builds) every package again.
 */
import type { DockerfileModel, InstructionInfo } from '../dockerfile/model';
import { readMounts, type RunMount } from '../dockerfile/mounts';
import type { PipCall } from '../dockerfile/package-managers';
import {
  afterSubcommandEdits,
  SET_CACHE_DIRS,
  cacheMountFlag,
  commandSpan,
  coveringCacheMount,
  distinctDirs,
  insertFlagsEdit,
  ownerOptionsEdit,
  ownerUnknown,
  pipCacheSwitches,
  pipRun,
  removeWordsEdits,
  unwritableBy,
  type CacheLocation,
  type CacheOwner,
  type PipRun,
} from './cache-mount-edits';
import { findCacheWipes, unsureNote, wipesNote, type CacheWipe } from './cache-wipes';
import { withLazyFixes, type Finding, type Fix, type Rule, type TextEdit } from './types';

export const rule: Rule = {
  meta: {
    id: 'pip-cache-mount',
    defaultSeverity: 'warning',
    description: "A RUN that installs with pip has no BuildKit cache mount on pip's cache, so every build downloads all packages again.",
    fixable: true,
  },
  checkDockerfile({ path, model }) {
    const findings: Finding[] = [];
    for (const info of model.instructions) {
      const run = pipRun(model, info);
      if (!run) continue;
      const finding = checkRun(path, model, info, run);
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

function checkRun(path: string, model: DockerfileModel, info: InstructionInfo, run: PipRun): Finding | undefined {
  const mounts = readMounts(info.ast);
  const cacheMounts = mounts.filter((m) => m.type === 'cache' && m.target);
  const uncovered = distinctDirs(run.calls.map((c) => c.location)).filter((l) => !coveringCacheMount(mounts, l.dir));
  // Calls whose cache is in the home of a user dockopt does not know: a --cache-dir can place it.
  const homeless = cacheMounts.length === 0 ? run.calls.filter((c) => c.location.dir === undefined && c.location.homeUnknown) : [];
  // A cache dir dockopt cannot resolve may well be covered by a mount it cannot match: only a RUN
  // without any cache mount is then surely missing one.
  const unresolved = run.calls.map((c) => c.location).find((l) => l.dir === undefined && !l.homeUnknown);
  if (uncovered.length === 0 && homeless.length === 0 && !(unresolved && cacheMounts.length === 0)) return checkOwner(path, model, info, run, mounts);

  const main = run.calls.find((c) => !isMinorPipInstall(c.call)) ?? run.calls[0];
  const span = commandSpan(main.call.command, main.call.subcommand) ?? { start: info.startOffset, end: info.startOffset + 3 };
  const range = model.rangeOf(span.start, span.end);
  const plan = mountPlan(uncovered, homeless);
  let message = describe(uncovered, homeless, unresolved, cacheMounts.map((m) => m.target!));
  // The fix cannot reach an ENV (it concerns other RUNs too); pip-no-cache-dir reports it once the mount is there.
  if (run.calls.some(({ call }) => pipCacheSwitches(info, call).env)) {
    message += ` ENV PIP_NO_CACHE_DIR turns pip's cache off here as well: it must go too (pip-no-cache-dir).`;
  }
  const { wipes, unsure } = findCacheWipes(info, run.script, 'pip', plan.map((l) => ({ dir: l.dir, home: l.owner.home })));
  if (wipes.length > 0) message += ` ${wipesNote(wipes)}`;
  if (unsure.length > 0) message += ` ${unsureNote(unsure)}`;
  if (main === run.calls[0] && isMinorPipInstall(main.call) && run.calls.every((c) => isMinorPipInstall(c.call))) {
    message += ` (This RUN only upgrades pip's own tools, which download little: the mount saves little here.)`;
  }
  return withLazyFixes({ ruleId: 'pip-cache-mount', path, range, message }, () =>
    plan.length > 0 ? mountFix(path, model, info, run, plan, homeless, wipes, unsure) : [],
  );
}

/** The directories to mount: the uncovered ones, and a set one (--cache-dir) for calls whose home is unknown. */
function mountPlan(uncovered: Array<CacheLocation & { dir: string }>, homeless: PipRun['calls']): Array<{ dir: string; owner: CacheOwner }> {
  const plan: Array<{ dir: string; owner: CacheOwner }> = [...uncovered];
  if (homeless.length > 0 && !plan.some((l) => l.dir === SET_CACHE_DIRS.pip)) plan.push({ dir: SET_CACHE_DIRS.pip, owner: homeless[0].location.owner });
  return plan;
}

/** `pip install -U pip setuptools wheel`: pip's own tools, small and rarely changed. */
function isMinorPipInstall(call: PipCall): boolean {
  return call.subcommand === 'install' && !call.fromFiles && call.packages.length > 0 && call.packages.every((p) => PIP_TOOLS.has(packageName(p)));
}

const PIP_TOOLS = new Set(['pip', 'setuptools', 'wheel']);
const packageName = (spec: string) => spec.toLowerCase().replace(/\[.*$/, '').split(/[<>=!~;@ ]/)[0];

/**
 * The mount is there but belongs to root: pip, running as another user, cannot write to it,
 * says "The cache has been disabled" and downloads everything again.
 */
function checkOwner(path: string, model: DockerfileModel, info: InstructionInfo, run: PipRun, mounts: RunMount[]): Finding | undefined {
  const locations = distinctDirs(run.calls.map((c) => c.location));
  const unwritable = locations.flatMap((location) => {
    const mount = coveringCacheMount(mounts, location.dir);
    return mount && unwritableBy(mount, location) ? [{ mount, location }] : [];
  });
  if (unwritable.length === 0) return undefined;
  const { mount, location } = unwritable[0];
  const first = run.calls[0].call;
  const span = commandSpan(first.command, first.subcommand) ?? { start: info.startOffset, end: info.startOffset + 3 };
  const owns = `uid=${location.owner.uid}${location.owner.gid !== undefined ? `,gid=${location.owner.gid}` : ''}`;
  const message =
    `The cache mount on ${mount.target} belongs to root, but pip runs as ${location.owner.label} (uid ${location.owner.uid}) ` +
    `and cannot write to it, so pip turns its cache off and every build downloads all packages again. Add ${owns} to the mount.`;
  return withLazyFixes({ ruleId: 'pip-cache-mount', path, range: model.rangeOf(span.start, span.end), message }, (): Fix[] => {
    const edits = unwritable.map((u) => ownerOptionsEdit(model, u.mount, u.location));
    if (edits.some((e) => e === undefined)) return [];
    return [{ title: `Make the pip cache mount writable by ${location.owner.label} (${owns})`, isPreferred: true, changes: [{ kind: 'edit', path, edits: edits as TextEdit[] }] }];
  });
}

function describe(
  uncovered: Array<CacheLocation & { dir: string }>,
  homeless: PipRun['calls'],
  unresolved: CacheLocation | undefined,
  targets: string[],
): string {
  if (uncovered.length === 0 && homeless.length === 0) {
    return (
      `pip installs here without a cache mount, so every build downloads all packages again. dockopt cannot tell where pip's cache is ` +
      `(${unresolved!.via} is ${unresolved!.unresolved}): add --mount=type=cache,target=<pip's cache dir> to this RUN.`
    );
  }
  const parts: string[] = [];
  if (uncovered.length > 0) {
    const where = uncovered.map(describeDir).join(' and ');
    const elsewhere = targets.length > 0 ? `, but this RUN's cache mount is on ${targets.join(', ')}` : ' and this RUN mounts no cache there';
    parts.push(`pip keeps its cache in ${where}${elsewhere}, so every build downloads all packages again. Mount it with ${uncovered.map(cacheMountFlag).join(' ')}.`);
    const unknown = uncovered.find(ownerUnknown);
    if (unknown) parts.push(`dockopt does not know the uid of ${unknown.owner.label}: add uid=<its uid> to the mount, or pip cannot write to it.`);
  }
  if (homeless.length > 0) {
    const owner = homeless[0].location.owner;
    parts.push(
      `pip runs here as ${owner.label}, whose home dockopt does not know, so its cache (~/.cache/pip there) has no mount and every build downloads all packages again. ` +
        `If that user is root, --cache-dir=${SET_CACHE_DIRS.pip} with --mount=type=cache,target=${SET_CACHE_DIRS.pip} puts the cache in a mount; ` +
        `another user needs uid=<its uid> on the mount, which dockopt cannot know, so it does not fix this RUN by itself.`,
    );
  }
  return parts.join(' ');
}

function describeDir(location: CacheLocation & { dir: string }): string {
  const who = location.owner.root ? '' : ` (pip runs as ${location.owner.label})`;
  return `${location.dir}${who}`;
}

/**
 * The mount(s) once per RUN; every `--no-cache-dir` / PIP_NO_CACHE_DIR=… of the RUN gone (else the
 * mount stays empty) and every wipe of the mounted cache (else the build fails or the cache is
 * emptied); `--cache-dir` for calls whose home dockopt does not know.
 */
function mountFix(
  path: string,
  model: DockerfileModel,
  info: InstructionInfo,
  run: PipRun,
  plan: Array<{ dir: string; owner: CacheOwner }>,
  homeless: PipRun['calls'],
  wipes: readonly CacheWipe[],
  unsure: readonly string[],
): Fix[] {
  const switches = run.calls.flatMap(({ call }) => [
    ...call.noCacheDirWords,
    ...call.noCacheDirAssignments.filter((w) => w.value !== 'PIP_NO_CACHE_DIR='), // an empty value is pip's default
  ]);
  const flags = plan.map(cacheMountFlag);
  const dirs = plan.map((l) => l.dir).join(' and ');
  const options = homeless.length > 0 ? afterSubcommandEdits(model.text, run.script, homeless.map((c) => c.call), `--cache-dir=${SET_CACHE_DIRS.pip}`) : [];
  // Without --cache-dir the mount would not be where pip writes: no fix.
  if (!options) return [];
  const words = [...switches, ...wipes.flatMap((w) => w.operands)];
  const commands = wipes.filter((w) => w.operands.length === 0).map((w) => w.command);
  const deletions = words.length + commands.length > 0 ? removeWordsEdits(model, info, run.script, words, commands) : [];
  const clean = deletions && !options.some((o) => deletions.some((d) => d.start < o.start && o.start < d.end));
  // Assumed, not known: the uid of the user that runs pip. The title says so; a human picks it.
  const assumed = plan.find(ownerUnknown)?.owner;
  const safe = assumed === undefined && unsure.length === 0;
  const assumption =
    (assumed ? `, assuming ${assumed.label} ${assumed.unknown ? 'is root' : 'can write to it (else add uid=<its uid>)'}` : '') +
    (unsure.length > 0 ? ` (check that ${unsure.join(', ')} leaves it alone)` : '');
  const anyUser = (homeless.length > 0 ? ` (--cache-dir=${SET_CACHE_DIRS.pip})` : '');
  // (removeWordsEdits checked that the RUN reads the same without the switches and wipes; new flags
  // before its first argument and a --cache-dir after a subcommand change nothing else.)
  if (clean) {
    const edits: TextEdit[] = [insertFlagsEdit(model.text, run.script, flags, deletions), ...options, ...deletions];
    const dropped = [switches.length > 0 ? 'drop --no-cache-dir' : '', wipes.length > 0 ? 'remove the cache wipe' : ''].filter(Boolean).join(' and ');
    return [{ title: `Add a pip cache mount on ${dirs}${anyUser}${dropped ? ` and ${dropped}` : ''}${assumption}`, isPreferred: safe, changes: [{ kind: 'edit', path, edits }] }];
  }
  // A switch or a wipe dockopt cannot remove cleanly would keep the new mount empty or fail the
  // build: only offer the mount, for a human to finish.
  const insert = insertFlagsEdit(model.text, run.script, flags);
  const byHand = [switches.length > 0 ? '--no-cache-dir' : '', wipes.length > 0 ? wipes.map((w) => w.label).join(', ') : ''].filter(Boolean).join(' and ');
  return [{
    title: `Add a pip cache mount on ${dirs}${anyUser} (then remove ${byHand} by hand)${assumption}`,
    isPreferred: false,
    changes: [{ kind: 'edit', path, edits: [insert, ...options] }],
  }];
}
