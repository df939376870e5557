/**
 * npm-cache-mount: `npm ci` / `npm install` in a RUN without a BuildKit cache mount on npm's
 * cache, so every build that re-runs it downloads every package again; or with the mount, but
 * wiped in the same RUN (`npm cache clean --force`, `rm -rf /root/.npm`), which defeats it.
 */
import type { DockerfileModel, InstructionInfo } from '../dockerfile/model';
import { readMounts } from '../dockerfile/mounts';
import { findNpmCall, type NpmCall } from '../dockerfile/package-managers';
import { parseRunScript, type RunScript } from '../dockerfile/shell';
import { SET_CACHE_DIRS, commandSpan, coveringCacheMount, distinctDirs, npmCacheLocation, ownerUnknown, type CacheLocation, type CacheOwner } from '../dockerfile/cache-locations';
import { afterSubcommandEdits, cacheMountFlag, insertFlagsEdit } from '../fixes/cache-mount-edits';
import { removeWordsEdits } from '../fixes/text-removal';
import { findCacheWipes, unsureNote, wipesNote, type CacheWipe } from '../dockerfile/cache-wipes';
import { storeNeededLater, type LaterUse } from '../dockerfile/package-caches/store-needed-later';
import { createRule, formatMessage, type RuleContext } from './create-rule';
import type { Fix, TextEdit } from './types';

interface NpmRun {
  script: RunScript;
  calls: Array<{ call: NpmCall; location: CacheLocation }>;
}

type Plan = Array<{ dir: string; owner: CacheOwner }>;

// The parts the messages share. A finding names npm's cache one of three ways (no mount there, a
// mount elsewhere, a user whose home is unknown); for `npm install -g` it adds that the mount saves
// little (a `pnpm install` / `yarn install` after it is cache-mount's finding).
const NO_MOUNT = "npm keeps its cache in {{dirs}} and this RUN mounts no cache there";
const MOUNT_ELSEWHERE = "npm keeps its cache in {{dirs}}, but this RUN's cache mount is on {{targets}}";
const DOWNLOADS_PACKAGES = ', so {{command}} downloads all packages again on every build. Mount it with {{flags}}.';
const DOWNLOADS_TOOL = ', so {{command}} -g downloads the tool again on every build. Mount it with {{flags}}.';
const HOME_UNKNOWN =
  'npm runs here as {{user}}, whose home dockopt does not know, so its cache (~/.npm there) has no mount and {{command}} downloads all packages again on every build. ' +
  'If that user is root, --cache={{cacheDir}} with --mount=type=cache,target={{cacheDir}} puts the cache in a mount; ' +
  'another user needs uid=<its uid> on the mount, which dockopt cannot know, so it does not fix this RUN by itself.';
const TOOL_ONLY = ' (npm install -g installs a tool, which downloads little: the mount saves little here.)';
const UID_UNKNOWN = 'dockopt does not know the uid of {{user}}: add uid=<its uid> to the mount, or npm cannot write to it.';
const WIPE_ADVICE = " Remove it: with the mount, npm's cache never ends up in the image anyway.";
const NEEDED_LATER = '{{why}}, so dockopt does not add the mount by itself.';

// `{{notes}}` holds whole sentences: up to four that each may or may not apply (the uid of the user
// is unknown, a second user's home is unknown, the RUN wipes the cache, an `rm` may wipe it), so a
// message per combination would be sixteen per variant; the last two come from cache-wipes.ts,
// shared with pip-cache-mount. Empty, or a blank and the sentences.
export const rule = createRule({
  meta: {
    id: 'npm-cache-mount',
    defaultSeverity: 'warning',
    docs: {
      title: 'Cache npm downloads in a BuildKit cache mount',
      description: "npm ci / npm install runs without a BuildKit cache mount on npm's cache (or wipes it), so every build downloads all packages again.",
    },
    messages: {
      noMount: `${NO_MOUNT}${DOWNLOADS_PACKAGES}{{notes}}`,
      mountElsewhere: `${MOUNT_ELSEWHERE}${DOWNLOADS_PACKAGES}{{notes}}`,
      homeUnknown: `${HOME_UNKNOWN}{{notes}}`,
      toolOnlyNoMount: `${NO_MOUNT}${DOWNLOADS_TOOL}{{notes}}${TOOL_ONLY}`,
      toolOnlyMountElsewhere: `${MOUNT_ELSEWHERE}${DOWNLOADS_TOOL}{{notes}}${TOOL_ONLY}`,
      toolOnlyHomeUnknown: `${HOME_UNKNOWN}{{notes}}${TOOL_ONLY}`,
      cacheDirUnresolved:
        "{{command}} runs without a cache mount, so every build downloads all packages again. dockopt cannot tell where npm's cache is " +
        "({{via}} is {{unresolved}}): add --mount=type=cache,target=<npm's cache dir> to this RUN.",
      mountWiped: `{{wipes}} wipes the cache mount on {{dirs}}: every build starts with an empty cache and downloads all packages again.${WIPE_ADVICE}`,
      mountPointRemoved: `{{wipes}} wipes the cache mount on {{dirs}}: removing the mount point fails the build ("Device or resource busy").${WIPE_ADVICE}`,
    },
    fixable: true,
    scope: 'dockerfile',
  },
  create(context) {
    return {
      RUN(info) {
        const run = npmRun(context.model, info);
        if (run) checkRun(context, info, run);
      },
    };
  },
});

