/**
 * Which paths "Optimize All" skips in a workspace folder: the folder's `files.exclude`
 * (what the user hid from the explorer) plus `dockopt.exclude`, sent to the server as
 * folder-relative VS Code globs (`*`, `?`, `**`, `[...]`, `{a,b}`), which it matches in linear
 * time (server/src/workspace/exclude-globs.ts).
 *
 * `files.exclude` entries with a `when` clause (hide `x.js` only beside `x.ts`) depend on
 * sibling files the server cannot evaluate from a glob; they never hide Docker files in
 * practice and are left out rather than applied wrongly.
 */

/** The globs a `files.exclude` value turns on (`true`), in the order given. */
export function enabledFilesExcludeGlobs(filesExclude: unknown): string[] {
  if (!filesExclude || typeof filesExclude !== 'object' || Array.isArray(filesExclude)) return [];
  return Object.entries(filesExclude as Record<string, unknown>)
    .filter(([, value]) => value === true)
    .map(([glob]) => glob);
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
  return pattern === '' || pattern === '.' ? undefined : pattern;
}

/** Every exclude glob for one folder: files.exclude first, then dockopt.exclude, without repeats. */
export function folderExcludeGlobs(filesExclude: unknown, dockoptExclude: unknown, folderPath: string): string[] {
  const own = Array.isArray(dockoptExclude) ? dockoptExclude.filter((g): g is string => typeof g === 'string') : [];
  const out = new Set<string>();
  for (const glob of [...enabledFilesExcludeGlobs(filesExclude), ...own]) {
    const relative = toFolderRelativeGlob(glob, folderPath);
    if (relative) out.add(relative);
  }
  return [...out];
}

function isAbsolute(pattern: string): boolean {
  return pattern.startsWith('/') || /^[A-Za-z]:\//.test(pattern);
}
