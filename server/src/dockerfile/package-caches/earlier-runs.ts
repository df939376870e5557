/**
 * The RUNs before a call, in its stage or the stages it builds on, whose text matches a pattern
 * (`poetry config`, a conda installer, a removed docker-clean): what the table's entries look back
 * at. The matching RUNs of the file are found once per parse and pattern, grouped by stage, so a
 * question costs the stages of the call's chain and a binary search, not the file: a file with a
 * thousand calls does not walk its instructions a thousand times.
 */
import type { DockerfileModel, InstructionInfo, Stage } from '../model';
import { chargeWork } from '../../work-budget';
import type { ManagerContext } from './manager';
import { textOf } from './stage-runs';

const MATCHING = new WeakMap<DockerfileModel, Map<string, Map<Stage, InstructionInfo[]>>>();

/** The RUNs of the file whose text matches `pattern`, by stage, in file order. */
function runsMatching(model: DockerfileModel, pattern: RegExp): Map<Stage, InstructionInfo[]> {
  let byPattern = MATCHING.get(model);
  if (!byPattern) MATCHING.set(model, (byPattern = new Map()));
  const key = `${pattern.source}/${pattern.flags}`;
  let runs = byPattern.get(key);
  if (!runs) {
    chargeWork(model.instructions.length);
    runs = new Map();
    for (const i of model.instructions) {
      if (i.keyword !== 'RUN' || i.stage === undefined || !pattern.test(textOf(model, i))) continue;
      const list = runs.get(i.stage);
      if (list) list.push(i);
      else runs.set(i.stage, [i]);
    }
    byPattern.set(key, runs);
  }
  return runs;
}

/** How many of `runs` (in file order) come before instruction `index`. */
function countBefore(runs: readonly InstructionInfo[], index: number): number {
  let low = 0;
  let high = runs.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (runs[mid].index < index) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The stage and the stages it builds on, nearest first (a Set guards the walk: a list's `includes` made it chain²). */
function chainOf(stage: Stage | undefined): Stage[] {
  const seen = new Set<Stage>();
  for (let s = stage; s && !seen.has(s); s = s.parent) seen.add(s);
  return [...seen];
}

/** The RUNs matching `pattern` that ran before `info` in its stage or the stages it builds on, in file order. */
export function earlierRunsMatching({ model, info }: ManagerContext, pattern: RegExp): InstructionInfo[] {
  const byStage = runsMatching(model, pattern);
  if (byStage.size === 0) return [];
  const out: InstructionInfo[][] = [];
  for (const stage of chainOf(info.stage)) {
    const runs = byStage.get(stage) ?? [];
    out.unshift(stage === info.stage ? runs.slice(0, countBefore(runs, info.index)) : runs);
  }
  return out.flat();
}

/** Whether a RUN before `info`, in its stage or the stages it builds on, matches `pattern`. */
export function anyEarlierRunMatching({ model, info }: ManagerContext, pattern: RegExp): boolean {
  const byStage = runsMatching(model, pattern);
  if (byStage.size === 0) return false;
  return chainOf(info.stage).some((stage) => {
    const runs = byStage.get(stage) ?? [];
    return stage === info.stage ? countBefore(runs, info.index) > 0 : runs.length > 0;
  });
}
