/**
 * Recognizes the commands that install a project's dependencies from its manifests — pip
 * `-r`, poetry, uv, pipenv, npm/yarn/pnpm, bundler, go modules, composer — and which files
 * each one reads, so that copy-before-install can copy just those before the install.
 * It also says when an install needs the whole source (`pip install .`, `poetry install`
 * without `--no-root`): such an install cannot run before `COPY . .`.
 */
import { commandStart, pipSubcommandIndex, readPipOption } from '../dockerfile/package-managers';
import type { ShellWord, SimpleCommand } from '../dockerfile/shell';

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
}

/** A package manager command that is not an install from manifests, and reads no source. */
export const SOURCE_FREE = 'source-free' as const;
/** A package manager command that may read the source (`npm run build`, `yarn add x`). */
export const MAY_READ_SOURCE = 'may-read-source' as const;
export type InstallReading = DependencyInstall | typeof SOURCE_FREE | typeof MAY_READ_SOURCE | undefined;

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** What a simple command is to package managers; undefined when it is not a package manager. */
export function readDependencyInstall(command: SimpleCommand): InstallReading {
  const { index } = commandStart(command);
  const words = command.words;
  if (index >= words.length) return undefined;
  const name = basename(words[index].value);
  if (/^pip(\d+(\.\d+)*)?$/.test(name) || isPythonModule(words, index, 'pip')) {
    return readPip(command, index);
  }
  if (/^python(\d+(\.\d+)*)?$/.test(name)) return readPython(words, index);
  switch (name) {
    case 'uv': return readUv(words, index);
    case 'poetry': return readPoetry(words, index);
    case 'pipenv': return readPipenv(words, index);
    case 'npm': return readNpm(words, index);
    case 'yarn': return readYarn(words, index);
    case 'pnpm': return readPnpm(words, index);
    case 'bundle': case 'bundler': return readBundle(words, index);
    case 'go': return readGo(words, index);
    case 'composer': case 'composer.phar': return readComposer(words, index);
    case 'gem': return words.slice(index + 1).some((w) => isLocalPath(w.value)) ? MAY_READ_SOURCE : SOURCE_FREE;
    case 'pipx': case 'corepack': case 'virtualenv': return SOURCE_FREE;
    default: return undefined;
  }
}

// ---- options ---------------------------------------------------------------------------

interface ParsedArgs {
  positionals: ShellWord[];
  /** Option name (as written, without `=value`) → its values, in order. */
  options: Map<string, string[]>;
}

