/**
 * cache-mount: a RUN installs with a package manager of the table (apt, apk, yarn, pnpm, uv,
 * poetry, conda, Go, Cargo, Maven, Gradle…; see dockerfile/package-caches/) without a BuildKit
 * cache mount on that manager's cache, so every build that re-runs it downloads everything again.
 * pip and npm have their own rules (pip-cache-mount, npm-cache-mount).
 */
import { posix } from 'node:path';
import type { InstructionInfo } from '../dockerfile/model';
import { readMounts, type RunMount } from '../dockerfile/mounts';
import { coveringCacheMount, distinctDirs, ownerUnknown, unwritableBy } from '../dockerfile/cache-locations';
import { findCacheWipes, unsureNote, wipesNote } from '../dockerfile/cache-wipes';
import { managerRuns, type ManagerRun } from '../dockerfile/package-caches/manager-runs';
import type { ManagerCache } from '../dockerfile/package-caches/manager';
import { ownerOptionsEdit } from '../fixes/cache-mount-edits';
import { mountFixEdits, managerCacheFlag, managerSpan } from '../fixes/manager-cache-edits';
import { createRule, type RuleContext } from './create-rule';
import type { Fix, TextEdit } from './types';

const AGAIN = 'so every build {{what}} again';
// {{notes}}: independent sentences that may follow (uid unknown, a disabling ENV, wipes, why the
// fix is not applied by itself), each with its leading space; see NOTE.
const NOTES = '{{notes}}';

const NOTE = {
  uidUnknown: (user: string, manager: string) => `dockopt does not know the uid of ${user}: add uid=<its uid> to the mount, or ${manager} cannot write to it.`,
  env: (origin: string, name: string, manager: string) => `${origin} ${name} turns ${manager}'s cache off here as well: remove it too (cache-disabled), or the mount stays empty.`,
  unsafe: (why: string) => `${why}, so dockopt does not add the mount by itself.`,
};

export const rule = createRule({
  meta: {
    id: 'cache-mount',
    defaultSeverity: 'warning',
    docs: {
      title: "Cache a package manager's downloads in a BuildKit cache mount",
      description: "A RUN installs with apt, apk, uv or another package manager without a BuildKit cache mount on that manager's cache, so every build downloads everything again.",
    },
    messages: {
      mountMissing: `{{manager}} keeps its cache in {{dirs}} and this RUN mounts no cache there, ${AGAIN}. Mount it with {{flags}}.${NOTES}`,
      mountElsewhere: `{{manager}} keeps its cache in {{dirs}}, but this RUN's cache mount is on {{targets}}, ${AGAIN}. Mount it with {{flags}}.${NOTES}`,
      cacheDirUnresolved:
        `{{manager}} installs here without a cache mount, ${AGAIN}. dockopt cannot tell where its cache is ` +
        `({{via}} is {{unresolved}}): add --mount=type=cache,target=<its cache dir> to this RUN.${NOTES}`,
      mountNotWritable:
        'The cache mount on {{target}} belongs to root, but {{manager}} runs as {{user}} (uid {{uid}}) and cannot write to it, ' +
        `${AGAIN}. Add {{owns}} to the mount.`,
    },
    fixable: true,
    scope: 'dockerfile',
  },
  create(context) {
    return {
      RUN(info) {
        for (const run of managerRuns(context.model, info)) checkRun(context, info, run);
      },
    };
  },
});

type Context = RuleContext<keyof typeof rule.messages>;

/** What a build without the manager's cache does again, for the message. */
const redoes = (run: ManagerRun, caches: readonly ManagerCache[]) => run.manager.redoes?.(caches) ?? 'downloads every package';

