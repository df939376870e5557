/**
 * COPY and ADD source globs, matched as BuildKit matches them: `*` and `?` within one path
 * component, `[...]` classes (`[a-z]`, `[^0-9]`), `\` escaping. A plain COPY matches each source
 * as Go's filepath.Match does: `**` is just `*` and `^` an ordinary character (measured with
 * Docker 20.10: a `**` then `*.whl` source took `dist/c.whl` but not `dist/a/b.whl`); `COPY --parents`
 * lets `**` cross components. The one
 * compiler for COPY sources, used by the engine's rules and by the BuildKit runner (which files
 * a COPY step reads, to explain a cache miss); so it lives here, the folder both may import. It
 * reuses the .dockerignore pattern compiler (BuildKit's patternmatcher is the same code for
 * both), which runs as an automaton, never backtracking.
 */
import { parseIgnoreLines, type PatternTest } from '../dockerignore/ignore-matcher';

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
export function compileCopyGlob(glob: string, options: { parents?: boolean } = {}): PatternTest | undefined {
  const key = `${options.parents ? 'P' : 'C'}${glob}`;
  if (compiled.has(key)) return compiled.get(key);
  let test: PatternTest | undefined;
  if (!/[\r\n]/.test(glob)) {
    const pattern = options.parents ? glob : asFilepathMatch(glob);
    // One pattern line: a leading `!` or `#` would mean something else in a .dockerignore.
    const line = /^[!#]/.test(pattern) ? `\\${pattern}` : pattern;
    test = parseIgnoreLines(line)[0]?.regex;
  }
  if (compiled.size >= 256) compiled.clear();
  compiled.set(key, test);
  return test;
}

/**
 * The glob in the .dockerignore compiler's syntax, meaning what filepath.Match means by it:
 * outside `[...]` and escapes, a run of `*` is one `*` and `^` is escaped (an anchor there).
 */
function asFilepathMatch(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      out += glob.slice(i, i + 2);
      i++;
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) return out + glob.slice(i); // unclosed: the compiler refuses it
      out += glob.slice(i, close + 1);
      i = close;
    } else if (c === '*') {
      out += '*';
      while (glob[i + 1] === '*') i++;
    } else {
      out += c === '^' ? '\\^' : c;
    }
  }
  return out;
}
