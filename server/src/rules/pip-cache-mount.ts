/**
 * pip-cache-mount: a RUN that installs with pip has no BuildKit cache mount on pip's cache, so
 * every build that re-runs it downloads (and builds) every package again.
 */
import type { DockerfileModel, InstructionInfo } from '../dockerfile/model';
import { readMounts, type RunMount } from '../dockerfile/mounts';
import {
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
  type PipRun,
} from './cache-mount-edits';
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
  // A cache dir dockopt cannot resolve may well be covered by a mount it cannot match: only a RUN
  // without any cache mount is then surely missing one.
  const unresolved = run.calls.map((c) => c.location).find((l) => l.dir === undefined);
  if (uncovered.length === 0 && !(unresolved && cacheMounts.length === 0)) return checkOwner(path, model, info, run, mounts);

  const first = run.calls[0].call;
  const span = commandSpan(first.command, first.subcommand) ?? { start: info.startOffset, end: info.startOffset + 3 };
  const range = model.rangeOf(span.start, span.end);
  let message = describe(uncovered, unresolved, cacheMounts.map((m) => m.target!));
  // The fix cannot reach an ENV (it concerns other RUNs too); pip-no-cache-dir reports it once the mount is there.
  if (run.calls.some(({ call }) => pipCacheSwitches(info, call).env)) {
    message += ` ENV PIP_NO_CACHE_DIR turns pip's cache off here as well: it must go too (pip-no-cache-dir).`;
  }
  return withLazyFixes({ ruleId: 'pip-cache-mount', path, range, message }, () =>
    uncovered.length > 0 ? mountFix(path, model, info, run, uncovered) : [],
  );
}

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

function describe(uncovered: Array<CacheLocation & { dir: string }>, unresolved: CacheLocation | undefined, targets: string[]): string {
  if (uncovered.length === 0) {
    return (
      `pip installs here without a cache mount, so every build downloads all packages again. dockopt cannot tell where pip's cache is ` +
      `(${unresolved!.via} is ${unresolved!.unresolved}): add --mount=type=cache,target=<pip's cache dir> to this RUN.`
    );
  }
  const where = uncovered.map(describeDir).join(' and ');
  const elsewhere = targets.length > 0 ? `, but this RUN's cache mount is on ${targets.join(', ')}` : ' and this RUN mounts no cache there';
  let message = `pip keeps its cache in ${where}${elsewhere}, so every build downloads all packages again. Mount it with ${uncovered.map(cacheMountFlag).join(' ')}.`;
  const unknown = uncovered.find(ownerUnknown);
  if (unknown) message += ` dockopt does not know the uid of ${unknown.owner.label}: add uid=<its uid> to the mount, or pip cannot write to it.`;
  return message;
}

function describeDir(location: CacheLocation & { dir: string }): string {
  const who = location.owner.root ? '' : ` (pip runs as ${location.owner.label})`;
  return `${location.dir}${who}`;
}

/** The mount(s) once per RUN, and every `--no-cache-dir` / PIP_NO_CACHE_DIR=… of the RUN gone (else the mount stays empty). */
function mountFix(path: string, model: DockerfileModel, info: InstructionInfo, run: PipRun, uncovered: Array<CacheLocation & { dir: string }>): Fix[] {
  const switches = run.calls.flatMap(({ call }) => [
    ...call.noCacheDirWords,
    ...call.noCacheDirAssignments.filter((w) => w.value !== 'PIP_NO_CACHE_DIR='), // an empty value is pip's default
  ]);
  const flags = uncovered.map(cacheMountFlag);
  const dirs = uncovered.map((l) => l.dir).join(' and ');
  // Without the user's uid the mount is root's and pip cannot write to it: the user decides.
  const safe = !uncovered.some(ownerUnknown);
  const deletions = switches.length > 0 ? removeWordsEdits(model, info, run.script, switches) : [];
  // (removeWordsEdits checked that the RUN reads the same without the switches; new flags before
  // its first argument change nothing else.)
  if (deletions) {
    const edits: TextEdit[] = [insertFlagsEdit(model.text, run.script, flags, deletions), ...deletions];
    const dropped = switches.length > 0 ? ' and drop --no-cache-dir' : '';
    return [{ title: `Add a pip cache mount on ${dirs}${dropped}`, isPreferred: safe, changes: [{ kind: 'edit', path, edits }] }];
  }
  // A switch dockopt cannot remove cleanly would keep the new mount empty: only offer the mount.
  const insert = insertFlagsEdit(model.text, run.script, flags);
  return [{
    title: `Add a pip cache mount on ${dirs} (then remove --no-cache-dir by hand)`,
    isPreferred: false,
    changes: [{ kind: 'edit', path, edits: [insert] }],
  }];
}
