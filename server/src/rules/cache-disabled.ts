/**
 * cache-disabled: a RUN mounts a cache on a package manager's cache directory, yet something in
 * the RUN keeps the mount empty — the manager's switch (`apk add --no-cache`, `uv --no-cache`,
 * `poetry install --no-cache`), a variable (UV_NO_CACHE=1), a wipe (`yarn cache clean`,
 * `apt-get clean`, `rm -rf /var/lib/apt/lists/*`), or a setup the mount needs and lacks (apt's
 * docker-clean hook). The seed's mistake, for every manager of the table; pip's own is
 * pip-no-cache-dir. These are what linters ask for without a mount; with one they defeat it.
 */
import type { InstructionInfo } from '../dockerfile/model';
import { readMounts } from '../dockerfile/mounts';
import { coveringCacheMount } from '../dockerfile/cache-locations';
import { findCacheWipes } from '../dockerfile/cache-wipes';
import { managerRuns, type ManagerRun } from '../dockerfile/package-caches/manager-runs';
import { managerSpan, mountFixEdits } from '../fixes/manager-cache-edits';
import { createRule, type RuleContext } from './create-rule';

const KEEP_OUT = "Remove it: with the mount, {{manager}}'s cache never ends up in the image anyway.";

export const rule = createRule({
  meta: {
    id: 'cache-disabled',
    defaultSeverity: 'warning',
    docs: {
      title: 'Drop what keeps a package cache mount empty',
      description: "A RUN mounts a package manager's cache, but a flag, variable, cleanup or missing setup keeps the mount empty, so every build downloads again.",
    },
    messages: {
      cacheSwitchedOff: `{{switch}} turns off {{manager}}'s cache, so the cache mount on {{target}} stays empty and every build downloads again. ${KEEP_OUT}`,
      envSwitchesCacheOff: `{{origin}} {{name}} turns off {{manager}}'s cache, so the cache mount on {{target}} stays empty and every build downloads again. ${KEEP_OUT}`,
      mountWiped: `{{wipes}} wipes the cache mount on {{target}}: every build starts with an empty cache and downloads again. ${KEEP_OUT}`,
      mountPointRemoved: `{{wipes}} wipes the cache mount on {{target}}: removing the mount point fails the build ("Device or resource busy"). ${KEEP_OUT}`,
      mountUnused: 'The cache mount on {{target}} is not used: {{why}}. Run `{{prelude}}` first in this RUN (or an earlier one).',
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

function checkRun(context: Context, info: InstructionInfo, run: ManagerRun): void {
  const { model, path } = context;
  const { manager } = run;
  const mounts = readMounts(info.ast);
  // Only the calls whose every cache is mounted: a call without its mount is cache-mount's finding.
  const mounted = run.calls.filter((c) => c.caches.length > 0 && c.caches.every((cache) => cache.dir !== undefined && coveringCacheMount(mounts, cache.dir)));
  if (mounted.length === 0) return;
  const mountedRun: ManagerRun = { ...run, calls: mounted };
  const targetOf = (dir: string) => coveringCacheMount(mounts, dir)!.target!;
  const target = [...new Set(mounted.flatMap((c) => c.caches.map((cache) => targetOf(cache.dir!))))].join(' and ');
  const span = managerSpan(mounted[0].call)!;
  const range = model.rangeOf(span.start, span.end);
  const fix = (title: string, plan: Parameters<typeof mountFixEdits>[3], only: ManagerRun = mountedRun) => () => {
    const edits = mountFixEdits(model, info, only, plan);
    // The title names what else the fix changes: an option in a dropped switch's place, a first command.
    const also = edits?.done.filter((d) => !d.startsWith('drop ') && d !== 'remove the cache wipe') ?? [];
    return edits ? [{ title: `${title}${also.length > 0 ? ` (${also.join('; ')})` : ''}`, isPreferred: true, changes: [{ kind: 'edit' as const, path, edits: edits.edits }] }] : [];
  };

  for (const c of mounted) {
    const switches = [...c.call.disableWords, ...c.disablingAssignments];
    if (switches.length === 0) continue;
    const only: ManagerRun = { ...run, calls: [c] };
    const label = [...new Set(switches.map((w) => w.value))].join(', ');
    context.report({
      range: model.rangeOf(switches[0].start, switches[0].end),
      messageId: 'cacheSwitchedOff',
      data: { switch: label, manager: manager.name, target },
      fixes: fix(`Drop ${label}`, { flags: [], wipes: [], removeDisabling: true, applyNeeds: true }, only),
    });
  }

  const env = mounted.find((c) => c.disablingEnv !== undefined)?.disablingEnv;
  // The ENV concerns other RUNs too: dockopt names it, a human removes it.
  if (env !== undefined) {
    const origin = mounted.find((c) => c.disablingEnv === env)!.scope.buildEnv.origin(env);
    context.report({ range, messageId: 'envSwitchesCacheOff', data: { origin: origin === 'image ENV' ? "the base image's ENV" : origin, name: env, manager: manager.name, target } });
  }

  const dirs = mounted.flatMap((c) => c.caches.map((cache) => ({ dir: cache.dir!, home: cache.owner.home, mountTarget: targetOf(cache.dir!) })));
  const { wipes } = findCacheWipes(info, run.context.script, manager.isCacheWipe ?? (() => false), dirs);
  if (wipes.length > 0) {
    const fails = wipes.some((w) => w.failsWithMount);
    context.report({
      range: wipeRange(model, wipes[0].command.words[0], wipes[wipes.length - 1].command.words.at(-1)!),
      messageId: fails ? 'mountPointRemoved' : 'mountWiped',
      data: { wipes: wipes.map((w) => `\`${w.label}\``).join(', '), manager: manager.name, target },
      fixes: fix(`Remove ${wipes.map((w) => `\`${w.label}\``).join(', ')}`, { flags: [], wipes, removeDisabling: false, applyNeeds: false }),
    });
  }

  const unused = manager.mountedButUnused?.(run.context);
  const unusedMount = unused?.dir !== undefined ? coveringCacheMount(mounts, unused.dir) : undefined;
  if (unused && (unused.dir === undefined || unusedMount)) {
    context.report({
      range,
      messageId: 'mountUnused',
      data: { target: unusedMount?.target ?? target, why: unused.why, prelude: unused.prelude },
      fixes: fix(`Run \`${unused.prelude}\` first`, { flags: [], wipes: [], removeDisabling: false, applyNeeds: false, prelude: unused.prelude }),
    });
  }
}

function wipeRange(model: Context['model'], first: { start: number }, last: { end: number }) {
  return model.rangeOf(first.start, last.end);
}
