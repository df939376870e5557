/**
 * yarn. Classic (v1; https://classic.yarnpkg.com/en/docs/cli/cache): one cache for every project
 * in `--cache-folder`, else YARN_CACHE_FOLDER (yarn reads its YARN_* variables in any case), else
 * `yarn config set cache-folder`, else $XDG_CACHE_HOME/yarn, else ~/.cache/yarn, where yarn takes
 * /usr/local/share as root's home: /usr/local/share/.cache/yarn. `yarn cache clean` empties it.
 *
 * Yarn 2+ (berry) caches elsewhere: a global cache (~/.yarn/berry/cache, the default of Yarn 4)
 * or the project's .yarn/cache, as the project's .yarnrc.yml says. Which yarn runs is read from
 * the Dockerfile: the official node images before Node.js 26 ship yarn 1.22 (26 and later ship
 * none); `npm i -g yarn` installs classic; `corepack enable` runs the version package.json's
 * packageManager names; `yarn set version`, corepack with a version, and a COPY of .yarnrc.yml or
 * .yarn pick berry; and yarn 1.22 itself hands over to the release a .yarnrc.yml's yarnPath names,
 * so a COPY that may bring one (`COPY . .`) leaves the version unknown.
 * - classic: the mount on its cache, a preferred fix;
 * - unknown: the same mount, offered but not applied by itself;
 * - berry: where the cache is depends on the project: a finding without a fix, which says that
 *   under Plug'n'Play the cache must not be mounted at all.
 */
import { imageRepository } from '../users';
import { readCopy } from '../copy-instructions';
import { isCommand, optionValue, plainWords, positionals } from './call-words';
import { configSetBefore } from './config-commands';
import type { ManagerCall, ManagerContext, PackageManager } from './manager';
import { stateBefore, type ForwardFold } from './stage-folds';
import { commandsBefore, textOf } from './stage-runs';
import { storeNeededLater, type LaterUse } from './store-needed-later';

/**
 * Under Plug'n'Play (Yarn 2+'s default linker) the app loads its packages from the cache's zip
 * files when it runs (.pnp.cjs points into it, global cache or .yarn/cache): a cache mount there
 * leaves the image without them ("Required package missing from disk"). With
 * `nodeLinker: node-modules` the cache only holds downloads, and a mount is safe.
 */
const BERRY_CAUTION =
  "Mount it only if the project sets nodeLinker: node-modules: under Plug'n'Play the app loads its packages from that cache when it runs, so it must stay in the image.";

/** Options that take a value (they may come before the subcommand). */
const WITH_VALUE = new Set(['--cache-folder', '--preferred-cache-folder', '--cwd', '--modules-folder', '--global-folder', '--link-folder', '--mutex', '--network-timeout', '--network-concurrency', '--child-concurrency', '--registry', '--use-yarnrc', '--otp']);
/** Subcommands (the first positional; none is an install) that fetch packages into the cache. */
const INSTALLS = new Set(['install', 'add', 'upgrade', 'global add', 'workspaces focus']);
/** Flags that make a bare `yarn` print something instead of installing. */
const NOT_INSTALLING = new Set(['--version', '-v', '-V', '--help', '-h']);

type Flavor = { kind: 'classic' } | { kind: 'berry'; why: string } | { kind: 'unknown'; why: string };

