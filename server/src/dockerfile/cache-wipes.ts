/**
 * Commands that wipe a package manager's cache in the same RUN as the install: `rm -rf
 * /root/.cache/pip` (or `~/.cache`, `$HOME/.npm`…), `pip cache purge`, `npm cache clean --force`.
 * Without a cache mount they keep the cache out of the layer; with one they defeat it (the purge
 * empties it on every build) or fail the build (`rm` of the mount point: "Device or resource busy").
 */
import { posix } from 'node:path';
import type { InstructionInfo } from './model';
import { commandStart } from './package-managers';
import type { RunScript, ShellWord, SimpleCommand } from './shell';
import { resolveIn, workdirAt } from './container-paths';
import { expandText, type Variable } from './variables';

export interface CacheWipe {
  command: SimpleCommand;
  /** The operands of an `rm` that hit the cache; empty when the whole command goes. */
  operands: ShellWord[];
  /** The command as written, for messages: `rm -rf /root/.cache/pip`, `pip cache purge`. */
  label: string;
  /** True for `rm` of the directory or one above it: with a mount there, the build fails. */
  failsWithMount: boolean;
}

export interface CacheWipes {
  wipes: CacheWipe[];
  /**
   * `rm` commands with operands dockopt cannot resolve (`rm -rf $DIR`, a relative path after a
   * `cd` it cannot follow): they may hit the cache. Never removed; a fix that adds a mount is then
   * only offered, for a human to check them.
   */
  unsure: string[];
}

/** pip or npm (their own wipe commands), or a table entry's test for its wipe commands (`yarn cache clean`). */
export type CacheTool = 'pip' | 'npm' | ((words: readonly string[]) => boolean);

/** A cache directory of the RUN and the home of the user whose `~` the RUN's `rm` operands mean. */
export interface WipedDir {
  dir: string;
  home?: string;
  /** Where the cache mount that holds `dir` is, when it is above `dir` (default: `dir` itself). */
  mountTarget?: string;
}

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const PIP = /^pip(\d+(\.\d+)*)?$/;
const PYTHON = /^python(\d+(\.\d+)*)?$/;

/**
 * The commands of the RUN that wipe one of `dirs` (the tool's cache directories in this RUN).
 * An `rm` whose operands are all that cache goes whole; else only those operands go.
 */
export function findCacheWipes(info: InstructionInfo, script: RunScript, tool: CacheTool, dirs: readonly WipedDir[]): CacheWipes {
  const wipes: CacheWipe[] = [];
  const unsure: string[] = [];
  if (dirs.length === 0) return { wipes, unsure };
  // Relative operands are relative to the WORKDIR, then to where `cd` went (undefined: unknown).
  let cwd: string | undefined | null = null; // null: the WORKDIR, not read yet (most RUNs never need it)
  const currentDir = () => (cwd !== null ? cwd : (cwd = workdirAt(info) ?? '/'));
  for (const command of script.commands) {
    const { index } = commandStart(command);
    const words = command.words.slice(index);
    if (words.length === 0) continue;
    // Built only for a command that wipes or may (most commands of most RUNs do neither).
    const label = () => words.map((w) => w.value).join(' ');
    const name = basename(words[0].value);
    if (name === 'cd') {
      const to = words[1]?.value;
      const from = currentDir();
      cwd = to === undefined || from === undefined || to.startsWith('-') || to.includes('$') || to.startsWith('~') ? undefined : resolveIn(from, to);
    } else if (name === 'rm') {
      const operands = rmOperands(words.slice(1));
      // Each operand as a path for each cache dir (a `~` means the home of that cache's user).
      const resolved = operands.map((word) => ({ word, paths: dirs.map((d) => expandOperand(word.value, info, d.home, word.value.startsWith('/') ? '/' : currentDir())) }));
      if (resolved.some((r) => r.paths.includes(undefined))) unsure.push(label());
      const hits = resolved.filter((r) => dirs.some((d, k) => hitsDir(r.paths[k], d.dir)));
      if (hits.length === 0) continue;
      // A glob that matches the cache or a folder above it outside a cache folder (`/root/.[a-z]*`:
      // .bashrc too) also removes what is not a cache: that operand cannot go, and with a mount it
      // removes the mount point. Inside one (`~/.cache/*`) it removes caches only.
      if (hits.some((r) => dirs.some((d, k) => globBesideCache(r.paths[k], d.dir)))) {
        unsure.push(label());
        continue;
      }
      // Only removing the mount point (or a folder above it) fails: inside the mount, rm empties it.
      const fails = hits.some((r) => dirs.some((d, k) => containsDir(r.paths[k], d.mountTarget ?? d.dir)));
      wipes.push({ command, operands: hits.length === operands.length ? [] : hits.map((r) => r.word), label: label(), failsWithMount: fails });
    } else if (tool === 'pip' && isPipCacheWipe(words)) {
      wipes.push({ command, operands: [], label: label(), failsWithMount: false });
    } else if (tool === 'npm' && name === 'npm' && isNpmCacheClean(words.slice(1).map((w) => w.value))) {
      wipes.push({ command, operands: [], label: label(), failsWithMount: false });
    } else if (typeof tool === 'function' && tool(words.map((w) => w.value))) {
      wipes.push({ command, operands: [], label: label(), failsWithMount: false });
    }
  }
  return { wipes, unsure };
}

