/**
 * The instructions of a Dockerfile version, re-parsing only around the edit: the instructions
 * above it are the last version's own objects, with everything memoized on them (their arguments,
 * mounts and shell scripts), and so are those below it when the edit added or removed no line. A
 * keystroke at line 5 000 of a 10 000-line file re-parses two instructions instead of 10 000.
 *
 * Why the kept ones are exactly what a full parse would give: the parser reads a file from the
 * top, and the state at the start of a line where an instruction starts is always the same (no
 * continuation, no heredoc open; parser directives only before the first instruction). Keeping
 * the instructions before the last one that starts on a line above the edit keeps only
 * instructions followed by another that starts above the edit: all their text, and where each
 * ends, was read from the unchanged lines. From that last instruction's line a window is parsed
 * again, as a text of its own padded with empty lines so its lines and characters are the file's
 * (an escape directive other than `\` is written on the padding's first line): to the end of the
 * file, or, when no line was added or removed, through the first instruction that starts below
 * the edit. When the window's parse starts that instruction on its line with its range, the state
 * there is a clean start, the text from there on is unchanged, and so is its parse: the last
 * version's instructions from there are kept (their lines and characters are still right; only
 * their offsets moved, and the script memo is checked against the offset, shell.ts). Otherwise
 * the whole file is parsed. Instructions' own offsets are into their parse's text: nothing reads
 * those (ranges are line and character, and every offset is the model's, `model.offsetAt`);
 * test/server/incremental-parse.test.ts compares model and findings with a full parse after
 * chains of random edits of every fixture, rule page example and benchmark shape.
 *
 * A kept instruction holds its whole parse (dockerfile-ast links it to its Dockerfile: every
 * instruction and the text of that parse): after edits at many places a version would hold many.
 * One built on more than MAX_SOURCES parses, or whose parses hold more than twice its own
 * instructions, is parsed in full again.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from '../positions';
import { lastStartingAtOrBefore } from './line-search';

/** What the next version's parse may reuse: kept on the model, read only here. */
export interface ParseRecord {
  text: string;
  document: TextDocument;
  escapeChar: string;
  instructions: readonly Instruction[];
  /** Per instruction, which parse made it (a number of this module's): how many texts a version holds. */
  parses: readonly number[];
  /** Per parse behind the instructions, how many instructions it made (it holds them all). */
  sizes: ReadonlyMap<number, number>;
}

/** Beyond this many parses behind one version's instructions, parse in full again (memory). */
export const MAX_SOURCES = 8;
/** Beyond this many instructions held per instruction of the version (and a few), likewise. */
const MAX_HELD_PER_INSTRUCTION = 2;

let parseCount = 0;

export function parseInstructions(text: string, document: TextDocument, previous?: ParseRecord): ParseRecord {
  if (!previous) return whole(text, document);
  const prefix = commonPrefixLength(previous.text, text);
  const start = reparsePoint(previous, prefix);
  if (!start) return whole(text, document);
  const lineStart = previous.document.offsetAt({ line: start.line, character: 0 });
  const tail = unchangedTail(previous, text, document, prefix, start.keep);
  const id = ++parseCount;
  const window = parseFrom(previous.escapeChar, start.line, text.slice(lineStart, tail ? tail.endOffset : text.length));
  // A window whose escape character or first line differs from what the file's start says is not
  // a continuation of the kept part (cannot happen by the reasoning above): parse in full.
  const first = window.instructions[0];
  if (window.escapeChar !== previous.escapeChar || (first && first.getRange().start.line !== start.line)) return whole(text, document);
  let fresh = window.instructions;
  let kept: readonly Instruction[] = [];
  let keptParses: readonly number[] = [];
  if (tail) {
    // The window ends with the first instruction of the tail, parsed again: when the new parse
    // starts an instruction on its line, and it is the one the last version had there, the
    // state there is a clean start and everything from there on is as before.
    const last = fresh[fresh.length - 1];
    const old = previous.instructions[tail.index];
    if (!last || !sameRange(last.getRange(), old.getRange())) return whole(text, document);
    fresh = fresh.slice(0, -1);
    kept = previous.instructions.slice(tail.index);
    keptParses = previous.parses.slice(tail.index);
  }
  const instructions = previous.instructions.slice(0, start.keep).concat(fresh, kept);
  const parses = previous.parses.slice(0, start.keep).concat(fresh.map(() => id), keptParses);
  const sizes = new Map<number, number>();
  for (const behind of parsesBehind(parses)) sizes.set(behind, behind === id ? window.instructions.length : (previous.sizes.get(behind) ?? 0));
  let held = 0;
  for (const size of sizes.values()) held += size;
  if (sizes.size > MAX_SOURCES || held > MAX_HELD_PER_INSTRUCTION * instructions.length + 64) return whole(text, document);
  return { text, document, escapeChar: previous.escapeChar, instructions, parses, sizes };
}

