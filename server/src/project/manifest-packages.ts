/**
 * What a project manifest says belongs to the application: the packages and modules that
 * pyproject.toml names (`packages`, `py-modules`: setuptools, Poetry, Hatch…) and the `files`
 * of a package.json. Paths are relative to the manifest's folder; globs are kept as globs.
 *
 * pyproject.toml is read with a small scanner for those keys only (no TOML library in the
 * engine): a file it cannot follow yields fewer names, never an error.
 */
import { parseJsonObject } from './manifest-references';

export interface DeclaredPaths {
  /** Folders or files, relative to the manifest's folder (forward slashes). */
  paths: string[];
  /** Patterns (`files` globs, Poetry `include` globs), relative to the manifest's folder. */
  globs: string[];
  /** setuptools' `package-dir` root (`"" = "src"`): where dotted package names live. */
  root?: string;
}

const GLOB = /[*?[]/;

/** The packages and modules a pyproject.toml declares. */
export function pyprojectDeclares(text: string): DeclaredPaths {
  const out: DeclaredPaths = { paths: [], globs: [] };
  let table = '';
  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = stripComment(lines[i]).trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(line);
    if (header) {
      table = header[1].replace(/["'\s]/g, '');
      continue;
    }
    const assign = /^("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
    if (!assign) continue;
    const key = assign[1].replace(/^["']|["']$/g, '');
    // A value may be an array over several lines: read on until its brackets close.
    let value = assign[2];
    while (!balanced(value) && i + 1 < lines.length) value += '\n' + stripComment(lines[++i]);
    if (table === 'tool.setuptools.package-dir' && key === '') out.root = firstString(value);
    else if (table === 'tool.setuptools' && key === 'package-dir') out.root = rootOfInline(value);
    else if (key === 'packages') addPackages(out, value, table === 'tool.setuptools');
    else if (key === 'py-modules') for (const name of topLevelStrings(value)) out.paths.push(name.replace(/\./g, '/') + '.py');
  }
  return out;
}

/** The `files` of a package.json (negated entries are left out: they take files away). */
export function packageJsonDeclares(text: string): DeclaredPaths {
  const out: DeclaredPaths = { paths: [], globs: [] };
  const files = parseJsonObject(text)?.files;
  if (!Array.isArray(files)) return out;
  for (const entry of files) {
    if (typeof entry !== 'string' || entry.startsWith('!')) continue;
    const cleaned = entry.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
    if (cleaned === '' || cleaned === '.') continue;
    (GLOB.test(cleaned) ? out.globs : out.paths).push(cleaned);
  }
  return out;
}

function addPackages(out: DeclaredPaths, value: string, dotted: boolean): void {
  // Poetry: `{ include = "pkg", from = "src" }`; `include` may be a glob.
  for (const table of inlineTables(value)) {
    const include = stringOf(table, 'include');
    if (include === undefined) continue;
    const from = stringOf(table, 'from');
    const joined = from ? `${from.replace(/\/+$/, '')}/${include}` : include;
    (GLOB.test(joined) ? out.globs : out.paths).push(joined);
  }
  for (const name of topLevelStrings(value)) {
    // setuptools names packages by import name (`a.b`); Hatch and others by path (`src/a`).
    const rel = name.includes('/') || !dotted ? name : name.replace(/\./g, '/');
    (GLOB.test(rel) ? out.globs : out.paths).push(rel.replace(/\/+$/, ''));
  }
}

/** A `#` outside a string starts a comment. */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') return line.slice(0, i);
  }
  return line;
}

/** Whether the `[`/`{` of a value are all closed (outside strings). */
function balanced(value: string): boolean {
  let depth = 0;
  walk(value, (ch) => {
    if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
  });
  return depth <= 0;
}

/** Calls `visit` for each character outside strings, with the bracket depth before it. */
function walk(value: string, visit: (ch: string, index: number) => void): void {
  let quote = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    visit(ch, i);
  }
}

/** The strings of a value that are not inside an inline table: `["a", "b"]` → a, b. */
function topLevelStrings(value: string): string[] {
  const out: string[] = [];
  let braces = 0;
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|[{}]/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    if (m[0] === '{') braces++;
    else if (m[0] === '}') braces--;
    else if (braces === 0) out.push(m[1] ?? m[2]);
  }
  return out.filter((s) => s !== '');
}

/** The outermost inline tables of a value, as text: `[{ include = "a" }]` → `include = "a"`. */
function inlineTables(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  walk(value, (ch, i) => {
    if (ch === '{' && depth++ === 0) start = i + 1;
    else if (ch === '}' && --depth === 0 && start >= 0) out.push(value.slice(start, i));
  });
  return out;
}

function stringOf(table: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|[,{\\s])["']?${key}["']?\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|'([^']*)')`).exec(table);
  return m ? (m[1] ?? m[2]) : undefined;
}

function firstString(value: string): string | undefined {
  return topLevelStrings(value)[0];
}

/** `{"" = "src"}` → src */
function rootOfInline(value: string): string | undefined {
  const m = /(?:""|'')\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}
