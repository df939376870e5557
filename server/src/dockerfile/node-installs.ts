/**
 * The install readers for Node (npm, yarn, pnpm), Ruby (bundler), Go modules and PHP
 * (composer): which manifests each install reads, and when it needs the source.
 */
import type { ShellWord } from './shell';
import { fileSet, has, lastValue, MAY_READ_SOURCE, parseArgs, SOURCE_FREE, valuesOf, type InstallReading } from './install-reading';

// ---- Node ------------------------------------------------------------------------------

const NPM_OPTIONS_WITH_VALUE = new Set([
  '--prefix', '-C', '--workspace', '-w', '--cache', '--registry', '--omit', '--include', '--loglevel', '--userconfig',
  '--tag', '--install-strategy', '--fetch-retries', '--fetch-timeout', '--maxsockets', '--location',
]);
const NPM_INSTALLS = new Set(['ci', 'install', 'i', 'clean-install', 'isntall']);
const NPM_SOURCE_FREE = new Set(['config', 'cache', 'ping', 'doctor', 'help', 'set', 'get', 'whoami', 'view', 'info']);

export function readNpm(words: ShellWord[], index: number): InstallReading {
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

export function readYarn(words: ShellWord[], index: number): InstallReading {
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

export function readPnpm(words: ShellWord[], index: number): InstallReading {
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

export function readBundle(words: ShellWord[], index: number): InstallReading {
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

export function readGo(words: ShellWord[], index: number): InstallReading {
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

export function readComposer(words: ShellWord[], index: number): InstallReading {
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
