/**
 * A manager's `<tool> config …` commands that are in force for a call: run earlier in the call's
 * RUN, or in an earlier RUN of its stage (or the stages it builds on) by the same user (the tools
 * write that user's config file, which another user does not read). Two spellings:
 * - `poetry config virtualenvs.create false`, `pdm config install.cache true` (key, value);
 * - `pnpm config set store-dir /pnpm`, `yarn config set cache-folder /c` (`set`, then key and
 *   value or `key=value`).
 */
import type { InstructionInfo } from '../model';
import type { SimpleCommand } from '../shell';
import { plainWords } from './call-words';
import type { ManagerContext } from './manager';
import { earlierRunsMatching } from './earlier-runs';
import { commandsBefore, commandsOf } from './stage-runs';

/** The user a RUN runs as, for comparing two RUNs: undefined when it is the base image's unknown user. */
function userKey(info: InstructionInfo): string | undefined {
  if (info.user?.unknown) return undefined;
  return info.user?.name ?? 'root';
}

const MENTIONS = new Map<string, RegExp>();

/** Every command, as its words after wrappers, that may be a `tool config` in force before `command`, in order. */
function commandsInForce(context: ManagerContext, command: SimpleCommand, tool: string): string[][] {
  const { model, info } = context;
  let mentions = MENTIONS.get(tool);
  if (!mentions) MENTIONS.set(tool, (mentions = new RegExp(`\\b${tool}\\b[^\\n]*\\bconfig\\b`)));
  const me = userKey(info);
  const commands: string[][] = [];
  if (me !== undefined) {
    for (const run of earlierRunsMatching(context, mentions)) if (userKey(run) === me) commands.push(...commandsOf(model, run));
  }
  commands.push(...commandsBefore(context, command));
  return commands;
}

/**
 * The `key value` pairs the `tool config key value` commands before `command` set, in order (a
 * later one wins), options such as `--local` or `-g` left out; `--unset` pairs come with value undefined.
 */
export function configSetsBefore(context: ManagerContext, command: SimpleCommand, tool: string): Array<{ key: string; value: string | undefined }> {
  const sets: Array<{ key: string; value: string | undefined }> = [];
  for (const words of commandsInForce(context, command, tool)) {
    const [name, config, key, value] = plainWords(words);
    if (name !== tool || config !== 'config' || key === undefined) continue;
    const unset = words.includes('--unset') || words.includes('-d') || words.includes('--delete');
    sets.push({ key, value: unset ? undefined : value });
  }
  return sets;
}

/** The value the last of `sets` gives `key` (undefined: unset or never set). */
export function lastSet(sets: ReadonlyArray<{ key: string; value: string | undefined }>, key: string): string | undefined {
  let value: string | undefined;
  for (const set of sets) if (set.key === key) value = set.value;
  return value;
}

/** The value the last `tool config set key …` (or `key=…`) before `command` gives `key`, when one does. */
export function configSetBefore(context: ManagerContext, command: SimpleCommand, tool: string, key: string): string | undefined {
  let found: string | undefined;
  for (const words of commandsInForce(context, command, tool)) {
    // Options (`-g`, `--global`, `--location=global`) left out.
    const [name, config, set, first, second] = plainWords(words);
    if (name !== tool || config !== 'config' || set !== 'set' || first === undefined) continue;
    if (first === key && second !== undefined) found = second;
    else if (first.startsWith(`${key}=`)) found = first.slice(key.length + 1);
  }
  return found;
}
