/**
 * The user's exclude globs (`dockopt.exclude`, and the `files.exclude` globs "Optimize All"
 * sends): VS Code glob syntax against folder-relative posix paths. `*` and `?` stay within a
 * path segment, `**` spans segments, `[...]` is a character class, `{a,b}` alternatives (the
 * `braces` package expands them), and `*` matches dot files as in VS Code. A path is excluded
 * when it or a folder above it matches: VS Code hides what is inside an excluded folder.
 *
 * Each glob runs on the linear-time automaton of the `.dockerignore` matcher
 * (shared/src/dockerignore/glob-automaton.ts), never as a backtracking RegExp: a workspace
 * chooses both its settings and its file names, and `*a*a*a*a*c` against a long name would
 * otherwise stall the server for minutes.
 *
 * VS Code globs have no negation and no extglobs: a glob starting with `!` is dropped (it
 * cannot mean "exclude this"), and `!(...)`, `@(...)` are plain text.
 */
import * as path from 'node:path';
import braces from 'braces';
import { GlobAutomaton, type GlobToken } from '../../../shared/src/dockerignore/glob-automaton';

export type ExcludeTest = (relPath: string) => boolean;

/** `{a,b}{c,d}…` multiplies: past this many expansions a glob is left out rather than compiled. */
export const MAX_EXPANSIONS = 256;

/** A test for folder-relative posix paths; undefined when no glob applies (nothing is excluded). */
export function compileExcludeGlobs(globs: readonly string[]): ExcludeTest | undefined {
  const automata = globs.flatMap(expand).flatMap((glob) => {
    const pattern = cleanGlob(glob);
    return pattern === undefined ? [] : [new GlobAutomaton(tokensOf(pattern))];
  });
  if (automata.length === 0) return undefined;
  return (relPath) => automata.some((a) => a.testPathOrParent(relPath));
}

function expand(glob: string): string[] {
  const trimmed = glob.trim();
  if (trimmed === '' || trimmed.startsWith('!')) return [];
  if (!trimmed.includes('{')) return [trimmed];
  try {
    const expanded = braces(trimmed, { expand: true, rangeLimit: MAX_EXPANSIONS });
    return expanded.length <= MAX_EXPANSIONS ? expanded : [];
  } catch {
    return []; // a range past the limit (`{1..100000}`): braces refuses it
  }
}

/** The glob as a folder-relative pattern, or undefined when it cannot be used. */
function cleanGlob(glob: string): string | undefined {
  const pattern = path.posix.normalize(glob).replace(/\/+$/, '').replace(/^\/+/, '');
  return pattern === '' || pattern === '.' ? undefined : pattern;
}

/** VS Code glob syntax as automaton tokens. A `[` without its `]` is a plain character. */
export function tokensOf(glob: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (let i = 0; i < glob.length; ) {
    const c = glob[i];
    if (c === '*') {
      const run = /^\*+/.exec(glob.slice(i))![0].length;
      const segmentStart = i === 0 || glob[i - 1] === '/';
      const segmentEnd = i + run === glob.length || glob[i + run] === '/';
      if (run >= 2 && segmentStart && segmentEnd) {
        // `**/` is any folders (or none); a final `**` is anything.
        if (i + run === glob.length) tokens.push({ kind: 'rest' });
        else tokens.push({ kind: 'anyDirs' });
        i += run + (i + run < glob.length ? 1 : 0);
      } else {
        tokens.push({ kind: 'star' });
        i += run;
      }
    } else if (c === '?') {
      tokens.push({ kind: 'notSlash' });
      i++;
    } else if (c === '[' && glob.indexOf(']', i + 2) > 0) {
      const close = glob.indexOf(']', i + 2);
      tokens.push(characterClass(glob.slice(i + 1, close)));
      i = close + 1;
    } else {
      const code = glob.codePointAt(i)!;
      tokens.push({ kind: 'char', code });
      i += code > 0xffff ? 2 : 1;
    }
  }
  return tokens;
}

/** `[a-z0-9]`, `[!x]` / `[^x]` negated. */
function characterClass(body: string): GlobToken {
  const negated = body[0] === '!' || body[0] === '^';
  const chars = Array.from(negated ? body.slice(1) : body);
  const ranges: number[] = [];
  for (let k = 0; k < chars.length; k++) {
    const lo = chars[k].codePointAt(0)!;
    if (chars[k + 1] === '-' && k + 2 < chars.length) {
      ranges.push(lo, chars[k + 2].codePointAt(0)!);
      k += 2;
    } else {
      ranges.push(lo, lo);
    }
  }
  return { kind: 'class', ranges, negated };
}
