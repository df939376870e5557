/**
 * What the language server does not check while the user types, and why: a document over 512 KB
 * (counted in characters, as the editor sends them), or a Dockerfile with one instruction over
 * 256 KB (a single 1 MB line, a RUN continued over 100 000 lines). `dockerfile-ast` needs half a
 * second for a 1 MB line even with its argument scan memoized (dockerfile/argument-memo.ts; 2.3 s
 * without), so every keystroke would wait on it: the document gets one information diagnostic
 * that says so instead (docs/benchmarks.md, "Pathological inputs"). `dockopt check` still reads it.
 *
 * What is read is checked within a time limit (`EDITOR_CHECK_MS`, from the start of the parse):
 * a file under these sizes can still hold thousands of stages with findings in each. Rules still
 * running at the limit stop, and the document says which (`stoppedNotice`).
 */
import type { Range } from 'vscode-languageserver';
import { parserDirectives } from '../dockerfile/parser-directives';

/** Larger documents take over half a second to parse alone (about 1 ms per KB here, more on a busy machine). */
export const MAX_CHECKED_CHARS = 512 * 1024;
export const MAX_INSTRUCTION_CHARS = 256 * 1024;

export interface CheckLimitNotice {
  range: Range;
  message: string;
}

/** An empty range at the start of a line: where a notice about the whole document or one instruction sits. */
const atLineStart = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: 0 } });

const KB = (chars: number) => (chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} MB` : `${Math.round(chars / 1024)} KB`);

/** Why the document is not checked while it is edited, when it is not (a linear scan, no parse). */
export function checkLimitNotice(text: string, kind: 'dockerfile' | 'dockerignore'): CheckLimitNotice | undefined {
  // The instruction first: of a 1 MB line, saying which instruction is the more useful notice.
  const long = kind === 'dockerfile' ? longestInstruction(text) : { line: 0, chars: 0 };
  if (long.chars > MAX_INSTRUCTION_CHARS) {
    return {
      range: atLineStart(long.line),
      message:
        `dockopt does not check this Dockerfile while it is edited: the instruction on line ${long.line + 1} is ${KB(long.chars)} long, ` +
        `over the ${KB(MAX_INSTRUCTION_CHARS)} it reads so that no keystroke waits for it. \`dockopt check\` reads it.`,
    };
  }
  if (text.length > MAX_CHECKED_CHARS) {
    return {
      range: atLineStart(0),
      message: `dockopt does not check this file while it is edited: it is ${KB(text.length)}, over the ${KB(MAX_CHECKED_CHARS)} it reads so that no keystroke waits for it.`,
    };
  }
  return undefined;
}

/**
 * How long one check of an edited document may take, parse included: the rules still running
 * then stop, so that every keystroke is answered within about a second (issue 8).
 */
export const EDITOR_CHECK_MS = 700;

/** What the document says when the time limit stopped rules: which, and where the full check is. */
export function stoppedNotice(stoppedRules: readonly string[], limitMs: number): CheckLimitNotice {
  const rules = stoppedRules.length === 1 ? `rule ${stoppedRules[0]}` : `rules ${stoppedRules.join(', ')}`;
  return {
    range: atLineStart(0),
    message:
      `dockopt stopped checking this Dockerfile after ${limitMs} ms, so that no keystroke waits longer for it: ` +
      `${rules} did not finish and show nothing here. \`dockopt check\` checks it in full.`,
  };
}


/**
 * The longest instruction, counting the lines its continuations join (comment and blank lines
 * inside a continuation included, as Docker skips them there). Heredoc bodies count line by line:
 * the estimate can only be low for them, and then the parse decides.
 */
function longestInstruction(text: string): { line: number; chars: number } {
  const lines = text.split('\n');
  let escape = '\\';
  for (const { name, value } of parserDirectives(text)) if (name === 'escape' && (value === '`' || value === '\\')) escape = value;
  let longest = { line: 0, chars: 0 };
  let start = 0;
  let chars = 0;
  let continued = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trimEnd();
    const filler = trimmed === '' || /^\s*#/.test(trimmed);
    if (!continued) {
      start = i;
      chars = 0;
    }
    chars += line.length + 1;
    // Inside a continuation a comment or blank line neither ends it nor continues it by itself.
    if (!(continued && filler)) continued = trimmed.endsWith(escape) && !filler;
    if (chars > longest.chars) longest = { line: start, chars };
  }
  return longest;
}
