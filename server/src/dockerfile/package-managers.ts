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
}

export interface NpmCall {
  command: SimpleCommand;
  /** `ci`, `install`, `i`. */
  subcommand: string;
  /** `--cache DIR` of the call, when given. */
  cacheDir?: string;
  hasPreferOffline: boolean;
}

const PIP = /^pip(\d+(\.\d+)*)?$/;
const PYTHON = /^python(\d+(\.\d+)*)?$/;
/** pip subcommands that download packages, and so use pip's cache. */
const PIP_CACHE_USERS = new Set(['install', 'download', 'wheel']);
/** pip's general options that take a value (so that value is not the subcommand). */
const PIP_OPTIONS_WITH_VALUE = new Set(['--cache-dir', '--log', '--proxy', '--retries', '--timeout', '--exists-action', '--trusted-host', '--cert', '--client-cert', '--python', '--src', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-r', '--requirement', '-c', '--constraint', '-t', '--target', '--root', '--prefix', '--progress-bar', '--platform', '--python-version', '--implementation', '--abi']);
/** Python interpreter options that take a value. */
const PYTHON_OPTIONS_WITH_VALUE = new Set(['-X', '-W', '-Q']);
const NPM_INSTALLS = new Set(['ci', 'install', 'i', 'clean-install', 'isntall']);

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The command name after wrappers (`sudo`, `env`, `exec`, `nice`, `time`…), and env assignments given to `env`. */
export function commandStart(command: SimpleCommand): { index: number; envAssignments: ShellWord[] } {
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

export function findPipCall(command: SimpleCommand): PipCall | undefined {
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

  let subcommand: string | undefined;
  let cacheDir: string | undefined;
  const noCacheDirWords: ShellWord[] = [];
  for (; i < words.length; i++) {
    const value = words[i].value;
    if (value === '--no-cache-dir' || value.startsWith('--no-cache-dir=')) { noCacheDirWords.push(words[i]); continue; }
    if (value === '--cache-dir') { cacheDir = words[i + 1]?.value; i++; continue; }
    if (value.startsWith('--cache-dir=')) { cacheDir = value.slice('--cache-dir='.length); continue; }
    if (value.startsWith('-')) { if (!subcommand && PIP_OPTIONS_WITH_VALUE.has(value)) i++; continue; }
    subcommand ??= value;
  }
  if (!subcommand || !PIP_CACHE_USERS.has(subcommand)) return undefined;
  const noCacheDirAssignments = [...command.assignments, ...envAssignments].filter((w) => w.value.startsWith('PIP_NO_CACHE_DIR='));
  return { command, subcommand, noCacheDirWords, noCacheDirAssignments, cacheDir };
}

export function findNpmCall(command: SimpleCommand): NpmCall | undefined {
  const { index } = commandStart(command);
  const words = command.words;
  if (!words[index] || basename(words[index].value) !== 'npm') return undefined;
  let subcommand: string | undefined;
  let cacheDir: string | undefined;
  let hasPreferOffline = false;
  for (let i = index + 1; i < words.length; i++) {
    const value = words[i].value;
    if (value === '--cache') { cacheDir = words[i + 1]?.value; i++; continue; }
    if (value.startsWith('--cache=')) { cacheDir = value.slice('--cache='.length); continue; }
    if (value === '--prefer-offline' || value === '--offline') { hasPreferOffline = true; continue; }
    if (value === '--prefix' || value === '-C' || value === '--workspace' || value === '-w') { if (!subcommand) i++; continue; }
    if (value.startsWith('-')) continue;
    subcommand ??= value;
  }
  if (!subcommand || !NPM_INSTALLS.has(subcommand)) return undefined;
  return { command, subcommand, cacheDir, hasPreferOffline };
}
