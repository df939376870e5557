/**
 * The stages built on a stage (`FROM builder`, and those built on them), from each stage's
 * children read once per parse: walking every stage's parents for every stage asked about grew
 * with their square on a chain of stages (each built on the one before).
 */
import type { DockerfileModel, Stage } from './model';

const CHILDREN = new WeakMap<DockerfileModel, Map<Stage, Stage[]>>();

/** The stage and the stages built on it, in the file's order. */
export function stageFamily(model: DockerfileModel, stage: Stage): Stage[] {
  let children = CHILDREN.get(model);
  if (!children) {
    children = new Map();
    for (const candidate of model.stages) {
      const parent = candidate.parent;
      if (!parent) continue;
      const list = children.get(parent);
      if (list) list.push(candidate);
      else children.set(parent, [candidate]);
    }
    CHILDREN.set(model, children);
  }
  const found = new Set<Stage>([stage]);
  for (const s of found) for (const child of children.get(s) ?? []) found.add(child);
  return [...found].sort((a, b) => a.index - b.index);
}
