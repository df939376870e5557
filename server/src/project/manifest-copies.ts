/**
 * Which dependency manifests to copy before an install, and the COPY lines that do it:
 * the files the install reads that `COPY . .` would bring, minus those already copied (or
 * bind-mounted), limited to files that exist in the build context when its scan is known.
 *
 * Copying only the manifests is right only when the install reads nothing else: each manifest
 * is read (workspaces, local path dependencies, included requirements files, install scripts)
 * and, when the engine cannot read them, the plan says the split rests on an assumption.
 */
import { posix } from 'node:path';
import type { InstructionInfo } from '../dockerfile/model';
import { readMounts } from '../dockerfile/mounts';
import type { BuildContext, ContextScan } from '../workspace/build-context';
import { compileCopyGlob } from '../../../shared/src/dockerfile/copy-globs';
import { compileIgnore } from '../../../shared/src/dockerignore/ignore-matcher';
import { pathWithin, resolveIn } from '../dockerfile/container-paths';
import { expandEnv } from '../dockerfile/variables';
import type { CopyInstruction } from '../dockerfile/copy-instructions';
import { filesNamedByVariables, type DependencyInstall } from '../dockerfile/install-reading';
import { isLocalRequirement, readPackageJson, REFERENCING_MANIFESTS, referencesOf } from './manifest-references';
import { planWorkspace } from './workspace-members';

/** The build context's files as far as they are known. */
export interface ContextFiles {
  /** False while the context is unscanned (or the scan stopped early): absence proves nothing. */
  known: boolean;
  /** Whether BuildKit sends this file (context-relative posix path). */
  hasFile(path: string): boolean;
  /** Whether BuildKit sends any file under this folder. */
  hasDir(path: string): boolean;
  /**
   * The text of a file BuildKit sends, when the engine can read files (even before the scan,
   * or when it stopped early); undefined when it cannot.
   */
  read?(path: string): string | undefined;
  /** Every file BuildKit sends (context-relative), when the scan is known. */
  sentFiles?(): readonly string[];
}

interface ScanIndex { files: Set<string>; dirs: Set<string> }
const scanIndexes = new WeakMap<ContextScan, ScanIndex>();

function indexOf(scan: ContextScan): ScanIndex {
  let index = scanIndexes.get(scan);
  if (!index) {
    index = { files: new Set(), dirs: new Set() };
    for (const file of scan.files) {
      index.files.add(file.path);
      for (let slash = file.path.lastIndexOf('/'); slash > 0; slash = file.path.lastIndexOf('/', slash - 1)) {
        const dir = file.path.slice(0, slash);
        if (index.dirs.has(dir)) break;
        index.dirs.add(dir);
      }
    }
    scanIndexes.set(scan, index);
  }
  return index;
}

export function contextFilesOf(build: BuildContext | undefined): ContextFiles {
  if (!build) return { known: false, hasFile: () => false, hasDir: () => false };
  const ignoreText = build.ignoreFile.exists ? build.ignoreFile.text : undefined;
  const matcher = ignoreText ? compileIgnore(ignoreText) : undefined;
  const sent = (path: string) => !matcher || !matcher.ignores(path);
  const readFile = build.readFile?.bind(build);
  const scan = build.scan;
  if (!scan || scan.truncated) {
    return {
      known: false,
      hasFile: () => false,
      hasDir: () => false,
      read: readFile && ((path) => (sent(path) ? readFile(path) : undefined)),
    };
  }
  const index = indexOf(scan);
  let sentFiles: string[] | undefined;
  return {
    sentFiles: () => (sentFiles ??= scan.files.map((f) => f.path).filter(sent)),
    known: true,
    hasFile: (path) => index.files.has(path) && sent(path),
    hasDir: (path) => index.dirs.has(path) && sent(path),
    read: readFile && ((path) => (index.files.has(path) && sent(path) ? readFile(path) : undefined)),
  };
}

/** An install as found in a RUN, with the directory its shell was in. */
export interface PlacedInstall {
  install: DependencyInstall;
  run: InstructionInfo;
  /** The RUN's WORKDIR (absolute). */
  workdir: string;
  /** Where its shell was (absolute); undefined when a `cd` went somewhere unknown. */
  cwd: string | undefined;
  /** `--ignore-scripts` on the command: the manifests' install scripts do not run. */
  ignoresScripts?: boolean;
}

/** One manifest to copy: its path in the context (= under the broad COPY's destination). */
export interface ManifestToCopy {
  source: string;
  isDir: boolean;
}

export type ManifestPlan =
  | {
      manifests: ManifestToCopy[];
      /** Set when copying only these may not be enough (or cannot be checked): the fix is then not preferred. */
      unsure?: { reason: string; assumption: string };
    }
  | { problem: string };

/**
 * The manifests the installs read that COPY . . (landing in `destDir`) would bring and that are
 * not in place yet. `earlier` are the COPY/ADD instructions of the stage before the broad COPY.
 */