type Context = RuleContext<keyof typeof rule.messages>;

function npmRun(model: DockerfileModel, info: InstructionInfo): NpmRun | undefined {
  // Windows images: no BuildKit cache mounts, and their caches live elsewhere.
  if (info.stage?.windows) return undefined;
  const script = parseRunScript(model, info.ast);
  const calls = script.commands.flatMap((command) => {
    const call = findNpmCall(command);
    return call ? [{ call, location: npmCacheLocation(model, info, call, script) }] : [];
  });
  return calls.length > 0 ? { script, calls } : undefined;
}

function checkRun(context: Context, info: InstructionInfo, run: NpmRun): void {
  const { path, model } = context;
  const mounts = readMounts(info.ast);
  const targets = mounts.filter((m) => m.type === 'cache' && m.target).map((m) => m.target!);
  const uncovered = distinctDirs(run.calls.map((c) => c.location)).filter((l) => !coveringCacheMount(mounts, l.dir));
  const homeless = targets.length === 0 ? run.calls.filter((c) => c.location.dir === undefined && c.location.homeUnknown) : [];
  const unresolved = run.calls.map((c) => c.location).find((l) => l.dir === undefined && !l.homeUnknown);
  if (uncovered.length === 0 && homeless.length === 0 && !(unresolved && targets.length === 0)) return checkWipes(context, info, run, mounts);

  // `npm install -g <tool>` downloads one tool: the RUN's real install, when there is one, gets the finding.
  const main = run.calls.find((c) => !c.call.global) ?? run.calls[0];
  const span = commandSpan(main.call.command, main.call.subcommand) ?? { start: info.startOffset, end: info.startOffset + 3 };
  const range = model.rangeOf(span.start, span.end);
  const command = `npm ${main.call.subcommand}`;
  if (uncovered.length === 0 && homeless.length === 0) {
    context.report({ range, messageId: 'cacheDirUnresolved', data: { command, via: unresolved!.via, unresolved: unresolved!.unresolved! } });
    return;
  }

  const plan: Plan = [...uncovered];
  if (homeless.length > 0 && !plan.some((l) => l.dir === SET_CACHE_DIRS.npm)) plan.push({ dir: SET_CACHE_DIRS.npm, owner: homeless[0].location.owner });
  const notes: string[] = [];
  const homelessData = homeless.length > 0 ? { user: homeless[0].location.owner.label, command, cacheDir: SET_CACHE_DIRS.npm } : undefined;
  if (uncovered.length > 0) {
    const unknown = uncovered.find(ownerUnknown);
    if (unknown) notes.push(formatMessage(UID_UNKNOWN, { user: unknown.owner.label }));
    if (homelessData) notes.push(formatMessage(HOME_UNKNOWN, homelessData));
  }
  const { wipes, unsure } = findCacheWipes(info, run.script, 'npm', plan.map((l) => ({ dir: l.dir, home: l.owner.home })));
  if (wipes.length > 0) notes.push(wipesNote(wipes));
  if (unsure.length > 0) notes.push(unsureNote(unsure));
  const neededLater = storeNeededLater({ model, info, script: run.script }, plan.map((l) => l.dir), LATER_USE);
  if (neededLater !== undefined) notes.push(formatMessage(NEEDED_LATER, { why: neededLater }));

  // How the message names npm's cache, and what it says of the install.
  const where = uncovered.length === 0 ? 'homeUnknown' : targets.length > 0 ? 'mountElsewhere' : 'noMount';
  // `npm install -g <tool>` downloads one tool (pnpm and yarn included: the installs they run are cache-mount's findings).
  const install: keyof typeof MESSAGE_IDS = main.call.global ? 'toolOnly' : 'packages';
  const data: Record<string, string> = {
    ...(uncovered.length > 0
      ? {
          dirs: uncovered.map((l) => (l.owner.root ? l.dir : `${l.dir} (npm runs as ${l.owner.label})`)).join(' and '),
          ...(targets.length > 0 && { targets: targets.join(', ') }),
          command,
          flags: uncovered.map(cacheMountFlag).join(' '),
        }
      : homelessData),
    notes: notes.map((n) => ` ${n}`).join(''),
  };
  // Real but small: a minor finding.
  const minor = install === 'toolOnly';
  context.report({ range, messageId: MESSAGE_IDS[install][where], data, ...(minor && { minor }), fixes: () => fixes(path, model, info, run, plan, homeless, wipes, unsure, neededLater !== undefined) });
}

