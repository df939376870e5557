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
import { commandLabel } from '../dockerfile/command-roles';
import { overlaps, resolveIn, workdirsOf } from '../dockerfile/container-paths';
import { expandEnv } from '../dockerfile/variables';
import { readBroadCopy, readCopy, type CopyInstruction } from '../dockerfile/copy-instructions';
import { commentedStart, copyLabel, instructionLabel, lineEnd } from '../dockerfile/instruction-text';
import { placedBy } from '../dockerfile/named-paths';
import { createRule, type RuleContext } from './create-rule';
import { PYTHON_PROJECT_ADVICE } from '../dockerfile/dependency-installs';
import type { Ecosystem } from '../dockerfile/install-reading';
import { contextFilesOf, manifestCopyLines, planManifests, type ContextFiles, type ManifestToCopy } from '../project/manifest-copies';
import { ecosystemsInstalledBefore, ecosystemsInstalledBy, readRunUse, runRolesOf, type InstallSourceNeed, type RunInstall, type RunRoles, type RunUse } from '../project/source-use';
import type { Fix, TextEdit } from './types';
import { listOf } from '../format-list';

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
  /** The install needs the source itself (source-use.ts says why). */
  | InstallSourceNeed
  | { kind: 'runAlsoReads'; when: 'then' | 'first'; command: string }
  | { kind: 'inputUnknown'; option: string; label: string }
  /** manifest-copies.ts says what the manifests need besides themselves. */
  | { kind: 'manifests'; problem: string };

/** Why COPY . . cannot move down past an instruction that is not an install. */
interface PassObstacle {
  messageId: 'runBetween' | 'copyBetween' | 'copyOverlaps' | 'workdirBetween' | 'variableBetween' | 'instructionBetween';
  info: InstructionInfo;
}

/** Instructions COPY . . may move past: they neither read files nor change where COPY writes. */
const NEUTRAL = new Set(['USER', 'LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'STOPSIGNAL', 'MAINTAINER', 'VOLUME', 'SHELL', 'ONBUILD']);

interface StageFacts {
  copies: Array<{ copy: CopyInstruction; workdir: string }>;
  installRuns: InstructionInfo[];
}

class StageChecker {
  private readonly model: DockerfileModel;
  private readonly workdirMemo = new Map<Stage, Map<InstructionInfo, string>>();
  private readonly rolesOf: RunRoles;
  private filesMemo?: ContextFiles;

  constructor(private readonly context: Context) {
    this.model = context.model;
    this.rolesOf = runRolesOf(this.model);
  }

  private readonly factsMemo = new Map<Stage, StageFacts>();
  private readonly parentEcosystems = new Map<Stage, Set<Ecosystem>>();

  /** Ecosystems installed from their manifests before an instruction: the parent stages' (once), then this stage's install RUNs before it. */
  private ecosystemsBefore(stage: Stage, facts: StageFacts, index: number): Set<Ecosystem> {
    let inherited = this.parentEcosystems.get(stage);
    if (!inherited) this.parentEcosystems.set(stage, (inherited = ecosystemsInstalledBefore(stage, 0, this.rolesOf)));
    const found = new Set(inherited);
    for (const info of facts.installRuns) {
      if (info.index >= index) break;
      for (const ecosystem of ecosystemsInstalledBy(info, this.rolesOf)) found.add(ecosystem);
    }
    return found;
  }

  /** The stage's COPY/ADD instructions (with their WORKDIR) and the RUNs with an install in them. */
  private factsOf(stage: Stage): StageFacts {
    let facts = this.factsMemo.get(stage);
    if (!facts) {
      const workdirs = workdirsOf(stage, this.workdirMemo);
      facts = { copies: [], installRuns: [] };
      for (const info of stage.instructions) {
        const copy = readCopy(this.model, info);
        if (copy) facts.copies.push({ copy, workdir: workdirs.get(info)! });
        if (info.keyword === 'RUN' && this.rolesOf(info).some(({ role }) => role.role === 'install')) facts.installRuns.push(info);
      }
      this.factsMemo.set(stage, facts);
    }
    return facts;
  }

  /** Reports the broad COPY at `index` of `stage` when a dependency install of the stage follows it. */
  check(stage: Stage, copy: CopyInstruction, index: number): void {
    // Read once per stage: a stage with many broad COPYs must not re-read it for each (n²).
    const facts = this.factsOf(stage);
    const installRuns = facts.installRuns.filter((info) => info.index > copy.info.index);
    if (installRuns.length === 0) return; // no install follows: nothing to report
    const workdirs = workdirsOf(stage, this.workdirMemo);
    const destDir = resolveIn(workdirs.get(copy.info)!, expandEnv(copy.dest, copy.info.env));
    const prior = this.ecosystemsBefore(stage, facts, copy.info.index);
    const uses = new Map<InstructionInfo, RunUse>();
    const stageCopies = facts.copies
      .filter(({ copy: c }) => c.fromOther && c.info.index > copy.info.index)
      .map(({ copy: c, workdir }) => ({ copy: c, dest: resolveIn(workdir, expandEnv(c.dest, c.info.env)) }));
    const useOf = (info: InstructionInfo) => {
      let use = uses.get(info);
      if (!use) {
        // Files another stage's COPY --from put in place after COPY . . are not the source.
        const fromStage = (path: string, cwd: string | undefined) =>
          stageCopies.some((s) => s.copy.info.startOffset < info.startOffset && placedBy(s.copy, s.dest, path, cwd, info.env, destDir));
        // `# dockopt ignore=copy-before-install` above an install RUN (not the COPY, where the engine
        // looks) says this install is fine where it is: it then only reads the source, like any command.
        const installsOnlyRead = info.ignored.has(ID);
        uses.set(info, (use = readRunUse(info, this.rolesOf, { workdir: workdirs.get(info)!, destDir, prior, fromStage, installsOnlyRead })));
      }
      return use;
    };
    const first = installRuns.find((info) => useOf(info).installs.length > 0);
    if (!first) return;

    const earlier = facts.copies.filter((e) => e.copy.info.index < copy.info.index);
    const label = copyLabel(copy);
    const movable: RunInstall[] = [];
    let lastRun: InstructionInfo | undefined;
    let installProblem: InstallProblem | undefined;
    let passObstacle: PassObstacle | undefined;
    // By index: reading one instruction is free, a slice per broad COPY would cost the stage each time.
    for (let k = index + 1; k < stage.instructions.length; k++) {
      const info = stage.instructions[k];
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
    installs: RunInstall[],
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
    const blockStart = commentedStart(this.model, copy.info);
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

  private files(): ContextFiles {
    return (this.filesMemo ??= contextFilesOf(this.context.buildContext));
  }

  private lineOf(offset: number): number {
    return this.model.positionAt(offset).line + 1;
  }
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
