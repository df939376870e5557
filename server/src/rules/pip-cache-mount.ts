/**
 * pip-cache-mount: a RUN that installs with pip has no BuildKit cache mount on pip's cache, so
 * every build that re-runs it downloads (and builds) every package again.
 */
import type { DockerfileModel, InstructionInfo } from '../dockerfile/model';
import { readMounts, type RunMount } from '../dockerfile/mounts';
import { installsOnlyPackagingTools, pipDownloads } from '../dockerfile/pip-downloads';
import { SET_CACHE_DIRS, commandSpan, coveringCacheMount, distinctDirs, ownerUnknown, pipCacheSwitches, pipRun, unwritableBy, type CacheLocation, type CacheOwner, type PipRun } from '../dockerfile/cache-locations';
import { afterSubcommandEdits, cacheMountFlag, insertFlagsEdit, ownerOptionsEdit } from '../fixes/cache-mount-edits';
import { removeWordsEdits } from '../fixes/text-removal';
import { findCacheWipes, unsureNote, wipesNote, type CacheWipe } from '../dockerfile/cache-wipes';
import { createRule, type RuleContext } from './create-rule';
import type { Fix, TextEdit } from './types';

// The parts a finding about a missing mount is made of. A RUN's pip calls can miss a mount on a
// known directory (mounting none, or one elsewhere), and run as a user whose home is unknown: one
// message per real combination, so a test names the case it expects.
const DOWNLOADS_AGAIN = 'so every build downloads all packages again';
const MOUNT_MISSING = `pip keeps its cache in {{dirs}} and this RUN mounts no cache there, ${DOWNLOADS_AGAIN}. Mount it with {{flags}}.`;
const MOUNT_ELSEWHERE = `pip keeps its cache in {{dirs}}, but this RUN's cache mount is on {{targets}}, ${DOWNLOADS_AGAIN}. Mount it with {{flags}}.`;
const UID_UNKNOWN = 'dockopt does not know the uid of {{uidUnknown}}: add uid=<its uid> to the mount, or pip cannot write to it.';
const HOME_UNKNOWN =
  `pip runs here as {{user}}, whose home dockopt does not know, so its cache (~/.cache/pip there) has no mount and every build downloads all packages again. ` +
  `If that user is root, --cache-dir=${SET_CACHE_DIRS.pip} with --mount=type=cache,target=${SET_CACHE_DIRS.pip} puts the cache in a mount; ` +
  `another user needs uid=<its uid> on the mount, which dockopt cannot know, so it does not fix this RUN by itself.`;
// {{notes}}: the sentences that may follow any of them, each independent of the others (an ENV
// PIP_NO_CACHE_DIR, the cache wipes of the RUN, rm's dockopt cannot read, "saves little"). They are
// whole sentences in a placeholder because a message per combination would be 8 × 36 of them;
// their prose is in NOTES below and in cache-wipes.ts. Empty, or a space and the sentences.
const NOTES = '{{notes}}';

const NOTE = {
  // The fix cannot reach an ENV (it concerns other RUNs too); pip-no-cache-dir reports it once the mount is there.
  env: "ENV PIP_NO_CACHE_DIR turns pip's cache off here as well: it must go too (pip-no-cache-dir).",
  arg: "ARG PIP_NO_CACHE_DIR turns pip's cache off here as well: its default must go too (pip-no-cache-dir).",
  packagingTools: "(This RUN only installs pip's own tools, which download little: the mount saves little here.)",
  namedWithoutDeps: '(This RUN installs only the packages it names, without their dependencies, which download little: the mount saves little here.)',
};

export const rule = createRule({
  meta: {
    id: 'pip-cache-mount',
    defaultSeverity: 'warning',
    docs: {
      title: 'Cache pip downloads in a BuildKit cache mount',
      description: "A RUN that installs with pip has no BuildKit cache mount on pip's cache, so every build downloads all packages again.",
    },
    messages: {
      cacheDirUnresolved:
        `pip installs here without a cache mount, ${DOWNLOADS_AGAIN}. dockopt cannot tell where pip's cache is ` +
        `({{via}} is {{unresolved}}): add --mount=type=cache,target=<pip's cache dir> to this RUN.${NOTES}`,
      mountMissing: `${MOUNT_MISSING}${NOTES}`,
      mountMissingUidUnknown: `${MOUNT_MISSING} ${UID_UNKNOWN}${NOTES}`,
      mountElsewhere: `${MOUNT_ELSEWHERE}${NOTES}`,
      mountElsewhereUidUnknown: `${MOUNT_ELSEWHERE} ${UID_UNKNOWN}${NOTES}`,
      homeUnknown: `${HOME_UNKNOWN}${NOTES}`,
      mountMissingHomeUnknown: `${MOUNT_MISSING} ${HOME_UNKNOWN}${NOTES}`,
      mountMissingUidUnknownHomeUnknown: `${MOUNT_MISSING} ${UID_UNKNOWN} ${HOME_UNKNOWN}${NOTES}`,
      mountNotWritable:
        'The cache mount on {{target}} belongs to root, but pip runs as {{user}} (uid {{uid}}) ' +
        'and cannot write to it, so pip turns its cache off and every build downloads all packages again. Add {{owns}} to the mount.',
    },
    fixable: true,
    scope: 'dockerfile',
  },
  create(context) {
    const { model } = context;
    return {
      RUN(info) {
        const all = pipRun(model, info);
        // A call that downloads nothing (--no-index, a wheelhouse) gains nothing from a cache.
        const calls = all?.calls.filter((c) => pipDownloads(model, c.call) !== 'none') ?? [];
        if (calls.length === 0) return;
        checkRun(context, info, { script: all!.script, calls });
      },
    };
  },
});

