/**
 * Recognizes the commands that install a project's dependencies from its manifests — pip
 * `-r`, poetry, uv, pipenv, npm/yarn/pnpm, bundler, go modules, composer — and which files
 * each one reads, so that copy-before-install can copy just those before the install.
 * It also says when an install needs the whole source (`pip install .`, `poetry install`
 * without `--no-root`): such an install cannot run before `COPY . .`.
 */
import { commandStart, pipSubcommandIndex, readPipOption } from './package-managers';
import type { ShellWord, SimpleCommand } from './shell';
import {
  basename, fileSet, filesNamedByVariables, has, isLocalPath, isPythonModule, lastValue, MAY_READ_SOURCE, NO_MANIFESTS, parseArgs, SOURCE_FREE,
  type InstallReading, type PythonInstaller,
} from './install-reading';
import { readBundle, readComposer, readGo, readNpm, readPnpm, readYarn } from './node-installs';

/** What a simple command is to package managers; undefined when it is not a package manager. */
export function readDependencyInstall(command: SimpleCommand): InstallReading {
  const { index } = commandStart(command);
  const words = command.words;
  if (index >= words.length) return undefined;
  const name = basename(words[index].value);
  if (/^pip(\d+(\.\d+)*)?$/.test(name) || isPythonModule(words, index, 'pip')) {
    return readPip(command, index, assignedFiles(command, 'pip'));
  }
  if (/^python(\d+(\.\d+)*)?$/.test(name)) return readPython(words, index);
  switch (name) {
    case 'uv': return readUv(words, index, assignedFiles(command, 'uv'));
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

/**
 * The files the command's own assignments name for pip or uv (`PIP_CONSTRAINT=c.txt pip install …`),
 * read as if written as options. Those of an ENV are read where the ENV in force is known
 * (project/manifest-copies.ts).
 */
function assignedFiles(command: SimpleCommand, installer: PythonInstaller): string[] {
  const assigned = new Map<string, string>();
  for (const word of [...command.assignments, ...commandStart(command).envAssignments]) {
    const eq = word.value.indexOf('=');
    assigned.set(word.value.slice(0, eq), word.value.slice(eq + 1));
  }
  return filesNamedByVariables(installer, (name) => assigned.get(name));
}

function readPip(command: SimpleCommand, index: number, assigned: string[]): InstallReading {
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
  return readPipArgs('pip', `${prefix} ${words[sub].value}`, fullPipOptions(words.slice(sub + 1), words[sub].value), words[index].start, false, assigned);
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
function readPipArgs(installer: PythonInstaller, head: string, rest: ShellWord[], start: number, syncFiles: boolean, assigned: string[]): InstallReading {
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
  required.push(...assigned); // after the options: `-r` first, as the COPY of the manifests lists them
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
    fileVariables: installer,
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

function readUv(words: ShellWord[], index: number, assigned: string[]): InstallReading {
  const args = parseArgs(words.slice(index + 1), UV_OPTIONS_WITH_VALUE);
  const [sub, subsub] = args.positionals;
  if (!sub) return SOURCE_FREE; // uv --version
  if (sub.value === 'pip') {
    if (subsub?.value !== 'install' && subsub?.value !== 'sync') return SOURCE_FREE;
    const after = words.slice(words.indexOf(subsub) + 1);
    return readPipArgs('uv', `uv pip ${subsub.value}`, after, words[index].start, subsub.value === 'sync', assigned);
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
    fileVariables: 'uv',
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
