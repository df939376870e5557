/**
 * Reading other RUNs and other commands of a RUN, for the table's entries: an instruction's text
 * (for a cheap test before its commands are read), a RUN's commands as plain words after their
 * wrappers, the commands of this RUN before a call. Which RUNs to read is earlier-runs.ts's and
 * stage-folds.ts's business: both answer for the whole file at once.
 */
import type { DockerfileModel, InstructionInfo } from '../model';
import { commandStart } from '../package-managers';
import { parseRunScript, type SimpleCommand } from '../shell';
import type { ManagerContext } from './manager';

/** The text of an instruction, for a cheap test before its commands are read. */
export function textOf(model: DockerfileModel, info: InstructionInfo): string {
  return model.text.slice(info.startOffset, info.endOffset);
}

/** The simple commands of a RUN, each as its words after wrappers (`sudo`, `env`, assignments). */
export function commandsOf(model: DockerfileModel, info: InstructionInfo): string[][] {
  return parseRunScript(model, info.ast).commands.map(wordsAfterWrappers);
}

/** The words of a command from its name on (after `sudo`, `env`, `A=b`), as plain strings. */
export function wordsAfterWrappers(command: SimpleCommand): string[] {
  return command.words.slice(commandStart(command).index).map((w) => w.value);
}

/** The commands of this RUN before `command`, each as its words after wrappers. */
export function commandsBefore(context: ManagerContext, command: SimpleCommand): string[][] {
  const out: string[][] = [];
  for (const other of context.script.commands) {
    if (other === command) break;
    out.push(wordsAfterWrappers(other));
  }
  return out;
}
