/**
 * Reading a package manager's command line, for the table's entries: its subcommand past the
 * options, an option's value, flags, and boolean variables as the tools read them.
 */
import type { ShellWord } from '../shell';

/** A command's name without its path: `/usr/bin/apt-get` → `apt-get`. */
export const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Whether the command name (a path maybe) is one of `names`. */
export function isCommand(words: readonly ShellWord[], names: readonly string[]): boolean {
  return words.length > 0 && names.includes(basename(words[0].value));
}

/**
 * The positional words of a call after its name (options skipped, with the value of those in
 * `withValue` when not given with `=`), with their indexes in `words`.
 */
export function positionals(words: readonly ShellWord[], withValue: ReadonlySet<string> = new Set()): Array<{ word: ShellWord; index: number }> {
  const out: Array<{ word: ShellWord; index: number }> = [];
  for (let i = 1; i < words.length; i++) {
    const value = words[i].value;
    if (value === '--') {
      for (let k = i + 1; k < words.length; k++) out.push({ word: words[k], index: k });
      break;
    }
    if (value.startsWith('-') && value !== '-') {
      if (withValue.has(value)) i++;
      continue;
    }
    out.push({ word: words[i], index: i });
  }
  return out;
}

/** The value of an option (`--cache-dir DIR`, `--cache-dir=DIR`), the last one given. */
export function optionValue(words: readonly ShellWord[], names: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const value = words[i].value;
    if (value === '--') break;
    for (const name of names) {
      if (value === name) found = words[i + 1]?.value;
      else if (value.startsWith(`${name}=`)) found = value.slice(name.length + 1);
    }
  }
  return found;
}

/** The words that are exactly one of `flags` (before a `--`). */
export function flagWords(words: readonly ShellWord[], flags: readonly string[]): ShellWord[] {
  const end = words.findIndex((w) => w.value === '--');
  return words.slice(0, end < 0 ? undefined : end).filter((w) => flags.includes(w.value));
}

/**
 * A boolean variable as clap-based tools (uv) and most others read it: `1`, `true`, `yes`, `on`,
 * `y`, `t` in any case are true; anything else is not.
 */
export function truthy(value: string): boolean {
  return /^(1|true|yes|on|y|t)$/i.test(value.trim());
}

/** The words of a command that are not options, as plain strings: `yarn cache clean` → yarn, cache, clean. */
export function plainWords(words: readonly string[]): string[] {
  return words.filter((w) => !w.startsWith('-')).map((w, k) => (k === 0 ? basename(w) : w));
}
