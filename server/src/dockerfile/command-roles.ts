/**
 * What each command of a RUN is to copy-before-install: a dependency install, a `cd`, a
 * command that cannot read the project's source (so `COPY . .` may move past it), one that
 * only touches the paths it names, or one that may read the source.
 *
 * Unknown commands may read the source: moving `COPY . .` past them could break the build,
 * so the rule then offers no automatic fix.
 */
import { commandStart } from './package-managers';
import type { SimpleCommand } from './shell';
import { readDependencyInstall } from './dependency-installs';
import { MAY_READ_SOURCE, SOURCE_FREE, type DependencyInstall } from './install-reading';

export type CommandRole =
  | { role: 'install'; install: DependencyInstall }
  | { role: 'cd'; to?: string }
  | { role: 'source-free' }
  /** Source-free unless one of these paths (as written) is or holds what COPY . . brings. */
  | { role: 'paths'; paths: string[] }
  | { role: 'may-read-source' };

/** Commands that work on the system, never on the project's files. */
const SYSTEM_COMMANDS = new Set([
  'apt-get', 'apt', 'aptitude', 'apk', 'yum', 'dnf', 'microdnf', 'tdnf', 'zypper', 'apt-key', 'add-apt-repository',
  'useradd', 'adduser', 'groupadd', 'addgroup', 'usermod', 'groupmod', 'chsh',
  'echo', 'printf', 'true', ':', 'set', 'export', 'umask', 'mkdir', 'curl', 'wget', 'sleep',
  'update-ca-certificates', 'ldconfig', 'locale-gen', 'dpkg-reconfigure', 'update-alternatives',
  'which', 'whoami', 'id', 'uname', 'date', 'pwd', 'rustup',
]);

/**
 * Commands that change only the paths they are given, and how many leading arguments are not
 * paths (chmod's mode, chown's owner).
 */
const PATH_COMMANDS = new Map<string, number>([
  ['rm', 0], ['rmdir', 0], ['touch', 0], ['ln', 0], ['cp', 0], ['mv', 0], ['chown', 1], ['chgrp', 1], ['chmod', 1],
]);

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export function roleOf(command: SimpleCommand): CommandRole {
  const { index } = commandStart(command);
  const words = command.words.slice(index);
  if (words.length === 0) return { role: 'source-free' }; // only assignments: `FOO=bar`
  const name = basename(words[0].value);

  const install = readDependencyInstall(command);
  if (install === SOURCE_FREE) return { role: 'source-free' };
  if (install === MAY_READ_SOURCE) return { role: 'may-read-source' };
  if (install) return { role: 'install', install };

  if (name === 'cd') return words.length === 2 && !words[1].value.startsWith('-') ? { role: 'cd', to: words[1].value } : { role: 'cd' };
  if (SYSTEM_COMMANDS.has(name)) return { role: 'source-free' };
  if (words.length === 2 && /^(--version|-v|-V|version)$/.test(words[1].value)) return { role: 'source-free' };
  const skipped = PATH_COMMANDS.get(name);
  if (skipped !== undefined) {
    const operands = words.slice(1).filter((w) => !w.value.startsWith('-')).slice(skipped);
    return { role: 'paths', paths: operands.map((w) => w.value) };
  }
  return { role: 'may-read-source' };
}

/** The command as written, shortened for a message. */
export function commandLabel(command: SimpleCommand): string {
  const { index } = commandStart(command);
  const text = command.words.slice(index).map((w) => w.value).join(' ');
  return text.length > 50 ? `${text.slice(0, 47)}…` : text;
}
