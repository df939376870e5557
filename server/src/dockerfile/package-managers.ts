/**
 * Recognizes pip and npm invocations among a RUN's simple commands, however they are
 * spelled: `pip3.12 install`, `python -m pip install`, `/opt/venv/bin/pip install`,
 * `sudo -u app npm ci`, `env PIP_NO_CACHE_DIR=1 pip install`…
 */
import type { ShellWord, SimpleCommand } from './shell';

export interface PipCall {
  command: SimpleCommand;
  /** `install`, `download`, `wheel`… */
  subcommand: string;
  /** Every `--no-cache-dir` (or `--no-cache-dir=…`) word of the call. */
  noCacheDirWords: ShellWord[];
  /** `PIP_NO_CACHE_DIR=…` assignments before the command (or given to `env`). */
  noCacheDirAssignments: ShellWord[];
  /** `--cache-dir DIR` of the call, when given. */
  cacheDir?: string;
  /** The requirement specifiers named on the command line (`flask==3.0`, `.`, `pip`). */
  packages: string[];
  /** Installs from files too: `-r`, `-c`, `-e` (or their long names). */
  fromFiles: boolean;
  /** `--no-index`: pip reads only local files (`--find-links`), it downloads nothing. */
  noIndex: boolean;
  /** `--no-deps`: only the packages named, none of their dependencies. */
  noDeps: boolean;
  /** `pip wheel -w DIR`: the folder the wheels (of the packages and every dependency) go to. */
  wheelDir?: string;
}

export interface NpmCall {
  command: SimpleCommand;
  /** `ci`, `install`, `i`. */
  subcommand: string;
  /** `--cache DIR` of the call, when given. */
  cacheDir?: string;
  hasPreferOffline: boolean;
  /** `-g` / `--global` / `--location=global`: a tool for the image, not the project's dependencies. */
  global: boolean;
}

const PIP = /^pip(\d+(\.\d+)*)?$/;
const PYTHON = /^python(\d+(\.\d+)*)?$/;
/** pip subcommands that download packages, and so use pip's cache. */
const PIP_CACHE_USERS = new Set(['install', 'download', 'wheel']);

/*
 * pip's long options, as `pip <command> --help` lists them (pip 23.2): pip's option parser
 * (optparse) takes any unambiguous prefix of one — `--no-cache` is `--no-cache-dir` — so every
 * reading of pip's options resolves prefixes against the options of the command being parsed.
 * Options a later pip adds can only make a prefix ambiguous, and pip then refuses the command.
 */
