/** Command-line parsing for `dockopt`: small and strict, so a typo is an error, not a silent default. */

export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/**
 * `spec` names the flags a command takes: `true` for a flag with a value (`--format json`,
 * `--format=json`), `false` for a switch (`--dry-run`).
 */
export function parseArgs(argv: readonly string[], spec: Record<string, boolean>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq < 0 ? arg : arg.slice(0, eq)).replace(/^--?/, '');
    if (!(name in spec)) throw new UsageError(`unknown option '${arg}'`);
    if (spec[name]) {
      const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') throw new UsageError(`option '--${name}' needs a value`);
      flags.set(name, value);
    } else {
      if (eq >= 0) throw new UsageError(`option '--${name}' takes no value`);
      flags.set(name, true);
    }
  }
  return { positionals, flags };
}
