/**
 * The variables a RUN's own `export NAME=value` commands put in the environment of the commands
 * after them (`RUN export PIP_CACHE_DIR=/c && pip install …`): pip, npm and the other managers
 * read them like an ENV. Read once per script, in order; `unset NAME` takes one back. Exports
 * inside a subshell or a function are read as if they were not (the reader has no such scopes):
 * a rare spelling in a Dockerfile.
 */
import type { RunScript, ShellWord, SimpleCommand } from './shell';

/** An exported variable: its value, the `NAME=value` word and the `export` command that set it. */
export interface Exported {
  value: string;
  word: ShellWord;
  command: SimpleCommand;
}

const NONE: ReadonlyMap<string, Exported> = new Map();
const BEFORE = new WeakMap<SimpleCommand, ReadonlyMap<string, Exported>>();
const ASSIGNMENT = /^([A-Za-z_]\w*)=(.*)$/s;

/** What the script's `export`s before `command` set (empty when none did, or `command` is not in it). */
export function exportsBefore(script: RunScript, command: SimpleCommand): ReadonlyMap<string, Exported> {
  let known = BEFORE.get(command);
  if (known === undefined) {
    readScript(script);
    known = BEFORE.get(command) ?? NONE;
  }
  return known;
}

function readScript(script: RunScript): void {
  let exported = NONE;
  for (const command of script.commands) {
    BEFORE.set(command, exported);
    const [name, ...rest] = command.words;
    if (name?.value === 'export') {
      const set = rest.flatMap((word) => {
        const m = ASSIGNMENT.exec(word.value);
        return m ? [[m[1], { value: m[2], word, command }] as const] : [];
      });
      if (set.length > 0) exported = new Map([...exported, ...set]);
    } else if (name?.value === 'unset' && rest.some((w) => exported.has(w.value))) {
      const names = new Set(rest.map((w) => w.value));
      exported = new Map([...exported].filter(([key]) => !names.has(key)));
    }
  }
}