function checkRun(context: Context, info: InstructionInfo, run: ManagerRun): void {
  const { model } = context;
  const { manager } = run;
  const mounts = readMounts(info.ast);
  const cacheMounts = mounts.filter((m) => m.type === 'cache' && m.target);
  const caches = run.calls.flatMap((c) => c.caches);
  const uncovered = distinctDirs(caches).filter((c) => !coveringCacheMount(mounts, c.dir));
  const unresolved = caches.find((c) => c.dir === undefined);
  const span = managerSpan(run.calls[0].call) ?? { start: info.startOffset, end: info.startOffset + 3 };
  const range = model.rangeOf(span.start, span.end);
  if (uncovered.length === 0) {
    // A cache dockopt cannot place may be covered by a mount it cannot match: only a RUN without any cache mount surely lacks one.
    if (unresolved && cacheMounts.length === 0) {
      context.report({ range, messageId: 'cacheDirUnresolved', data: { manager: manager.name, what: redoes(run, [unresolved]), via: unresolved.via, unresolved: unresolved.unresolved ?? '', notes: unresolved.caution ? ` ${unresolved.caution}` : '' } });
    } else {
      checkOwner(context, info, run, mounts);
    }
    return;
  }

  const { wipes, unsure } = findCacheWipes(info, run.context.script, manager.isCacheWipe ?? (() => false), uncovered.map((c) => ({ dir: c.dir, home: c.owner.home })));
  const envCall = run.calls.find((c) => c.disablingEnv !== undefined);
  const env = envCall?.disablingEnv;
  const envOrigin = env !== undefined ? envCall!.scope.buildEnv.origin(env) : 'ENV';
  const unknownOwner = uncovered.find(ownerUnknown)?.owner.label;
  const unsafe = run.calls.map((c) => manager.unsafeMount?.(c.call, c.scope, run.context) ?? besideMount(run, c, uncovered)).find((why) => why !== undefined);
  const notes = [
    unknownOwner !== undefined ? NOTE.uidUnknown(unknownOwner, manager.name) : '',
    env !== undefined ? NOTE.env(envOrigin === 'image ENV' ? "The base image's ENV" : envOrigin, env, manager.name) : '',
    wipes.length > 0 ? wipesNote(wipes) : '',
    unsure.length > 0 ? unsureNote(unsure) : '',
    unsafe !== undefined ? NOTE.unsafe(unsafe) : '',
  ].filter(Boolean);
  const flags = uncovered.map(managerCacheFlag);
  context.report({
    range,
    messageId: cacheMounts.length > 0 ? 'mountElsewhere' : 'mountMissing',
    data: {
      manager: manager.name,
      what: redoes(run, uncovered),
      dirs: uncovered.map(describeCache).join(' and '),
      targets: cacheMounts.map((m) => m.target!).join(', '),
      flags: flags.join(' '),
      notes: notes.map((n) => ` ${n}`).join(''),
    },
    fixes: () => {
      const plan = mountFixEdits(model, info, run, { flags, wipes, removeDisabling: true, applyNeeds: true });
      if (!plan) return [];
      // Known, not assumed: the user's uid, what every rm removes, what the manager does with the mounted dir.
      const safe = unknownOwner === undefined && unsure.length === 0 && unsafe === undefined && env === undefined;
      const dirs = uncovered.map((c) => c.dir).join(' and ');
      const extra = [...plan.done, ...(unknownOwner !== undefined ? [`assuming ${unknownOwner} is root`] : []), ...(unsure.length > 0 ? [`check that ${unsure.join(', ')} leaves it alone`] : [])];
      const fix: Fix = {
        title: `Add a ${manager.name} cache mount on ${dirs}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`,
        isPreferred: safe,
        changes: [{ kind: 'edit', path: context.path, edits: plan.edits }],
      };
      return [fix];
    },
  });
}

/**
 * Why a non-root user's tool would fail beside its new mount: BuildKit creates the missing folders
 * above a mount owned by root, and this tool writes there too (see PackageManager.writesBesideCache).
 */
function besideMount(run: ManagerRun, c: ManagerRun['calls'][number], uncovered: ReadonlyArray<ManagerCache & { dir: string }>): string | undefined {
  const cache = uncovered.find((u) => !u.owner.root && c.caches.some((own) => own.dir === u.dir));
  if (!cache || !run.manager.writesBesideCache?.(c.call, c.scope, run.context)) return undefined;
  return `BuildKit creates ${posix.dirname(cache.dir)} owned by root if the image lacks it, and ${run.manager.name}, running as ${cache.owner.label}, also writes there`;
}

/** The mount is there, but belongs to root and the manager runs as a user whose uid dockopt knows. */
function checkOwner(context: Context, info: InstructionInfo, run: ManagerRun, mounts: readonly RunMount[]): void {
  const { model } = context;
  const unwritable = distinctDirs(run.calls.flatMap((c) => c.caches)).flatMap((cache) => {
    const mount = coveringCacheMount(mounts, cache.dir);
    return mount && unwritableBy(mount, cache) ? [{ mount, cache }] : [];
  });
  if (unwritable.length === 0) return;
  const { mount, cache } = unwritable[0];
  const span = managerSpan(run.calls[0].call) ?? { start: info.startOffset, end: info.startOffset + 3 };
  const owns = `uid=${cache.owner.uid}${cache.owner.gid !== undefined ? `,gid=${cache.owner.gid}` : ''}`;
  context.report({
    range: model.rangeOf(span.start, span.end),
    messageId: 'mountNotWritable',
    data: { manager: run.manager.name, what: redoes(run, [cache]), target: mount.target!, user: cache.owner.label, uid: String(cache.owner.uid), owns },
    fixes: (): Fix[] => {
      const edits = unwritable.map((u) => ownerOptionsEdit(model, u.mount, u.cache));
      if (edits.some((e) => e === undefined)) return [];
      return [{ title: `Make the ${run.manager.name} cache mount writable by ${cache.owner.label} (${owns})`, isPreferred: true, changes: [{ kind: 'edit', path: context.path, edits: edits as TextEdit[] }] }];
    },
  });
}

function describeCache(cache: ManagerCache & { dir: string }): string {
  const holds = cache.holds ? ` (${cache.holds})` : '';
  const who = cache.owner.root ? '' : ` (as ${cache.owner.label})`;
  return `${cache.dir}${holds}${who}`;
}
