/**
 * What the language server does not check while the user types, and why: a document over 2 MB
 * (counted in characters, as the editor sends them), or a Dockerfile with one instruction over
 * 256 KB (a single 1 MB line, a RUN continued over 100 000 lines). `dockerfile-ast` needs half a
 * second for a 1 MB line even with its argument scan memoized (dockerfile/argument-memo.ts; 2.3 s
 * without), so every keystroke would wait on it: the document gets one information diagnostic
 * that says so instead (docs/benchmarks.md, "Pathological inputs"). `dockopt check` still reads it.
 */
import type { Range } from 'vscode-languageserver';

export const MAX_CHECKED_CHARS = 2 * 1024 * 1024;
export const MAX_INSTRUCTION_CHARS = 256 * 1024;

export interface CheckLimitNotice {
  range: Range;
  message: string;
}

const KB = (chars: number) => (chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} MB` : `${Math.round(chars / 1024)} KB`);

/** Why the document is not checked while it is edited, when it is not (a linear scan, no parse). */
export function checkLimitNotice(text: string, kind: 'dockerfile' | 'dockerignore'): CheckLimitNotice | undefined {
  if (text.length > MAX_CHECKED_CHARS) {
    return {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `dockopt does not check this file while it is edited: it is ${KB(text.length)}, over the ${KB(MAX_CHECKED_CHARS)} it reads so that no keystroke waits for it.`,
    };
  }
  if (kind !== 'dockerfile') return undefined;
  const long = longestInstruction(text);
  if (long.chars <= MAX_INSTRUCTION_CHARS) return undefined;
  return {
    range: { start: { line: long.line, character: 0 }, end: { line: long.line, character: 0 } },
    message:
      `dockopt does not check this Dockerfile while it is edited: the instruction on line ${long.line + 1} is ${KB(long.chars)} long, ` +
      `over the ${KB(MAX_INSTRUCTION_CHARS)} it reads so that no keystroke waits for it. \`dockopt check\` reads it.`,
  };
}

const DIRECTIVE = /^#\s*([a-zA-Z]+)\s*=\s*(\S*)\s*$/;

/**
 * The longest instruction, counting the lines its continuations join (comment and blank lines
 * inside a continuation included, as Docker skips them there). Heredoc bodies count line by line:
 * the estimate can only be low for them, and then the parse decides.
 */
function longestInstruction(text: string): { line: number; chars: number } {
  const lines = text.split('\n');
  let escape = '\\';
  for (const line of lines) {
    const directive = DIRECTIVE.exec(line);
    if (!directive) break;
    if (directive[1].toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) escape = directive[2];
  }
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