function whole(text: string, document: TextDocument): ParseRecord {
  const { escapeChar, instructions } = parseFrom(undefined, 0, text);
  const id = ++parseCount;
  return { text, document, escapeChar, instructions, parses: instructions.map(() => id), sizes: new Map([[id, instructions.length]]) };
}

/**
 * The instructions of `text` as if it started at `line` of a file with that escape character:
 * padded with empty lines, so that their lines and characters are the file's (the escape
 * directive, when not `\`, on the padding's first line).
 */
function parseFrom(escapeChar: string | undefined, line: number, text: string): { escapeChar: string; instructions: Instruction[] } {
  const padding = line === 0 ? '' : escapeChar === '\\' || escapeChar === undefined ? '\n'.repeat(line) : `# escape=${escapeChar}\n${'\n'.repeat(line - 1)}`;
  const ast = DockerfileParser.parse(padding + text);
  let instructions: Instruction[];
  try {
    instructions = ast.getInstructions();
  } catch {
    instructions = [];
  }
  return { escapeChar: ast.getEscapeCharacter(), instructions };
}

/**
 * How many of the last version's instructions stay, and the line the parse starts again at (that
 * of the first one not kept); undefined when nothing can be kept.
 */
function reparsePoint(previous: ParseRecord, prefix: number): { keep: number; line: number } | undefined {
  const changedLine = previous.document.positionAt(prefix).line;
  // The last instruction starting on a line above the edit: it is parsed again, those before it kept.
  const last = lastStartingBefore(previous.instructions, changedLine);
  if (last <= 0) return undefined;
  return { keep: last, line: previous.instructions[last].getRange().start.line };
}

/**
 * The last version's instructions after the edit that can stay: only when the edit added or
 * removed no line (their ranges are lines and characters, and stay right only then), from the
 * first instruction that starts on a line after the edit's last. `endOffset` is where the line
 * after that instruction starts in `text` (the window parsed again ends there).
 */
function unchangedTail(previous: ParseRecord, text: string, document: TextDocument, prefix: number, keep: number): { index: number; endOffset: number } | undefined {
  const suffix = commonSuffixLength(previous.text, text, Math.min(previous.text.length, text.length) - prefix);
  const endLine = document.positionAt(text.length - suffix).line;
  if (endLine !== previous.document.positionAt(previous.text.length - suffix).line) return undefined;
  const index = lastStartingBefore(previous.instructions, endLine + 1) + 1;
  if (index <= keep || index >= previous.instructions.length) return undefined;
  const next = previous.instructions[index + 1];
  const endOffset = next ? document.offsetAt({ line: next.getRange().start.line, character: 0 }) : text.length;
  return { index, endOffset };
}

function lastStartingBefore(instructions: readonly Instruction[], line: number): number {
  return lastStartingAtOrBefore(instructions.length, (k) => instructions[k].getRange().start.line, line - 1);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** The parses the instructions come from. */
export function parsesBehind(parses: readonly number[]): Set<number> {
  const ids = new Set<number>();
  for (let k = 0; k < parses.length; k++) if (k === 0 || parses[k] !== parses[k - 1]) ids.add(parses[k]);
  return ids;
}

/** Where two texts first differ (the shorter one's length when one starts the other). */
export function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  // Halving on slices compares in native code: a char loop over 500 KB costs more.
  let low = 0;
  let high = n;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (a.slice(low, mid) === b.slice(low, mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** How many characters two texts end with alike, at most `limit`. */
export function commonSuffixLength(a: string, b: string, limit: number): number {
  let low = 0;
  let high = Math.max(0, limit);
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (a.slice(a.length - mid, a.length - low) === b.slice(b.length - mid, b.length - low)) low = mid;
    else high = mid - 1;
  }
  return low;
}
