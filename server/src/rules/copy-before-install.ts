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
import { commandLabel, roleOf, type CommandRole } from './command-roles';
import { expandEnv, overlaps, resolveIn, workdirsOf } from './container-paths';
import { readBroadCopy, readCopy, type CopyInstruction } from './copy-instructions';
import { PYTHON_PROJECT_ADVICE, type Ecosystem, type SourceNeed } from './dependency-installs';
import { contextFilesOf, manifestCopyLines, planManifests, type ContextFiles, type ManifestToCopy, type PlacedInstall } from './manifest-copies';
import type { DockerfileCheckContext, Finding, Fix, Rule, TextEdit } from './types';

const ID = 'copy-before-install' as const;

export const rule: Rule = {
  meta: {
    id: ID,
    defaultSeverity: 'warning',
    description: 'A COPY of the whole build context comes before a dependency install, so every code change re-runs the install.',
    fixable: true,
    perBuild: true,
  },
  checkDockerfile: (ctx) => checkDockerfile(ctx),
};

interface CountedInstall extends PlacedInstall {
  /** Why this install needs the source COPY . . brings, when it does. */
  needs?: SourceNeed;
}

interface RunUse {
  /** The dependency installs of the RUN (those the finding is about). */
  installs: CountedInstall[];
  /** Its other commands that may read the source, in order, and whether each comes after an install. */
  readers: Array<{ command: SimpleCommand; afterInstall: boolean }>;
}

/** Why COPY . . cannot move down past an instruction. */
interface Obstacle { reason: string; advice?: string }

