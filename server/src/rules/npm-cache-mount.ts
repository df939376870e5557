/**
 * npm-cache-mount: `npm ci` / `npm install` in a RUN without a BuildKit cache mount on npm's
 * cache, so every build that re-runs it downloads every package again; or with the mount, but
 * wiped in the same RUN (`npm cache clean --force`, `rm -rf /root/.npm`), which defeats it.
 */
import type { DockerfileModel, InstructionInfo } from '../dockerfile/model';
import { readMounts } from '../dockerfile/mounts';
import { findNpmCall, type NpmCall } from '../dockerfile/package-managers';
import { parseRunScript, type RunScript, type SimpleCommand } from '../dockerfile/shell';
import {
  afterSubcommandEdits,
  SET_CACHE_DIRS,
  cacheMountFlag,
  commandSpan,
  coveringCacheMount,
  distinctDirs,
  insertFlagsEdit,
  npmCacheLocation,
  ownerUnknown,
  removeWordsEdits,
  type CacheLocation,
  type CacheOwner,
} from './cache-mount-edits';
import { findCacheWipes, unsureNote, wipesNote, type CacheWipe } from './cache-wipes';
import { readDependencyInstall } from './dependency-installs';
import { withLazyFixes, type Finding, type Fix, type Rule, type TextEdit } from './types';

interface NpmRun {
  script: RunScript;
  calls: Array<{ call: NpmCall; location: CacheLocation }>;
}

type Plan = Array<{ dir: string; owner: CacheOwner }>;

