/**
 * Command-line parsing for `dockopt`: node's own `util.parseArgs` reads the words (`--`,
 * `--name=value`, `--name value`, a value that starts with a dash), and every option is then
 * checked here, so a typo is an error, not a silent default, worded as dockopt words it.
 *
 * Why not `strict: true`: node then refuses an option value that starts with a dash
 * (`--target --push`, `--context -ctx`), which a repository's names may do and
 * `dockopt build` must pass on as values; and its messages would name node's conventions.
 */
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

export type ArgProblem = 'unknown' | 'needs-value' | 'takes-no-value';

/** One option as read from the command line, in order. */
export interface ArgOption {
  /** The option's long name (`format` for `-f` too). */
  name: string;
  /** As typed, without a value: `--format`, `-f`. */
  rawName: string;
  /** The whole command-line word it came from (`--format=json`). */
  arg: string;
  value: string | undefined;
  /** What is wrong with it, if anything. */
  problem?: ArgProblem;
}

export interface ReadArgs {
  options: ArgOption[];
  /** Operands, including everything after `--`. */
  positionals: string[];
}

/**
 * The options and operands of `argv`. A word with one dash is one short option exactly
 * (`-f`): `-fjson` or `-xy` is unknown as a whole rather than read as glued letters.
 */
export function readArgs(argv: readonly string[], specs: OptionSpecs): ReadArgs {
  const { tokens, positionals } = parseArgs({ args: [...argv], options: specs, strict: false, allowPositionals: true, tokens: true });
  const options: ArgOption[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const arg = argv[token.index];
    const option: ArgOption = { name: token.name, rawName: token.rawName, arg, value: token.value };
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (!spec || (!arg.startsWith('--') && arg !== token.rawName)) option.problem = 'unknown';
    else if (spec.type === 'string' && !token.value) option.problem = 'needs-value';
    else if (spec.type === 'boolean' && token.inlineValue) option.problem = 'takes-no-value';
    options.push(option);
  }
  return { options, positionals };
}

/** For `check` and `fix`: the operands and each option's (last) value; a wrong option is a UsageError. */
export function parseCommandArgs(
  argv: readonly string[],
  specs: OptionSpecs,
): { positionals: string[]; values: Map<string, string | true> } {
  const { options, positionals } = readArgs(argv, specs);
  const values = new Map<string, string | true>();
  for (const option of options) {
    switch (option.problem) {
      case 'unknown':
        throw new UsageError(`unknown option '${option.arg}'`);
      case 'needs-value':
        throw new UsageError(`option '--${option.name}' needs a value`);
      case 'takes-no-value':
        throw new UsageError(`option '--${option.name}' takes no value`);
    }
    values.set(option.name, option.value ?? true);
  }
  return { positionals, values };
}