type Context = RuleContext<keyof typeof rule.messages>;

function checkRun(context: Context, info: InstructionInfo, run: PipRun): void {
  const { path, model } = context;
  const mounts = readMounts(info.ast);
  const cacheMounts = mounts.filter((m) => m.type === 'cache' && m.target);
  const uncovered = distinctDirs(run.calls.map((c) => c.location)).filter((l) => !coveringCacheMount(mounts, l.dir));
  // Calls whose cache is in the home of a user dockopt does not know: a --cache-dir can place it.
  const homeless = cacheMounts.length === 0 ? run.calls.filter((c) => c.location.dir === undefined && c.location.homeUnknown) : [];
  // A cache dir dockopt cannot resolve may well be covered by a mount it cannot match: only a RUN
  // without any cache mount is then surely missing one.
  const unresolved = run.calls.map((c) => c.location).find((l) => l.dir === undefined && !l.homeUnknown);
  if (uncovered.length === 0 && homeless.length === 0 && !(unresolved && cacheMounts.length === 0)) {
    checkOwner(context, info, run, mounts);
    return;
  }

  const minor = run.calls.every((c) => pipDownloads(model, c.call) === 'little');
  const main = run.calls.find((c) => pipDownloads(model, c.call) !== 'little') ?? run.calls[0];
  const span = commandSpan(main.call.command, main.call.subcommand) ?? { start: info.startOffset, end: info.startOffset + 3 };
  const plan = mountPlan(uncovered, homeless);
  const { wipes, unsure } = findCacheWipes(info, run.script, 'pip', plan.map((l) => ({ dir: l.dir, home: l.owner.home })));
  const notes = [
    run.calls.some(({ call }) => pipCacheSwitches(info, call, model, run.script).env) ? NOTE.env : '',
    run.calls.some(({ call }) => pipCacheSwitches(info, call, model, run.script).arg) ? NOTE.arg : '',
    wipes.length > 0 ? wipesNote(wipes) : '',
    unsure.length > 0 ? unsureNote(unsure) : '',
    minor ? (run.calls.every((c) => installsOnlyPackagingTools(c.call)) ? NOTE.packagingTools : NOTE.namedWithoutDeps) : '',
  ].filter(Boolean);
  const uidUnknown = uncovered.find(ownerUnknown)?.owner.label;
  context.report({
    range: model.rangeOf(span.start, span.end),
    messageId: missingMountMessage(uncovered.length > 0, cacheMounts.length > 0, uidUnknown !== undefined, homeless.length > 0),
    data: {
      dirs: uncovered.map(describeDir).join(' and '),
      targets: cacheMounts.map((m) => m.target!).join(', '),
      flags: uncovered.map(cacheMountFlag).join(' '),
      uidUnknown: uidUnknown ?? '',
      user: homeless[0]?.location.owner.label ?? '',
      via: unresolved?.via ?? '',
      unresolved: unresolved?.unresolved ?? '',
      notes: notes.map((n) => ` ${n}`).join(''),
    },
    fixes: () => (plan.length > 0 ? mountFix(path, model, info, run, plan, homeless, wipes, unsure) : []),
    minor,
  });
}

/** Which of the missing-mount messages: what is uncovered, whether the RUN mounts a cache elsewhere, whose uid or home is unknown. */
function missingMountMessage(uncovered: boolean, mountsElsewhere: boolean, uidUnknown: boolean, homeUnknown: boolean): keyof typeof rule.messages {
  if (!uncovered) return homeUnknown ? 'homeUnknown' : 'cacheDirUnresolved';
  // homeUnknown is only looked for in a RUN without cache mounts.
  if (homeUnknown) return uidUnknown ? 'mountMissingUidUnknownHomeUnknown' : 'mountMissingHomeUnknown';
  if (mountsElsewhere) return uidUnknown ? 'mountElsewhereUidUnknown' : 'mountElsewhere';
  return uidUnknown ? 'mountMissingUidUnknown' : 'mountMissing';
}

