/**
 * A Dockerfile's parser directives (`# escape=`, `# syntax=`): the `# key=value` lines at the
 * very top, before any comment, blank line or instruction (after which BuildKit looks for none).
 * Read from the text alone, a line at a time, so that a check can ask without a parse.
 */
const DIRECTIVE = /^#\s*([a-zA-Z]+)\s*=\s*(\S*)\s*$/;

export interface ParserDirective {
  /** Lower-cased, as BuildKit compares them. */
  name: string;
  value: string;
}

/** The directives in the order written (a byte-order mark before the first is skipped). */
export function parserDirectives(text: string): ParserDirective[] {
  const found: ParserDirective[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const directive = DIRECTIVE.exec(text.slice(start, end < 0 ? undefined : end));
    if (!directive) break;
    found.push({ name: directive[1].toLowerCase(), value: directive[2] });
    if (end < 0) break;
    start = end + 1;
  }
  return found;
}