export function planManifests(
  installs: readonly PlacedInstall[],
  destDir: string,
  files: ContextFiles,
  earlier: readonly { copy: CopyInstruction; workdir: string }[],
): ManifestPlan {
  const manifests: ManifestToCopy[] = [];
  const seen = new Set<string>();
  let unsure: { reason: string; assumption: string } | undefined;
  const present = (rel: string) => (files.known ? files.hasFile(rel) : files.read?.(rel) !== undefined);
  for (const { install, run, workdir, cwd, ignoresScripts } of installs) {
    const env = run.env;
    const dirText = expandEnv(install.dir, env);
    if (cwd === undefined || dirText.includes('$')) return { problem: `\`${install.label}\` runs in a folder that only the build knows` };
    const dir = resolveIn(cwd, dirText);
    const { required, optional, whenUnscanned, workspaceMarkers } = install.manifests;
    const marker = workspaceMarkers.find((m) => insideAndPresent(destDir, resolveIn(dir, m), present));
    if (marker) return { problem: `\`${install.label}\` installs a workspace (${marker}), so it reads every member's manifest` };
    // Files the environment makes the install read too (PIP_CONSTRAINT=constraints.txt is -c constraints.txt).
    const fromEnv = install.fileVariables ? filesNamedByVariables(install.fileVariables, (name) => env.get(name)) : [];
    const wanted = [...(files.known ? [...required, ...optional] : whenUnscanned), ...fromEnv];
    const mounted = bindMountTargets(run, workdir);
    const inPlace = (path: string) =>
      mounted.some((target) => pathWithin(target, path) !== undefined) || earlier.some((e) => copiesTo(e.copy, e.workdir, path, files));
    const add = (rel: string, isDir: boolean) => {
      if (seen.has(rel) || inPlace(resolveIn(destDir, rel))) return;
      seen.add(rel);
      manifests.push({ source: rel, isDir });
    };
    for (const entry of wanted) {
      const written = expandEnv(entry, env);
      if (written.includes('$')) return { problem: `\`${install.label}\` reads a file named by a variable (${entry})` };
      const isDir = written.endsWith('/');
      const rel = pathWithin(destDir, resolveIn(dir, written));
      if (!rel) continue; // not something COPY . . brings
      if (files.known && !(isDir ? files.hasDir(rel) : files.hasFile(rel))) {
        // Moving COPY . . past an install whose manifest the context lacks would only move the failure.
        if (required.includes(entry) || fromEnv.includes(entry)) return { problem: `\`${install.label}\` reads ${written}, which the build context does not send` };
        continue;
      }
      add(rel, isDir);
    }

    // What the manifests say the install reads besides them, whether copied now or earlier.
    const readable: string[] = [];
    for (const entry of [...required, ...optional, ...fromEnv]) {
      const written = expandEnv(entry, env);
      const rel = written.endsWith('/') || /[*?[]/.test(written) ? undefined : pathWithin(destDir, resolveIn(dir, written));
      if (rel) readable.push(rel);
    }
    if (!files.read) {
      unsure ??= {
        reason:
          `dockopt cannot read the project's files here, so it cannot check that \`${install.label}\` needs only its manifests ` +
          '(no workspace, local dependency, included file or install script)',
        assumption: 'the install reads nothing but these files',
      };
      continue;
    }
    for (const rel of readable) {
      const isRequirements = install.ecosystem === 'python' && !MANIFEST_NAMES.has(posix.basename(rel));
      if (!isRequirements && !REFERENCING_MANIFESTS.has(posix.basename(rel))) continue; // lockfiles: not worth reading
      const text = files.read(rel);
      if (text === undefined) continue;
      if (isRequirements) {
        // A requirements file can pull in others (`-r base.txt`): they must come along, or the
        // moved install fails; one that installs from the source keeps the COPY where it is.
        const nested = includedRequirements(rel, files);
        if ('problem' in nested) return { problem: `\`${install.label}\` reads ${nested.problem}` };
        for (const include of nested.files) add(include, false);
        continue;
      }
      const flags = { ignoresScripts: ignoresScripts ?? false, label: install.label };
      const workspace = install.ecosystem === 'node' && posix.basename(rel) === 'package.json' ? readPackageJson(text) : undefined;
      if (workspace && workspace.workspaces.length > 0) {
        // Each member's manifest goes to its own folder (`COPY packages/a/package.json packages/a/`).
        const plan = planWorkspace(rel, workspace, { list: files.sentFiles?.(), read: files.read }, flags);
        if ('problem' in plan) return { problem: plan.problem };
        for (const member of plan.manifests) add(member, false);
        if (plan.unsure) unsure ??= plan.unsure;
        continue;
      }
      const reference = referencesOf(rel, text, flags);
      if (reference?.kind === 'problem') return { problem: reference.reason };
      if (reference) unsure ??= { reason: reference.reason, assumption: reference.assumption };
    }
  }
  return unsure ? { manifests, unsure } : { manifests };
}

/** Manifests with their own format: the other files a Python install names are requirements files. */
const MANIFEST_NAMES = new Set(['pyproject.toml', 'Pipfile', 'Pipfile.lock', 'poetry.lock', 'poetry.toml', 'uv.lock', 'uv.toml', '.python-version']);

const INCLUDE = /^(?:-r|--requirements?|-c|--constraints?)(?:\s*=\s*|\s+)?(\S+)$/;

/** The requirements files a requirements file includes, transitively (context-relative paths). */
function includedRequirements(start: string, files: ContextFiles): { files: string[] } | { problem: string } {
  const found: string[] = [];
  const queue = [start];
  const visited = new Set(queue);
  while (queue.length > 0) {
    const file = queue.shift()!;
    const text = files.read!(file);
    if (text === undefined) continue;
    for (const line of requirementLines(text)) {
      if (isLocalRequirement(line)) return { problem: `${file}, which installs from the project's files (${line})` };
      const include = INCLUDE.exec(line)?.[1];
      if (!include || /^[a-z][\w+.-]*:\/\//i.test(include)) continue;
      const path = posix.normalize(posix.join(posix.dirname(file), include));
      if (visited.has(path) || path.startsWith('../')) continue;
      visited.add(path);
      // pip fails on a missing include with or without the fix: copy nothing that is not there.
      if (files.known ? !files.hasFile(path) : files.read!(path) === undefined) continue;
      found.push(path);
      queue.push(path);
    }
  }
  return { files: found };
}

/** A requirements file's logical lines: continuations joined, comments and blanks dropped. */
function requirementLines(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}

/** Whether `path` lies strictly inside `destDir` and its context-relative path passes `test`. */
function insideAndPresent(destDir: string, path: string, test: (rel: string) => boolean): boolean {
  const rel = pathWithin(destDir, path);
  return rel !== undefined && rel !== '' && test(rel);
}

function bindMountTargets(run: InstructionInfo, workdir: string): string[] {
  return readMounts(run.ast)
    .filter((mount) => mount.type === 'bind' && mount.target)
    .map((mount) => resolveIn(workdir, expandEnv(mount.target!, run.env)));
}

/** Whether an earlier COPY already put a file (or, for a wildcard, the same pattern) at `path`. */
function copiesTo(copy: CopyInstruction, workdir: string, path: string, files: ContextFiles): boolean {
  if (copy.fromOther || copy.broad) return false;
  const dest = resolveIn(workdir, expandEnv(copy.dest, copy.info.env));
  const intoDir = copy.sources.length > 1 || copy.dest.endsWith('/') || copy.dest === '.';
  const name = posix.basename(path);
  const parent = posix.dirname(path);
  return copy.sources.some((source) => {
    const clean = source.replace(/^\.\//, '');
    const isTree = source.endsWith('/') || (files.known && files.hasDir(posix.normalize(clean).replace(/\/$/, '')));
    if (isTree) return pathWithin(dest, path) !== undefined;
    const sourceName = posix.basename(clean);
    if (/[*?[]/.test(name)) return parent === dest && sourceName === name; // package*.json: the same pattern
    if (/[*?[]/.test(sourceName)) return parent === dest && compileCopyGlob(sourceName)?.test(name) === true;
    if (sourceName !== name) return !intoDir && dest === path;
    return parent === dest || (!intoDir && dest === path);
  });
}

/**
 * The COPY lines that put the manifests where COPY . . would, one per folder, with the
 * broad COPY's own flags (`--chown`, `--chmod`, `--link`) and destination.
 */
export function manifestCopyLines(copy: CopyInstruction, manifests: readonly ManifestToCopy[], escapeChar: string): string[] {
  const groups = new Map<string, ManifestToCopy[]>();
  for (const manifest of manifests) {
    const folder = manifest.isDir ? manifest.source.replace(/\/+$/, '') : posix.dirname(manifest.source);
    const key = folder === '.' ? '' : folder;
    groups.set(key, [...(groups.get(key) ?? []), manifest]);
  }
  const keyword = copy.keywordText === copy.keywordText.toLowerCase() ? 'copy' : 'COPY';
  return [...groups].map(([folder, group]) => {
    const single = group.length === 1 && !group[0].isDir && !/[*?[]/.test(group[0].source);
    const sources = group.map((m) => m.source.replace(/\/+$/, ''));
    const dest = destinationText(copy.dest, folder, single);
    const words = [...sources, dest];
    const needsJson = words.some((w) => /[\s"']/.test(w) || w.includes(escapeChar));
    const args = needsJson ? `[${words.map((w) => JSON.stringify(w)).join(', ')}]` : words.join(' ');
    return [keyword, ...copy.keptFlags, args].join(' ');
  });
}

/** Where a manifest goes: the broad COPY's destination, plus the manifest's folder. */
function destinationText(dest: string, folder: string, singleFile: boolean): string {
  const withSlash = (d: string) => (d.endsWith('/') ? d : `${d}/`);
  if (folder === '') return singleFile && dest === '.' ? '.' : withSlash(dest);
  if (dest === '.' || dest === './') return `${folder}/`;
  return `${withSlash(dest)}${folder}/`;
}
