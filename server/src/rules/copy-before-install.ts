/**
 * copy-before-install: `COPY . .` (the whole build context) before a dependency install in
 * the same stage puts every source file into the install's cache key, so any code change
 * re-runs the install. The fix copies only the manifests the install reads in place of the
 * broad COPY and moves the broad COPY, with the comment lines right above it, to just after the
 * install.
 *
 * The move is offered only when it is safe: the install must not need the source itself
 * (`pip install .`, `npm ci && npm run build`), and nothing between the two may read what
 * the broad COPY brings. Otherwise the finding explains why and carries no fix. What the
 * manifests name besides themselves (workspace members, local path dependencies) is read from
 * the build context: when they name more, there is no fix; when the engine cannot read them,
 * or an install script may read more, the fix is offered but not applied automatically.
 */
import type { DockerfileModel, InstructionInfo, Stage } from '../dockerfile/model';
import { parseRunScript, type SimpleCommand } from '../dockerfile/shell';
import { commandLabel, roleOf, type CommandRole } from '../dockerfile/command-roles';
import { overlaps, pathWithin, resolveIn, workdirsOf } from '../dockerfile/container-paths';
import { expandEnv } from '../dockerfile/variables';
import { readBroadCopy, readCopy, type CopyInstruction } from '../dockerfile/copy-instructions';
import { createRule, type RuleContext } from './create-rule';
import { PYTHON_PROJECT_ADVICE } from '../dockerfile/dependency-installs';
import type { Ecosystem, SourceNeed } from '../dockerfile/install-reading';
import { contextFilesOf, manifestCopyLines, planManifests, type ContextFiles, type ManifestToCopy, type PlacedInstall } from '../project/manifest-copies';
import type { Fix, TextEdit } from './types';

const ID = 'copy-before-install' as const;

// What every message starts with: the broad COPY, then the install(s) it comes before.
const FIXABLE = '{{copy}} before {{installs}}: every code change re-runs the {{installWord}}. ';
const STUCK = '{{copy}} before `{{install}}` (line {{line}}): every code change re-runs the install, and dockopt cannot move the COPY for you: ';
const BLOCKED =
  '{{copy}} before `{{install}}` (line {{line}}): every code change re-runs the install. Copy {{manifests}} first and the rest after it. ' +
  'No automatic fix: `{{instruction}}` (line {{instructionLine}}) ';
const UNSURE = ' But {{unsure}}: the fix is not applied automatically.';

export const rule = createRule({
  meta: {
    id: ID,
    defaultSeverity: 'warning',
    docs: {
      title: 'Install dependencies before copying the sources',
      description: 'A COPY of the whole build context comes before a dependency install, so every code change re-runs the install.',
    },
    // {{installs}} is the list of installs with their lines; {{installWord}}, {{it}} and {{itReads}}
    // agree in number with it. {{unsure}}, {{problem}}, {{reason}} and {{advice}} are clauses the
    // modules that read manifests and installs write (manifest-copies.ts, dependency-installs.ts):
    // they know why a manifest or an install needs more than its own files, and say it in a
    // clause per case, too many for a message each here.
    messages: {
      // The split is offered: the manifests to copy first, or none (a bind mount or an earlier COPY has them).
      copyManifestsFirst: `${FIXABLE}Copy {{manifests}} first and the rest after {{it}}.`,
      copyManifestsFirstUnsure: `${FIXABLE}Copy {{manifests}} first and the rest after {{it}}.${UNSURE}`,
      moveAfterInstall: `${FIXABLE}Move it after the {{installWord}}: what {{itReads}} is already in place.`,
      moveAfterInstallUnsure: `${FIXABLE}Move it after the {{installWord}}: what {{itReads}} is already in place.${UNSURE}`,
      // No fix: the install itself keeps the COPY where it is.
      installNeedsSource: `${STUCK}{{reason}}. {{advice}}.`,
      installsProjectFromSource: `${STUCK}\`{{label}}\` installs the project from the source (\`{{path}}\`). {{advice}}.`,
      installRunAlsoReads:
        `${STUCK}the same RUN {{when}} runs \`{{command}}\`, which may need the source. ` +
        'Split it: install in one RUN before {{copy}}, and run the rest in another after it.',
      installInputUnknown: `${STUCK}with {{option}}, \`{{label}}\` reads manifests dockopt cannot list.`,
      installManifestsProblem: `${STUCK}{{problem}}.`,
      // No fix: an instruction between the COPY and the install. {{manifests}} is the list to copy, or "its dependency files".
      runBetween: `${BLOCKED}runs between them and may need the source.`,
      copyBetween: `${BLOCKED}copies between them.`,
      copyOverlaps: `${BLOCKED}writes where {{copy}} copies to.`,
      workdirBetween: `${BLOCKED}changes the folder {{copy}} copies into.`,
      variableBetween: `${BLOCKED}may change a variable {{copy}} uses.`,
      instructionBetween: `${BLOCKED}runs between them.`,
    },
    fixable: true,
    scope: 'build',
  },
  create(context) {
    const checker = new StageChecker(context);
    const visit = (info: InstructionInfo) => {
      const stage = info.stage;
      const copy = stage && readBroadCopy(context.model, info);
      // A stage's instructions are the file's from its FROM on, so this is the COPY's place in the stage.
      if (copy) checker.check(stage, copy, info.index - stage.fromInfo.index);
    };
    return { COPY: visit, ADD: visit };
  },
});

