/**
 * Suppression comments: `# dockopt ignore=<id>[,<id>]` on the line before an instruction, and
 * `# dockopt global ignore=<id>` anywhere for the whole file. Read from the raw lines, so they
 * work in Dockerfiles (where dockerfile-ast would take a first-line comment for a parser
 * directive) and in .dockerignore files alike.
 */
const IGNORE_COMMENT = /^#\s*dockopt\s+(global\s+)?ignore\s*=\s*([\w\-, ]+)$/i;
const MENTIONS_DOCKOPT = /dockopt/i;

export interface Suppressions {
  /** Rule ids per zero-based line that a `# dockopt ignore=` comment just above applies to. */
  lineIgnores: Map<number, Set<string>>;
  globallyIgnored: Set<string>;
}

export function readSuppressions(text: string): Suppressions {
  const lineIgnores = new Map<number, Set<string>>();
  const globallyIgnored = new Set<string>();
  // Most files have no suppression comment: one search of the text instead of a slice per line.
  if (!MENTIONS_DOCKOPT.test(text)) return { lineIgnores, globallyIgnored };
  let line = 0;
  for (let start = 0; start <= text.length; line++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const content = text.slice(start, end).trim();
    if (content.startsWith('#')) {
      const match = IGNORE_COMMENT.exec(content);
      if (match) {
        const ids = match[2].split(/[\s,]+/).filter(Boolean);
        if (match[1]) ids.forEach((id) => globallyIgnored.add(id));
        else lineIgnores.set(line + 1, new Set(ids));
      }
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  return { lineIgnores, globallyIgnored };
}
