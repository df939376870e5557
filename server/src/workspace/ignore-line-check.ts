/**
 * Is a line fit to be written into a .dockerignore? Fixes copy lines from one ignore file into
 * another; a line that is not an ignore pattern (control characters, a pattern BuildKit rejects
 * with "syntax error in pattern", a line no editor would hold) is never carried over: it would
 * break the build, or it was never an ignore file's line to begin with.
 */

/** No real pattern comes near this; BuildKit itself has no limit, but a copied line this long is not a path. */
export const MAX_IGNORE_LINE = 4096;

// Tab is the only control character a pattern may hold.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Why `line` (without its line ending) may not be written to a .dockerignore, or undefined. */
export function ignoreLineProblem(line: string): string | undefined {
  if (line.length > MAX_IGNORE_LINE) return `is longer than ${MAX_IGNORE_LINE} characters`;
  if (CONTROL.test(line)) return 'holds control characters';
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  return patternSyntaxProblem(trimmed.startsWith('!') ? trimmed.slice(1).trim() : trimmed);
}

/** What BuildKit rejects as a bad pattern: an unclosed `[…]`, an empty one, a dangling `\`. */
function patternSyntaxProblem(pattern: string): string | undefined {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) return 'ends with a lone backslash';
      i++;
    } else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^' || pattern[j] === '!') j++;
      if (pattern[j] === ']') return 'has an empty [] (a ] must be escaped there)';
      let members = 0;
      for (; j < pattern.length && !(pattern[j] === ']' && members > 0); j++) {
        if (pattern[j] === '\\') j++;
        members++;
      }
      if (j >= pattern.length) return 'has an unclosed [';
      i = j;
    }
  }
  return undefined;
}

/** The first line of `text` not fit for a .dockerignore, with its 1-based number. */
export function firstBadIgnoreLine(text: string): { line: number; problem: string } | undefined {
  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const problem = ignoreLineProblem(lines[i]);
    if (problem) return { line: i + 1, problem };
  }
  return undefined;
}
