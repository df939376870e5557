/**
 * What a dependency manifest says its install reads beyond the manifests themselves: workspace
 * members (`"workspaces"` in package.json, `[tool.uv.workspace]`), dependencies from local
 * folders (`file:../x`, `path = "../lib"`, `replace … => ../x`, `gemspec`), and install scripts
 * (`postinstall`). copy-before-install copies only manifests before the install: when a manifest
 * names more, that split breaks the build (a `problem`: no fix), or may (`unsure`: the fix is
 * offered, not applied automatically).
 */
import { isLocalPath } from '../dockerfile/install-reading';

export type ManifestReference =
  /** The install reads files the manifest-only COPY would not bring: no fix. */
  | { kind: 'problem'; reason: string }
  /** It may: the fix is offered with this assumption, but not preferred. */
  | { kind: 'unsure'; reason: string; assumption: string };

export interface InstallFlags {
  /** The install command in short, for messages: `npm ci`. */
  label: string;
  /** `--ignore-scripts`: npm, yarn and pnpm run no lifecycle script. */
  ignoresScripts: boolean;
}

/** The manifests referencesOf reads (by file name); lockfiles say nothing more and can be large. */
export const REFERENCING_MANIFESTS: ReadonlySet<string> = new Set(['package.json', 'pyproject.toml', 'Pipfile', 'go.mod', 'Gemfile', 'composer.json']);

/** What the manifest at `path` (context-relative) with this text makes its install read. */
export function referencesOf(path: string, text: string, flags: InstallFlags): ManifestReference | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  switch (name) {
    case 'package.json': return packageJson(path, text, flags);
    case 'pyproject.toml': return pyproject(path, text, flags.label);
    case 'Pipfile': return pipfile(path, text, flags.label);
    case 'go.mod': return goMod(path, text, flags.label);
    case 'Gemfile': return gemfile(path, text, flags.label);
    case 'composer.json': return composerJson(path, text, flags.label);
    default: return undefined;
  }
}

// ---- Node --------------------------------------------------------------------------------

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'overrides', 'resolutions'];
/** Scripts npm, yarn and pnpm run on a plain install of the project. */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

export function isLocalSpec(spec: string): boolean {
  return /^(file|link|portal|workspace):/.test(spec) || /^(\.{1,2}|~)?\//.test(spec) || spec === '.' || spec === '..';
}

/** What a package.json says about its install, as far as copy-before-install cares. */
export interface PackageFacts {
  /** Its `workspaces` patterns (array or `{ packages }` form). */
  workspaces: string[];
  /** Dependencies taken from local folders: [name, spec as written]. */
  localDependencies: Array<[string, string]>;
  /** The first install-time script it runs: [name, command]. */
  installScript?: [string, string];
  /** The patch files `pnpm.patchedDependencies` names, which pnpm reads (and hashes) at install. */
  patchFiles: string[];
}

/** Reads a package.json; undefined when it is not a JSON object (the install fails on it wherever the COPY stands). */
export function readPackageJson(text: string): PackageFacts | undefined {
  const manifest = parseJsonObject(text);
  if (!manifest) return undefined;
  const declared = Array.isArray(manifest.workspaces)
    ? manifest.workspaces
    : isObject(manifest.workspaces) && Array.isArray(manifest.workspaces.packages)
      ? manifest.workspaces.packages
      : [];
  const localDependencies: Array<[string, string]> = [];
  for (const field of DEPENDENCY_FIELDS) {
    const deps = manifest[field];
    if (!isObject(deps)) continue;
    for (const [dep, spec] of Object.entries(deps)) {
      if (typeof spec === 'string' && isLocalSpec(spec)) localDependencies.push([dep, spec]);
    }
  }
  const scripts = manifest.scripts;
  const script = isObject(scripts) ? INSTALL_SCRIPTS.find((s) => typeof scripts[s] === 'string' && scripts[s] !== '') : undefined;
  const pnpm = manifest.pnpm;
  const patched = isObject(pnpm) && isObject(pnpm.patchedDependencies) ? Object.values(pnpm.patchedDependencies) : [];
  return {
    workspaces: declared.filter((w): w is string => typeof w === 'string'),
    localDependencies,
    installScript: script && isObject(scripts) ? [script, String(scripts[script])] : undefined,
    patchFiles: patched.filter((file): file is string => typeof file === 'string'),
  };
}

/** The reason a package.json's install script makes the split an assumption. */
export function installScriptReference(path: string, [script, command]: [string, string]): Extract<ManifestReference, { kind: 'unsure' }> {
  return {
    kind: 'unsure',
    reason: `${path} runs a \`${script}\` script at install (\`${shorten(command)}\`), which may read other files`,
    assumption: `the ${script} script needs only the manifests`,
  };
}

function packageJson(path: string, text: string, flags: InstallFlags): ManifestReference | undefined {
  const facts = readPackageJson(text);
  if (!facts) return undefined;
  if (facts.workspaces.length > 0) {
    return {
      kind: 'problem',
      reason: `${path} declares workspaces (${facts.workspaces.map((m) => `"${m}"`).join(', ')}), so \`${flags.label}\` reads every member's package.json`,
    };
  }
  const [local] = facts.localDependencies;
  if (local) return { kind: 'problem', reason: `${path} takes ${local[0]} from a local folder (\`${local[1]}\`), which \`${flags.label}\` reads` };
  const [patch] = facts.patchFiles;
  if (patch) return { kind: 'problem', reason: `${path} patches dependencies with files of the project (pnpm.patchedDependencies: \`${patch}\`), which \`${flags.label}\` reads` };
  if (!flags.ignoresScripts && facts.installScript) return installScriptReference(path, facts.installScript);
  return undefined;
}

