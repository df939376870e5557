/**
 * "Disable <rule> for this line" and "Disable <rule> for this file", offered on every dockopt
 * diagnostic as ESLint's extension does. They write the suppression comments suppressions.ts
 * reads: `# dockopt ignore=<rule>` on the line above the instruction (indented like it), and
 * `# dockopt global ignore=<rule>` for the whole file. An existing comment of the same form is
 * extended (`ignore=a,b`) instead of stacking a second one. Edits keep the file's line endings.
 */
import { parseDockerfile } from '../dockerfile/model';
import type { TextEdit } from '../rules/types';

/** The comment forms, as suppressions.ts reads them (case-insensitive, spaces allowed). */
const LINE_COMMENT = /^[ \t]*#\s*dockopt\s+ignore\s*=\s*([\w\-, ]+?)[ \t]*$/i;
const GLOBAL_COMMENT = /^[ \t]*#\s*dockopt\s+global\s+ignore\s*=\s*([\w\-, ]+?)[ \t]*$/i;
/** Parser directives must stay first in a Dockerfile: a comment before them turns them into comments. */
const DIRECTIVE = /^[ \t]*#[ \t]*(syntax|escape|check)[ \t]*=/i;

export type SuppressScope = 'line' | 'file';

export interface SuppressEdit {
  scope: SuppressScope;
  title: string;
  edit: TextEdit;
}

interface Line {
  start: number;
  /** End of the content, before `\r\n` / `\n`. */
  end: number;
  text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  for (let start = 0; ; ) {
    const nl = text.indexOf('\n', start);
    const stop = nl < 0 ? text.length : nl;
    const end = stop > start && text[stop - 1] === '\r' ? stop - 1 : stop;
    lines.push({ start, end, text: text.slice(start, end) });
    if (nl < 0) return lines;
    start = nl + 1;
  }
}

function eolOf(text: string): string {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/** `ignore=a, b` plus `rule`, unless it is there already (then null: nothing to do). */
function extendComment(line: Line, pattern: RegExp, ruleId: string): TextEdit | null {
  const match = pattern.exec(line.text)!;
  const ids = match[1].split(/[\s,]+/).filter(Boolean);
  if (ids.includes(ruleId)) return null;
  const listEnd = line.start + match.index + match[0].length - (match[0].length - match[0].trimEnd().length);
  return { start: listEnd, end: listEnd, newText: `${ids.length ? ',' : ''}${ruleId}` };
}

/** The edit that silences `ruleId` for the instruction at `line` (0-based), or null when there is none. */
export function lineSuppression(text: string, kind: 'dockerfile' | 'dockerignore', line: number, ruleId: string): TextEdit | null {
  // In a .dockerignore a suppression comment anywhere covers the whole file: only the file form means anything.
  if (kind !== 'dockerfile') return null;
  const instruction = parseDockerfile(text).instructionAtLine(line);
  if (!instruction) return null;
  const lines = splitLines(text);
  const first = instruction.range.start.line;
  const above = first > 0 ? lines[first - 1] : undefined;
  if (above && LINE_COMMENT.test(above.text)) return extendComment(above, LINE_COMMENT, ruleId);
  const target = lines[first];
  const indent = /^[ \t]*/.exec(target.text)![0];
  return { start: target.start, end: target.start, newText: `${indent}# dockopt ignore=${ruleId}${eolOf(text)}` };
}

/** The edit that silences `ruleId` in the whole file, or null when it already is. */
export function fileSuppression(text: string, kind: 'dockerfile' | 'dockerignore', ruleId: string): TextEdit | null {
  const lines = splitLines(text);
  const existing = lines.find((l) => GLOBAL_COMMENT.test(l.text));
  if (existing) return extendComment(existing, GLOBAL_COMMENT, ruleId);
  let at = 0;
  if (kind === 'dockerfile') while (at < lines.length && DIRECTIVE.test(lines[at].text)) at++;
  const comment = `# dockopt global ignore=${ruleId}`;
  if (at < lines.length && !(at === lines.length - 1 && lines[at].text === '' && at > 0)) {
    return { start: lines[at].start, end: lines[at].start, newText: `${comment}${eolOf(text)}` };
  }
  // After the last line (a file of directives only, or an empty file).
  const eol = eolOf(text);
  const lastLine = lines[lines.length - 1];
  const needsBreak = text.length > 0 && lastLine.text !== '';
  return { start: text.length, end: text.length, newText: `${needsBreak ? eol : ''}${comment}${eol}` };
}

/** Both actions for a finding at `line`; each only when it changes something. */
export function suppressEdits(text: string, kind: 'dockerfile' | 'dockerignore', line: number, ruleId: string): SuppressEdit[] {
  const out: SuppressEdit[] = [];
  const forLine = lineSuppression(text, kind, line, ruleId);
  if (forLine) out.push({ scope: 'line', title: `Disable ${ruleId} for this line`, edit: forLine });
  const forFile = fileSuppression(text, kind, ruleId);
  if (forFile) out.push({ scope: 'file', title: `Disable ${ruleId} for this file`, edit: forFile });
  return out;
}