type Context = RuleContext<keyof typeof rule.messages>;

/** Why COPY . . cannot move before an install, from the install itself: each its own message. */
type InstallProblem =
  /** dependency-installs.ts says why (`poetry install` without `--no-root`) and how to split it. */
  | { kind: 'needsSource'; need: SourceNeed }
  | { kind: 'projectFromSource'; label: string; path: string }
  | { kind: 'runAlsoReads'; when: 'then' | 'first'; command: string }
  | { kind: 'inputUnknown'; option: string; label: string }
  /** manifest-copies.ts says what the manifests need besides themselves. */
  | { kind: 'manifests'; problem: string };

/** Why COPY . . cannot move down past an instruction that is not an install. */
interface PassObstacle {
  messageId: 'runBetween' | 'copyBetween' | 'copyOverlaps' | 'workdirBetween' | 'variableBetween' | 'instructionBetween';
  info: InstructionInfo;
}

interface CountedInstall extends PlacedInstall {
  /** Why this install needs the source COPY . . brings, when it does. */
  needs?: InstallProblem;
}

interface RunUse {
  /** The dependency installs of the RUN (those the finding is about). */
  installs: CountedInstall[];
  /** Its other commands that may read the source, in order, and whether each comes after an install. */
  readers: Array<{ command: SimpleCommand; afterInstall: boolean }>;
}

