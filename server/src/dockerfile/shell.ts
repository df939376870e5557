/**
 * Reads the command of a RUN instruction (shell form, exec form, heredoc) into simple
 * commands whose words keep their offsets in the Dockerfile, so that rules can both
 * understand `pip install …` and edit exactly the characters they mean.
 *
 * This is a deliberately small POSIX-sh reader: words, quotes, `$(…)`, control operators,
 * redirections and comments. It does not expand anything; it never throws.
 */
import type { Heredoc, Instruction } from 'dockerfile-ast';
import type { Position } from '../positions';
import { work } from '../work-counters';
import { chargeWork } from '../work-budget';

/** The little of a parsed Dockerfile this reader needs. */
export interface SourceView {
  text: string;
  escapeChar: string;
  offsetAt(position: Position): number;
}

export interface ShellWord {
  /** The word with quotes and backslash escapes removed (expansions kept verbatim). */
  value: string;
  /** Document offsets, end exclusive. */
  start: number;
  end: number;
}

export interface SimpleCommand {
  /** `NAME=value` words before the command name. */
  assignments: ShellWord[];
  /** The command name and its arguments (redirections removed). */
  words: ShellWord[];
}

export interface RunScript {
  form: 'shell' | 'exec' | 'heredoc';
  commands: SimpleCommand[];
  /** Offset of the RUN's first argument after its flags: where new flags are inserted. */
  argumentsStart: number;
}

/**
 * Text read out of the Dockerfile with each char's offset in it: `base + k` when the text is
 * one contiguous slice, else `offsets[k]` (continuations removed). Plain strings and numbers,
 * not an object per char: this runs for every RUN on every keystroke.
 */
interface MappedText { text: string; base: number; offsets?: number[] }

const offsetOf = (m: MappedText, k: number) => (m.offsets ? m.offsets[k] : m.base + k);

/** Parses a RUN's command. Empty (no commands) when the instruction is not a RUN or is half-typed. */
export function parseRunScript(source: SourceView, run: Instruction): RunScript {
  // Each call stands for a rule visiting the RUN's text, read or not: charged by its length, so
  // that a rule looping over every earlier RUN for every RUN runs out of budget on a huge file,
  // and a RUN of a megabyte is never read at all.
  work.runScriptVisits++;
  const range = run.getRange();
  const start = source.offsetAt(range.start);
  chargeWork(source.offsetAt(range.end) - start + 1);
  // Several rules read the same RUN of the same parse, and the next versions of the document
  // keep the instruction while it is unchanged (incremental-parse.ts): read it once for as long
  // as it starts at the same offset (the script's words carry offsets in the document).
  const read = SCRIPTS.get(run);
  if (read && read.start === start) return read.script;
  const script = readRunScript(source, run);
  SCRIPTS.set(run, { start, script });
  return script;
}

const SCRIPTS = new WeakMap<Instruction, { start: number; script: RunScript }>();

function readRunScript(source: SourceView, run: Instruction): RunScript {
  work.runScriptsRead++;
  const { text, escapeChar } = source;
  const endOffset = source.offsetAt(run.getRange().end);
  const argumentsStart = argumentsStartOf(source, run, endOffset);
  const empty: RunScript = { form: 'shell', commands: [], argumentsStart };
  if (argumentsStart >= endOffset) return empty;
  try {
    // dockerfile-ast re-reads the arguments to find heredocs: ask only when there can be one.
    // (Searched within the RUN only: `lastIndexOf` from its end ran back to the file's start
    // whenever no `<<` came before, which made every RUN cost the whole file.)
    work.shellCharsRead += endOffset - argumentsStart;
    const mayHaveHeredoc = text.substring(argumentsStart, endOffset).includes('<<');
    const heredocs: Heredoc[] = mayHaveHeredoc ? ((run as unknown as Partial<{ getHeredocs(): Heredoc[] }>).getHeredocs?.() ?? []) : [];
    if (text[argumentsStart] === '[') return { ...readExecForm(text, argumentsStart, endOffset, escapeChar), argumentsStart };
    if (heredocs.length > 0) return { form: 'heredoc', commands: readHeredocForm(source, argumentsStart, endOffset, heredocs), argumentsStart };
    const chars = joinContinuations(text, argumentsStart, endOffset, escapeChar);
    return { form: 'shell', commands: splitCommands(tokenize(chars)), argumentsStart };
  } catch {
    return empty;
  }
}

