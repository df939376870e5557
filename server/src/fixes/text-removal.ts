/**
 * Byte-exact edits that take words out of a RUN (`--no-cache-dir`, `PIP_NO_CACHE_DIR=1`, an
 * `rm` operand), whole commands out of its `&&` / `;` list (`pip cache purge`), or properties out
 * of an ENV, without leaving double spaces, empty continuation lines or a broken chain. Each edit is
 * checked by re-parsing: the instruction must read the same but for what was removed.
 */
import { DockerfileParser } from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readEnv, type DockerfileModel, type InstructionInfo } from '../dockerfile/model';
import { parseRunScript, type RunScript, type ShellWord, type SimpleCommand } from '../dockerfile/shell';
import { applyTextEdits } from './apply';
import type { Position, Range, TextEdit } from '../positions';
import { remember } from '../../../shared/src/bounded-cache';

// ---------------------------------------------------------------------------------------
// Removing words

/** How the text around a span reads: its line-continuation char, and whether Docker drops comment lines there. */
interface SpanRules { escape: string; dockerfileLines: boolean }
interface Deletion { start: number; end: number; rules?: SpanRules }

/**
 * Edits that remove words of one RUN (`--no-cache-dir`, `PIP_NO_CACHE_DIR=1`) with the whitespace
 * they leave: a word alone on a continued line takes its line with it, a word alone on the last
 * line takes the continuation of the line before. Undefined when that cannot be done cleanly (an
 * escape inside a word, an escaped blank before it…), or when the edited RUN would not read as the
 * same command without those words: better no fix than a wrong one.
 */
export function removeWordsEdits(
  model: DockerfileModel,
  info: InstructionInfo,
  script: RunScript,
  words: readonly ShellWord[],
  commands: readonly SimpleCommand[] = [],
): TextEdit[] | undefined {
  const deletions: Deletion[] = [];
  for (const word of words) {
    const removal = wordDeletions(model, script, word);
    if (!removal) return undefined;
    deletions.push(...removal);
  }
  for (const command of commands) {
    const removal = commandDeletions(model, script, command);
    if (!removal) return undefined;
    deletions.push(...removal);
  }
  const edits = joinDeletions(model.text, deletions);
  const removed = [...words, ...commands.flatMap((c) => [...c.assignments, ...c.words])];
  return edits && keepsMeaning(model, info, edits, { words: removed }) ? edits : undefined;
}

/**
 * Deletions that take one simple command out of a RUN's `&&` / `;` list: with the operator before
 * it (or, for the first command, the one after it), so the rest of the chain reads as before:
 * `A && rm -rf X || true` becomes `A || true`. Undefined when the command is joined by anything
 * else (`|`), has redirections or comments in the way, or is not written plainly.
 */