/** For the message of a fix that adds a mount: what it does with the RUN's wipes of it, and why. */
export function wipesNote(wipes: readonly CacheWipe[]): string {
  const labels = wipes.map((w) => `\`${w.label}\``).join(', ');
  const fails = wipes.some((w) => w.failsWithMount);
  return `The RUN also wipes that cache (${labels}): ${fails ? 'with the mount, removing the mount point fails the build' : 'with the mount, that empties it on every build'}, so it must go.`;
}

/** For the message: `rm`s that may remove the cache, which the fix leaves for a human to check. */
export function unsureNote(unsure: readonly string[]): string {
  return `dockopt cannot tell what ${unsure.map((u) => `\`${u}\``).join(', ')} removes: if it removes the cache, the mount would fail the build, so the fix is not applied by itself.`;
}

function rmOperands(args: ShellWord[]): ShellWord[] {
  const operands: ShellWord[] = [];
  let options = true;
  for (const arg of args) {
    if (options && arg.value === '--') { options = false; continue; }
    if (options && arg.value.startsWith('-') && arg.value !== '-') continue;
    operands.push(arg);
  }
  return operands;
}

/**
 * The absolute path an operand names: `~`, `$HOME` with the user's home, other variables from
 * ENV, a relative path against `cwd`; undefined when something is unknown.
 */
function expandOperand(value: string, info: InstructionInfo, home: string | undefined, cwd: string | undefined): string | undefined {
  let path = value;
  if (path === '~' || path.startsWith('~/')) {
    if (home === undefined) return undefined;
    path = home + path.slice(1);
  }
  // Looked up by name: copying the environment for each operand would cost ENVs × RUNs.
  const expanded = expandText(path, { lookup: (name) => operandVariable(info, home, name), unknown: 'give-up' });
  if (expanded === undefined || expanded.includes('$') || expanded.includes('`')) return undefined;
  path = expanded;
  if (!path.startsWith('/')) {
    if (cwd === undefined) return undefined;
    path = `${cwd}/${path}`;
  }
  return posix.normalize(path);
}

/** A variable an `rm` operand names: from ENV, or HOME as the user's home. */
function operandVariable(info: InstructionInfo, home: string | undefined, name: string): Variable {
  const value = info.env.get(name);
  if (value !== undefined) return { value, origin: 'ENV' };
  return name === 'HOME' && home !== undefined ? { value: home, origin: 'home' } : 'unknown';
}

/** The path's components, with `.` and empty ones dropped (no `..` handling: such paths are left alone). */
const componentsOf = (path: string) => path.split('/').filter((c) => c !== '' && c !== '.');

/** A shell glob component as a test: `*` and `?` do not match a leading dot. */
function componentMatches(pattern: string, name: string): boolean {
  if (!/[*?[]/.test(pattern)) return pattern === name;
  if (name.startsWith('.') && !pattern.startsWith('.')) return false;
  const source = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  try {
    return new RegExp(`^${source}$`).test(name);
  } catch {
    return true; // an odd bracket expression: assume it may match
  }
}

/** Whether removing `path` (a glob maybe) removes the directory, a directory above it, or files inside it. */
function hitsDir(path: string | undefined, dir: string): boolean {
  if (path === undefined || path.includes('..')) return false;
  const p = componentsOf(path);
  const d = componentsOf(dir);
  const n = Math.min(p.length, d.length);
  for (let k = 0; k < n; k++) if (!componentMatches(p[k], d[k])) return false;
  return true;
}

/**
 * `path` matches `dir` or a folder above it through a glob component that is not inside a cache
 * folder (`.cache`, `cache`): it names other paths than caches too (`/root/.[a-z]*`).
 */
function globBesideCache(path: string | undefined, dir: string): boolean {
  if (path === undefined) return false;
  const depth = componentsOf(dir).length;
  const components = componentsOf(path);
  return components.some((component, k) => k < depth && /[*?[]/.test(component) && !/^\.?cache$/i.test(components[k - 1] ?? ''));
}

/** Whether removing `path` removes the directory itself (it or one above it): a mount point there makes `rm` fail. */
function containsDir(path: string | undefined, dir: string): boolean {
  return hitsDir(path, dir) && path !== undefined && componentsOf(path).length <= componentsOf(dir).length;
}

/** `pip cache purge`, `pip cache remove …`, `python -m pip cache purge`. */
function isPipCacheWipe(words: ShellWord[]): boolean {
  let i = 1;
  const name = basename(words[0].value);
  if (PYTHON.test(name)) {
    const m = words.findIndex((w) => w.value === '-m' || w.value === '-mpip');
    if (m < 0) return false;
    if (words[m].value === '-m') {
      if (words[m + 1]?.value !== 'pip') return false;
      i = m + 2;
    } else {
      i = m + 1;
    }
  } else if (!PIP.test(name)) {
    return false;
  }
  const rest = words.slice(i).map((w) => w.value).filter((v) => !v.startsWith('-'));
  return rest[0] === 'cache' && (rest[1] === 'purge' || rest[1] === 'remove' || rest[1] === 'rm');
}

/** `npm cache clean [--force]` (and its aliases `clear`, `rm`). */
function isNpmCacheClean(args: string[]): boolean {
  const positionals = args.filter((v) => !v.startsWith('-'));
  return positionals[0] === 'cache' && ['clean', 'clear', 'rm'].includes(positionals[1]);
}