const PIP_GENERAL_FLAGS = ['--debug', '--disable-pip-version-check', '--help', '--isolated', '--no-cache-dir', '--no-color', '--no-input', '--no-python-version-warning', '--quiet', '--require-venv', '--require-virtualenv', '--verbose', '--version'];
const PIP_GENERAL_VALUES = ['--cache-dir', '--cert', '--client-cert', '--default-timeout', '--exists-action', '--keyring-provider', '--local-log', '--log', '--log-file', '--proxy', '--python', '--retries', '--timeout', '--trusted-host', '--use-deprecated', '--use-feature'];
/** Options of `pip install`/`download`/`wheel` besides the general ones: [flags, options with a value]. */
const PIP_COMMAND_OPTIONS: Record<string, [string[], string[]]> = {
  install: [
    ['--break-system-packages', '--check-build-dependencies', '--compile', '--dry-run', '--force-reinstall', '--ignore-installed', '--ignore-requires-python', '--no-build-isolation', '--no-clean', '--no-compile', '--no-dependencies', '--no-deps', '--no-index', '--no-use-pep517', '--no-user', '--no-warn-conflicts', '--no-warn-script-location', '--pre', '--prefer-binary', '--require-hashes', '--upgrade', '--use-pep517', '--user'],
    ['--abi', '--config-settings', '--constraint', '--editable', '--extra-index-url', '--find-links', '--global-option', '--implementation', '--index-url', '--no-binary', '--only-binary', '--platform', '--prefix', '--progress-bar', '--pypi-url', '--python-version', '--report', '--requirement', '--root', '--root-user-action', '--source', '--source-dir', '--source-directory', '--src', '--target', '--upgrade-strategy'],
  ],
  download: [
    ['--check-build-dependencies', '--ignore-requires-python', '--no-build-isolation', '--no-clean', '--no-dependencies', '--no-deps', '--no-index', '--no-use-pep517', '--pre', '--prefer-binary', '--require-hashes', '--use-pep517'],
    ['--abi', '--constraint', '--dest', '--destination-dir', '--destination-directory', '--extra-index-url', '--find-links', '--global-option', '--implementation', '--index-url', '--no-binary', '--only-binary', '--platform', '--progress-bar', '--pypi-url', '--python-version', '--requirement', '--source', '--source-dir', '--source-directory', '--src'],
  ],
  wheel: [
    ['--check-build-dependencies', '--ignore-requires-python', '--no-build-isolation', '--no-clean', '--no-dependencies', '--no-deps', '--no-index', '--no-use-pep517', '--no-verify', '--pre', '--prefer-binary', '--require-hashes', '--use-pep517'],
    ['--build-option', '--config-settings', '--constraint', '--editable', '--extra-index-url', '--find-links', '--global-option', '--index-url', '--no-binary', '--only-binary', '--progress-bar', '--pypi-url', '--requirement', '--source', '--source-dir', '--source-directory', '--src', '--wheel-dir'],
  ],
};
/** Short options that take a value, by subcommand (the general ones take none). */
const PIP_SHORT_VALUES: Record<string, string> = { install: 'rcefitC', download: 'rcfid', wheel: 'rcefiwC' };

export interface PipOption {
  /** The full long option (`--no-cache-dir`), or the short one as written (`-r`). */
  name: string;
  /** The value given with `=` or attached (`-rFILE`), when there is one. */
  inline?: string;
  /** Whether the option takes a value (the next word, when not given inline). */
  takesValue: boolean;
}

/**
 * One option word of pip, as pip reads it: `--no-cache` is `--no-cache-dir`, `--req=f` is
 * `--requirement f`. `subcommand` undefined reads the general options (before the subcommand).
 * Undefined when it is not an option pip knows, or a prefix of several (pip refuses both).
 */
export function readPipOption(word: string, subcommand?: string): PipOption | undefined {
  if (!word.startsWith('-') || word === '-' || word === '--') return undefined;
  // Own keys only: `pip constructor` must not find Object's.
  const command = subcommand !== undefined && Object.hasOwn(PIP_COMMAND_OPTIONS, subcommand) ? PIP_COMMAND_OPTIONS[subcommand] : undefined;
  if (!word.startsWith('--')) {
    const short = word.slice(0, 2);
    const takesValue = command !== undefined && PIP_SHORT_VALUES[subcommand!].includes(short[1]);
    return { name: short, inline: takesValue && word.length > 2 ? word.slice(2) : undefined, takesValue };
  }
  const eq = word.indexOf('=');
  const written = eq < 0 ? word : word.slice(0, eq);
  const { all, values } = longOptionsOf(subcommand, command);
  const exact = all.has(written) ? written : undefined;
  const matches = exact ? [exact] : [...all].filter((o) => o.startsWith(written));
  if (matches.length !== 1) return undefined;
  const name = matches[0];
  return { name, inline: eq < 0 ? undefined : word.slice(eq + 1), takesValue: values.has(name) };
}

/** pip's long options for a subcommand (general ones included), built once per subcommand: every option word asks. */
const LONG_OPTIONS = new Map<string | undefined, { all: ReadonlySet<string>; values: ReadonlySet<string> }>();

