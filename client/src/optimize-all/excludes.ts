/**
 * Which paths "Optimize All" skips in a workspace folder: the folder's `files.exclude`
 * (what the user hid from the explorer) plus `dockopt.exclude`, as globs the server's
 * matcher understands (Docker's .dockerignore syntax: `*`, `?`, `[...]`, `**`).
 *
 * VS Code globs also have `{a,b}` alternatives, which .dockerignore syntax lacks, so they are
 * expanded here. `files.exclude` entries with a `when` clause (hide `x.js` only beside `x.ts`)
 * depend on sibling files the server cannot evaluate from a glob; they never hide Docker files
 * in practice and are left out rather than applied wrongly.
 */

/** Beyond this many alternatives a glob is more likely a mistake than a real exclude. */
const MAX_EXPANSIONS = 256;

/** The globs a `files.exclude` value turns on (`true`), in the order given. */
export function enabledFilesExcludeGlobs(filesExclude: unknown): string[] {
  if (!filesExclude || typeof filesExclude !== 'object' || Array.isArray(filesExclude)) return [];
  return Object.entries(filesExclude as Record<string, unknown>)
    .filter(([, value]) => value === true)
    .map(([glob]) => glob);
}

/** `src/{a,b}/*.{js,ts}` → the four plain globs; unbalanced braces are kept as written. */
export function expandBraces(glob: string): string[] {
  const open = findUnescaped(glob, '{', 0);
  if (open < 0) return [glob];
  const close = matchingBrace(glob, open);
  if (close < 0) return [glob];
  const head = glob.slice(0, open);
  const tail = glob.slice(close + 1);
  const out: string[] = [];
  for (const alternative of splitTopLevel(glob.slice(open + 1, close))) {
    for (const expanded of expandBraces(head + alternative + tail)) {
      out.push(expanded);
      if (out.length >= MAX_EXPANSIONS) return out;
    }
  }
  return out;
}

/**
 * One glob as a path pattern relative to the folder, or undefined when it cannot mean a
 * path inside it (empty, a negation, another folder's absolute path).
 */
export function toFolderRelativeGlob(glob: string, folderPath: string): string | undefined {
  let pattern = glob.trim().replace(/\\/g, '/');
  if (pattern === '' || pattern.startsWith('!') || /[\r\n]/.test(pattern)) return undefined;
  const folder = folderPath.replace(/\\/g, '/').replace(/\/+$/, '');
  if (isAbsolute(pattern)) {
    if (!pattern.toLowerCase().startsWith(folder.toLowerCase() + '/')) return undefined;
    pattern = pattern.slice(folder.length + 1);
  }
  pattern = pattern.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  // A leading `#` would make the whole line a comment in .dockerignore syntax.
  if (pattern.startsWith('#')) pattern = `[#]${pattern.slice(1)}`;
  return pattern === '' || pattern === '.' ? undefined : pattern;
}

/** Every exclude glob for one folder: files.exclude first, then dockopt.exclude, without repeats. */
export function folderExcludeGlobs(filesExclude: unknown, dockoptExclude: unknown, folderPath: string): string[] {
  const own = Array.isArray(dockoptExclude) ? dockoptExclude.filter((g): g is string => typeof g === 'string') : [];
  const out = new Set<string>();
  for (const glob of [...enabledFilesExcludeGlobs(filesExclude), ...own]) {
    for (const expanded of expandBraces(glob)) {
      const relative = toFolderRelativeGlob(expanded, folderPath);
      if (relative) out.add(relative);
    }
  }
  return [...out];
}

function isAbsolute(pattern: string): boolean {
  return pattern.startsWith('/') || /^[A-Za-z]:\//.test(pattern);
}

function findUnescaped(text: string, char: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === char) return i;
  }
  return -1;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') i++;
    else if (body[i] === '{') depth++;
    else if (body[i] === '}') depth--;
    else if (body[i] === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}