export const rule: Rule = {
  meta: {
    id: 'npm-cache-mount',
    defaultSeverity: 'warning',
    description: "npm ci / npm install runs without a BuildKit cache mount on npm's cache (or wipes it), so every build downloads all packages again.",
    fixable: true,
  },
  checkDockerfile({ path, model }) {
    const findings: Finding[] = [];
    for (const info of model.instructions) {
      const run = npmRun(model, info);
      if (!run) continue;
      const finding = checkRun(path, model, info, run);
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

function npmRun(model: DockerfileModel, info: InstructionInfo): NpmRun | undefined {
  // Windows images: no BuildKit cache mounts, and their caches live elsewhere.
  if (info.keyword !== 'RUN' || info.stage?.windows) return undefined;
  const script = parseRunScript(model, info.ast);
  const calls = script.commands.flatMap((command) => {
    const call = findNpmCall(command);
    return call ? [{ call, location: npmCacheLocation(model, info, call, script) }] : [];
  });
  return calls.length > 0 ? { script, calls } : undefined;
}

function checkRun(path: string, model: DockerfileModel, info: InstructionInfo, run: NpmRun): Finding | undefined {
  const mounts = readMounts(info.ast);
  const targets = mounts.filter((m) => m.type === 'cache' && m.target).map((m) => m.target!);
  const uncovered = distinctDirs(run.calls.map((c) => c.location)).filter((l) => !coveringCacheMount(mounts, l.dir));
  const homeless = targets.length === 0 ? run.calls.filter((c) => c.location.dir === undefined && c.location.homeUnknown) : [];
  const unresolved = run.calls.map((c) => c.location).find((l) => l.dir === undefined && !l.homeUnknown);
  if (uncovered.length === 0 && homeless.length === 0 && !(unresolved && targets.length === 0)) return checkWipes(path, model, info, run, mounts);

  // `npm install -g <tool>` downloads one tool: the RUN's real install, when there is one, gets the finding.
  const main = run.calls.find((c) => !c.call.global) ?? run.calls[0];
  const span = commandSpan(main.call.command, main.call.subcommand) ?? { start: info.startOffset, end: info.startOffset + 3 };
  let range = model.rangeOf(span.start, span.end);
  const command = `npm ${main.call.subcommand}`;
  if (uncovered.length === 0 && homeless.length === 0) {
    const message =
      `${command} runs without a cache mount, so every build downloads all packages again. dockopt cannot tell where npm's cache is ` +
      `(${unresolved!.via} is ${unresolved!.unresolved}): add --mount=type=cache,target=<npm's cache dir> to this RUN.`;
    return { ruleId: 'npm-cache-mount', path, range, message, fixes: [] };
  }

  const plan: Plan = [...uncovered];
  if (homeless.length > 0 && !plan.some((l) => l.dir === SET_CACHE_DIRS.npm)) plan.push({ dir: SET_CACHE_DIRS.npm, owner: homeless[0].location.owner });
  const parts: string[] = [];
  if (uncovered.length > 0) {
    const where = uncovered.map((l) => (l.owner.root ? l.dir : `${l.dir} (npm runs as ${l.owner.label})`)).join(' and ');
    const elsewhere = targets.length > 0 ? `, but this RUN's cache mount is on ${targets.join(', ')}` : ' and this RUN mounts no cache there';
    const downloads = main.call.global ? `${command} -g downloads the tool again` : `${command} downloads all packages again`;
    parts.push(`npm keeps its cache in ${where}${elsewhere}, so ${downloads} on every build. Mount it with ${uncovered.map(cacheMountFlag).join(' ')}.`);
    const unknown = uncovered.find(ownerUnknown);
    if (unknown) parts.push(`dockopt does not know the uid of ${unknown.owner.label}: add uid=<its uid> to the mount, or npm cannot write to it.`);
  }
  if (homeless.length > 0) {
    const owner = homeless[0].location.owner;
    parts.push(
      `npm runs here as ${owner.label}, whose home dockopt does not know, so its cache (~/.npm there) has no mount and ${command} downloads all packages again on every build. ` +
        `If that user is root, --cache=${SET_CACHE_DIRS.npm} with --mount=type=cache,target=${SET_CACHE_DIRS.npm} puts the cache in a mount; ` +
        `another user needs uid=<its uid> on the mount, which dockopt cannot know, so it does not fix this RUN by itself.`,
    );
  }
  const { wipes, unsure } = findCacheWipes(info, run.script, 'npm', plan.map((l) => ({ dir: l.dir, home: l.owner.home })));
  if (wipes.length > 0) parts.push(wipesNote(wipes));
  if (unsure.length > 0) parts.push(unsureNote(unsure));
  if (main.call.global) {
    const real = realInstallAfter(run.script, main.call.command);
    if (real) {
      // The finding goes on the install whose downloads count; the fix still mounts npm's cache.
      range = model.rangeOf(real.start, real.end);
      parts.unshift(
        `${real.label} install downloads all packages again on every build: give its cache (${real.label === 'yarn' ? '`yarn cache dir`' : '`pnpm store path`'}) ` +
          `a cache mount; dockopt does not know where it is here. The npm install -g before it only installs the tool, which downloads little.`,
      );
    } else {
      parts.push(`(npm install -g installs a tool, which downloads little: the mount saves little here.)`);
    }
  }
  const message = parts.join(' ');
  return withLazyFixes({ ruleId: 'npm-cache-mount', path, range, message }, () => fixes(path, model, info, run, plan, homeless, wipes, unsure));
}

/** A `pnpm install` / `yarn install` after the command in the same RUN: the install whose downloads count. */
function realInstallAfter(script: RunScript, after: SimpleCommand): { label: string; start: number; end: number } | undefined {
  for (const command of script.commands.slice(script.commands.indexOf(after) + 1)) {
    const install = readDependencyInstall(command);
    if (typeof install !== 'object' || install.ecosystem !== 'node' || install.label.startsWith('npm')) continue;
    const label = install.label.split(' ')[0];
    const last = command.words[command.words.length - 1];
    const first = command.words.find((w) => w.start >= install.start) ?? last;
    const sub = command.words.find((w) => w.start > first.start && (w.value === 'install' || w.value === 'i'));
    return { label, start: first.start, end: (sub ?? first).end };
  }
  return undefined;
}

/** The mount is there, but the RUN wipes the cache it holds: every build starts empty, or fails. */
function checkWipes(path: string, model: DockerfileModel, info: InstructionInfo, run: NpmRun, mounts: ReturnType<typeof readMounts>): Finding | undefined {
  const mounted = distinctDirs(run.calls.map((c) => c.location)).filter((l) => coveringCacheMount(mounts, l.dir));
  const { wipes } = findCacheWipes(info, run.script, 'npm', mounted.map((l) => ({ dir: l.dir, home: l.owner.home })));
  if (wipes.length === 0) return undefined;
  const first = wipes[0].command.words[0];
  const last = wipes[0].command.words[wipes[0].command.words.length - 1];
  const fails = wipes.some((w) => w.failsWithMount);
  const message =
    `${wipes.map((w) => `\`${w.label}\``).join(', ')} wipes the cache mount on ${mounted.map((l) => l.dir).join(', ')}: ` +
    (fails ? `removing the mount point fails the build ("Device or resource busy").` : `every build starts with an empty cache and downloads all packages again.`) +
    ` Remove it: with the mount, npm's cache never ends up in the image anyway.`;
  return withLazyFixes({ ruleId: 'npm-cache-mount', path, range: model.rangeOf(first.start, last.end), message }, (): Fix[] => {
    const edits = removeWipesEdits(model, info, run.script, wipes);
    return edits ? [{ title: `Remove ${wipes.map((w) => w.label).join(', ')}`, isPreferred: true, changes: [{ kind: 'edit', path, edits }] }] : [];
  });
}

function removeWipesEdits(model: DockerfileModel, info: InstructionInfo, script: RunScript, wipes: readonly CacheWipe[]): TextEdit[] | undefined {
  if (wipes.length === 0) return [];
  const words = wipes.flatMap((w) => w.operands);
  const commands = wipes.filter((w) => w.operands.length === 0).map((w) => w.command);
  return removeWordsEdits(model, info, script, words, commands);
}

function fixes(
  path: string,
  model: DockerfileModel,
  info: InstructionInfo,
  run: NpmRun,
  plan: Plan,
  homeless: NpmRun['calls'],
  wipes: readonly CacheWipe[],
  unsure: readonly string[],
): Fix[] {
  const options = homeless.length > 0 ? afterSubcommandEdits(model.text, run.script, homeless.map((c) => c.call), `--cache=${SET_CACHE_DIRS.npm}`) : [];
  // Without --cache the mount would not be where npm writes: no fix.
  if (!options) return [];
  const dirs = plan.map((l) => l.dir).join(' and ');
  // Assumed, not known: the uid of the user that runs npm. The title says so; a human picks it.
  const assumed = plan.find(ownerUnknown)?.owner;
  const safe = assumed === undefined && unsure.length === 0;
  const assumption =
    (assumed ? `, assuming ${assumed.label} ${assumed.unknown ? 'is root' : 'can write to it (else add uid=<its uid>)'}` : '') +
    (unsure.length > 0 ? ` (check that ${unsure.join(', ')} leaves it alone)` : '');
  const anyUser = (homeless.length > 0 ? ` (--cache=${SET_CACHE_DIRS.npm})` : '');
  const removals = removeWipesEdits(model, info, run.script, wipes);
  const clean = removals !== undefined && !options.some((o) => removals.some((d) => d.start < o.start && o.start < d.end));
  if (!clean) {
    // A wipe dockopt cannot remove cleanly would fail the build or empty the cache: a human finishes.
    const mount = insertFlagsEdit(model.text, run.script, plan.map(cacheMountFlag));
    return [{
      title: `Add an npm cache mount on ${dirs}${anyUser} (then remove ${wipes.map((w) => w.label).join(', ')} by hand)${assumption}`,
      isPreferred: false,
      changes: [{ kind: 'edit', path, edits: [mount, ...options] }],
    }];
  }
  const mount = insertFlagsEdit(model.text, run.script, plan.map(cacheMountFlag), removals);
  const wiped = wipes.length > 0 ? ' and remove the cache wipe' : '';
  const base = [mount, ...options, ...removals];
  const result: Fix[] = [{ title: `Add an npm cache mount on ${dirs}${anyUser}${wiped}${assumption}`, isPreferred: safe, changes: [{ kind: 'edit', path, edits: base }] }];
  const offline = preferOfflineEdits(model, run);
  if (offline && offline.length > 0 && !offline.some((o) => removals.some((d) => d.start < o.start && o.start < d.end))) {
    result.push({
      title: `Add an npm cache mount on ${dirs}${anyUser}${wiped} and --prefer-offline${assumption}`,
      isPreferred: false,
      changes: [{ kind: 'edit', path, edits: [...base, ...offline] }],
    });
  }
  return result;
}

/**
 * `--prefer-offline` right after each install subcommand that lacks it: npm then takes what the
 * cache has without asking the registry. Undefined when a subcommand's text is not plainly written.
 */
function preferOfflineEdits(model: DockerfileModel, run: NpmRun): TextEdit[] | undefined {
  return afterSubcommandEdits(model.text, run.script, run.calls.filter((c) => !c.call.hasPreferOffline).map((c) => c.call), '--prefer-offline');
}
