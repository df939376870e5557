/**
 * The Dockerfile as BuildKit turns it into steps: stages, and in each the instructions that
 * become a vertex (`[stage i/N]`: FROM, RUN, COPY, ADD, WORKDIR), with their text normalized
 * the way BuildKit prints it (continuations joined, comments inside them dropped, runs of
 * whitespace collapsed). Then step names are matched back to instructions.
 */
import { DockerfileParser } from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readCopyWords, type CopyWords } from '../../shared/src/dockerfile/copy-arguments';
import type { StepName } from './step-name';

export interface DockerfileInstruction {
  /** Upper-case keyword. */
  keyword: string;
  /** 0-based first and last line. */
  line: number;
  endLine: number;
  /** `RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt` */
  text: string;
  stageIndex: number;
  /** 1-based position among the stage's step-making instructions; null for ENV, ARG, CMD… */
  stepIndex: number | null;
  /** A COPY or ADD's words and flags, read as the engine reads them; undefined for other instructions. */
  copy?: CopyWords;
}

export interface DockerfileStage {
  index: number;
  /** `AS name`, lower-cased as BuildKit prints it; null when unnamed. */
  name: string | null;
  line: number;
  /** The FROM argument: an image reference or an earlier stage's name. */
  base: string;
  instructions: DockerfileInstruction[];
  stepCount: number;
}

export interface DockerfileSteps {
  stages: DockerfileStage[];
  instructions: DockerfileInstruction[];
}

const STEP_KEYWORDS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'WORKDIR']);

/** Never throws: text that is not a Dockerfile gives no stages. */
export function readDockerfileSteps(text: string): DockerfileSteps {
  const stages: DockerfileStage[] = [];
  const instructions: DockerfileInstruction[] = [];
  let parsed;
  try {
    parsed = DockerfileParser.parse(text);
  } catch {
    return { stages, instructions };
  }
  const escape = parsed.getEscapeCharacter();
  const lines = text.split(/\r\n|\r|\n/);
  const document = TextDocument.create('', 'dockerfile', 0, text);
  const source = { text, escapeChar: escape, offsetAt: (p: { line: number; character: number }) => document.offsetAt(p) };
  for (const ins of parsed.getInstructions()) {
    const keyword = ins.getKeyword().toUpperCase();
    const range = ins.getRange();
    if (keyword === 'FROM') {
      const args = ins.getArguments().map((a) => a.getValue());
      const rest = args.filter((a) => !a.startsWith('--'));
      const asIndex = rest.findIndex((a) => a.toUpperCase() === 'AS');
      stages.push({
        index: stages.length,
        name: asIndex >= 0 && rest[asIndex + 1] ? rest[asIndex + 1].toLowerCase() : null,
        line: range.start.line,
        base: rest[0] ?? '',
        instructions: [],
        stepCount: 0,
      });
    }
    const stage = stages[stages.length - 1];
    if (!stage) continue; // ARGs before the first FROM
    const makesStep = STEP_KEYWORDS.has(keyword);
    const instruction: DockerfileInstruction = {
      keyword,
      line: range.start.line,
      endLine: range.end.line,
      text: instructionText(lines, range.start.line, range.end.line, escape),
      stageIndex: stage.index,
      stepIndex: makesStep ? ++stage.stepCount : null,
    };
    if (keyword === 'COPY' || keyword === 'ADD') {
      const copy = readCopyWords(source, ins, document.offsetAt(range.start), document.offsetAt(range.end));
      if (copy) instruction.copy = copy;
    }
    stage.instructions.push(instruction);
    instructions.push(instruction);
  }
  return { stages, instructions };
}

/** The instruction's text on one line, as BuildKit shows it in step names. */
function instructionText(lines: string[], start: number, end: number, escape: string): string {
  const parts: string[] = [];
  for (let i = start; i <= end && i < lines.length; i++) {
    let line = lines[i];
    if (i > start && /^\s*#/.test(line)) continue; // comment inside a continuation
    const trimmed = line.replace(/\s+$/, '');
    if (i < end && trimmed.endsWith(escape)) line = trimmed.slice(0, -escape.length);
    parts.push(line);
  }
  return normalizeInstruction(parts.join(' '));
}

/** Whitespace-insensitive form; the keyword upper-cased. */
export function normalizeInstruction(text: string): string {
  const collapsed = text.trim().replace(/\s+/g, ' ');
  const space = collapsed.indexOf(' ');
  return space < 0 ? collapsed.toUpperCase() : collapsed.slice(0, space).toUpperCase() + collapsed.slice(space);
}

function keywordOf(text: string): string {
  return text.trim().split(/\s+/, 1)[0]?.toUpperCase() ?? '';
}

/** `docker.io/library/python:3.12-slim@sha256:…` and `python:3.12-slim` name the same image. */
function sameImage(stepFrom: string, dockerfileFrom: string): boolean {
  const canonical = (ref: string) =>
    ref
      .replace(/@sha256:[0-9a-f]+$/i, '')
      .replace(/^docker\.io\/library\//, '')
      .replace(/^docker\.io\//, '')
      .replace(/^index\.docker\.io\/library\//, '');
  return canonical(stepFrom) === canonical(dockerfileFrom);
}

function stageOf(layout: DockerfileSteps, name: string): DockerfileStage | undefined {
  const lower = name.toLowerCase();
  const byName = layout.stages.find((s) => s.name === lower);
  if (byName) return byName;
  const numbered = /^stage-(\d+)$/.exec(lower);
  return numbered ? layout.stages[Number(numbered[1])] : undefined;
}

function textMatches(step: StepName, ins: DockerfileInstruction): boolean {
  const stepText = normalizeInstruction(step.text);
  if (stepText === ins.text) return true;
  if (ins.keyword === 'FROM' && keywordOf(stepText) === 'FROM') {
    const image = (t: string) => t.split(' ').filter((w) => !w.startsWith('--'))[1] ?? '';
    return sameImage(image(stepText), image(ins.text));
  }
  return false;
}

/**
 * The instruction a step came from, or null (internal steps, or text that matches nothing).
 * The stage and position BuildKit prints decide when the keyword agrees (the text can differ:
 * expanded ARGs, a normalized image reference); otherwise the text must match.
 */
export function matchStep(layout: DockerfileSteps, step: StepName): DockerfileInstruction | null {
  if (step.internal) return null;
  const keyword = keywordOf(step.text);
  const named = step.stage !== null ? stageOf(layout, step.stage) : undefined;
  // Without a stage in the name (`[2/5] RUN …`), any stage with that many steps may be meant.
  const candidates = named
    ? [named]
    : step.stage === null
      ? layout.stages.filter((s) => step.count === null || s.stepCount === step.count).reverse()
      : [];
  for (const stage of candidates) {
    const byPosition = stage.instructions.find((i) => i.stepIndex === step.index);
    if (byPosition && byPosition.keyword === keyword && (named || textMatches(step, byPosition))) return byPosition;
  }
  for (const stage of candidates) {
    const byText = stage.instructions.find((i) => i.stepIndex !== null && textMatches(step, i));
    if (byText) return byText;
  }
  return layout.instructions.find((i) => i.stepIndex !== null && textMatches(step, i)) ?? null;
}

/** Sets `line` on each step that matches an instruction. */
export function attachLines<T extends StepName & { line: number | null }>(steps: T[], layout: DockerfileSteps): T[] {
  for (const step of steps) step.line = matchStep(layout, step)?.line ?? null;
  return steps;
}