export const yarn: PackageManager = {
  name: 'yarn',
  anchor: 'yarn',
  mentioned: /\byarn\b/,
  readCall(command, words) {
    if (!isCommand(words, ['yarn'])) return undefined;
    if (words.some((w) => NOT_INSTALLING.has(w.value) || w.value === '--offline')) return undefined;
    const args = positionals(words, WITH_VALUE);
    const first = args[0]?.word.value;
    const pair = args.length > 1 ? `${first} ${args[1].word.value}` : '';
    // A bare `yarn` (options only) installs; the finding then ends on the name.
    const sub = args.length === 0 ? words[0] : INSTALLS.has(first) ? args[0].word : INSTALLS.has(pair) ? args[1].word : undefined;
    if (!sub) return undefined;
    return { command, words, subcommand: sub, disableWords: [], cacheDir: optionValue(words, ['--cache-folder']) };
  },
  caches(call, scope, context) {
    const flavor = yarnFlavor(context, call);
    if (flavor.kind === 'berry') return [{ via: 'Yarn 2+ runs here, so its cache folder', unresolved: `what the project's .yarnrc.yml says (${flavor.why})`, caution: BERRY_CAUTION, owner: scope.owner }];
    if (call.cacheDir !== undefined) return [scope.locate(call.cacheDir, '--cache-folder', 'runtime')];
    const set = scope.lookup('YARN_CACHE_FOLDER', true);
    if (set) return [scope.locate(set.value, set.via, set.when)];
    const configured = configSetBefore(context, call.command, 'yarn', 'cache-folder');
    if (configured !== undefined) return [scope.locate(configured, '`yarn config set cache-folder`', 'runtime')];
    const preferred = optionValue(call.words, ['--preferred-cache-folder']);
    if (preferred !== undefined) return [scope.locate(preferred, '--preferred-cache-folder', 'runtime')];
    const xdg = scope.lookup('XDG_CACHE_HOME');
    if (xdg) return [scope.locate(`${xdg.value}/yarn`, xdg.via, xdg.when)];
    // yarn's own rule: root's home is /usr/local/share, whatever HOME says.
    if (scope.owner.root) return [scope.locate('/usr/local/share/.cache/yarn', 'root', 'runtime')];
    return [scope.locate('~/.cache/yarn', scope.homeVia, 'runtime')];
  },
  isCacheWipe: (words) => {
    const [tool, what, action] = plainWords(words);
    return tool === 'yarn' && what === 'cache' && action === 'clean';
  },
  unsafeMount(call, scope, context) {
    const flavor = yarnFlavor(context, call);
    if (flavor.kind === 'unknown') return `${flavor.why}: Yarn 2+ keeps its cache elsewhere`;
    // A cache a later `yarn install --offline` reads from the image must stay in it.
    const dirs = yarn.caches(call, scope, context).flatMap((c) => (c.dir !== undefined ? [c.dir] : []));
    return storeNeededLater(context, dirs, LATER_USE);
  },
};

const LATER_USE: LaterUse = {
  name: 'yarn',
  offline: (text) => /\byarn\b[^\n]*\s--offline\b/.test(text),
  command: /\byarn\s+(install|add)\b/,
};

/** Which yarn runs the call, from what the image and the Dockerfile before it show. */
function yarnFlavor(context: ManagerContext, call: ManagerCall): Flavor {
  const before = stateBefore(context.model, context.info, YARN_SO_FAR) ?? { opaqueCopy: undefined, installed: undefined };
  let installed = before.installed;
  installed = installedYarn(commandsBefore(context, call.command).map((w) => w.join(' ')).join(' && ')) ?? installed;
  if (installed === undefined) return { kind: 'unknown', why: 'dockopt does not know which yarn this image has' };
  if (installed.kind === 'classic' && before.opaqueCopy !== undefined) {
    return { kind: 'unknown', why: `Line ${before.opaqueCopy} may copy a .yarnrc.yml whose yarnPath runs Yarn 2+ instead of yarn 1` };
  }
  return installed;
}

/** What the instructions before a RUN say of its yarn: the one installed last, and the last COPY that may bring a .yarnrc.yml. */
interface YarnSoFar {
  installed: Flavor | undefined;
  /** Its line. */
  opaqueCopy: number | undefined;
}

/** Read once per parse for the whole file (every yarn call asks). */
const YARN_SO_FAR: ForwardFold<YarnSoFar> = {
  initial: (stage) => ({ installed: shippedByImage(stage.image), opaqueCopy: undefined }),
  step(state, i, model) {
    if (i.keyword === 'RUN') {
      const found = installedYarn(textOf(model, i));
      return found ? { ...state, installed: found } : state;
    }
    if (i.keyword !== 'COPY' && i.keyword !== 'ADD') return state;
    const copy = readCopy(model, i);
    const sources = copy?.sources ?? ['?'];
    if (sources.some((s) => /(^|\/)\.yarn(rc\.yml|\/|$)/.test(s))) return { ...state, installed: { kind: 'berry', why: `line ${i.range.start.line + 1} copies .yarnrc.yml or .yarn` } };
    if (copy?.fromOther || !sources.every(plainManifest)) return { ...state, opaqueCopy: i.range.start.line + 1 };
    return state;
  },
};

