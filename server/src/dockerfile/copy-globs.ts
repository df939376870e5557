/**
 * COPY and ADD source globs, matched as BuildKit matches them: `*` and `?` within one path
 * component, `[...]` classes (`[a-z]`, `[^0-9]`), `**` across components, `\` escaping. The one
 * compiler for COPY sources: it reuses the .dockerignore pattern compiler (BuildKit's
 * patternmatcher is the same code for both), which runs as an automaton, never backtracking.
 */
import { parseIgnoreLines, type PatternTest } from '../../../shared/src/dockerignore/ignore-matcher';

/** Whether a COPY source is a pattern rather than a path (a `\` escapes, so it makes one too). */
export function isCopyGlob(source: string): boolean {
  return /[*?[\\]/.test(source);
}

const compiled = new Map<string, PatternTest | undefined>();

/**
 * A context-relative source glob (`src/*.py`, `requirements[-_]*.txt`) as a test of
 * context-relative paths: `test` for the path itself, `testPathOrParent` for a path whose folder
 * the glob names (COPY then copies the folder with all below it). Undefined for a pattern
 * BuildKit rejects (an unclosed `[`, a trailing `\`).
 */
export function compileCopyGlob(glob: string): PatternTest | undefined {
  if (compiled.has(glob)) return compiled.get(glob);
  let test: PatternTest | undefined;
  if (!/[\r\n]/.test(glob)) {
    // One pattern line: a leading `!` or `#` would mean something else in a .dockerignore.
    const line = /^[!#]/.test(glob) ? `\\${glob}` : glob;
    test = parseIgnoreLines(line)[0]?.regex;
  }
  if (compiled.size >= 256) compiled.clear();
  compiled.set(glob, test);
  return test;
}
