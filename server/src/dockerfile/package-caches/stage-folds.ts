/**
 * Facts a table entry reads from the instructions before a RUN (a `docker-clean` removed, the
 * yarn an earlier RUN installed, the last `config set`) or after it (a later RUN that relies on
 * what this one leaves in the image), computed for the whole file in one pass per parse and fact,
 * so that asking at every call costs nothing more: scanning the stage for each call would cost
 * calls × instructions, which the scaling tests (test/scaling/lint-work.test.ts) catch.
 *
 * A fact is a fold: a state, and a step that takes it past one instruction. Before a stage's
 * first instruction the state is the one at the end of the stage it builds on (`FROM builder`),
 * or `initial`. After a stage's last instruction (looking forward) it is the merge of the states
 * at the start of the stages built on it.
 */
import type { DockerfileModel, InstructionInfo, Stage } from '../model';
import { chargeWork } from '../../work-budget';

export interface ForwardFold<S> {
  initial(stage: Stage): S;
  /** The state after `info`, given the one before it. */
  step(state: S, info: InstructionInfo, model: DockerfileModel): S;
}

export interface BackwardFold<S> {
  /** The state past the end of a stage nothing builds on. */
  initial: S;
  /** The state before `info`, given the one after it (what comes later, including `info`). */
  step(later: S, info: InstructionInfo, model: DockerfileModel): S;
  /** Two stages built on the same one: what comes after it is both. */
  merge(a: S, b: S): S;
}

const FORWARD = new WeakMap<DockerfileModel, Map<object, Map<InstructionInfo, unknown>>>();
const BACKWARD = new WeakMap<DockerfileModel, Map<object, Map<InstructionInfo, unknown>>>();

function memoOf(memos: WeakMap<DockerfileModel, Map<object, Map<InstructionInfo, unknown>>>, model: DockerfileModel, fold: object) {
  let byFold = memos.get(model);
  if (!byFold) memos.set(model, (byFold = new Map()));
  let states = byFold.get(fold);
  if (!states) {
    states = new Map();
    byFold.set(fold, states);
    return { states, fresh: true };
  }
  return { states, fresh: false };
}

/** The fold's state just before `info` (what the instructions before it, in its stage chain, leave). */
export function stateBefore<S>(model: DockerfileModel, info: InstructionInfo, fold: ForwardFold<S>): S | undefined {
  const { states, fresh } = memoOf(FORWARD, model, fold);
  if (fresh) {
    chargeWork(model.instructions.length);
    const ends = new Map<Stage, S>();
    for (const stage of model.stages) {
      let state = stage.parent && ends.has(stage.parent) ? ends.get(stage.parent)! : fold.initial(stage);
      for (const i of stage.instructions) {
        states.set(i, state);
        state = fold.step(state, i, model);
      }
      ends.set(stage, state);
    }
  }
  return states.get(info) as S | undefined;
}

/** The fold's state just after `info` (what the instructions after it, on top of its layer, hold). */
export function stateAfter<S>(model: DockerfileModel, info: InstructionInfo, fold: BackwardFold<S>): S | undefined {
  const { states, fresh } = memoOf(BACKWARD, model, fold);
  if (fresh) {
    chargeWork(model.instructions.length);
    // Stages built on a stage come after it in the file: from the last stage back, each stage's
    // start state is known before the stage it builds on needs it.
    const starts = new Map<Stage, S>();
    const children = new Map<Stage, Stage[]>();
    for (const stage of model.stages) {
      if (!stage.parent) continue;
      const siblings = children.get(stage.parent);
      if (siblings) siblings.push(stage);
      else children.set(stage.parent, [stage]);
    }
    for (const stage of [...model.stages].reverse()) {
      let state = (children.get(stage) ?? []).map((c) => starts.get(c)).filter((s): s is S => s !== undefined).reduce((a, b) => fold.merge(a, b), fold.initial);
      for (const i of [...stage.instructions].reverse()) {
        states.set(i, state);
        state = fold.step(state, i, model);
      }
      starts.set(stage, state);
    }
  }
  return states.get(info) as S | undefined;
}