/**
 * Where the RUN's command starts: after the keyword and the last flag, past blanks, line
 * continuations and the comment lines Docker drops. (Computed from the flags, which dockerfile-ast
 * caches, instead of re-reading every argument.)
 */
function argumentsStartOf(source: SourceView, run: Instruction, endOffset: number): number {
  const flags = (run as Partial<{ getFlags(): Array<{ getRange(): { end: Position } }> }>).getFlags?.() ?? [];
  const last = flags[flags.length - 1];
  let i = source.offsetAt(last ? last.getRange().end : run.getInstructionRange().end);
  const { text, escapeChar } = source;
  while (i < endOffset) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t') { i++; continue; }
    if (ch === escapeChar) {
      let j = i + 1;
      while (text[j] === ' ' || text[j] === '\t') j++;
      if (text[j] === '\r' && text[j + 1] === '\n') j++;
      if (text[j] === '\n') { i = skipDroppedLines(text, j + 1, endOffset); continue; }
    }
    break;
  }
  return Math.min(i, endOffset);
}

/** Parses a piece of shell script (e.g. a `sh -c` string), for reuse by other readers. */
export function parseShellText(text: string, start: number, end: number): SimpleCommand[] {
  return splitCommands(tokenize({ text: text.slice(start, end), base: start }, true));
}

/**
 * Removes Dockerfile line continuations (escape char + end of line) and the comment and
 * blank lines Docker drops inside a continued instruction, keeping each char's offset.
 */
function joinContinuations(text: string, start: number, end: number, escapeChar: string): MappedText {
  work.shellCharsRead += end - start;
  const slice = text.slice(start, end);
  if (!slice.includes(escapeChar)) return { text: slice, base: start };
  let out = '';
  const offsets: number[] = [];
  let i = start;
  while (i < end) {
    const ch = text[i];
    if (ch === escapeChar) {
      let j = i + 1;
      while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
      if (text[j] === '\r' && text[j + 1] === '\n') j++;
      if (j < text.length && text[j] === '\n') {
        i = skipDroppedLines(text, j + 1, end);
        continue;
      }
      if (j >= end) break; // a trailing escape at the end of the file
    }
    out += ch;
    offsets.push(i);
    i++;
  }
  return { text: out, base: start, offsets };
}

function skipDroppedLines(text: string, i: number, end: number): number {
  for (;;) {
    let j = i;
    while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
    const dropped = text[j] === '#' || text[j] === '\n' || (text[j] === '\r' && text[j + 1] === '\n');
    if (!dropped || j >= end) return i;
    const nl = text.indexOf('\n', j);
    if (nl < 0 || nl >= end) return end;
    i = nl + 1;
  }
}

function readExecForm(text: string, start: number, end: number, escapeChar: string): Omit<RunScript, 'argumentsStart'> {
  const mapped = joinContinuations(text, start, end, escapeChar);
  const chars = mapped.text;
  const words: ShellWord[] = [];
  let i = 0;
  while (i < chars.length) {
    if (chars[i] !== '"') { i++; continue; }
    let value = '';
    let j = i + 1;
    for (; j < chars.length && chars[j] !== '"'; j++) {
      if (chars[j] === '\\' && j + 1 < chars.length) { j++; value += unescapeJson(chars[j]); }
      else value += chars[j];
    }
    words.push({ value, start: offsetOf(mapped, i), end: offsetOf(mapped, Math.min(j, chars.length - 1)) + 1 });
    i = j + 1;
  }
  if (words.length === 0) return { form: 'exec', commands: [] };
  // ["sh", "-c", "pip install …"] runs a shell script: read it as one.
  const shell = SHELL_NAME.test(words[0].value);
  const dashC = words.findIndex((w, k) => k > 0 && w.value === '-c');
  if (shell && dashC > 0 && words[dashC + 1]) {
    const script = words[dashC + 1];
    const raw = text.slice(script.start + 1, script.end - 1);
    if (!raw.includes('\\')) return { form: 'exec', commands: parseShellText(text, script.start + 1, script.end - 1) };
    // Escapes inside the JSON string: its words cannot be placed exactly, so all point at the string.
    const offsets = new Array<number>(script.value.length).fill(script.start);
    return { form: 'exec', commands: splitCommands(tokenize({ text: script.value, base: script.start, offsets })) };
  }
  return { form: 'exec', commands: [{ assignments: [], words }] };
}

