/**
 * pip-no-cache-dir: a RUN mounts a cache on pip's cache directory, yet pip's cache is switched
 * off (`--no-cache-dir`, PIP_NO_CACHE_DIR in the RUN or in an ENV), so the mount stays empty
 * and every build downloads again — the mistake of a Dockerfile "optimized" by adding the mount
 * and keeping the flag. Its kin: the same RUN wipes the mounted cache (`pip cache purge`,
 * `rm -rf /root/.cache/pip`), which empties it on every build or fails the build.
 */
import { Env, type Property } from 'dockerfile-ast';
import type { DockerfileModel, InstructionInfo } from '../dockerfile/model';
import { readMounts } from '../dockerfile/mounts';
import { commandStart } from '../dockerfile/package-managers';
import { parseRunScript } from '../dockerfile/shell';
import type { ShellWord, SimpleCommand } from '../dockerfile/shell';
import { commandSpan, coveringCacheMount, pipCacheSwitches, pipRun, type PipRun } from '../dockerfile/cache-locations';
import { variablesAt } from '../dockerfile/variable-scope';
import type { PipCall } from '../dockerfile/package-managers';
import { removeEnvPropertiesEdits, removeWordsEdits } from '../fixes/text-removal';
import { findCacheWipes, type CacheWipe } from '../dockerfile/cache-wipes';
import { stateBefore, type ForwardFold } from '../dockerfile/package-caches/stage-folds';
import { createRule, type RuleContext } from './create-rule';
import type { Fix } from './types';

const VARIABLE = 'PIP_NO_CACHE_DIR';

