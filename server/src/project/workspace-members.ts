/**
 * The members of an npm or yarn workspace (`"workspaces": ["packages/*"]` in the root
 * package.json), resolved exactly from the build context's files, so that copy-before-install
 * can copy each member's package.json to its own folder before the install. The install reads
 * every member's manifest: copying only the root's makes it miss their dependencies.
 *
 * Only what the engine knows is resolved: the context must be scanned, the patterns plain
 * (literal folders, or `*` for a whole path segment), the members few, and their manifests
 * must name nothing outside the workspace. Otherwise the plan is a `problem` and the finding
 * carries no fix.
 */
import { posix } from 'node:path';
import { pathWithin } from '../dockerfile/container-paths';
import { installScriptReference, readPackageJson, type InstallFlags, type PackageFacts } from './manifest-references';

/** Beyond this many members, copying each manifest is a listing the user should write. */
export const MAX_MEMBERS = 10;

/** What the workspace's files the context lists and reads. */
export interface WorkspaceFiles {
  /** Every file BuildKit sends (context-relative), or undefined before the scan. */
  list: readonly string[] | undefined;
  read(path: string): string | undefined;
}

export type WorkspacePlan =
  | {
      /** The members' package.json files, context-relative, in order. */
      manifests: string[];
      /** Set when a member's install script may read more: the fix is then not preferred. */
      unsure?: { reason: string; assumption: string };
    }
  | { problem: string };

/**
 * The member manifests of the workspace whose root package.json is `rootManifest` (context-relative)
 * and says `root`.
 */
export function planWorkspace(rootManifest: string, root: PackageFacts, files: WorkspaceFiles, flags: InstallFlags): WorkspacePlan {
  const rootDir = posix.dirname(rootManifest) === '.' ? '' : posix.dirname(rootManifest);
  const declared = `${rootManifest} declares workspaces (${root.workspaces.map((w) => `"${w}"`).join(', ')}), so \`${flags.label}\` reads every member's package.json`;
  if (!files.list) return { problem: `${declared}, and the context's files are not listed yet` };
  const patterns = root.workspaces.map(plainPattern);
  if (patterns.some((p) => p === undefined)) return { problem: `${declared}, and dockopt resolves only plain patterns (\`packages/*\`, \`apps/web\`)` };

  const members = new Set<string>();
  for (const file of files.list) {
    if (posix.basename(file) !== 'package.json' || file === rootManifest) continue;
    const dir = posix.dirname(file);
    const rel = rootDir === '' ? dir : pathWithin(rootDir, dir);
    if (rel === undefined || rel.split('/').includes('node_modules')) continue;
    if (patterns.some((p) => matches(p!, rel))) members.add(file);
  }
  const manifests = [...members].sort();
  if (manifests.length > MAX_MEMBERS) {
    return { problem: `${declared}: ${manifests.length} of them, more than dockopt copies one by one (${MAX_MEMBERS})` };
  }

  const memberDirs = new Set(manifests.map((m) => posix.dirname(m)));
  const inWorkspace = (fromDir: string, spec: string) => {
    if (/^workspace:/.test(spec)) return true; // resolved by name among the members
    const target = posix.normalize(posix.join(fromDir === '' ? '.' : fromDir, spec.replace(/^(file|link|portal):/, '')));
    return memberDirs.has(target) || target === (rootDir || '.');
  };
  let unsure: { reason: string; assumption: string } | undefined;
  const check = (manifest: string, facts: PackageFacts): string | undefined => {
    const dir = posix.dirname(manifest) === '.' ? '' : posix.dirname(manifest);
    const outside = facts.localDependencies.find(([, spec]) => !inWorkspace(dir, spec));
    if (outside) return `${manifest} takes ${outside[0]} from a folder outside the workspace (\`${outside[1]}\`), which \`${flags.label}\` reads`;
    if (!flags.ignoresScripts && facts.installScript && !unsure) {
      const { reason, assumption } = installScriptReference(manifest, facts.installScript);
      unsure = { reason, assumption };
    }
    return undefined;
  };
  const rootProblem = check(rootManifest, root);
  if (rootProblem) return { problem: rootProblem };
  for (const manifest of manifests) {
    const text = files.read(manifest);
    const facts = text === undefined ? undefined : readPackageJson(text);
    if (!facts) return { problem: `${declared}, and dockopt cannot read ${manifest}` };
    if (facts.workspaces.length > 0) return { problem: `${declared}, and ${manifest} declares workspaces of its own` };
    const problem = check(manifest, facts);
    if (problem) return { problem };
  }
  return unsure ? { manifests, unsure } : { manifests };
}

/** A pattern's segments when each is a literal name or `*`; undefined for anything else. */
function plainPattern(pattern: string): string[] | undefined {
  const clean = pattern.trim().replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean === '' || clean.startsWith('/') || clean.startsWith('!')) return undefined;
  const segments = clean.split('/');
  const plain = segments.every((s) => s === '*' || (s !== '' && s !== '.' && s !== '..' && !/[*?[\]{}!]/.test(s)));
  return plain ? segments : undefined;
}

function matches(pattern: readonly string[], dir: string): boolean {
  const segments = dir.split('/');
  return (
    segments.length === pattern.length &&
    pattern.every((p, i) => (p === '*' ? !segments[i].startsWith('.') : p === segments[i]))
  );
}
