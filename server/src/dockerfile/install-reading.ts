/**
 * What reading a package manager command yields (an install from manifests, a command that
 * reads no source, one that may), and the option parsing every reader shares. The readers are
 * in dependency-installs.ts (Python, and the dispatch by command) and node-installs.ts (Node,
 * Ruby, Go, PHP).
 */
import type { ShellWord } from './shell';

export type Ecosystem = 'python' | 'node' | 'ruby' | 'go' | 'php';

/** Files an install reads, relative to the directory it works in (or absolute). */
export interface Manifests {
  /** Files it names or cannot work without (`-r` files, package.json). A trailing `/` marks a directory. */
  required: string[];
  /** Lockfiles and config files it reads when present: copied when the context scan shows them. */
  optional: string[];
  /** What to copy when the context's files are unknown: wildcards cover lockfiles that may be missing. */
  whenUnscanned: string[];
  /** Files whose presence makes the list incomplete (a workspace: every member's manifest is read). */
  workspaceMarkers: string[];
}

export interface SourceNeed {
  /** Why the install cannot run before the code is copied. */
  reason: string;
  /** How to split it so its dependencies still install from the manifests alone. */
  advice: string;
}

export interface DependencyInstall {
  ecosystem: Ecosystem;
  /** The command in short, for messages: `pip install -r requirements.txt`, `npm ci`. */
  label: string;
  /** Offset of the command's first word (its line goes in messages). */
  start: number;
  /** The directory it works in, relative to the shell's (`npm --prefix web ci`): '' when the same. */
  dir: string;
  manifests: Manifests;
  /** Local paths it installs from (`pip install .`, `-e ./lib`): the source, when COPY . . brings them. */
  localPaths: string[];
  /** Set when it needs the whole source whatever the paths (`poetry install` without `--no-root`). */
  needsSource?: SourceNeed;
  /** An option that makes its manifests unknowable here (`npm ci --workspace x`). */
  unknownInput?: string;
  /** pip or uv: the tool whose variables (`PIP_CONSTRAINT`…) name more files it reads. */
  fileVariables?: PythonInstaller;
}

export type PythonInstaller = 'pip' | 'uv';

/**
 * The variables pip and uv read as their file options (every option has its variable: pip's
 * `PIP_<OPTION>`, uv's `UV_<OPTION>`), and whether each names files or a folder of them.
 */
const FILE_VARIABLES: Readonly<Record<PythonInstaller, ReadonlyArray<[string, 'file' | 'dir']>>> = {
  pip: [['PIP_REQUIREMENT', 'file'], ['PIP_CONSTRAINT', 'file'], ['PIP_BUILD_CONSTRAINT', 'file'], ['PIP_FIND_LINKS', 'dir']],
  uv: [['UV_CONSTRAINT', 'file'], ['UV_OVERRIDE', 'file'], ['UV_BUILD_CONSTRAINT', 'file'], ['UV_FIND_LINKS', 'dir']],
};

/**
 * The project files the installer's variables name, as `value` reads them (a command's own
 * assignments, or the ENV in force): pip splits a list on whitespace; URLs and index names are
 * not files. A folder ends with `/`, as `-f ./wheels` is read.
 */
export function filesNamedByVariables(installer: PythonInstaller, value: (name: string) => string | undefined): string[] {
  const out: string[] = [];
  for (const [name, kind] of FILE_VARIABLES[installer]) {
    for (const file of (value(name) ?? '').split(/\s+/)) {
      if (file === '' || /^[a-z][\w+.-]*:/i.test(file)) continue;
      out.push(kind === 'dir' && !file.endsWith('/') ? `${file}/` : file);
    }
  }
  return out;
}

/** A package manager command that is not an install from manifests, and reads no source. */
export const SOURCE_FREE = 'source-free' as const;
/** A package manager command that may read the source (`npm run build`, `yarn add x`). */
export const MAY_READ_SOURCE = 'may-read-source' as const;
export type InstallReading = DependencyInstall | typeof SOURCE_FREE | typeof MAY_READ_SOURCE | undefined;

export const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export interface ParsedArgs {
  positionals: ShellWord[];
  /** Option name (as written, without `=value`) → its values, in order. */
  options: Map<string, string[]>;
}

/** Reads `--opt value`, `--opt=value`, `-rFILE` (short options in `withValue`) and flags. */
export function parseArgs(words: ShellWord[], withValue: ReadonlySet<string>): ParsedArgs {
  const positionals: ShellWord[] = [];
  const options = new Map<string, string[]>();
  const add = (name: string, value: string) => options.set(name, [...(options.get(name) ?? []), value]);
  for (let i = 0; i < words.length; i++) {
    const value = words[i].value;
    if (value === '--') { positionals.push(...words.slice(i + 1)); break; }
    if (!value.startsWith('-') || value === '-') { positionals.push(words[i]); continue; }
    const eq = value.indexOf('=');
    if (value.startsWith('--') && eq > 0) { add(value.slice(0, eq), value.slice(eq + 1)); continue; }
    if (withValue.has(value)) { add(value, words[i + 1]?.value ?? ''); i++; continue; }
    const short = value.slice(0, 2);
    if (!value.startsWith('--') && value.length > 2 && withValue.has(short)) { add(short, value.slice(2)); continue; }
    add(value, '');
  }
  return { positionals, options };
}

export const has = (args: ParsedArgs, ...names: string[]) => names.some((n) => args.options.has(n));
export const valuesOf = (args: ParsedArgs, ...names: string[]) => names.flatMap((n) => args.options.get(n) ?? []);
export const lastValue = (args: ParsedArgs, ...names: string[]) => valuesOf(args, ...names).pop();

export function isPythonModule(words: ShellWord[], index: number, module: string): boolean {
  if (!/^python(\d+(\.\d+)*)?$/.test(basename(words[index].value))) return false;
  const m = words.findIndex((w, k) => k > index && (w.value === '-m' || w.value.startsWith('-m')));
  if (m < 0) return false;
  return words[m].value === '-m' ? words[m + 1]?.value === module : words[m].value === `-m${module}`;
}

/** A pip/uv requirement that names files rather than a package on an index. */
export function isLocalPath(spec: string): boolean {
  const value = spec.replace(/^file:(\/\/)?/, '').replace(/\[[^\]]*\]$/, '');
  if (value === '.' || value === '..' || value.startsWith('./') || value.startsWith('../') || value.startsWith('/')) return true;
  if (/^[a-z][\w+.-]*:\/\//i.test(value) || /^(git|hg|svn|bzr)\+/.test(value) || value.includes(' @ ')) return false;
  return value.includes('/') || /\.(whl|tar\.gz|tgz|zip)$/.test(value);
}

export function fileSet(required: string[], optional: string[], whenUnscanned: string[], workspaceMarkers: string[] = []): Manifests {
  return { required, optional, whenUnscanned, workspaceMarkers };
}

export const NO_MANIFESTS = fileSet([], [], []);
