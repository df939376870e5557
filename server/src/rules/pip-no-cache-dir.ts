/**
 * pip-no-cache-dir: a RUN mounts a cache on pip's cache directory, yet pip's cache is switched
 * off (`--no-cache-dir`, PIP_NO_CACHE_DIR in the RUN or in an ENV), so the mount stays empty
 * and every build downloads again — the mistake of a Dockerfile "optimized" by adding the mount
 * and keeping the flag. Its kin: the same RUN wipes the mounted cache (`pip cache purge`,
 * `rm -rf /root/.cache/pip`), which empties it on every build or fails the build.
 */
import type { DockerfileModel, InstructionInfo, Stage } from '../dockerfile/model';
import { readMounts } from '../dockerfile/mounts';
import type { ShellWord } from '../dockerfile/shell';
import {
  coveringCacheMount,
  pipCacheSwitches,
  pipRun,
  removeEnvPropertiesEdits,
  removeWordsEdits,
  type PipRun,
} from './cache-mount-edits';
import { findCacheWipes, type CacheWipe } from './cache-wipes';
import { withLazyFixes, type Finding, type Fix, type Rule } from './types';

const VARIABLE = 'PIP_NO_CACHE_DIR';

export const rule: Rule = {
  meta: {
    id: 'pip-no-cache-dir',
    defaultSeverity: 'warning',
    description: "--no-cache-dir (or PIP_NO_CACHE_DIR, or a wipe of the cache) defeats the cache mount of a RUN that installs with pip.",
    fixable: true,
  },
  checkDockerfile({ path, model }) {
    const findings: Finding[] = [];
    // ENV instructions that switch the cache off for mounted RUNs, with those RUNs' mounts.
    const envs = new Map<InstructionInfo, Array<{ run: InstructionInfo; target: string }>>();
    // pip RUNs with a call the RUN mounts no cache for, with the ENVs in force there: an ENV's
    // finding names them (read in this one pass: a pass per ENV would cost ENVs × RUNs).
    const unmounted: Array<{ run: InstructionInfo; envs: InstructionInfo[] }> = [];
    const envLists = new Map<Stage, InstructionInfo[]>();
    for (const info of model.instructions) {
      const run = pipRun(model, info);
      if (!run) continue;
      const mounted = mountedCalls(info, run);
      if (mounted.length < run.calls.length) unmounted.push({ run: info, envs: envsInForce(info, envLists) });
      if (mounted.length === 0) continue;
      const words = mounted.flatMap((m) => m.switches.words);
      const unsure = mounted.find((m) => !m.writable && m.switches.words.length > 0);
      if (words.length > 0) findings.push(runFinding(path, model, info, run, words, mounted[0].target, unsure?.owner));
      const { wipes } = findCacheWipes(info, run.script, 'pip', mounted.map((m) => ({ dir: m.dir, home: m.home })));
      if (wipes.length > 0) findings.push(wipeFinding(path, model, info, run, wipes, [...new Set(mounted.map((m) => m.target))]));
      const viaEnv = mounted.find((m) => m.switches.env);
      if (viaEnv) {
        for (const env of envsInForce(info, envLists)) {
          const runs = envs.get(env) ?? [];
          runs.push({ run: info, target: viaEnv.target });
          envs.set(env, runs);
        }
      }
    }
    for (const [env, runs] of envs) {
      const finding = envFinding(path, model, env, runs, unmounted);
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

/** The pip calls whose cache directory the RUN mounts, with how their cache is switched off. */
function mountedCalls(info: InstructionInfo, run: PipRun) {
  const mounts = readMounts(info.ast);
  return run.calls.flatMap(({ call, location }) => {
    const mount = location.dir === undefined ? undefined : coveringCacheMount(mounts, location.dir);
    // Whether pip can write to the mount is known for root and for a user whose uid dockopt knows.
    const writable = location.owner.root || location.owner.uid !== undefined;
    return mount ? [{ call, target: mount.target!, dir: location.dir!, home: location.owner.home, writable, owner: location.owner.label, switches: pipCacheSwitches(info, call) }] : [];
  });
}

/** `unsure`: a user whose uid dockopt does not know runs pip, so whether it can write to the mount is not known. */
function runFinding(path: string, model: DockerfileModel, info: InstructionInfo, run: PipRun, words: ShellWord[], target: string, unsure?: string): Finding {
  const first = words[0];
  const what = first.value.startsWith(VARIABLE) ? first.value : '--no-cache-dir';
  const times = words.length > 1 ? ` (${words.length} times in this RUN)` : '';
  const message =
    `${what} turns off pip's cache, so the cache mount on ${target} stays empty and every build downloads again${times}. ` +
    `Remove it: with the mount, pip's cache never ends up in the image anyway.`;
  const assumption = unsure ? `, assuming ${unsure} can write to the mount` : '';
  const title = (words.length > 1 ? `Remove ${what} and the other cache switches from this RUN` : `Remove ${what}`) + assumption;
  return withLazyFixes({ ruleId: 'pip-no-cache-dir', path, range: model.rangeOf(first.start, first.end), message }, (): Fix[] => {
    const edits = removeWordsEdits(model, info, run.script, words);
    return edits ? [{ title, isPreferred: !unsure, changes: [{ kind: 'edit', path, edits }] }] : [];
  });
}

/** The RUN wipes the cache it mounts: every build starts with an empty cache, or the build fails. */
function wipeFinding(path: string, model: DockerfileModel, info: InstructionInfo, run: PipRun, wipes: CacheWipe[], targets: string[]): Finding {
  const words = wipes[0].command.words;
  const fails = wipes.some((w) => w.failsWithMount);
  const message =
    `${wipes.map((w) => `\`${w.label}\``).join(', ')} wipes the cache mount on ${targets.join(', ')}: ` +
    (fails ? `removing the mount point fails the build ("Device or resource busy").` : `every build starts with an empty cache and downloads again.`) +
    ` Remove it: with the mount, pip's cache never ends up in the image anyway.`;
  const range = model.rangeOf(words[0].start, words[words.length - 1].end);
  return withLazyFixes({ ruleId: 'pip-no-cache-dir', path, range, message }, (): Fix[] => {
    const operands = wipes.flatMap((w) => w.operands);
    const commands = wipes.filter((w) => w.operands.length === 0).map((w) => w.command);
    const edits = removeWordsEdits(model, info, run.script, operands, commands);
    return edits ? [{ title: `Remove ${wipes.map((w) => w.label).join(', ')}`, isPreferred: true, changes: [{ kind: 'edit', path, edits }] }] : [];
  });
}

/**
 * The ENV instructions whose PIP_NO_CACHE_DIR is in force at a RUN: the last one before it (in
 * its stage, then the stages it builds on), and the ones before that which removing it would
 * bring back — up to one that sets it empty.
 */
function envsInForce(run: InstructionInfo, envLists: Map<Stage, InstructionInfo[]>): InstructionInfo[] {
  const found: InstructionInfo[] = [];
  let stage = run.stage;
  let before = run.index;
  while (stage) {
    const list = envsOf(stage, envLists);
    for (let k = list.length - 1; k >= 0; k--) {
      const info = list[k];
      if (info.index >= before) continue;
      const values = propertiesOf(info).filter((p) => p.getName() === VARIABLE);
      if (values.length === 0) continue;
      if ((values[values.length - 1].getValue() ?? '').replace(/^(["'])(.*)\1$/, '$2') === '') return found;
      found.push(info);
    }
    before = Infinity;
    stage = stage.parent;
  }
  return found;
}

/** The ENVs of a stage that set PIP_NO_CACHE_DIR, in order: found once per stage. */
function envsOf(stage: Stage, envLists: Map<Stage, InstructionInfo[]>): InstructionInfo[] {
  let list = envLists.get(stage);
  if (!list) {
    list = stage.instructions.filter((i) => i.keyword === 'ENV' && propertiesOf(i).some((p) => p.getName() === VARIABLE));
    envLists.set(stage, list);
  }
  return list;
}

function propertiesOf(info: InstructionInfo) {
  return ((info.ast as any).getProperties?.() ?? []) as Array<{ getName(): string; getValue(): string | null; getRange(): any }>;
}

function envFinding(
  path: string,
  model: DockerfileModel,
  env: InstructionInfo,
  runs: Array<{ run: InstructionInfo; target: string }>,
  unmounted: ReadonlyArray<{ run: InstructionInfo; envs: InstructionInfo[] }>,
): Finding | undefined {
  const property = propertiesOf(env).find((p) => p.getName() === VARIABLE);
  if (!property) return undefined;
  const range = property.getRange();
  const written = model.text.slice(model.offsetAt(range.start), model.offsetAt(range.end));
  const lines = runs.map((r) => r.run.range.start.line + 1);
  const targets = [...new Set(runs.map((r) => r.target))].join(', ');
  const where = lines.length > 1 ? `the RUNs on lines ${lines.join(', ')}` : `the RUN on line ${lines[0]}`;
  const message =
    `ENV ${written} turns off pip's cache, so the cache mount on ${targets} (${where}) stays empty and every build downloads again. ` +
    `Remove it: with a cache mount, pip's cache never ends up in the image anyway.` +
    unmountedNote(env, unmounted);
  const findingRange = model.rangeOf(model.offsetAt(range.start), model.offsetAt(range.end));
  return withLazyFixes({ ruleId: 'pip-no-cache-dir', path, range: findingRange, message }, (): Fix[] => {
    const edits = removeEnvPropertiesEdits(model, env, new Set([VARIABLE]));
    return edits ? [{ title: `Remove ${VARIABLE} from this ENV`, isPreferred: true, changes: [{ kind: 'edit', path, edits }] }] : [];
  });
}

/** pip RUNs under this ENV without a cache mount would keep pip's cache in their layer once it goes. */
function unmountedNote(env: InstructionInfo, unmounted: ReadonlyArray<{ run: InstructionInfo; envs: InstructionInfo[] }>): string {
  const lines = unmounted.filter((u) => u.envs.includes(env)).map((u) => u.run.range.start.line + 1);
  if (lines.length === 0) return '';
  return ` It also applies to pip without a cache mount on line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}: give ${lines.length > 1 ? 'them' : 'it'} one (pip-cache-mount) so pip's cache stays out of the image.`;
}