/** Instructions COPY . . may move past: they neither read files nor change where COPY writes. */
const NEUTRAL = new Set(['USER', 'LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'STOPSIGNAL', 'MAINTAINER', 'VOLUME', 'SHELL', 'ONBUILD']);

function checkDockerfile(ctx: DockerfileCheckContext): Finding[] {
  const { model } = ctx;
  if (model.globallyIgnored.has(ID)) return [];
  const checker = new StageChecker(ctx);
  const findings: Finding[] = [];
  for (const stage of model.stages) {
    stage.instructions.forEach((info, index) => {
      if (model.isSuppressed(ID, info)) return;
      const copy = readBroadCopy(model, info);
      const finding = copy && checker.check(stage, copy, index);
      if (finding) findings.push(finding);
    });
  }
  return findings;
}

class StageChecker {
  private readonly model: DockerfileModel;
  private readonly workdirMemo = new Map<Stage, Map<InstructionInfo, string>>();
  private readonly roleMemo = new Map<InstructionInfo, Array<{ command: SimpleCommand; role: CommandRole }>>();
  private filesMemo?: ContextFiles;

  constructor(private readonly ctx: DockerfileCheckContext) {
    this.model = ctx.model;
  }

  check(stage: Stage, copy: CopyInstruction, index: number): Finding | undefined {
    const workdirs = workdirsOf(stage, this.workdirMemo);
    const destDir = resolveIn(workdirs.get(copy.info)!, expandEnv(copy.dest, copy.info.env));
    const prior = this.priorEcosystems(stage, index);
    const after = stage.instructions.slice(index + 1);
    const uses = new Map<InstructionInfo, RunUse>();
    const useOf = (info: InstructionInfo) => {
      let use = uses.get(info);
      if (!use) uses.set(info, (use = this.runUse(info, workdirs.get(info)!, destDir, prior)));
      return use;
    };
    const first = after.find((info) => info.keyword === 'RUN' && useOf(info).installs.length > 0);
    if (!first) return undefined;

    const earlier = stage.instructions
      .slice(0, index)
      .map((info) => ({ copy: readCopy(this.model, info), workdir: workdirs.get(info)! }))
      .filter((e): e is { copy: CopyInstruction; workdir: string } => e.copy !== undefined);
    const label = copyLabel(copy);
    const movable: CountedInstall[] = [];
    let lastRun: InstructionInfo | undefined;
    let obstacle: Obstacle | undefined;
    let obstacleIsInstall = false;
    for (const info of after) {
      const use = info.keyword === 'RUN' ? useOf(info) : undefined;
      if (use && use.installs.length > 0) {
        obstacle = this.installObstacle(use, label, destDir, earlier);
        obstacleIsInstall = true;
        if (obstacle) break;
        movable.push(...use.installs);
        lastRun = info;
        continue;
      }
      obstacle = this.passObstacle(info, use, copy, label, destDir, workdirs);
      obstacleIsInstall = false;
      if (obstacle) break;
    }

    const range = copy.info.range;
    if (movable.length > 0 && lastRun) {
      const plan = planManifests(movable, destDir, this.files(), earlier);
      if ('manifests' in plan) {
        const { unsure } = plan;
        return {
          ruleId: ID,
          path: this.ctx.path,
          range,
          message:
            fixableMessage(label, movable, plan.manifests, this.model) +
            (unsure ? ` But ${unsure.reason}: the fix is not applied automatically.` : ''),
          fixes: [this.fix(copy, lastRun, plan.manifests, label, unsure?.assumption)],
        };
      }
      obstacle = { reason: plan.problem };
      obstacleIsInstall = true;
    }
    const firstInstall = useOf(first).installs[0];
    const mention = `\`${firstInstall.install.label}\` (line ${this.lineOf(firstInstall.install.start)})`;
    // An install that needs the source is the news, whatever stands between it and the COPY.
    const installProblem = firstInstall.needs ?? (obstacleIsInstall ? obstacle : undefined);
    if (installProblem || !obstacle) {
      const why = installProblem ?? { reason: 'dockopt cannot tell what it reads' };
      return {
        ruleId: ID,
        path: this.ctx.path,
        range,
        message:
          `${label} before ${mention}: every code change re-runs the install, and dockopt cannot move the COPY for you: ` +
          `${why.reason}.${why.advice ? ` ${why.advice}.` : ''}`,
        fixes: [],
      };
    }
    const plan = planManifests([firstInstall], destDir, this.files(), earlier);
    const names = 'manifests' in plan && plan.manifests.length > 0 ? listOf(plan.manifests.map((m) => m.source)) : 'its dependency files';
    return {
      ruleId: ID,
      path: this.ctx.path,
      range,
      message:
        `${label} before ${mention}: every code change re-runs the install. Copy ${names} first and the rest after it. ` +
        `No automatic fix: ${obstacle.reason}.`,
      fixes: [],
    };
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
  private runUse(info: InstructionInfo, workdir: string, destDir: string, prior: ReadonlySet<Ecosystem>): RunUse {
    const use: RunUse = { installs: [], readers: [] };
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
        const localInDest = install.localPaths.find((p) => touches(p, cwd, destDir, info.env));
        const needs =
          install.needsSource ??
          (localInDest !== undefined
            ? { reason: `\`${install.label}\` installs the project from the source (\`${localInDest}\`)`, advice: PYTHON_PROJECT_ADVICE }
            : undefined);
        const readsFiles = needs !== undefined || install.manifests.required.length > 0;
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
  private installObstacle(
    use: RunUse,
    label: string,
    destDir: string,
    earlier: readonly { copy: CopyInstruction; workdir: string }[],
  ): Obstacle | undefined {
    const needing = use.installs.find((i) => i.needs);
    if (needing?.needs) return needing.needs;
    const reader = use.readers[0];
    if (reader) {
      return {
        reason: `the same RUN ${reader.afterInstall ? 'then runs' : 'first runs'} \`${commandLabel(reader.command)}\`, which may need the source`,
        advice: `Split it: install in one RUN before ${label}, and run the rest in another after it`,
      };
    }
    const unknown = use.installs.find((i) => i.install.unknownInput);
    if (unknown) return { reason: `with ${unknown.install.unknownInput}, \`${unknown.install.label}\` reads manifests dockopt cannot list` };
    const plan = planManifests(use.installs, destDir, this.files(), earlier);
    return 'problem' in plan ? { reason: plan.problem } : undefined;
  }

  /** Why COPY . . cannot move past an instruction that is not an install, or undefined. */
  private passObstacle(
    info: InstructionInfo,
    use: RunUse | undefined,
    copy: CopyInstruction,
    label: string,
    destDir: string,
    workdirs: Map<InstructionInfo, string>,
  ): Obstacle | undefined {
    const where = `\`${instructionLabel(this.model, info)}\` (line ${info.range.start.line + 1})`;
    const copyText = this.model.text.slice(copy.info.startOffset, copy.info.endOffset);
    switch (info.keyword) {
      case 'RUN':
        return use && use.readers.length > 0 ? { reason: `${where} runs between them and may need the source` } : undefined;
      case 'COPY':
      case 'ADD': {
        const other = readCopy(this.model, info);
        if (!other) return { reason: `${where} copies between them` };
        const dest = resolveIn(workdirs.get(info)!, expandEnv(other.dest, info.env));
        return overlaps(dest, destDir) ? { reason: `${where} writes where ${label} copies to` } : undefined;
      }
      case 'WORKDIR': {
        const relative = !expandEnv(copy.dest, copy.info.env).startsWith('/');
        const moved = workdirs.get(info) !== workdirs.get(copy.info);
        return relative && moved ? { reason: `${where} changes the folder ${label} copies into` } : undefined;
      }
      case 'ENV':
      case 'ARG':
        return copyText.includes('$') ? { reason: `${where} may change a variable ${label} uses` } : undefined;
      default:
        return NEUTRAL.has(info.keyword) ? undefined : { reason: `${where} runs between them` };
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
    return { title, isPreferred: assumption === undefined, changes: [{ kind: 'edit', path: this.ctx.path, edits }] };
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
    return (this.filesMemo ??= contextFilesOf(this.ctx.buildContext));
  }

  private lineOf(offset: number): number {
    return this.model.positionAt(offset).line + 1;
  }
}

/** Whether a path a command names is, holds or lies in what COPY . . brings (unknown: yes). */
function touches(path: string, cwd: string | undefined, destDir: string, env: ReadonlyMap<string, string>): boolean {
  const expanded = expandEnv(path, env);
  if (expanded.includes('$') || expanded.startsWith('~')) return true;
  if (!expanded.startsWith('/') && cwd === undefined) return true;
  return overlaps(resolveIn(cwd ?? '/', expanded), destDir);
}

function fixableMessage(label: string, installs: CountedInstall[], manifests: ManifestToCopy[], model: DockerfileModel): string {
  const mentions = installs.map((i) => `\`${i.install.label}\` (line ${model.positionAt(i.install.start).line + 1})`);
  const plural = installs.length > 1;
  const advice =
    manifests.length > 0
      ? `Copy ${listOf(manifests.map((m) => m.source))} first and the rest after ${plural ? 'them' : 'it'}.`
      : `Move it after the install${plural ? 's' : ''}: what ${plural ? 'they read is' : 'it reads is'} already in place.`;
  return `${label} before ${listOf(mentions)}: every code change re-runs the install${plural ? 's' : ''}. ${advice}`;
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