function unescapeJson(ch: string): string {
  return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[ch] ?? ch;
}

const SHELL_NAME = /^(\/bin\/|\/usr\/bin\/)?(ba|da|a)?sh$/;
const HEREDOC_MARKER = /^<<-?(["']?)([A-Za-z_][\w]*)\1$/;

function readHeredocForm(source: SourceView, argumentsStart: number, endOffset: number, heredocs: Heredoc[]): SimpleCommand[] {
  const { text, escapeChar } = source;
  const firstLineEnd = text.indexOf('\n', argumentsStart);
  const lineEnd = firstLineEnd < 0 || firstLineEnd > endOffset ? endOffset : firstLineEnd;
  const head = splitCommands(tokenize(joinContinuations(text, argumentsStart, lineEnd, escapeChar)));
  const headCommands = head
    .map((c) => ({ ...c, words: c.words.filter((w) => !HEREDOC_MARKER.test(w.value)) }))
    .filter((c) => c.words.length > 0 || c.assignments.length > 0);
  // `RUN <<EOF` (or `RUN sh <<EOF`, `RUN bash -e <<EOF`) runs the body as a shell script;
  // `RUN python3 <<EOF` does not: its body is not shell.
  const runsBodyAsShell =
    headCommands.length === 0 ||
    (headCommands.length === 1 && SHELL_NAME.test(headCommands[0].words[0]?.value ?? ''));
  if (!runsBodyAsShell) return headCommands;
  const commands: SimpleCommand[] = [];
  for (const heredoc of heredocs) {
    const range = heredoc.getContentRange();
    if (range) commands.push(...parseShellText(text, source.offsetAt(range.start), source.offsetAt(range.end)));
  }
  return commands;
}

type Token = { kind: 'word'; word: ShellWord } | { kind: 'op'; op: string };

const OPERATORS = ['&&', '||', ';;', '|&', ';', '|', '&', '(', ')'];

/** Splits mapped chars into words and operators; `newlines` makes a newline a separator (scripts). */
/** Characters that end a word or change how it reads (quotes, escapes, expansions), by char code. */
const WORD_SPECIAL = new Uint8Array(128);
for (const c of ' \t\n\r;&|()<>\\\'"$`') WORD_SPECIAL[c.charCodeAt(0)] = 1;

function tokenize(mapped: MappedText, newlines = false): Token[] {
  const chars = mapped.text;
  work.shellCharsRead += chars.length;
  const tokens: Token[] = [];
  let i = 0;
  let skipNextWord = false; // the target of a redirection
  const n = chars.length;
  const at = (k: number) => (k < n ? chars[k] : '');

  while (i < n) {
    const ch = at(i);
    if (ch === ' ' || ch === '\t' || ch === '\r') { i++; continue; }
    if (ch === '\n') {
      if (newlines) tokens.push({ kind: 'op', op: ';' });
      i++;
      continue;
    }
    if (ch === '\\' && at(i + 1) === '\n') { i += 2; continue; }
    if (ch === '#') {
      while (i < n && at(i) !== '\n') i++;
      continue;
    }
    const op = operatorAt(i);
    if (op) {
      tokens.push({ kind: 'op', op });
      i += op.length;
      continue;
    }
    if (ch === '<' || ch === '>') {
      i = readRedirection(i);
      continue;
    }
    // A word: runs until unquoted whitespace or an operator.
    const startIndex = i;
    let value = '';
    while (i < n) {
      const c = at(i);
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') break;
      if (c === '<' || c === '>') break;
      if (c === '\\') { value += at(i + 1); i += 2; continue; }
      if (c === "'") {
        const close = indexOfChar("'", i + 1);
        value += chars.slice(i + 1, close);
        i = close + 1;
        continue;
      }
      if (c === '"') {
        i++;
        while (i < n && at(i) !== '"') {
          if (at(i) === '\\' && '$`"\\\n'.includes(at(i + 1))) { value += at(i + 1); i += 2; continue; }
          if (at(i) === '$' && at(i + 1) === '(') { const end = skipBalanced(i + 1, '(', ')'); value += text(i, end); i = end; continue; }
          value += at(i);
          i++;
        }
        i++;
        continue;
      }
      if (c === '$' && (at(i + 1) === '(' || at(i + 1) === '{')) {
        const open = at(i + 1);
        const end = skipBalanced(i + 1, open, open === '(' ? ')' : '}');
        value += text(i, end);
        i = end;
        continue;
      }
      if (c === '`') {
        const close = indexOfChar('`', i + 1);
        value += text(i, close + 1);
        i = close + 1;
        continue;
      }
      // Plain characters up to the next one this loop must look at, appended at once.
      let j = i + 1;
      while (j < n && !WORD_SPECIAL[chars.charCodeAt(j)]) j++;
      value += j === i + 1 ? c : chars.slice(i, j);
      i = j;
    }
    const endIndex = Math.min(i, n) - 1;
    // `2>file`: a word of digits right before a redirection is its file descriptor.
    if ((at(i) === '<' || at(i) === '>') && /^\d+$/.test(value)) continue;
    if (skipNextWord) { skipNextWord = false; continue; }
    if (endIndex >= startIndex) {
      tokens.push({ kind: 'word', word: { value, start: offsetOf(mapped, startIndex), end: offsetOf(mapped, endIndex) + 1 } });
    }
  }
  return tokens;

  function operatorAt(k: number): string | undefined {
    const c = at(k);
    if (c === '' || !';&|()'.includes(c)) return undefined;
    const pair = c + at(k + 1);
    return OPERATORS.includes(pair) ? pair : c;
  }
  function readRedirection(k: number): number {
    let op = '';
    while (k < n && '<>&|-'.includes(at(k))) { op += at(k); k++; }
    if (op.endsWith('&') && /\d/.test(at(k))) { while (/\d/.test(at(k))) k++; return k; } // 2>&1
    if (op === '<<' || op === '<<-') { skipNextWord = true; return k; } // a heredoc marker inside the body
    skipNextWord = true;
    return k;
  }
  function indexOfChar(c: string, from: number): number {
    for (let k = from; k < n; k++) if (at(k) === c) return k;
    return n;
  }
  function skipBalanced(from: number, open: string, close: string): number {
    let depth = 0;
    for (let k = from; k < n; k++) {
      if (at(k) === open) depth++;
      else if (at(k) === close && --depth === 0) return k + 1;
    }
    return n;
  }
  function text(from: number, to: number): string {
    return chars.slice(from, to);
  }
}

const RESERVED_PREFIXES = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function splitCommands(tokens: Token[]): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let current: SimpleCommand = { assignments: [], words: [] };
  const flush = () => {
    if (current.words.length > 0 || current.assignments.length > 0) commands.push(current);
    current = { assignments: [], words: [] };
  };
  for (const token of tokens) {
    if (token.kind === 'op') { flush(); continue; }
    const word = token.word;
    if (current.words.length === 0 && RESERVED_PREFIXES.has(word.value)) continue;
    if (current.words.length === 0 && ASSIGNMENT.test(word.value)) current.assignments.push(word);
    else current.words.push(word);
  }
  flush();
  return commands;
}
