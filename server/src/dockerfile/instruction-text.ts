/**
 * How an instruction reads in the file's text: a short label for messages (`COPY . .`, the first
 * line of a long RUN), the comment lines that belong to it (they move with it), and where its
 * last line ends (before the line break, `\r\n` or `\n`).
 */
import type { CopyInstruction } from './copy-instructions';
import type { DockerfileModel, InstructionInfo } from './model';

/** `COPY <sources> <dest>` as the instruction names them, flags left out. */
export function copyLabel(copy: CopyInstruction): string {
  return `${copy.info.keyword} ${[...copy.sources, copy.dest].join(' ')}`;
}

/** The instruction's first line, without its continuation and with blanks collapsed; at most 50 characters. */
export function instructionLabel(model: DockerfileModel, info: InstructionInfo): string {
  const firstLine = model.text.slice(info.startOffset, info.endOffset).split(/\r?\n/)[0];
  const text = firstLine.replace(new RegExp(`\\s*${escapeRegExp(model.escapeChar)}\\s*$`), '').replace(/\s+/g, ' ').trim();
  return text.length > 50 ? `${text.slice(0, 47)}…` : text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const GLOBAL_IGNORE = /^#\s*dockopt\s+global\s+ignore\s*=/i;

/**
 * Where the instruction's lines start with the comment lines right above it: the `#` lines with
 * no blank line between them and it. They describe the instruction (`# Copy everything, then
 * install`) or suppress a rule on it (`# dockopt ignore=…` applies to the line right below it), so
 * they move with it: one left behind would describe, or suppress a rule on, whatever comes next.
 * A file-wide `# dockopt global ignore=` belongs to no instruction: it stays, and so does
 * everything above it.
 */
export function commentedStart(model: DockerfileModel, info: InstructionInfo): number {
  const { text } = model;
  const floor = floorOf(model, info);
  let start = text.lastIndexOf('\n', info.startOffset - 1) + 1;
  while (start > floor) {
    const above = text.lastIndexOf('\n', start - 2) + 1;
    if (above < floor || above >= start) break;
    const line = text.slice(above, start - 1).trim();
    if (!line.startsWith('#') || GLOBAL_IGNORE.test(line)) break;
    start = above;
  }
  return start;
}

/**
 * Where the lines that may belong to `info` start: the line after the instruction before it
 * (a heredoc body or continuation of that one is not a comment on this one). Without one, its
 * own line: what is above the first instruction (parser directives, a file header) stays.
 */
function floorOf(model: DockerfileModel, info: InstructionInfo): number {
  const previous = info.index > 0 ? model.instructions[info.index - 1] : undefined;
  if (!previous) return model.text.lastIndexOf('\n', info.startOffset - 1) + 1;
  const newline = model.text.indexOf('\n', previous.endOffset);
  return newline < 0 ? model.text.length : newline + 1;
}

/** The offset where the line holding `offset` ends (before its `\r\n` or `\n`). */
export function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline < 0) return text.length;
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}