function longOptionsOf(subcommand: string | undefined, command: (typeof PIP_COMMAND_OPTIONS)[string] | undefined) {
  const key = command ? subcommand : undefined;
  let options = LONG_OPTIONS.get(key);
  if (!options) {
    const flags = command ? [...PIP_GENERAL_FLAGS, ...command[0]] : PIP_GENERAL_FLAGS;
    const values = command ? [...PIP_GENERAL_VALUES, ...command[1]] : PIP_GENERAL_VALUES;
    options = { all: new Set([...flags, ...values]), values: new Set(values) };
    LONG_OPTIONS.set(key, options);
  }
  return options;
}

/** The index of pip's subcommand word in `words`, from `from` on (past general options and their values). */
export function pipSubcommandIndex(words: readonly ShellWord[], from: number): number {
  for (let i = from; i < words.length; i++) {
    const value = words[i].value;
    if (!value.startsWith('-')) return i;
    const option = readPipOption(value);
    if (option?.takesValue && option.inline === undefined) i++;
  }
  return -1;
}
/** Python interpreter options that take a value. */
const PYTHON_OPTIONS_WITH_VALUE = new Set(['-X', '-W', '-Q']);
const NPM_INSTALLS = new Set(['ci', 'install', 'i', 'clean-install', 'isntall']);

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Where a command really starts (after `sudo`, `env`, `exec`…), and the assignments given to it on the way. */
interface CommandStart {
  index: number;
  envAssignments: ShellWord[];
}

/**
 * A reading that depends on the command's words alone, made once per command: every cache rule
 * and every manager asks it of every command. A RUN's script, and so its commands, is kept across
 * versions of the document while the RUN is unchanged (shell.ts). What it returns is shared: not
 * to be changed.
 */
function perCommand<T>(read: (command: SimpleCommand) => T): (command: SimpleCommand) => T {
  const known = new WeakMap<SimpleCommand, { value: T }>();
  return (command) => {
    let entry = known.get(command);
    if (!entry) known.set(command, (entry = { value: read(command) }));
    return entry.value;
  };
}

export const commandStart = perCommand(readCommandStart);
export const findPipCall = perCommand(readPipCall);
export const findNpmCall = perCommand(readNpmCall);

/** The command name after wrappers (`sudo`, `env`, `exec`, `nice`, `time`…), and env assignments given to `env`. */
function readCommandStart(command: SimpleCommand): CommandStart {
  const words = command.words;
  const envAssignments: ShellWord[] = [];
  let i = 0;
  while (i < words.length) {
    const name = basename(words[i].value);
    if (name === 'sudo' || name === 'doas') {
      i++;
      while (i < words.length && words[i].value.startsWith('-')) {
        if (/^-[ugrtCDhp]$/.test(words[i].value)) i++; // options with a value
        i++;
      }
      // `sudo VAR=value cmd` passes VAR to cmd, like env does.
      while (i < words.length && /^[A-Za-z_]\w*=/.test(words[i].value)) envAssignments.push(words[i++]);
      continue;
    }
    if (name === 'env') {
      i++;
      while (i < words.length && (words[i].value.startsWith('-') || /^[A-Za-z_]\w*=/.test(words[i].value))) {
        if (!words[i].value.startsWith('-')) envAssignments.push(words[i]);
        i++;
      }
      continue;
    }
    if (name === 'exec' || name === 'nice' || name === 'nohup' || name === 'time' || name === 'command') {
      i++;
      continue;
    }
    break;
  }
  return { index: i, envAssignments };
}