function shippedByImage(image: string | undefined): Flavor | undefined {
  if (image === undefined || imageRepository(image) !== 'node') return undefined;
  const tag = /:(\d+)/.exec(image.replace(/@.*$/, ''))?.[1];
  return tag !== undefined && Number(tag) < 26 ? { kind: 'classic' } : undefined;
}

/** What a RUN's text does to the yarn that runs next, when it does something; the last thing it does wins. */
function installedYarn(text: string): Flavor | undefined {
  const found: Array<{ at: number; flavor: Flavor }> = [];
  const add = (re: RegExp, flavor: (m: RegExpExecArray) => Flavor) => {
    for (const m of text.matchAll(new RegExp(re.source, 'g'))) found.push({ at: m.index, flavor: flavor(m as RegExpExecArray) });
  };
  // `yarn set version` / `yarn policies set-version`: classic for 1.x and `classic`, berry otherwise.
  add(/\byarn\s+(?:set\s+version|policies\s+set-version)\s+(\S+)/, (m) => versionFlavor(m[1], `\`yarn set version ${m[1]}\``, false));
  // corepack: with a yarn version, that one; `corepack enable` alone defers to package.json's packageManager.
  add(/\bcorepack\s+(?:prepare|use|install\s+-g|install\s+--global)\s+yarn@(\S+)/, (m) => versionFlavor(m[1], `corepack's yarn@${m[1]}`, false));
  add(/\bcorepack\s+enable\b(?![^&;|\n]*\bpnpm\b)/, () => ({ kind: 'unknown', why: "corepack runs the yarn package.json's packageManager names" }));
  // npm's `yarn` package is yarn 1 (its `latest` too); Yarn 2+ comes as @yarnpkg/cli-dist.
  add(/\bnpm\s+(?:i|install|add)\s[^&;|\n]*/, (m) => {
    const words = m[0].split(/\s+/);
    const global = words.some((w) => ['-g', '--global', '--location=global'].includes(w));
    const spec = words.find((w) => /^yarn(@|$)/.test(w));
    if (!global || spec === undefined) return NOTHING;
    const version = spec.slice('yarn@'.length) || 'latest';
    return versionFlavor(version, `npm's yarn@${version}`, true);
  });
  add(/@yarnpkg\/cli-dist\b/, () => ({ kind: 'berry', why: 'the Dockerfile installs @yarnpkg/cli-dist' }));
  // Debian's and Alpine's yarn packages are yarn 1.
  add(/\b(?:apt-get|apt|apk)\s+(?:install|add)\b[^&;|\n]*\syarn(?:pkg)?(?=\s|$)/, () => ({ kind: 'classic' }));
  found.sort((a, b) => a.at - b.at);
  return found.filter((f) => f.flavor !== NOTHING).at(-1)?.flavor;
}

/** A RUN's command that says nothing of yarn. */
const NOTHING: Flavor = { kind: 'unknown', why: '' };

/**
 * A yarn version or tag: classic for 1.x and `classic` (and `latest` of npm's yarn package, 1.22);
 * berry for 2+, `berry`, `stable`, `canary`; else unknown.
 */
function versionFlavor(version: string, what: string, npmTag: boolean): Flavor {
  const v = version.replace(/^["']|["']$/g, '').replace(/^[v^~=]/, '');
  if (/^(1(\.|$)|classic$)/.test(v) || (npmTag && v === 'latest')) return { kind: 'classic' };
  if (/^([2-9]|\d{2,})(\.|$)|^(berry|stable|canary)$/.test(v)) return { kind: 'berry', why: `${what} is Yarn 2+` };
  return { kind: 'unknown', why: `dockopt cannot tell which yarn ${what} is` };
}

/** A COPY source that cannot bring a .yarnrc.yml: a manifest-like file (package.json, yarn.lock, .npmrc, .yarnrc…). */
function plainManifest(source: string): boolean {
  const name = source.replace(/\/+$/, '').slice(source.replace(/\/+$/, '').lastIndexOf('/') + 1);
  return /\.(json|lock|ya?ml|js|cjs|mjs|ts)$/.test(name) && name !== '.yarnrc.yml' || ['.npmrc', '.yarnrc', '.nvmrc', '.node-version'].includes(name);
}