export const rule = createRule({
  meta: {
    id: 'pip-no-cache-dir',
    defaultSeverity: 'warning',
    docs: {
      title: 'Drop --no-cache-dir beside a pip cache mount',
      description: "--no-cache-dir (or PIP_NO_CACHE_DIR, or a wipe of the cache) defeats the cache mount of a RUN that installs with pip.",
    },
    messages: {
      cacheSwitchedOff:
        "{{switch}} turns off pip's cache, so the cache mount on {{target}} stays empty and every build downloads again. " +
        "Remove it: with the mount, pip's cache never ends up in the image anyway.",
      cacheSwitchedOffRepeatedly:
        "{{switch}} turns off pip's cache, so the cache mount on {{target}} stays empty and every build downloads again ({{count}} times in this RUN). " +
        "Remove it: with the mount, pip's cache never ends up in the image anyway.",
      mountWiped:
        '{{wipes}} wipes the cache mount on {{targets}}: every build starts with an empty cache and downloads again. ' +
        "Remove it: with the mount, pip's cache never ends up in the image anyway.",
      mountPointRemoved:
        '{{wipes}} wipes the cache mount on {{targets}}: removing the mount point fails the build ("Device or resource busy"). ' +
        "Remove it: with the mount, pip's cache never ends up in the image anyway.",
      envSwitchesCacheOff:
        "ENV {{property}} turns off pip's cache, so the cache mount on {{targets}} ({{runs}}) stays empty and every build downloads again. " +
        "Remove it: with a cache mount, pip's cache never ends up in the image anyway.",
      argSwitchesCacheOff:
        "ARG PIP_NO_CACHE_DIR turns off pip's cache (its default, {{value}}, is in the environment of this RUN), so the cache mount on {{target}} stays empty and every build downloads again. " +
        "Remove its default (or the ARG): with the mount, pip's cache never ends up in the image anyway.",
      envSwitchesCacheOffAlsoHidden:
        "ENV {{property}} turns off pip's cache, so the cache mount on {{targets}} ({{runs}}) stays empty and every build downloads again. " +
        'It also reaches `{{command}}` on line {{line}}, which may run pip where dockopt cannot see: without the ENV, pip could leave its cache in that layer. ' +
        'Set PIP_NO_CACHE_DIR=1 on that command instead, then remove it from the ENV: the fix is not applied automatically.',
      envSwitchesCacheOffAlsoUnmounted:
        "ENV {{property}} turns off pip's cache, so the cache mount on {{targets}} ({{runs}}) stays empty and every build downloads again. " +
        "Remove it: with a cache mount, pip's cache never ends up in the image anyway. " +
        "It also applies to pip without a cache mount on {{unmountedLines}}: give {{them}} one (pip-cache-mount) so pip's cache stays out of the image.",
    },
    fixable: true,
    scope: 'dockerfile',
  },
  create(context) {
    const { path, model } = context;
    // ENV instructions that switch the cache off for mounted RUNs, with those RUNs' mounts.
    const envs = new Map<InstructionInfo, Array<{ run: InstructionInfo; target: string }>>();
    // pip RUNs with a call the RUN mounts no cache for, with the ENVs in force there: an ENV's
    // finding names them (read in this one pass: a pass per ENV would cost ENVs × RUNs).
    const unmounted: Array<{ run: InstructionInfo; envs: InstructionInfo[] }> = [];
    // RUNs whose commands may run pip unseen (a script, `su -c`), with the ENVs in force there.
    const hidden: Array<{ run: InstructionInfo; command: string; envs: InstructionInfo[] }> = [];
    return {
      RUN(info) {
        const opaque = parseRunScript(model, info.ast).commands.find(mayRunPipUnseen);
        if (opaque) hidden.push({ run: info, command: commandText(opaque), envs: envsInForce(model, info) });
        const run = pipRun(model, info);
        if (!run) return;
        const mounted = mountedCalls(model, info, run);
        if (mounted.length < run.calls.length) unmounted.push({ run: info, envs: envsInForce(model, info) });
        if (mounted.length === 0) return;
        // Two calls of a RUN can share one `export`: each word and command once.
        const words = [...new Set(mounted.flatMap((m) => m.switches.words))];
        const commands = [...new Set(mounted.flatMap((m) => m.switches.commands))];
        const unsure = mounted.find((m) => !m.writable && m.switches.words.length + m.switches.commands.length > 0);
        if (words.length + commands.length > 0) reportSwitches(context, info, run, words, commands, mounted[0].target, unsure?.owner);
        const { wipes } = findCacheWipes(info, run.script, 'pip', mounted.map((m) => ({ dir: m.dir, home: m.home, mountTarget: m.target })));
        if (wipes.length > 0) reportWipes(context, info, run, wipes, [...new Set(mounted.map((m) => m.target))]);
        // An ARG can be meant for --build-arg: dockopt names it, a human changes it.
        const viaArg = mounted.find((m) => m.switches.arg);
        if (viaArg) reportArg(context, info, viaArg.call, viaArg.target);
        const viaEnv = mounted.find((m) => m.switches.env);
        if (viaEnv) {
          for (const env of envsInForce(model, info)) {
            const runs = envs.get(env) ?? [];
            runs.push({ run: info, target: viaEnv.target });
            envs.set(env, runs);
          }
        }
      },
      'Dockerfile:exit'() {
        for (const [env, runs] of envs) reportEnv(context, path, env, runs, unmounted, hidden);
      },
    };
  },
});

type Context = RuleContext<keyof typeof rule.messages>;

/** The pip calls whose cache directory the RUN mounts, with how their cache is switched off. */
function mountedCalls(model: DockerfileModel, info: InstructionInfo, run: PipRun) {
  const mounts = readMounts(info.ast);
  return run.calls.flatMap(({ call, location }) => {
    const mount = location.dir === undefined ? undefined : coveringCacheMount(mounts, location.dir);
    // Whether pip can write to the mount is known for root and for a user whose uid dockopt knows.
    const writable = location.owner.root || location.owner.uid !== undefined;
    return mount ? [{ call, target: mount.target!, dir: location.dir!, home: location.owner.home, writable, owner: location.owner.label, switches: pipCacheSwitches(info, call, model, run.script) }] : [];
  });
}

