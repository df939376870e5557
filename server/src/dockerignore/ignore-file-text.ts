/**
 * The text of .dockerignore files dockopt writes or edits: a new file for a build (with the
 * patterns of the file it replaces and of an unread one beside the Dockerfile), lines appended
 * under a comment title, patterns moved to where BuildKit reads them.
 */
import * as path from 'node:path';
import type { BuildContext, ContextScan } from '../workspace/build-context';
import type { TextEdit } from '../positions';
import { cleanPattern, parseIgnoreLines } from '../../../shared/src/dockerignore/ignore-matcher';
import { isInside } from '../../../shared/src/files/containment';
import type { BuildInputs } from './build-inputs';
import { buildsToProtect, planPatterns, renderGrouped } from './recommended-patterns';

/** The line ending a file uses (its first one), or `fallback` when it has none. */
export function eolOf(text: string, fallback: '\n' | '\r\n' = '\n'): '\n' | '\r\n' {
  const i = text.indexOf('\n');
  if (i < 0) return fallback;
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * The lines of a .dockerignore in `fromDir`, rewritten for a context rooted at `contextDir`:
 * `tests/` in services/x/.dockerignore becomes `services/x/tests/`; `**\/x` stays (it matches at
 * every depth anyway); `!` exceptions and comments are kept. Undefined when `fromDir` is not
 * inside the context, where its paths cannot be expressed.
 */
export function rewriteForContext(text: string, fromDir: string, contextDir: string): string[] | undefined {
  if (!isInside(contextDir, fromDir)) return undefined;
  const rel = path.relative(contextDir, fromDir);
  const prefix = rel.split(path.sep).join('/');
  const lines = text.split(/\r?\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (prefix === '') return lines;
  return lines.map((line) => {
    if (line.startsWith('#') || line.trim() === '') return line;
    let body = line.trim();
    const exception = body.startsWith('!');
    if (exception) body = body.slice(1).trim();
    const cleaned = cleanPattern(body);
    if (cleaned === '') return line;
    if (cleaned.startsWith('**')) return line.trim();
    const joined = cleaned === '.' ? prefix : `${prefix}/${cleaned}`;
    return `${exception ? '!' : ''}${joined}${body.endsWith('/') && cleaned !== '.' ? '/' : ''}`;
  });
}

/** Whether every rule of `lines` is already a rule of `targetText`. */
export function patternsPresent(lines: readonly string[], targetText: string | undefined): boolean {
  const wanted = parseIgnoreLines(lines.join('\n'));
  if (wanted.length === 0) return true;
  if (targetText === undefined) return false;
  const have = new Set(parseIgnoreLines(targetText).map((r) => `${r.exception ? '!' : ''}${r.pattern}`));
  return wanted.every((r) => have.has(`${r.exception ? '!' : ''}${r.pattern}`));
}

/**
 * The text of `<Dockerfile>.dockerignore` (or `<context>/.dockerignore`) created for a build:
 * the patterns of the context-root file it replaces (if any), the rewritten patterns of the
 * unread `.dockerignore` beside the Dockerfile (if any), then every safe recommended pattern not
 * yet there. Rules 5 and 7 both create it, so one pass of fixes gives the same file either way.
 */
export function newIgnoreFileText(
  build: BuildContext,
  targetPath: string,
  inputs: BuildInputs,
  dockerfileEol: '\n' | '\r\n',
): string {
  const stray = build.unreadIgnoreFile;
  const eol = stray && stray.text.includes('\n') ? eolOf(stray.text) : dockerfileEol;
  const targetDir = path.dirname(targetPath);
  const rel = (p: string) => path.relative(targetDir, p).split(path.sep).join('/') || '.';
  // The context root's file is read by every Dockerfile there: it names none of them, so that
  // whichever Dockerfile's fix creates it, the file is the same.
  const forContext = path.basename(targetPath) === '.dockerignore';
  const lines: string[] = [
    forContext
      ? '# Written by dockopt'
      : `# Written by dockopt for ${rel(build.dockerfilePath)} (build context: ${rel(build.contextDir)})`,
    '# Files matched here are not sent to BuildKit: a smaller context and fewer COPY cache misses.',
  ];
  if (!forContext) {
    lines.push(`# BuildKit reads this file instead of ${rel(path.join(build.contextDir, '.dockerignore'))}; paths are relative to the context.`);
  }
  // Other Dockerfiles read the new file too only when it is the context root's.
  const protect = (scan: ContextScan) =>
    forContext ? buildsToProtect({ ...build, scan }, inputs) : [{ scan, inputs, readFile: build.readFile?.bind(build) }];
  const replaced = build.ignoreFile.exists && build.ignoreFile.path !== targetPath ? build.ignoreFile : undefined;
  if (replaced) {
    lines.push('', `# From ${rel(replaced.path)}, which this file replaces for this build`);
    lines.push(...splitLines(replaced.text ?? ''));
  }
  const moved = stray && stray.path !== targetPath ? rewriteForContext(stray.text, path.dirname(stray.path), build.contextDir) : undefined;
  if (stray && moved) {
    lines.push('', `# From ${rel(stray.path)}, which this build does not read (rewritten relative to the context)`);
    lines.push(...moved);
  }
  let text = lines.join(eol) + eol;
  if (build.scan) {
    const plan = planPatterns(text, protect(build.scan), false);
    const present = new Set(parseIgnoreLines(text).map((r) => r.pattern));
    plan.entries = plan.entries.filter((e) => !present.has(cleanPattern(e.entry.pattern)));
    text += renderGrouped(plan, eol);
  }
  return text;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * An edit that appends `lines` to `text` under the comment `# <title>`, leaving the user's lines
 * untouched: a line break first when the text does not end with one, the file's own line ending
 * throughout. When an earlier fix already wrote that comment, the lines go at the end of its
 * section instead of under a second copy of it. `body` says what dockopt writes in the section,
 * and so where it ends: `patterns` only (it ends at the first blank or comment line, where the
 * user's own lines begin), or any `lines` (copied from another file, blank lines and comments
 * included: it ends before the next header dockopt writes, or with the file). Either way the new
 * lines follow its last line that is not blank.
 */
export function appendEdit(text: string, title: string, lines: readonly string[], body: 'patterns' | 'lines' = 'lines'): TextEdit {
  const eol = eolOf(text);
  const section = sectionEnd(text, `# ${title}`, body);
  if (section) {
    const newText = lines.length === 0 ? '' : (section.lineBreak ? '' : eol) + lines.map((l) => l + eol).join('');
    return { start: section.at, end: section.at, newText };
  }
  let newText = '';
  if (text.length > 0) {
    if (!/[\r\n]$/.test(text)) newText += eol;
    newText += eol;
  }
  newText += `# ${title}${eol}` + lines.map((l) => l + eol).join('');
  return { start: text.length, end: text.length, newText };
}

/** The comments that open a section dockopt writes (`# dockopt: …` appended, `# Written by dockopt` created). */
const DOCKOPT_HEADER = /^#\s*(?:dockopt:|Written by dockopt\b)/;

/**
 * Where new lines of the section under `header` go: after its last line that is not blank (and
 * whether that line ends with a line break); undefined when the text has no such header.
 */
function sectionEnd(text: string, header: string, body: 'patterns' | 'lines'): { at: number; lineBreak: boolean } | undefined {
  let end: { at: number; lineBreak: boolean } | undefined;
  for (let offset = 0; offset < text.length; ) {
    const newline = text.indexOf('\n', offset);
    const next = newline < 0 ? text.length : newline + 1;
    const line = text.slice(offset, newline < 0 ? text.length : newline).replace(/\r$/, '');
    offset = next;
    if (!end) {
      if (line.trimEnd() === header) end = { at: next, lineBreak: newline >= 0 };
      continue;
    }
    // moby takes a line for a comment only when `#` is its first character.
    if (DOCKOPT_HEADER.test(line)) break;
    const blank = line.trim() === '';
    if (body === 'patterns' && (blank || line.startsWith('#'))) break;
    if (!blank) end = { at: next, lineBreak: newline >= 0 };
  }
  return end;
}