// ---- Python ------------------------------------------------------------------------------

/** The TOML tables of a file with their lines (just enough: headers and their bodies). */
function tomlTables(text: string): Array<{ table: string; lines: string[] }> {
  const tables: Array<{ table: string; lines: string[] }> = [{ table: '', lines: [] }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(line);
    if (header) tables.push({ table: header[1].replace(/\s*\.\s*/g, '.').replace(/["']/g, ''), lines: [] });
    else if (line) tables[tables.length - 1].lines.push(line);
  }
  return tables;
}

const POETRY_DEPENDENCY_TABLE = /^tool\.poetry\.(dependencies|dev-dependencies|group\.[^.]+\.dependencies)(\.[^.]+)?$/;
const PATH_KEY = /(^|[{,\s])path\s*=\s*["']([^"']*)["']/;

function pyproject(path: string, text: string, label: string): ManifestReference | undefined {
  for (const { table, lines } of tomlTables(text)) {
    if (table === 'tool.uv.workspace') {
      return { kind: 'problem', reason: `${path} declares a uv workspace ([tool.uv.workspace]), so \`${label}\` reads every member's pyproject.toml` };
    }
    const sources = table === 'tool.uv.sources' || table.startsWith('tool.uv.sources.');
    if (sources || POETRY_DEPENDENCY_TABLE.test(table)) {
      for (const line of lines) {
        const local = PATH_KEY.exec(line);
        if (local) return { kind: 'problem', reason: `${path} takes a dependency from a local folder (path = "${local[2]}"), which \`${label}\` reads` };
        if (sources && /(^|[{,\s])workspace\s*=\s*true/.test(line)) {
          return { kind: 'problem', reason: `${path} takes a dependency from the workspace (${line}), so \`${label}\` reads its members` };
        }
      }
    }
    if (table === 'project' || table === 'project.optional-dependencies' || table === 'dependency-groups') {
      const local = lines.find((line) => /@\s*file:/.test(line));
      if (local) return { kind: 'problem', reason: `${path} takes a dependency from a local file (${local.replace(/[,\s]+$/, '')}), which \`${label}\` reads` };
    }
  }
  return undefined;
}

function pipfile(path: string, text: string, label: string): ManifestReference | undefined {
  for (const { table, lines } of tomlTables(text)) {
    if (table === 'requires' || table === 'source' || table === 'pipenv' || table === 'scripts') continue;
    for (const line of lines) {
      const local = PATH_KEY.exec(line);
      if (local) return { kind: 'problem', reason: `${path} installs a package from a local folder (path = "${local[2]}"), which \`${label}\` reads` };
    }
  }
  return undefined;
}

/**
 * Whether a requirements line installs from the project's files: `-e .`, `./libs/x`,
 * `pkg @ file:///app/lib`, `wheels/x.whl`, `--find-links ./wheels`.
 */
export function isLocalRequirement(line: string): boolean {
  const editable = /^(?:-e|--editable)(?:\s*=\s*|\s+)(\S+)/.exec(line);
  if (editable) return isLocalPath(editable[1]);
  const findLinks = /^(?:-f|--find-links)(?:\s*=\s*|\s+)(\S+)/.exec(line);
  if (findLinks) return !/^[a-z][\w+.-]*:/i.test(findLinks[1]);
  if (line.startsWith('-')) return false;
  if (/@\s*file:/.test(line)) return true;
  return isLocalPath(line.split(/[;\s]/)[0]);
}

// ---- Go, Ruby, PHP -------------------------------------------------------------------------

function goMod(path: string, text: string, label: string): ManifestReference | undefined {
  const local = /=>\s*(\.{1,2}(?:\/\S*)?|\/\S*)\s*$/m.exec(text.replace(/\/\/.*$/gm, ''));
  return local ? { kind: 'problem', reason: `${path} replaces a module with a local folder (=> ${local[1]}), which \`${label}\` reads` } : undefined;
}

function gemfile(path: string, text: string, label: string): ManifestReference | undefined {
  const code = text.replace(/#.*$/gm, '');
  if (/^\s*gemspec\b/m.test(code)) return { kind: 'problem', reason: `${path} names the project's gemspec (\`gemspec\`), which \`${label}\` reads` };
  const local = /(?:\bpath:\s*|:path\s*=>\s*)(["'][^"']*["'])/.exec(code);
  if (local) return { kind: 'problem', reason: `${path} installs a gem from a local folder (path: ${local[1]}), which \`${label}\` reads` };
  return undefined;
}

function composerJson(path: string, text: string, label: string): ManifestReference | undefined {
  const manifest = parseJsonObject(text);
  if (!manifest) return undefined;
  const repositories = Array.isArray(manifest.repositories) ? manifest.repositories : isObject(manifest.repositories) ? Object.values(manifest.repositories) : [];
  const local = repositories.find((r) => isObject(r) && r.type === 'path');
  if (isObject(local)) {
    return { kind: 'problem', reason: `${path} installs from a local folder (a "path" repository: ${String(local.url)}), which \`${label}\` reads` };
  }
  return undefined;
}

/** A JSON file's top-level object; undefined when the text is not JSON or not an object. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