/** `unsure`: a user whose uid dockopt does not know runs pip, so whether it can write to the mount is not known. */
function reportSwitches(context: Context, info: InstructionInfo, run: PipRun, words: ShellWord[], commands: SimpleCommand[], target: string, unsure?: string): void {
  const { path, model } = context;
  // An `export PIP_NO_CACHE_DIR=1` that sets nothing else goes whole: it is named by its assignment.
  const named = [...words, ...commands.map((c) => c.words.find((w) => w.value.startsWith(`${VARIABLE}=`)) ?? c.words[0])].sort((a, b) => a.start - b.start);
  const first = named[0];
  const what = first.value.startsWith(VARIABLE) ? first.value : '--no-cache-dir';
  const assumption = unsure ? `, assuming ${unsure} can write to the mount` : '';
  const title = (named.length > 1 ? `Remove ${what} and the other cache switches from this RUN` : `Remove ${what}`) + assumption;
  context.report({
    range: model.rangeOf(first.start, first.end),
    messageId: named.length > 1 ? 'cacheSwitchedOffRepeatedly' : 'cacheSwitchedOff',
    data: { switch: what, target, count: named.length },
    fixes: (): Fix[] => {
      const edits = removeWordsEdits(model, info, run.script, words, commands);
      return edits ? [{ title, isPreferred: !unsure, changes: [{ kind: 'edit', path, edits }] }] : [];
    },
  });
}

/** An ARG of the stage with a default switches the cache off: reported on the pip call, without a fix. */
function reportArg(context: Context, info: InstructionInfo, call: PipCall, target: string): void {
  const { model } = context;
  const span = commandSpan(call.command, call.subcommand) ?? { start: info.startOffset, end: info.startOffset + 3 };
  context.report({
    range: model.rangeOf(span.start, span.end),
    messageId: 'argSwitchesCacheOff',
    data: { value: variablesAt(model, info).get(VARIABLE) ?? '', target },
  });
}

/** The RUN wipes the cache it mounts: every build starts with an empty cache, or the build fails. */
function reportWipes(context: Context, info: InstructionInfo, run: PipRun, wipes: CacheWipe[], targets: string[]): void {
  const { path, model } = context;
  const words = wipes[0].command.words;
  context.report({
    range: model.rangeOf(words[0].start, words[words.length - 1].end),
    messageId: wipes.some((w) => w.failsWithMount) ? 'mountPointRemoved' : 'mountWiped',
    data: { wipes: wipes.map((w) => `\`${w.label}\``).join(', '), targets: targets.join(', ') },
    fixes: (): Fix[] => {
      const operands = wipes.flatMap((w) => w.operands);
      const commands = wipes.filter((w) => w.operands.length === 0).map((w) => w.command);
      const edits = removeWordsEdits(model, info, run.script, operands, commands);
      return edits ? [{ title: `Remove ${wipes.map((w) => w.label).join(', ')}`, isPreferred: true, changes: [{ kind: 'edit', path, edits }] }] : [];
    },
  });
}

/**
 * The ENVs setting PIP_NO_CACHE_DIR in force at a RUN, the latest first, back to the last that
 * empties it (which keeps the cache on): folded over each stage chain once per parse
 * (stage-folds.ts), as walking the chain at every pip RUN cost RUNs × stages on chained stages.
 */
function envsInForce(model: DockerfileModel, run: InstructionInfo): InstructionInfo[] {
  const found: InstructionInfo[] = [];
  for (let link = stateBefore(model, run, SWITCHING_ENVS); link; link = link.rest) found.push(link.env);
  return found;
}

/** A list that later ENVs extend without copying: the latest ENV, and the ones before it. */
interface EnvLink { env: InstructionInfo; rest: EnvLink | undefined }