/** Reads `--opt value`, `--opt=value`, `-rFILE` (short options in `withValue`) and flags. */
function parseArgs(words: ShellWord[], withValue: ReadonlySet<string>): ParsedArgs {
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

const has = (args: ParsedArgs, ...names: string[]) => names.some((n) => args.options.has(n));
const valuesOf = (args: ParsedArgs, ...names: string[]) => names.flatMap((n) => args.options.get(n) ?? []);
const lastValue = (args: ParsedArgs, ...names: string[]) => valuesOf(args, ...names).pop();

function isPythonModule(words: ShellWord[], index: number, module: string): boolean {
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

function fileSet(required: string[], optional: string[], whenUnscanned: string[], workspaceMarkers: string[] = []): Manifests {
  return { required, optional, whenUnscanned, workspaceMarkers };
}

const NO_MANIFESTS = fileSet([], [], []);

// ---- Python ----------------------------------------------------------------------------

const PIP_INSTALL_OPTIONS_WITH_VALUE = new Set([
  '-r', '--requirement', '--requirements', '-c', '--constraint', '--constraints', '--override', '--overrides',
  '-b', '--build-constraint', '--build-constraints', '-e', '--editable', '-f', '--find-links', '-i', '--index-url',
  '--extra-index-url', '--index', '--default-index', '-t', '--target', '--prefix', '--root', '--src', '--platform',
  '--python-version', '--implementation', '--abi', '--upgrade-strategy', '-C', '--config-settings', '--global-option',
  '--no-binary', '--only-binary', '--progress-bar', '--report', '--cache-dir', '--log', '--proxy', '--retries',
  '--timeout', '--trusted-host', '--cert', '--client-cert', '--python', '-p', '--exists-action', '--root-user-action',
  '--python-platform', '--extra', '--group', '--keyring-provider', '--resolution', '--prerelease', '--link-mode',
]);
const REQUIREMENT_OPTIONS = ['-r', '--requirement', '--requirements'];
const CONSTRAINT_OPTIONS = ['-c', '--constraint', '--constraints', '--override', '--overrides', '-b', '--build-constraint', '--build-constraints'];
const PIP_INSTALLS = new Set(['install', 'download', 'wheel']);

export const PYTHON_PROJECT_ADVICE =
  'Install the dependencies first from their own files (e.g. COPY requirements.txt, then `pip install -r requirements.txt`), then COPY the source and install the project';

function readPip(command: SimpleCommand, index: number): InstallReading {
  const words = command.words;
  const name = basename(words[index].value);
  // Past `python -m pip` or `pip`, then pip's own general options, to the subcommand.
  let i = index + 1;
  let prefix = name;
  if (/^python/.test(name)) {
    const m = words.findIndex((w, k) => k > index && (w.value === '-m' || w.value.startsWith('-m')));
    i = words[m].value === '-m' ? m + 2 : m + 1;
    prefix = `${name} -m pip`;
  }
  const sub = pipSubcommandIndex(words, i);
  if (sub < 0 || !PIP_INSTALLS.has(words[sub].value)) return SOURCE_FREE; // pip cache purge, pip config …
  return readPipArgs(`${prefix} ${words[sub].value}`, fullPipOptions(words.slice(sub + 1), words[sub].value), words[index].start);
}

/** pip's options with their names in full (pip takes any unambiguous prefix: `--requirem f` is `--requirement f`). */
function fullPipOptions(words: ShellWord[], subcommand: string): ShellWord[] {
  return words.map((word) => {
    if (!word.value.startsWith('--')) return word;
    const option = readPipOption(word.value, subcommand);
    if (!option) return word;
    return { ...word, value: option.inline !== undefined ? `${option.name}=${option.inline}` : option.name };
  });
}

/** The arguments of `pip install|download|wheel` or `uv pip install`. */
function readPipArgs(head: string, rest: ShellWord[], start: number, syncFiles = false): InstallReading {
  const args = parseArgs(rest, PIP_INSTALL_OPTIONS_WITH_VALUE);
  const label: string[] = [head];
  const required: string[] = [];
  const localPaths: string[] = [];
  for (const [name, values] of args.options) {
    const isRequirement = REQUIREMENT_OPTIONS.includes(name);
    for (const value of values) {
      if (isRequirement || CONSTRAINT_OPTIONS.includes(name)) {
        required.push(value);
        if (isRequirement) label.push(`-r ${value}`);
      } else if ((name === '-e' || name === '--editable') && isLocalPath(value)) {
        localPaths.push(stripExtras(value));
        label.push(`-e ${value}`);
      } else if ((name === '-f' || name === '--find-links') && value !== '' && !/^[a-z][\w+.-]*:/i.test(value)) {
        required.push(value.endsWith('/') ? value : `${value}/`); // a folder of wheels shipped in the source
      }
    }
  }
  for (const word of args.positionals) {
    if (syncFiles) {
      required.push(word.value);
      label.push(word.value);
    } else if (isLocalPath(word.value)) {
      localPaths.push(stripExtras(word.value));
      label.push(word.value);
    }
  }
  if (required.length === 0 && localPaths.length === 0) return SOURCE_FREE; // named packages: no file of the project
  return {
    ecosystem: 'python',
    label: label.join(' '),
    start,
    dir: '',
    manifests: fileSet(required, [], required),
    localPaths,
  };
}

function stripExtras(spec: string): string {
  return spec.replace(/^file:(\/\/)?/, '').replace(/\[[^\]]*\]$/, '') || '.';
}

function readPython(words: ShellWord[], index: number): InstallReading {
  if (isPythonModule(words, index, 'venv')) return SOURCE_FREE;
  const script = words[index + 1]?.value;
  const action = words[index + 2]?.value;
  if (script && basename(script) === 'setup.py' && (action === 'install' || action === 'develop')) {
    return {
      ecosystem: 'python',
      label: `python ${script} ${action}`,
      start: words[index].start,
      dir: '',
      manifests: NO_MANIFESTS,
      localPaths: [],
      needsSource: { reason: `\`python ${script} ${action}\` builds the project from its source`, advice: PYTHON_PROJECT_ADVICE },
    };
  }
  return words.length === index + 2 && /^(-V|--version)$/.test(words[index + 1].value) ? SOURCE_FREE : undefined;
}

const UV_OPTIONS_WITH_VALUE = new Set([
  ...PIP_INSTALL_OPTIONS_WITH_VALUE, '--directory', '--project', '--package', '--only-group', '--no-group',
  '--extra', '--group', '--python', '-p', '--index', '--cache-dir', '--config-file',
]);

function readUv(words: ShellWord[], index: number): InstallReading {
  const args = parseArgs(words.slice(index + 1), UV_OPTIONS_WITH_VALUE);
  const [sub, subsub] = args.positionals;
  if (!sub) return SOURCE_FREE; // uv --version
  if (sub.value === 'pip') {
    if (subsub?.value !== 'install' && subsub?.value !== 'sync') return SOURCE_FREE;
    const after = words.slice(words.indexOf(subsub) + 1);
    return readPipArgs(`uv pip ${subsub.value}`, after, words[index].start, subsub.value === 'sync');
  }
  if (sub.value !== 'sync') {
    return ['venv', 'python', 'tool', 'self', 'cache', 'version', 'help'].includes(sub.value) ? SOURCE_FREE : MAY_READ_SOURCE;
  }
  const dir = lastValue(args, '--directory', '--project') ?? '';
  const projectToo = !has(args, '--no-install-project', '--no-install-workspace', '--only-dev');
  return {
    ecosystem: 'python',
    label: 'uv sync',
    start: words[index].start,
    dir,
    manifests: fileSet(['pyproject.toml'], ['uv.lock', 'uv.toml', '.python-version'], ['pyproject.toml', 'uv.lock*']),
    localPaths: [],
    needsSource: projectToo
      ? {
          reason: '`uv sync` also installs the project itself',
          advice: 'Copy pyproject.toml and uv.lock, run `uv sync --no-install-project`, then COPY the source and run `uv sync`',
        }
      : undefined,
  };
}

const POETRY_OPTIONS_WITH_VALUE = new Set(['-C', '--directory', '-P', '--project', '--with', '--without', '--only', '-E', '--extras']);

function readPoetry(words: ShellWord[], index: number): InstallReading {
  const args = parseArgs(words.slice(index + 1), POETRY_OPTIONS_WITH_VALUE);
  const sub = args.positionals[0]?.value;
  if (!sub || sub === 'config' || sub === 'self' || sub === 'cache' || sub === 'about' || sub === 'help') return SOURCE_FREE;
  if (sub !== 'install' && sub !== 'sync') return MAY_READ_SOURCE;
  return {
    ecosystem: 'python',
    label: `poetry ${sub}`,
    start: words[index].start,
    dir: lastValue(args, '-C', '--directory', '-P', '--project') ?? '',
    manifests: fileSet(['pyproject.toml'], ['poetry.lock', 'poetry.toml'], ['pyproject.toml', 'poetry.lock*']),
    localPaths: [],
    needsSource: has(args, '--no-root')
      ? undefined
      : {
          reason: `\`poetry ${sub}\` also installs the project itself (no \`--no-root\`)`,
          advice: `Copy pyproject.toml and poetry.lock, run \`poetry ${sub} --no-root\`, then COPY the source and run \`poetry ${sub} --only-root\``,
        },
  };
}

function readPipenv(words: ShellWord[], index: number): InstallReading {
  const args = parseArgs(words.slice(index + 1), new Set(['--python', '--categories']));
  const [sub, ...packages] = args.positionals;
  if (!sub) return SOURCE_FREE;
  if ((sub.value !== 'install' && sub.value !== 'sync') || packages.length > 0) return MAY_READ_SOURCE;
  return {
    ecosystem: 'python',
    label: `pipenv ${sub.value}`,
    start: words[index].start,
    dir: '',
    manifests: fileSet(['Pipfile'], ['Pipfile.lock'], ['Pipfile', 'Pipfile.lock*']),
    localPaths: [],
  };
}

// ---- Node ------------------------------------------------------------------------------

const NPM_OPTIONS_WITH_VALUE = new Set([
  '--prefix', '-C', '--workspace', '-w', '--cache', '--registry', '--omit', '--include', '--loglevel', '--userconfig',
  '--tag', '--install-strategy', '--fetch-retries', '--fetch-timeout', '--maxsockets', '--location',
]);
const NPM_INSTALLS = new Set(['ci', 'install', 'i', 'clean-install', 'isntall']);
const NPM_SOURCE_FREE = new Set(['config', 'cache', 'ping', 'doctor', 'help', 'set', 'get', 'whoami', 'view', 'info']);

function readNpm(words: ShellWord[], index: number): InstallReading {
  const args = parseArgs(words.slice(index + 1), NPM_OPTIONS_WITH_VALUE);
  const [sub, ...packages] = args.positionals;
  if (!sub) return SOURCE_FREE; // npm --version
  if (NPM_SOURCE_FREE.has(sub.value)) return SOURCE_FREE;
  if (!NPM_INSTALLS.has(sub.value)) return MAY_READ_SOURCE;
  const global = has(args, '-g', '--global') || valuesOf(args, '--location').includes('global');
  if (global) return SOURCE_FREE;
  if (packages.length > 0) return MAY_READ_SOURCE; // `npm install express` adds to package.json
  return {
    ecosystem: 'node',
    label: `npm ${sub.value}`,
    start: words[index].start,
    dir: lastValue(args, '--prefix', '-C') ?? '',
    manifests: fileSet(['package.json'], ['package-lock.json', 'npm-shrinkwrap.json', '.npmrc'], ['package*.json']),
    localPaths: [],
    unknownInput: has(args, '--workspace', '-w', '--workspaces', '-ws') ? '--workspace' : undefined,
  };
}

const YARN_OPTIONS_WITH_VALUE = new Set(['--cwd', '--cache-folder', '--modules-folder', '--network-timeout', '--mutex', '--registry', '--mode']);

function readYarn(words: ShellWord[], index: number): InstallReading {
  const args = parseArgs(words.slice(index + 1), YARN_OPTIONS_WITH_VALUE);
  const sub = args.positionals[0]?.value;
  if (sub === 'config' || sub === 'cache' || sub === 'global' || (sub === undefined && has(args, '--version', '-v'))) return SOURCE_FREE;
  if (sub !== undefined && sub !== 'install') return MAY_READ_SOURCE;
  return {
    ecosystem: 'node',
    label: sub ? 'yarn install' : 'yarn',
    start: words[index].start,
    dir: lastValue(args, '--cwd') ?? '',
    manifests: fileSet(
      ['package.json'],
      ['yarn.lock', '.yarnrc', '.yarnrc.yml', '.npmrc', '.yarn/releases/', '.yarn/plugins/', '.yarn/patches/'],
      ['package.json', 'yarn.lock*'],
    ),
    localPaths: [],
  };
}

const PNPM_OPTIONS_WITH_VALUE = new Set(['-C', '--dir', '--filter', '-F', '--store-dir', '--reporter', '--registry']);

function readPnpm(words: ShellWord[], index: number): InstallReading {
  const args = parseArgs(words.slice(index + 1), PNPM_OPTIONS_WITH_VALUE);
  const [sub, ...packages] = args.positionals;
  if (!sub || ['config', 'store', 'setup', 'env', 'help'].includes(sub.value)) return SOURCE_FREE;
  const global = has(args, '-g', '--global');
  if (global) return SOURCE_FREE;
  const fetch = sub.value === 'fetch';
  if (!fetch && ((sub.value !== 'install' && sub.value !== 'i') || packages.length > 0)) return MAY_READ_SOURCE;
  return {
    ecosystem: 'node',
    label: `pnpm ${sub.value}`,
    start: words[index].start,
    dir: lastValue(args, '-C', '--dir') ?? '',
    manifests: fetch
      ? fileSet(['pnpm-lock.yaml'], ['.npmrc', 'pnpm-workspace.yaml'], ['pnpm-lock.yaml'])
      : fileSet(['package.json'], ['pnpm-lock.yaml', '.npmrc', '.pnpmfile.cjs'], ['package.json', 'pnpm-lock.yaml*'], ['pnpm-workspace.yaml']),
    localPaths: [],
    unknownInput: has(args, '--filter', '-F') ? '--filter' : undefined,
  };
}

// ---- Ruby, Go, PHP ---------------------------------------------------------------------

function readBundle(words: ShellWord[], index: number): InstallReading {
  const args = parseArgs(words.slice(index + 1), new Set(['--gemfile', '--path', '--jobs', '-j', '--retry', '--without', '--with']));
  const sub = args.positionals[0]?.value;
  if (sub === 'config' || sub === 'version' || (sub === undefined && has(args, '--version', '-v'))) return SOURCE_FREE;
  if (sub !== undefined && sub !== 'install') return MAY_READ_SOURCE;
  return {
    ecosystem: 'ruby',
    label: sub ? 'bundle install' : 'bundle',
    start: words[index].start,
    dir: '',
    manifests: fileSet(['Gemfile'], ['Gemfile.lock', '.ruby-version'], ['Gemfile', 'Gemfile.lock*']),
    localPaths: [],
    unknownInput: has(args, '--gemfile') ? '--gemfile' : undefined,
  };
}

function readGo(words: ShellWord[], index: number): InstallReading {
  const [sub, action, ...rest] = words.slice(index + 1).map((w) => w.value);
  if (sub === 'version' || sub === 'env' || (sub === 'install' && rest.concat(action ?? '').some((v) => v.includes('@')))) return SOURCE_FREE;
  if (sub !== 'mod' || action !== 'download') return MAY_READ_SOURCE;
  return {
    ecosystem: 'go',
    label: 'go mod download',
    start: words[index].start,
    dir: '',
    manifests: fileSet(['go.mod'], ['go.sum'], ['go.mod', 'go.sum*'], ['go.work']),
    localPaths: [],
  };
}

function readComposer(words: ShellWord[], index: number): InstallReading {
  const args = parseArgs(words.slice(index + 1), new Set(['-d', '--working-dir']));
  const sub = args.positionals[0]?.value;
  if (!sub || ['config', 'global', 'self-update', 'selfupdate', 'diagnose', 'help'].includes(sub)) return SOURCE_FREE;
  if (sub !== 'install' && sub !== 'i') return MAY_READ_SOURCE;
  const withoutSource = has(args, '--no-scripts') && has(args, '--no-autoloader');
  return {
    ecosystem: 'php',
    label: `composer ${sub}`,
    start: words[index].start,
    dir: lastValue(args, '-d', '--working-dir') ?? '',
    manifests: fileSet(['composer.json'], ['composer.lock', 'auth.json'], ['composer.json', 'composer.lock*']),
    localPaths: [],
    needsSource: withoutSource
      ? undefined
      : {
          reason: '`composer install` runs the project\'s scripts and builds its autoloader from the source',
          advice: 'Copy composer.json and composer.lock, run `composer install --no-scripts --no-autoloader`, then COPY the source and run `composer dump-autoload`',
        },
  };
}
