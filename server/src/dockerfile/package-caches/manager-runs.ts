/**
 * The calls of a RUN that use a package manager's cache, for every manager of the table, with
 * where each cache is and what switches it off: what the rules `cache-mount` and
 * `cache-disabled` read. The RUN's script is parsed once, and only when its text names a manager.
 */
import { commandScope, type CommandScope } from '../cache-locations';
import type { DockerfileModel, InstructionInfo } from '../model';
import { commandStart } from '../package-managers';
import { parseRunScript, type RunScript, type ShellWord } from '../shell';
import { sudoTarget } from '../user-in-force';
import type { ManagerCache, ManagerCall, ManagerContext, PackageManager } from './manager';
import { basename } from './call-words';
import { PACKAGE_MANAGERS } from './index';

export interface ManagerCallInRun {
  call: ManagerCall;
  caches: ManagerCache[];
  scope: CommandScope;
  /** `NAME=value` words of the call (before it or given to `env`) that switch the cache off. */
  disablingAssignments: ShellWord[];
  /** An ENV (or ARG) in force that switches the cache off for this call, by name, when one does. */
  disablingEnv?: string;
}

export interface ManagerRun {
  manager: PackageManager;
  context: ManagerContext;
  calls: ManagerCallInRun[];
}

/** Each RUN's reading for the whole table, once per parse: `cache-mount` and `cache-disabled` both ask. */
const RUNS_OF_TABLE = new WeakMap<InstructionInfo, readonly ManagerRun[]>();

/** The managers a RUN uses through their cache, each with its calls (an empty list: none). Shared: do not change it. */
export function managerRuns(model: DockerfileModel, info: InstructionInfo, managers: readonly PackageManager[] = PACKAGE_MANAGERS): readonly ManagerRun[] {
  if (managers !== PACKAGE_MANAGERS) return readRuns(model, info, managers);
  let runs = RUNS_OF_TABLE.get(info);
  if (!runs) RUNS_OF_TABLE.set(info, (runs = readRuns(model, info, managers)));
  return runs;
}

function readRuns(model: DockerfileModel, info: InstructionInfo, managers: readonly PackageManager[]): ManagerRun[] {
  // Windows images: no BuildKit cache mounts, and their caches live elsewhere.
  if (info.keyword !== 'RUN' || info.stage?.windows) return [];
  const text = model.text.slice(info.startOffset, info.endOffset);
  const mentioned = managers.filter((m) => m.mentioned.test(text));
  if (mentioned.length === 0) return [];
  const script = parseRunScript(model, info.ast);
  const context: ManagerContext = { model, info, script };
  const runs: ManagerRun[] = [];
  for (const manager of mentioned) {
    const calls = readCalls(manager, context, script);
    if (calls.length > 0) runs.push({ manager, context, calls });
  }
  return runs;
}

function readCalls(manager: PackageManager, context: ManagerContext, script: RunScript): ManagerCallInRun[] {
  const { model, info } = context;
  const out: ManagerCallInRun[] = [];
  for (const command of script.commands) {
    const { index, envAssignments } = commandStart(command);
    const call = manager.readCall(command, asModule(command.words.slice(index)));
    if (!call) continue;
    const scope = commandScope(model, info, command, script);
    const sudo = sudoTarget(command);
    const assignments = [...(sudo === undefined || sudo.preservesEnv ? command.assignments : []), ...envAssignments];
    const disablingAssignments: ShellWord[] = [];
    let disablingEnv: string | undefined;
    for (const variable of manager.disablingVariables ?? []) {
      const own = assignments.filter((w) => w.value.startsWith(`${variable.name}=`));
      disablingAssignments.push(...own.filter((w) => variable.disables(w.value.slice(variable.name.length + 1))));
      // The call's own assignment hides the ENV; removing it would bring the ENV back, so an ENV counts whenever it disables.
      const env = scope.buildEnv.get(variable.name);
      if (env !== undefined && variable.disables(env) && own.every((w) => variable.disables(w.value.slice(variable.name.length + 1)))) disablingEnv ??= variable.name;
    }
    out.push({ call, caches: manager.caches(call, scope, context), scope, disablingAssignments, disablingEnv });
  }
  return out;
}

const PYTHON = /^python(\d+(\.\d+)*)?$/;

/** `python -m pdm install` read as `pdm install` (the tools run as modules the same as their commands). */
function asModule(words: readonly ShellWord[]): readonly ShellWord[] {
  return PYTHON.test(basename(words[0]?.value ?? '')) && words[1]?.value === '-m' && words.length > 2 ? words.slice(2) : words;
}