/** Instructions COPY . . may move past: they neither read files nor change where COPY writes. */
const NEUTRAL = new Set(['USER', 'LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'STOPSIGNAL', 'MAINTAINER', 'VOLUME', 'SHELL', 'ONBUILD']);

class StageChecker {
  private readonly model: DockerfileModel;
  private readonly workdirMemo = new Map<Stage, Map<InstructionInfo, string>>();
  private readonly roleMemo = new Map<InstructionInfo, Array<{ command: SimpleCommand; role: CommandRole }>>();
  private filesMemo?: ContextFiles;

  constructor(private readonly context: Context) {
    this.model = context.model;
  }

  /** Reports the broad COPY at `index` of `stage` when a dependency install of the stage follows it. */
  check(stage: Stage, copy: CopyInstruction, index: number): void {
    const workdirs = workdirsOf(stage, this.workdirMemo);
    const destDir = resolveIn(workdirs.get(copy.info)!, expandEnv(copy.dest, copy.info.env));
    const prior = this.priorEcosystems(stage, index);
    const after = stage.instructions.slice(index + 1);
    const uses = new Map<InstructionInfo, RunUse>();
    const stageCopies = after
      .map((info) => readCopy(this.model, info))
      .filter((c): c is CopyInstruction => c?.fromOther === true)
      .map((c) => ({ copy: c, dest: resolveIn(workdirs.get(c.info)!, expandEnv(c.dest, c.info.env)) }));
    const useOf = (info: InstructionInfo) => {
      let use = uses.get(info);
      if (!use) {
        // Files another stage's COPY --from put in place after COPY . . are not the source.
        const fromStage = (path: string, cwd: string | undefined) =>
          stageCopies.some((s) => s.copy.info.startOffset < info.startOffset && placedBy(s.copy, s.dest, path, cwd, info.env, destDir));
        uses.set(info, (use = this.runUse(info, workdirs.get(info)!, destDir, prior, fromStage)));
      }
      return use;
    };
    const first = after.find((info) => info.keyword === 'RUN' && useOf(info).installs.length > 0);
    if (!first) return;

    const earlier = stage.instructions
      .slice(0, index)
      .map((info) => ({ copy: readCopy(this.model, info), workdir: workdirs.get(info)! }))
      .filter((e): e is { copy: CopyInstruction; workdir: string } => e.copy !== undefined);
    const label = copyLabel(copy);
    const movable: CountedInstall[] = [];
    let lastRun: InstructionInfo | undefined;
    let installProblem: InstallProblem | undefined;
    let passObstacle: PassObstacle | undefined;
    for (const info of after) {
      const use = info.keyword === 'RUN' ? useOf(info) : undefined;
      if (use && use.installs.length > 0) {
        installProblem = this.installObstacle(use, destDir, earlier);
        if (installProblem) break;
        movable.push(...use.installs);
        lastRun = info;
        continue;
      }
      passObstacle = this.passObstacle(info, use, copy, destDir, workdirs);
      if (passObstacle) break;
    }

    const range = copy.info.range;
    if (movable.length > 0 && lastRun) {
      const plan = planManifests(movable, destDir, this.files(), earlier);
      if ('manifests' in plan) {
        this.reportFixable(copy, label, movable, lastRun, plan.manifests, plan.unsure);
        return;
      }
      installProblem = { kind: 'manifests', problem: plan.problem };
      passObstacle = undefined;
    }
    const firstInstall = useOf(first).installs[0];
    const mention = { copy: label, install: firstInstall.install.label, line: this.lineOf(firstInstall.install.start) };
    // An install that needs the source is the news, whatever stands between it and the COPY.
    const problem = firstInstall.needs ?? installProblem;
    if (problem) {
      const { messageId, data } = installProblemReport(problem);
      this.context.report({ range, messageId, data: { ...mention, ...data } });
      return;
    }
    // With nothing movable, the walk stopped at the first install or at an instruction before it.
    if (!passObstacle) return;
    const plan = planManifests([firstInstall], destDir, this.files(), earlier);
    const manifests = 'manifests' in plan && plan.manifests.length > 0 ? listOf(plan.manifests.map((m) => m.source)) : 'its dependency files';
    const { messageId, info } = passObstacle;
    this.context.report({
      range,
      messageId,
      data: { ...mention, manifests, instruction: instructionLabel(this.model, info), instructionLine: info.range.start.line + 1 },
    });
  }

  private reportFixable(
    copy: CopyInstruction,
    label: string,
    installs: CountedInstall[],
    lastRun: InstructionInfo,
    manifests: ManifestToCopy[],
    unsure: { reason: string; assumption: string } | undefined,
  ): void {
    const plural = installs.length > 1;
    const copyFirst = manifests.length > 0;
    this.context.report({
      range: copy.info.range,
      messageId: copyFirst ? (unsure ? 'copyManifestsFirstUnsure' : 'copyManifestsFirst') : unsure ? 'moveAfterInstallUnsure' : 'moveAfterInstall',
      data: {
        copy: label,
        installs: listOf(installs.map((i) => `\`${i.install.label}\` (line ${this.lineOf(i.install.start)})`)),
        installWord: plural ? 'installs' : 'install',
        it: plural ? 'them' : 'it',
        itReads: plural ? 'they read' : 'it reads',
        ...(copyFirst && { manifests: listOf(manifests.map((m) => m.source)) }),
        ...(unsure && { unsure: unsure.reason }),
      },
      fixes: () => [this.fix(copy, lastRun, manifests, label, unsure?.assumption)],
    });
  }

  /** Ecosystems whose dependencies were already installed from their manifests before the COPY (here or in a parent stage). */
  private priorEcosystems(stage: Stage, index: number): Set<Ecosystem> {
    const found = new Set<Ecosystem>();
    const seen = new Set<Stage>();
    let instructions = stage.instructions.slice(0, index);
    for (let s: Stage | undefined = stage; s && !seen.has(s); s = s.parent) {
      seen.add(s);
      if (s !== stage) instructions = s.instructions;
      for (const info of instructions) {
        if (info.keyword !== 'RUN') continue;
        for (const { role } of this.rolesOf(info)) {
          if (role.role === 'install' && role.install.manifests.required.length > 0 && !role.install.needsSource) {
            found.add(role.install.ecosystem);
          }
        }
      }
    }
    return found;
  }

  private rolesOf(info: InstructionInfo) {
    let roles = this.roleMemo.get(info);
    if (!roles) {
      roles = parseRunScript(this.model, info.ast).commands.map((command) => ({ command, role: roleOf(command) }));
      this.roleMemo.set(info, roles);
    }
    return roles;
  }

  /** What a RUN does with the files COPY . . brings into `destDir`. */
  private runUse(
    info: InstructionInfo,
    workdir: string,
    destDir: string,
    prior: ReadonlySet<Ecosystem>,
    fromStage: (path: string, cwd: string | undefined) => boolean,
  ): RunUse {
    const use: RunUse = { installs: [], readers: [] };
    // `# dockopt ignore=copy-before-install` above an install RUN (not the COPY, where the engine
    // looks) says this install is fine where it is: it then only reads the source, like any command.
    const suppressed = info.ignored.has(ID);
    let cwd: string | undefined = workdir;
    for (const { command, role } of this.rolesOf(info)) {
      const afterInstall = use.installs.length > 0;
      if (role.role === 'cd') {
        const to = role.to === undefined ? undefined : expandEnv(role.to, info.env);
        cwd = cwd === undefined || to === undefined || to.includes('$') ? undefined : resolveIn(cwd, to);
      } else if (role.role === 'may-read-source') {
        use.readers.push({ command, afterInstall });
      } else if (role.role === 'paths') {
        if (role.paths.some((p) => touches(p, cwd, destDir, info.env))) use.readers.push({ command, afterInstall });
      } else if (role.role === 'install') {
        const { install } = role;
        const localInDest = install.localPaths.find((p) => touches(p, cwd, destDir, info.env) && !fromStage(p, cwd));
        const needs: InstallProblem | undefined = install.needsSource
          ? { kind: 'needsSource', need: install.needsSource }
          : localInDest !== undefined
            ? { kind: 'projectFromSource', label: install.label, path: localInDest }
            : undefined;
        const readsFiles = needs !== undefined || install.manifests.required.some((p) => !fromStage(p, cwd));
        if (!readsFiles) continue; // e.g. wheels built in another stage: nothing COPY . . brings
        if (suppressed || (needs && prior.has(install.ecosystem))) {
          // Installing the project after its dependencies is the right order: it just reads the source.
          use.readers.push({ command, afterInstall });
          continue;
        }
        const ignoresScripts = command.words.some((w) => w.value === '--ignore-scripts');
        use.installs.push({ install, run: info, workdir, cwd, needs, ignoresScripts });
      }
    }
    return use;
  }

  /** Why an install RUN cannot run before COPY . ., or undefined when it can. */
  private installObstacle(use: RunUse, destDir: string, earlier: readonly { copy: CopyInstruction; workdir: string }[]): InstallProblem | undefined {
    const needing = use.installs.find((i) => i.needs);
    if (needing?.needs) return needing.needs;
    const reader = use.readers[0];
    if (reader) return { kind: 'runAlsoReads', when: reader.afterInstall ? 'then' : 'first', command: commandLabel(reader.command) };
    const unknown = use.installs.find((i) => i.install.unknownInput)?.install;
    if (unknown?.unknownInput) return { kind: 'inputUnknown', option: unknown.unknownInput, label: unknown.label };
    const plan = planManifests(use.installs, destDir, this.files(), earlier);
    return 'problem' in plan ? { kind: 'manifests', problem: plan.problem } : undefined;
  }

  /** Why COPY . . cannot move past an instruction that is not an install, or undefined. */
  private passObstacle(
    info: InstructionInfo,
    use: RunUse | undefined,
    copy: CopyInstruction,
    destDir: string,
    workdirs: Map<InstructionInfo, string>,
  ): PassObstacle | undefined {
    const copyText = this.model.text.slice(copy.info.startOffset, copy.info.endOffset);
    switch (info.keyword) {
      case 'RUN':
        return use && use.readers.length > 0 ? { messageId: 'runBetween', info } : undefined;
      case 'COPY':
      case 'ADD': {
        const other = readCopy(this.model, info);
        if (!other) return { messageId: 'copyBetween', info };
        const dest = resolveIn(workdirs.get(info)!, expandEnv(other.dest, info.env));
        return overlaps(dest, destDir) ? { messageId: 'copyOverlaps', info } : undefined;
      }
      case 'WORKDIR': {
        const relative = !expandEnv(copy.dest, copy.info.env).startsWith('/');
        const moved = workdirs.get(info) !== workdirs.get(copy.info);
        return relative && moved ? { messageId: 'workdirBetween', info } : undefined;
      }
      case 'ENV':
      case 'ARG':
        return copyText.includes('$') ? { messageId: 'variableBetween', info } : undefined;
      default:
        return NEUTRAL.has(info.keyword) ? undefined : { messageId: 'instructionBetween', info };
    }
  }

  /** The split; `assumption` (what it takes for granted) makes it a fix the user picks by hand. */
  private fix(copy: CopyInstruction, lastRun: InstructionInfo, manifests: ManifestToCopy[], label: string, assumption?: string): Fix {
    const { text, eol } = this.model;
    const { startOffset, endOffset } = copy.info;
    const lineStart = text.lastIndexOf('\n', startOffset - 1) + 1;
    const leading = text.slice(lineStart, startOffset);
    const indent = /^[ \t]*$/.test(leading) ? leading : '';
    const lines = manifestCopyLines(copy, manifests, this.model.escapeChar);
    // The comments written for the broad COPY go with it; the manifest COPY takes its place bare.
    const blockStart = attachedCommentsStart(text, lineStart, this.floorOf(copy.info));
    const edits: TextEdit[] = [];
    if (lines.length > 0) {
      edits.push({ start: blockStart, end: endOffset, newText: leading + lines.join(eol + indent) });
    } else {
      const newline = text.indexOf('\n', endOffset);
      edits.push({ start: blockStart, end: newline < 0 ? text.length : newline + 1, newText: '' });
    }
    const at = lineEnd(text, lastRun.endOffset);
    edits.push({ start: at, end: at, newText: eol + text.slice(blockStart, endOffset) });
    const title =
      (manifests.length > 0
        ? `Copy ${listOf(manifests.map((m) => m.source))} first, ${label} after the install`
        : `Move ${label} after the install`) + (assumption ? ` (assumes ${assumption})` : '');
    return { title, isPreferred: assumption === undefined, changes: [{ kind: 'edit', path: this.context.path, edits }] };
  }

  /**
   * Where the lines that may belong to `info` start: the line after the instruction before it
   * (a heredoc body or continuation of that one is not a comment on this one). Without one, its
   * own line: what is above the first instruction (parser directives, a file header) stays.
   */
  private floorOf(info: InstructionInfo): number {
    const previous = info.index > 0 ? this.model.instructions[info.index - 1] : undefined;
    if (!previous) return this.model.text.lastIndexOf('\n', info.startOffset - 1) + 1;
    const newline = this.model.text.indexOf('\n', previous.endOffset);
    return newline < 0 ? this.model.text.length : newline + 1;
  }

  private files(): ContextFiles {
    return (this.filesMemo ??= contextFilesOf(this.context.buildContext));
  }

  private lineOf(offset: number): number {
    return this.model.positionAt(offset).line + 1;
  }
}

/**
 * Whether `COPY --from=… <sources> <dest>` put `path` (as an install names it, from `cwd`) in
 * place: the path is the destination or lies in it, and (unless a source is a whole folder) its
 * file name is a source's file name (`COPY --from=build /app/dist/*.whl .` places `*.whl`).
 */
function placedBy(copy: CopyInstruction, dest: string, path: string, cwd: string | undefined, env: ReadonlyMap<string, string>, sourceDir: string): boolean {
  const expanded = expandEnv(path, env).replace(/\/+$/, '');
  if (expanded.includes('$') || (!expanded.startsWith('/') && cwd === undefined)) return false;
  const resolved = resolveIn(cwd ?? '/', expanded);
  const slash = resolved.lastIndexOf('/');
  const dir = slash <= 0 ? '/' : resolved.slice(0, slash);
  const name = resolved.slice(slash + 1);
  // A folder of its own (`COPY --from=build /wheels/ /wheels/`), not the one COPY . . fills.
  const ownFolder = copy.sources.some((s) => s.endsWith('/')) && pathWithin(dest, sourceDir) === undefined;
  if (ownFolder && pathWithin(dest, resolved) !== undefined) return true;
  // Files named as the COPY names them, into a folder (`COPY --from=build /app/dist/*.whl .`).
  const intoFolder = copy.dest.endsWith('/') || copy.dest === '.' || copy.sources.length > 1;
  return intoFolder && dir === dest && copy.sources.some((source) => !source.endsWith('/') && source.slice(source.lastIndexOf('/') + 1) === name);
}

/** Whether a path a command names is, holds or lies in what COPY . . brings (unknown: yes). */
function touches(path: string, cwd: string | undefined, destDir: string, env: ReadonlyMap<string, string>): boolean {
  const expanded = expandEnv(path, env);
  if (expanded.includes('$') || expanded.startsWith('~')) return true;
  if (!expanded.startsWith('/') && cwd === undefined) return true;
  return overlaps(resolveIn(cwd ?? '/', expanded), destDir);
}

/** The message for an install that keeps COPY . . where it is, and its own placeholders. */
function installProblemReport(problem: InstallProblem): { messageId: keyof typeof rule.messages; data: Record<string, string> } {
  switch (problem.kind) {
    case 'needsSource':
      return { messageId: 'installNeedsSource', data: { reason: problem.need.reason, advice: problem.need.advice } };
    case 'projectFromSource':
      return { messageId: 'installsProjectFromSource', data: { label: problem.label, path: problem.path, advice: PYTHON_PROJECT_ADVICE } };
    case 'runAlsoReads':
      return { messageId: 'installRunAlsoReads', data: { when: problem.when, command: problem.command } };
    case 'inputUnknown':
      return { messageId: 'installInputUnknown', data: { option: problem.option, label: problem.label } };
    case 'manifests':
      return { messageId: 'installManifestsProblem', data: { problem: problem.problem } };
  }
}

function copyLabel(copy: CopyInstruction): string {
  return `${copy.info.keyword} ${[...copy.sources, copy.dest].join(' ')}`;
}

function instructionLabel(model: DockerfileModel, info: InstructionInfo): string {
  const firstLine = model.text.slice(info.startOffset, info.endOffset).split(/\r?\n/)[0];
  const text = firstLine.replace(new RegExp(`\\s*${escapeRegExp(model.escapeChar)}\\s*$`), '').replace(/\s+/g, ' ').trim();
  return text.length > 50 ? `${text.slice(0, 47)}…` : text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const GLOBAL_IGNORE = /^#\s*dockopt\s+global\s+ignore\s*=/i;

/**
 * Where the comment lines right above the line starting at `lineStart` start: the `#` lines with
 * no blank line between them and it, from `floor` on. They describe the instruction (`# Copy
 * everything, then install`) or suppress a rule on it (`# dockopt ignore=…` applies to the line
 * right below it), so they move with it: one left behind would describe, or suppress a rule on,
 * whatever comes next. A file-wide `# dockopt global ignore=` belongs to no instruction: it stays,
 * and so does everything above it.
 */
function attachedCommentsStart(text: string, lineStart: number, floor: number): number {
  let start = lineStart;
  while (start > floor) {
    const above = text.lastIndexOf('\n', start - 2) + 1;
    if (above < floor || above >= start) break;
    const line = text.slice(above, start - 1).trim();
    if (!line.startsWith('#') || GLOBAL_IGNORE.test(line)) break;
    start = above;
  }
  return start;
}

/** The offset where the line holding `offset` ends (before its `\r\n` or `\n`). */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline < 0) return text.length;
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}
