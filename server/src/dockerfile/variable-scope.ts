/**
 * The variables a RUN sees from the Dockerfile, with where each comes from: the stage's ARGs
 * with a value (an ARG is in the environment of the RUNs after it, in its stage only; `ARG NAME`
 * alone takes a global ARG's default), then the ENVs, which win over an ARG. Looked up by name
 * only: reading a whole environment per RUN would cost ENVs × RUNs.
 */
import type { DockerfileModel, InstructionInfo } from './model';
import { readArgDefaults } from './users';

export interface VariableSource {
  get(name: string): string | undefined;
  /** `ENV`, `ARG` or the base image's ENV: where a variable it has comes from, for messages. */
  origin(name: string): 'ENV' | 'ARG' | 'image ENV';
}

export const NO_VARIABLES: VariableSource = { get: () => undefined, origin: () => 'ENV' };

export function variablesAt(model: DockerfileModel, info: InstructionInfo): VariableSource {
  const env = info.env;
  const args = info.stage ? stageArgs(model).get(info.stage) : undefined;
  const argValue = (name: string): string | undefined => {
    let value: string | undefined;
    for (const arg of args?.get(name) ?? []) if (arg.index < info.index) value = arg.value;
    return value;
  };
  return {
    get: (name) => env.get(name) ?? argValue(name),
    origin: (name) => (env.get(name) !== undefined ? 'ENV' : 'ARG'),
  };
}

type ArgsByName = Map<string, Array<{ index: number; value: string }>>;

/** The ARGs with a value of each stage, by name, in order: read once per parse. */
function stageArgs(model: DockerfileModel): Map<InstructionInfo['stage'], ArgsByName> {
  let byStage = STAGE_ARGS.get(model);
  if (byStage) return byStage;
  byStage = new Map();
  // The global ARGs (before the first FROM), read only when an `ARG NAME` needs their defaults.
  let globals: Map<string, string> | undefined;
  const globalDefault = (name: string) => {
    if (!globals) {
      globals = new Map();
      for (const i of model.instructions) {
        if (i.stage) break;
        if (i.keyword === 'ARG') for (const [k, v] of readArgDefaults(i.ast)) globals.set(k, v);
      }
    }
    return globals.get(name);
  };
  for (const i of model.stages.flatMap((stage) => stage.instructions)) {
    if (i.keyword !== 'ARG' || !i.stage) continue;
    const defaults = new Map(readArgDefaults(i.ast));
    const names: ArgsByName = byStage.get(i.stage) ?? new Map();
    for (const arg of i.ast.getArguments()) {
      const name = arg.getValue().split('=')[0];
      // `ARG NAME` alone takes the default of a global ARG of that name, when there is one.
      const value = defaults.get(name) ?? globalDefault(name);
      if (value !== undefined) names.set(name, [...(names.get(name) ?? []), { index: i.index, value }]);
    }
    byStage.set(i.stage, names);
  }
  STAGE_ARGS.set(model, byStage);
  return byStage;
}

const STAGE_ARGS = new WeakMap<DockerfileModel, Map<InstructionInfo['stage'], ArgsByName>>();