function readPipCall(command: SimpleCommand): PipCall | undefined {
  const { index, envAssignments } = commandStart(command);
  const words = command.words;
  const name = words[index] ? basename(words[index].value) : '';
  let i: number;
  if (PIP.test(name)) {
    i = index + 1;
  } else if (PYTHON.test(name)) {
    i = index + 1;
    while (i < words.length && words[i].value.startsWith('-') && words[i].value !== '-m' && !words[i].value.startsWith('-m')) {
      if (PYTHON_OPTIONS_WITH_VALUE.has(words[i].value)) i++;
      i++;
    }
    const m = words[i]?.value;
    if (m === '-m' && words[i + 1]?.value === 'pip') i += 2;
    else if (m === '-mpip') i += 1;
    else return undefined;
  } else {
    return undefined;
  }

  const sub = pipSubcommandIndex(words, i);
  const subcommand = sub >= 0 ? words[sub].value : undefined;
  if (!subcommand || !PIP_CACHE_USERS.has(subcommand)) return undefined;
  let cacheDir: string | undefined;
  let fromFiles = false;
  let noIndex = false;
  let noDeps = false;
  let wheelDir: string | undefined;
  const noCacheDirWords: ShellWord[] = [];
  const packages: string[] = [];
  for (; i < words.length; i++) {
    if (i === sub) continue;
    const value = words[i].value;
    if (value === '--') { packages.push(...words.slice(i + 1).map((w) => w.value)); break; }
    if (!value.startsWith('-')) { if (i > sub) packages.push(value); continue; }
    const option = readPipOption(value, i > sub ? subcommand : undefined);
    if (!option) continue;
    const optionValue = option.takesValue ? (option.inline ?? words[++i]?.value) : undefined;
    if (option.name === '--no-cache-dir') noCacheDirWords.push(words[i]);
    else if (option.name === '--cache-dir') cacheDir = optionValue;
    else if (['--requirement', '--constraint', '--editable', '-r', '-c', '-e'].includes(option.name)) fromFiles = true;
    else if (option.name === '--no-index') noIndex = true;
    else if (option.name === '--no-deps' || option.name === '--no-dependencies') noDeps = true;
    else if (option.name === '--wheel-dir' || (option.name === '-w' && subcommand === 'wheel')) wheelDir = optionValue;
  }
  const noCacheDirAssignments = [...command.assignments, ...envAssignments].filter((w) => w.value.startsWith('PIP_NO_CACHE_DIR='));
  return { command, subcommand, noCacheDirWords, noCacheDirAssignments, cacheDir, packages, fromFiles, noIndex, noDeps, wheelDir };
}

function readNpmCall(command: SimpleCommand): NpmCall | undefined {
  const { index } = commandStart(command);
  const words = command.words;
  if (!words[index] || basename(words[index].value) !== 'npm') return undefined;
  let subcommand: string | undefined;
  let cacheDir: string | undefined;
  let hasPreferOffline = false;
  let global = false;
  for (let i = index + 1; i < words.length; i++) {
    const value = words[i].value;
    if (value === '-g' || value === '--global' || value === '--location=global') { global = true; continue; }
    if (value === '--location' && words[i + 1]?.value === 'global') { global = true; i++; continue; }
    if (value === '--cache') { cacheDir = words[i + 1]?.value; i++; continue; }
    if (value.startsWith('--cache=')) { cacheDir = value.slice('--cache='.length); continue; }
    if (value === '--prefer-offline') { hasPreferOffline = true; continue; }
    // `--offline`: npm makes no network request and installs from the cache alone (one the image
    // holds, as yarn's and pnpm's offline installs do): nothing to download, and a mount would
    // hide that cache.
    if (value === '--offline' || value === '--offline=true') return undefined;
    if (value === '--prefix' || value === '-C' || value === '--workspace' || value === '-w') { if (!subcommand) i++; continue; }
    if (value.startsWith('-')) continue;
    subcommand ??= value;
  }
  if (!subcommand || !NPM_INSTALLS.has(subcommand)) return undefined;
  if ([...command.assignments, ...commandStart(command).envAssignments].some((w) => /^npm_config_offline=["']?true["']?$/i.test(w.value))) return undefined;
  return { command, subcommand, cacheDir, hasPreferOffline, global };
}
