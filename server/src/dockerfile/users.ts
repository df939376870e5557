/**
 * Users a Dockerfile creates itself (useradd, adduser, groupadd, addgroup in RUN lines), so
 * rules can tell a USER's uid and home: a cache mount for a non-root user needs both.
 */
import type { Instruction } from 'dockerfile-ast';
import { parseRunScript, type SimpleCommand, type SourceView } from './shell';

export interface KnownUser {
  name: string;
  uid?: number;
  gid?: number;
  home?: string;
}

export function collectKnownUsers(source: SourceView, instructions: Instruction[]): Map<string, KnownUser> {
  const users = new Map<string, KnownUser>();
  const groups = new Map<string, number>();
  try {
    for (const instruction of instructions) {
      if (instruction.getKeyword().toUpperCase() !== 'RUN') continue;
      const range = instruction.getRange();
      const raw = source.text.slice(source.offsetAt(range.start), source.offsetAt(range.end));
      if (!USER_COMMANDS.test(raw)) continue; // most RUNs create no user: skip reading them
      for (const command of parseRunScript(source, instruction).commands) {
        readGroup(command, groups);
        const user = readUser(command, groups);
        if (user) users.set(user.name, user);
      }
    }
  } catch {
    // A user we cannot read is a user we do not know: rules fall back to /home/<name>.
  }
  return users;
}

const USER_COMMANDS = /\b(useradd|adduser|groupadd|addgroup)\b/;

function readGroup(command: SimpleCommand, groups: Map<string, number>) {
  const [name, ...args] = command.words.map((w) => w.value);
  if (name !== 'groupadd' && name !== 'addgroup') return;
  const { options, operands } = readOptions(args, ['-g', '--gid', '-K', '--key']);
  const gid = options.get('-g') ?? options.get('--gid');
  const group = operands[0];
  if (group && gid && /^\d+$/.test(gid)) groups.set(group, Number(gid));
}

function readUser(command: SimpleCommand, groups: Map<string, number>): KnownUser | undefined {
  const [name, ...args] = command.words.map((w) => w.value);
  if (name === 'useradd') {
    const { options, operands } = readOptions(args, ['-u', '--uid', '-g', '--gid', '-d', '--home-dir', '-s', '--shell', '-c', '--comment', '-G', '--groups', '-k', '--skel', '-e', '-f', '-K', '-p', '--password']);
    const user = operands[operands.length - 1];
    if (!user) return undefined;
    const uid = numberOf(options.get('-u') ?? options.get('--uid'));
    const group = options.get('-g') ?? options.get('--gid');
    return { name: user, uid, gid: numberOf(group) ?? (group ? groups.get(group) : undefined), home: options.get('-d') ?? options.get('--home-dir') ?? `/home/${user}` };
  }
  if (name === 'adduser') {
    // BusyBox/Alpine (`adduser -D -u 1000 -h /app app`) and Debian (`adduser --uid 1000 --home /app app`).
    const { options, operands } = readOptions(args, ['-u', '--uid', '-h', '--home', '-G', '--ingroup', '-g', '--gecos', '-s', '--shell', '-k', '--gid', '--firstuid', '--lastuid', '--conf']);
    const user = operands[0];
    if (!user) return undefined;
    const group = options.get('-G') ?? options.get('--ingroup');
    const gid = numberOf(options.get('--gid')) ?? (group ? groups.get(group) : undefined);
    return { name: user, uid: numberOf(options.get('-u') ?? options.get('--uid')), gid, home: options.get('-h') ?? options.get('--home') ?? `/home/${user}` };
  }
  return undefined;
}

function readOptions(args: string[], withValue: string[]) {
  const options = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) options.set(arg.slice(0, eq), arg.slice(eq + 1));
    else if (withValue.includes(arg)) options.set(arg, args[++i] ?? '');
    else if (/^-[a-zA-Z]\d+$/.test(arg) && withValue.includes(arg.slice(0, 2))) options.set(arg.slice(0, 2), arg.slice(2));
    else if (arg.startsWith('-')) options.set(arg, '');
    else operands.push(arg);
  }
  return { options, operands };
}

function numberOf(value: string | undefined): number | undefined {
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}