const SWITCHING_ENVS: ForwardFold<EnvLink | undefined> = {
  initial: () => undefined,
  step(state, info) {
    if (info.keyword !== 'ENV') return state;
    const values = propertiesOf(info).filter((p) => p.getName() === VARIABLE);
    if (values.length === 0) return state;
    return (values[values.length - 1].getValue() ?? '').replace(/^(["'])(.*)\1$/, '$2') === '' ? undefined : { env: info, rest: state };
  },
};

function propertiesOf(info: InstructionInfo): Property[] {
  return info.ast instanceof Env ? info.ast.getProperties() : [];
}

function reportEnv(
  context: Context,
  path: string,
  env: InstructionInfo,
  runs: Array<{ run: InstructionInfo; target: string }>,
  unmounted: ReadonlyArray<{ run: InstructionInfo; envs: InstructionInfo[] }>,
  hidden: ReadonlyArray<{ run: InstructionInfo; command: string; envs: InstructionInfo[] }>,
): void {
  const { model } = context;
  const property = propertiesOf(env).find((p) => p.getName() === VARIABLE);
  if (!property) return;
  const range = property.getRange();
  const written = model.text.slice(model.offsetAt(range.start), model.offsetAt(range.end));
  const lines = runs.map((r) => r.run.range.start.line + 1);
  const targets = [...new Set(runs.map((r) => r.target))].join(', ');
  const where = lines.length > 1 ? `the RUNs on lines ${lines.join(', ')}` : `the RUN on line ${lines[0]}`;
  // pip RUNs under this ENV without a cache mount would keep pip's cache in their layer once it goes.
  const bare = unmounted.filter((u) => u.envs.includes(env)).map((u) => u.run.range.start.line + 1);
  // pip run by a script under this ENV: dockopt cannot give it a mount, and without the ENV its cache would stay in that layer.
  const unseen = hidden.find((h) => h.envs.includes(env));
  context.report({
    range: model.rangeOf(model.offsetAt(range.start), model.offsetAt(range.end)),
    messageId: unseen ? 'envSwitchesCacheOffAlsoHidden' : bare.length > 0 ? 'envSwitchesCacheOffAlsoUnmounted' : 'envSwitchesCacheOff',
    data: {
      property: written,
      targets,
      runs: where,
      unmountedLines: `line${bare.length > 1 ? 's' : ''} ${bare.join(', ')}`,
      them: bare.length > 1 ? 'them' : 'it',
      ...(unseen && { command: unseen.command, line: unseen.run.range.start.line + 1 }),
    },
    fixes: (): Fix[] => {
      const edits = removeEnvPropertiesEdits(model, env, new Set([VARIABLE]));
      return edits ? [{ title: `Remove ${VARIABLE} from this ENV`, isPreferred: !unseen, changes: [{ kind: 'edit', path, edits }] }] : [];
    },
  });
}

/** Shells, when given a script file or `-c`: what they run is not in the Dockerfile's words. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);
/** Commands that run another command dockopt does not read as one (a user switch, a build tool). */
const RUNNERS = new Set(['su', 'runuser', 'chroot', 'setpriv', 'gosu', 'su-exec', 'make', 'eval', 'xargs', 'source', '.', 'tox', 'nox']);

/**
 * A command that may run pip where dockopt cannot see it: a script (`./install.sh`,
 * `sh /tmp/setup.sh`, `bash -c "$CMD"`), another user's shell (`su app -c "pip install …"`), a
 * build tool, a Python script. An ENV that switches pip's cache off also reaches those.
 */
function mayRunPipUnseen(command: SimpleCommand): boolean {
  const words = command.words.slice(commandStart(command).index);
  const name = words[0]?.value;
  if (name === undefined) return false;
  const base = name.slice(name.lastIndexOf('/') + 1);
  // A script by its path (`./install.sh`, `/opt/setup`); a system binary (`/usr/bin/apt-get`) by its name.
  if ((name.includes('/') && !/^\/(?:usr\/)?(?:local\/)?s?bin\//.test(name)) || /\.(sh|bash|py)$/.test(name)) return true;
  if (SHELLS.has(base)) return words.length > 1;
  if (RUNNERS.has(base)) return true;
  // `python script.py` or `python -c …`; `python -m pip` is pip, read as such.
  return /^python[\d.]*$/.test(base) && words.length > 1 && (words[1].value === '-c' || /\.py$/.test(words[1].value));
}

function commandText(command: SimpleCommand): string {
  const text = command.words.map((w) => w.value).join(' ');
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