/** The directories to mount: the uncovered ones, and a set one (--cache-dir) for calls whose home is unknown. */
function mountPlan(uncovered: Array<CacheLocation & { dir: string }>, homeless: PipRun['calls']): Array<{ dir: string; owner: CacheOwner }> {
  const plan: Array<{ dir: string; owner: CacheOwner }> = [...uncovered];
  if (homeless.length > 0 && !plan.some((l) => l.dir === SET_CACHE_DIRS.pip)) plan.push({ dir: SET_CACHE_DIRS.pip, owner: homeless[0].location.owner });
  return plan;
}

/**
 * The mount is there but belongs to root: pip, running as another user, cannot write to it,
 * says "The cache has been disabled" and downloads everything again.
 */
function checkOwner(context: Context, info: InstructionInfo, run: PipRun, mounts: readonly RunMount[]): void {
  const { path, model } = context;
  const locations = distinctDirs(run.calls.map((c) => c.location));
  const unwritable = locations.flatMap((location) => {
    const mount = coveringCacheMount(mounts, location.dir);
    return mount && unwritableBy(mount, location) ? [{ mount, location }] : [];
  });
  if (unwritable.length === 0) return;
  const { mount, location } = unwritable[0];
  const first = run.calls[0].call;
  const span = commandSpan(first.command, first.subcommand) ?? { start: info.startOffset, end: info.startOffset + 3 };
  const owns = `uid=${location.owner.uid}${location.owner.gid !== undefined ? `,gid=${location.owner.gid}` : ''}`;
  context.report({
    range: model.rangeOf(span.start, span.end),
    messageId: 'mountNotWritable',
    data: { target: mount.target!, user: location.owner.label, uid: String(location.owner.uid), owns },
    fixes: (): Fix[] => {
      const edits = unwritable.map((u) => ownerOptionsEdit(model, u.mount, u.location));
      if (edits.some((e) => e === undefined)) return [];
      return [{ title: `Make the pip cache mount writable by ${location.owner.label} (${owns})`, isPreferred: true, changes: [{ kind: 'edit', path, edits: edits as TextEdit[] }] }];
    },
  });
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
  // --no-cache-dir, PIP_NO_CACHE_DIR=1 of the call, and an `export PIP_NO_CACHE_DIR=1` before it in the RUN.
  const switches = run.calls.map(({ call }) => pipCacheSwitches(info, call, model, run.script));
  const switchWords = [...new Set(switches.flatMap((s) => s.words))];
  const switchCommands = [...new Set(switches.flatMap((s) => s.commands))];
  const switchCount = switchWords.length + switchCommands.length;
  // Named as users write it: --no-cache-dir, unless only PIP_NO_CACHE_DIR (set for the call or exported) turns the cache off.
  const onlyVariable = switchCommands.length > 0 && switchWords.every((w) => w.value.startsWith('PIP_NO_CACHE_DIR='));
  const switchLabel = onlyVariable ? 'PIP_NO_CACHE_DIR' : '--no-cache-dir';
  const flags = plan.map(cacheMountFlag);
  const dirs = plan.map((l) => l.dir).join(' and ');
  const options = homeless.length > 0 ? afterSubcommandEdits(model.text, run.script, homeless.map((c) => c.call), `--cache-dir=${SET_CACHE_DIRS.pip}`) : [];
  // Without --cache-dir the mount would not be where pip writes: no fix.
  if (!options) return [];
  const words = [...switchWords, ...wipes.flatMap((w) => w.operands)];
  const commands = [...switchCommands, ...wipes.filter((w) => w.operands.length === 0).map((w) => w.command)];
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
    const dropped = [switchCount > 0 ? `drop ${switchLabel}` : '', wipes.length > 0 ? 'remove the cache wipe' : ''].filter(Boolean).join(' and ');
    return [{ title: `Add a pip cache mount on ${dirs}${anyUser}${dropped ? ` and ${dropped}` : ''}${assumption}`, isPreferred: safe, changes: [{ kind: 'edit', path, edits }] }];
  }
  // A switch or a wipe dockopt cannot remove cleanly would keep the new mount empty or fail the
  // build: only offer the mount, for a human to finish.
  const insert = insertFlagsEdit(model.text, run.script, flags);
  const byHand = [switchCount > 0 ? switchLabel : '', wipes.length > 0 ? wipes.map((w) => w.label).join(', ') : ''].filter(Boolean).join(' and ');
  return [{
    title: `Add a pip cache mount on ${dirs}${anyUser} (then remove ${byHand} by hand)${assumption}`,
    isPreferred: false,
    changes: [{ kind: 'edit', path, edits: [insert, ...options] }],
  }];
}