/** The message for what the RUN installs (packages, or only a tool) and where npm's cache is. */
const MESSAGE_IDS = {
  packages: { noMount: 'noMount', mountElsewhere: 'mountElsewhere', homeUnknown: 'homeUnknown' },
  toolOnly: { noMount: 'toolOnlyNoMount', mountElsewhere: 'toolOnlyMountElsewhere', homeUnknown: 'toolOnlyHomeUnknown' },
} as const;

/** The mount is there, but the RUN wipes the cache it holds: every build starts empty, or fails. */
function checkWipes(context: Context, info: InstructionInfo, run: NpmRun, mounts: ReturnType<typeof readMounts>): void {
  const { path, model } = context;
  const mounted = distinctDirs(run.calls.map((c) => c.location)).filter((l) => coveringCacheMount(mounts, l.dir));
  const { wipes } = findCacheWipes(info, run.script, 'npm', mounted.map((l) => ({ dir: l.dir, home: l.owner.home, mountTarget: coveringCacheMount(mounts, l.dir)?.target })));
  if (wipes.length === 0) return;
  const first = wipes[0].command.words[0];
  const last = wipes[0].command.words[wipes[0].command.words.length - 1];
  context.report({
    range: model.rangeOf(first.start, last.end),
    messageId: wipes.some((w) => w.failsWithMount) ? 'mountPointRemoved' : 'mountWiped',
    data: { wipes: wipes.map((w) => `\`${w.label}\``).join(', '), dirs: mounted.map((l) => l.dir).join(', ') },
    fixes: (): Fix[] => {
      const edits = removeWipesEdits(model, info, run.script, wipes);
      return edits ? [{ title: `Remove ${wipes.map((w) => w.label).join(', ')}`, isPreferred: true, changes: [{ kind: 'edit', path, edits }] }] : [];
    },
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
  neededLater: boolean,
): Fix[] {
  const options = homeless.length > 0 ? afterSubcommandEdits(model.text, run.script, homeless.map((c) => c.call), `--cache=${SET_CACHE_DIRS.npm}`) : [];
  // Without --cache the mount would not be where npm writes: no fix.
  if (!options) return [];
  const dirs = plan.map((l) => l.dir).join(' and ');
  // Assumed, not known: the uid of the user that runs npm. The title says so; a human picks it.
  const assumed = plan.find(ownerUnknown)?.owner;
  const safe = assumed === undefined && unsure.length === 0 && !neededLater;
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

/**
 * What may read npm's cache from the image after the RUN that fills it (store-needed-later.ts,
 * as for yarn): an offline install (`npm ci --offline`, `npm_config_offline=true`), a stage that
 * copies the cache out, an image that installs when it starts.
 */
const LATER_USE: LaterUse = {
  name: 'npm',
  offline: (text) => /\bnpm\b[^\n]*\s--offline(?:=true)?(?=\s|$|["'\]])|\bnpm_config_offline=["']?true\b/i.test(text),
  command: /\bnpm\s+(?:ci|install|i)\b/,
};