function commandDeletions(model: DockerfileModel, script: RunScript, command: SimpleCommand): Deletion[] | undefined {
  const { text } = model;
  const all = [...command.assignments, ...command.words].sort((a, b) => a.start - b.start);
  if (all.length === 0) return undefined;
  for (const word of all) if (!sameWord(text.slice(word.start, word.end), word.value)) return undefined;
  const inBody = script.form === 'heredoc' && text.lastIndexOf('\n', all[0].start - 1) >= script.argumentsStart;
  const rules: SpanRules = { escape: inBody ? '\\' : model.escapeChar, dockerfileLines: !inBody };
  const start = all[0].start;
  const end = all[all.length - 1].end;
  // Between the words, nothing but blanks (no redirection, no continuation: kept simple).
  for (let k = 1; k < all.length; k++) if (!/^[ \t]+$/.test(text.slice(all[k - 1].end, all[k].start))) return undefined;

  // In a heredoc body a command alone on its line goes with the line.
  if (inBody) {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    let after = end;
    while (isBlank(text[after])) after++;
    const eol = eolLength(text, after);
    if (/^[ \t]*$/.test(text.slice(lineStart, start)) && eol > 0) return [{ start: lineStart, end: after + eol, rules }];
  }
  // What follows: the end, a line end, a continuation, or `&&` / `;`.
  let after = end;
  while (isBlank(text[after])) after++;
  const next = text.slice(after, after + 2);
  const nextOk = after >= text.length || eolLength(text, after) > 0 || continuationEnd(text, after, rules.escape) !== undefined ||
    next === '&&' || next === '||' || next[0] === ';' || (script.form === 'exec' && next[0] === '"');
  if (!nextOk || next === ';;') return undefined;

  // The operator before it.
  let i = start;
  while (i > 0 && isBlank(text[i - 1])) i--;
  if (text.slice(i - 2, i) === '&&' || (text[i - 1] === ';' && text[i - 2] !== ';')) {
    const op = text[i - 1] === ';' ? i - 1 : i - 2;
    // `A; rm X && B` would become `A && B`: B would then depend on A.
    if (op === i - 1 && next === '&&') return undefined;
    return removeSpan(text, op, end, rules);
  }
  if (text[i - 1] === '\n' && rules.dockerfileLines) {
    // `A && \` then the command on the next line: the operator ends the line before.
    let j = i - 1;
    if (text[j - 1] === '\r') j--;
    while (j > 0 && isBlank(text[j - 1])) j--;
    if (text[j - 1] !== rules.escape) return undefined;
    j--;
    while (j > 0 && isBlank(text[j - 1])) j--;
    const op = text.slice(j - 2, j) === '&&' ? j - 2 : text[j - 1] === ';' && text[j - 2] !== ';' ? j - 1 : undefined;
    if (op === undefined) return undefined;
    let from = op;
    while (from > 0 && isBlank(text[from - 1])) from--;
    if (eolLength(text, after) > 0 || after >= text.length || continuationEnd(text, after, rules.escape) !== undefined) return [{ start: from, end, rules }];
    // `A && \` + `rm X && B`: `A && B`, the blank before the operator kept.
    return [{ start: op, end: after, rules }];
  }
  // The first command: it goes with the operator after it, up to the next command.
  const rest = text.slice(end);
  const m = new RegExp(`^[ \\t]*(?:&&|;(?!;))[ \\t]*(?:${escapeRegExp(rules.escape)}[ \\t]*\\r?\\n[ \\t]*)?`).exec(rest);
  if (!m || m[0].length === 0) return undefined;
  const nextStart = end + m[0].length;
  if (/[\r\n]/.test(text[nextStart] ?? '') || nextStart >= text.length || text[nextStart] === '#') return undefined;
  return [{ start, end: nextStart, rules }];
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function wordDeletions(model: DockerfileModel, script: RunScript, word: ShellWord): Deletion[] | undefined {
  const { text } = model;
  const written = text.slice(word.start, word.end);
  if (script.form === 'exec' && written.startsWith('"')) {
    return written === JSON.stringify(word.value) ? jsonElementDeletions(model, word) : undefined;
  }
  if (!sameWord(written, word.value)) return undefined;
  // In a heredoc's body (after the RUN's first line) the text is a shell script: `\` continues
  // a line whatever the escape directive, and a comment line ends the command.
  const inBody = script.form === 'heredoc' && text.lastIndexOf('\n', word.start - 1) >= script.argumentsStart;
  const rules = { escape: inBody ? '\\' : model.escapeChar, dockerfileLines: !inBody };
  return removeSpan(text, word.start, word.end, rules);
}

/** A word as written is the word when only quotes differ (`"--no-cache-dir"`, `PIP_NO_CACHE_DIR="1"`). */
function sameWord(written: string, value: string): boolean {
  return !/[\r\n]/.test(written) && written.replace(/["']/g, '') === value.replace(/["']/g, '');
}

/** `"--no-cache-dir", ` goes with its comma; the last element takes the comma before it. */
function jsonElementDeletions(model: DockerfileModel, word: ShellWord): Deletion[] | undefined {
  const { text, escapeChar } = model;
  let after = word.end;
  while (isBlank(text[after])) after++;
  if (text[after] === ',') return removeSpan(text, word.start, after + 1, { escape: escapeChar, dockerfileLines: true });
  let before = word.start;
  while (before > 0 && (/[ \t\r\n]/.test(text[before - 1]) || text[before - 1] === escapeChar)) before--;
  if (text[before - 1] === ',') return [{ start: before - 1, end: word.end }];
  return [{ start: word.start, end: word.end }];
}

export const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t';

/** Length of the line ending at i (`\n` or `\r\n`), 0 when there is none. */
function eolLength(text: string, i: number): number {
  if (text[i] === '\n') return 1;
  return text[i] === '\r' && text[i + 1] === '\n' ? 2 : 0;
}

/** When a continuation (escape, blanks, line end) starts at i: the offset after its line end. */
function continuationEnd(text: string, i: number, escape: string): number | undefined {
  if (text[i] !== escape) return undefined;
  let j = i + 1;
  while (isBlank(text[j])) j++;
  const eol = eolLength(text, j);
  return eol > 0 ? j + eol : undefined;
}

/** Removes [start, end) and the blanks that would be left over. */
function removeSpan(text: string, start: number, end: number, rules: SpanRules): Deletion[] | undefined {
  let before = start;
  while (before > 0 && isBlank(text[before - 1])) before--;
  let after = end;
  while (isBlank(text[after])) after++;
  // `a\ --no-cache-dir`: the blank is escaped, part of the word before; leave such text alone.
  if (before < start && (text[before - 1] === '\\' || text[before - 1] === rules.escape)) return undefined;
  const aloneFromLineStart = before === 0 || text[before - 1] === '\n';
  const continued = continuationEnd(text, after, rules.escape);
  const span = (s: number, e: number): Deletion[] => [{ start: s, end: e, rules }];

  if (continued !== undefined) {
    // `    --no-cache-dir \` alone on its line: the line goes. Else the word and its blanks.
    return aloneFromLineStart ? span(before, continued) : span(start, after);
  }
  const lineEnds = after >= text.length || eolLength(text, after) > 0;
  if (lineEnds && aloneFromLineStart) {
    // Alone on the last line of the instruction: an emptied line there would let the
    // continuation before it run into the next line.
    return before > 0 ? removeLastContinuedLine(text, before, after, rules) : undefined;
  }
  if (lineEnds) return span(before, after);
  // A line left starting with `#` would become a comment line that Docker drops, joining the
  // next line to the instruction.
  if (rules.dockerfileLines && aloneFromLineStart && text[after] === '#') return undefined;
  // Something follows on the line: take the blanks after the word, or the ones before when the
  // word touches what follows (`--no-cache-dir;`, `…--no-cache-dir"`).
  return after > end ? span(start, after) : span(before, end);
}

/**
 * The word is alone on the last line of a continued command: that line goes, with the line end
 * before it, and the line that continued into it loses its escape (comment lines between stay,
 * as comments).
 */
function removeLastContinuedLine(text: string, lineStart: number, lineEnd: number, rules: SpanRules): Deletion[] | undefined {
  const previousEol = text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
  // Find the line that continues into this one, over the comment and empty lines Docker drops.
  let contentEnd = previousEol;
  for (;;) {
    const start = text.lastIndexOf('\n', contentEnd - 1) + 1;
    const line = text.slice(start, contentEnd);
    const droppable = rules.dockerfileLines && (line.trim() === '' || line.trimStart().startsWith('#'));
    if (!droppable || start === 0) break;
    contentEnd = text[start - 2] === '\r' ? start - 2 : start - 1;
  }
  let escapeAt = contentEnd;
  while (escapeAt > 0 && isBlank(text[escapeAt - 1])) escapeAt--;
  if (text[escapeAt - 1] !== rules.escape) return undefined;
  let cut = escapeAt - 1;
  while (cut > 0 && isBlank(text[cut - 1])) cut--;
  // `a\\` + `\`: the char before the escape escapes it or is one; the line would still continue.
  if (text[cut - 1] === '\\' || text[cut - 1] === rules.escape || text[cut - 1] === '\n' || cut === 0) return undefined;
  if (contentEnd === previousEol) return [{ start: cut, end: lineEnd, rules }];
  return [
    { start: cut, end: contentEnd, rules },
    { start: previousEol, end: lineEnd, rules },
  ];
}

/**
 * Joins overlapping or touching deletions (two words removed side by side); a joined deletion
 * within one line is trimmed again as a whole (`--no-cache-dir --no-cache-dir` alone on a line).
 */
function joinDeletions(text: string, deletions: readonly Deletion[]): TextEdit[] | undefined {
  let current = [...deletions];
  for (let round = 0; round < 4; round++) {
    const sorted = current.filter((d) => d.end > d.start).sort((a, b) => a.start - b.start);
    const merged: Array<Deletion & { joined: boolean }> = [];
    for (const deletion of sorted) {
      const last = merged[merged.length - 1];
      if (last && deletion.start <= last.end) {
        last.end = Math.max(last.end, deletion.end);
        last.joined = true;
      } else {
        merged.push({ ...deletion, joined: false });
      }
    }
    if (!merged.some((d) => d.joined)) return merged.map(({ start, end }) => ({ start, end, newText: '' }));
    const next: Deletion[] = [];
    for (const deletion of merged) {
      let start = deletion.start;
      let end = deletion.end;
      if (!deletion.joined || !deletion.rules) {
        next.push(deletion);
        continue;
      }
      if (/[\r\n]/.test(text.slice(start, end))) {
        // Joined over lines (a word, then the last line): when it now ends a line, the blanks
        // before it go too.
        let blanks = start;
        while (blanks > 0 && isBlank(text[blanks - 1])) blanks--;
        const endsLine = end >= text.length || eolLength(text, end) > 0;
        next.push({ ...deletion, start: endsLine && blanks > 0 && text[blanks - 1] !== '\n' ? blanks : start });
        continue;
      }
      while (start < end && isBlank(text[start])) start++;
      while (end > start && isBlank(text[end - 1])) end--;
      const again = removeSpan(text, start, end, deletion.rules);
      if (!again) return undefined;
      next.push(...again);
    }
    current = next;
  }
  return undefined;
}

/**
 * Removes ENV properties: the whole instruction (with its line) when they are all it sets, else
 * each property like a word. Undefined when a property cannot be removed cleanly.
 */
export function removeEnvPropertiesEdits(model: DockerfileModel, env: InstructionInfo, names: ReadonlySet<string>): TextEdit[] | undefined {
  const { text } = model;
  const properties = (env.ast as Partial<{ getProperties(): Array<{ getName(): string; getRange(): Range }> }>).getProperties?.() ?? [];
  const doomed = properties.filter((p) => names.has(p.getName()));
  if (doomed.length === 0) return undefined;
  let edits: TextEdit[] | undefined;
  if (doomed.length === properties.length) {
    edits = [removeInstructionEdit(text, env.startOffset, env.endOffset)];
  } else {
    const deletions: Deletion[] = [];
    for (const property of doomed) {
      const start = model.offsetAt(property.getRange().start);
      const end = model.offsetAt(property.getRange().end);
      const removal = /[\r\n]/.test(text.slice(start, end)) ? undefined : removeSpan(text, start, end, { escape: model.escapeChar, dockerfileLines: true });
      if (!removal) return undefined;
      deletions.push(...removal);
    }
    edits = joinDeletions(text, deletions);
  }
  return edits && keepsMeaning(model, env, edits, { envNames: names }) ? edits : undefined;
}

/** An instruction's whole lines, with one line end (the one after it, or before it at the end of the file). */
function removeInstructionEdit(text: string, start: number, end: number): TextEdit {
  let lineStart = start;
  while (lineStart > 0 && isBlank(text[lineStart - 1])) lineStart--;
  let after = end;
  while (isBlank(text[after])) after++;
  const eol = eolLength(text, after);
  if (eol > 0) return { start: lineStart, end: after + eol, newText: '' };
  const previousEol = lineStart >= 2 && text[lineStart - 2] === '\r' ? lineStart - 2 : Math.max(0, lineStart - 1);
  return { start: previousEol, end: after, newText: '' };
}

// ---------------------------------------------------------------------------------------
// Checking an edit

/**
 * Whether the instruction (and the one after it, which a broken continuation would swallow)
 * reads the same after the edits, but for the removed words / ENV properties and RUN flags.
 * It re-parses only that stretch of the file.
 */
export function keepsMeaning(
  model: DockerfileModel,
  info: InstructionInfo,
  edits: readonly TextEdit[],
  removed: { words?: readonly ShellWord[]; envNames?: ReadonlySet<string> },
): boolean {
  const { text } = model;
  const from = text.lastIndexOf('\n', info.startOffset - 1) + 1;
  const next = model.instructions[info.index + 1];
  const to = next ? Math.max(next.endOffset, info.endOffset) : text.length;
  if (edits.some((e) => e.start < from || e.end > to)) return false;
  // The directive keeps the escape char; a FROM keeps ENV and RUN in a stage.
  const prefix = `# escape=${model.escapeChar}\nFROM scratch\n`;
  const shift = prefix.length - from;
  const local = (e: TextEdit) => ({ start: e.start - from, end: e.end - from, newText: e.newText });
  const before = prefix + text.slice(from, to);
  const after = prefix + applyTextEdits(text.slice(from, to), edits.map(local)).text;
  const removedStarts = new Set((removed.words ?? []).map((w) => w.start + shift));
  const envNames = removed.envNames ?? new Set<string>();
  return shapeOf(before, removedStarts, envNames) === shapeOf(after, new Set(), envNames);
}

/**
 * Shapes already computed, by text and what to skip. The same RUN lines recur from one Dockerfile
 * to the next (`RUN pip install --no-cache-dir -r requirements.txt` in every service of a
 * monorepo), and a workspace fix checks each one's edit: the pieces of text, and so their
 * shapes, are then the same.
 */
const SHAPES = new Map<string, string>();
const MAX_SHAPES = 256;
/** A longer piece (a generated RUN of thousands of lines) is parsed each time rather than kept. */
const MAX_SHAPED_TEXT = 16_384;

/** What the instructions of a piece of Dockerfile do, as comparable text. */
function shapeOf(text: string, skipWordsAt: ReadonlySet<number>, skipEnv: ReadonlySet<string>): string {
  if (text.length > MAX_SHAPED_TEXT) return parsedShape(text, skipWordsAt, skipEnv);
  // JSON holds no raw line break: the first one ends what to skip.
  const key = `${JSON.stringify([[...skipWordsAt], [...skipEnv]])}\n${text}`;
  return remember(SHAPES, key, () => parsedShape(text, skipWordsAt, skipEnv), MAX_SHAPES);
}

function parsedShape(text: string, skipWordsAt: ReadonlySet<number>, skipEnv: ReadonlySet<string>): string {
  // A bare parse: this runs for every fix that removes words, so it skips what the model adds.
  const ast = DockerfileParser.parse(text);
  const document = TextDocument.create('file:///Dockerfile', 'dockerfile', 0, text);
  const source = { text, escapeChar: ast.getEscapeCharacter(), offsetAt: (p: Position) => document.offsetAt(p) };
  const shape: unknown[] = [];
  for (const instruction of ast.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    if (keyword === 'RUN') {
      const script = parseRunScript(source, instruction);
      const words = (list: ShellWord[]) => list.filter((w) => !skipWordsAt.has(w.start)).map((w) => w.value);
      // A command all of whose words were removed was removed whole.
      const commands = script.commands.map((c) => [words(c.assignments), words(c.words)]).filter(([a, w]) => a.length + w.length > 0);
      shape.push(['RUN', script.form, commands]);
    } else if (keyword === 'ENV') {
      const properties = readEnv(instruction).filter(([name]) => !skipEnv.has(name));
      if (properties.length > 0) shape.push(['ENV', properties]);
    } else {
      const range = instruction.getRange();
      shape.push([keyword, text.slice(document.offsetAt(range.start), document.offsetAt(range.end))]);
    }
  }
  return JSON.stringify(shape);
}
