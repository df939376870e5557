/**
 * `dockopt/workspaceFixes`: every preferred fix of the workspace, computed in memory on a
 * private copy of the workspace model, returned as per-file edits annotated with the rule
 * and service they come from, so the client can show one previewable, undoable edit.
 */
import { basename, dirname } from 'node:path';
import { diffLines } from 'diff';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { fixWorkspace, type AppliedFix, type FileResult } from '../fix-workspace';
import type { SettingsFor } from '../lint-workspace';
import type { BuildContext } from '../workspace/build-context';
import type { ContextScanner } from '../workspace/context-scan';
import { kindOf } from '../workspace/discover';
import { compileIgnore } from '../../../shared/src/dockerignore/ignore-matcher';
import { WorkspaceModel, type WorkspaceSettings } from '../workspace/workspace';
import type { AnnotatedEdit, FileFix, ServiceSummary, WorkspaceFixesResult } from '../../../shared/src/protocol';

export interface WorkspaceFixesInput {
  roots: string[];
  scanner: ContextScanner;
  /** Open editors' texts: the edit applies to what the user sees, not the disk. */
  overlays: ReadonlyMap<string, string>;
  settingsFor: SettingsFor;
  workspaceSettings: WorkspaceSettings;
}

export async function computeWorkspaceFixes(input: WorkspaceFixesInput): Promise<WorkspaceFixesResult> {
  const workspace = new WorkspaceModel({ roots: input.roots, scanner: input.scanner, settings: input.workspaceSettings });
  for (const [path, text] of input.overlays) workspace.setOverlay(path, text);
  await workspace.refresh();

  const dockerfiles = workspace.dockerfiles().sort();
  const buildsBefore = dockerfiles.flatMap((d) => workspace.buildsFor(d));
  await workspace.ensureScans(buildsBefore);
  const ignoreBefore = new Map(buildsBefore.map((b) => [buildKey(b), b.ignoreFile.text]));
  const serviceOf = serviceNamer(workspace);

  const result = await fixWorkspace(workspace, input.settingsFor);
  const firstPass = result.applied.filter((a) => a.pass === 1);

  const files: FileFix[] = result.files.map((file) => toFileFix(file, firstPass, serviceOf));
  const services: ServiceSummary[] = dockerfiles.map((dockerfile) => ({
    service: serviceOf(dockerfile),
    dockerfileUri: URI.file(dockerfile).toString(),
    changesByRule: countByRule(result.applied.filter((a) => a.reportedOn === dockerfile || a.changed.includes(dockerfile))),
  }));
  return {
    files,
    services,
    contextBytesSaved: bytesSaved(buildsBefore, ignoreBefore, workspace),
    remainingFindings: result.remaining.length,
  };
}

function toFileFix(file: FileResult, firstPass: AppliedFix[], serviceOf: (path: string) => string): FileFix {
  const uri = URI.file(file.path).toString();
  const fallbackRule = [...file.rules.keys()][0] ?? 'dockopt';
  const touching = firstPass.filter((a) => a.changed.includes(file.path));
  const fallbackService = serviceOf(touching[0]?.reportedOn ?? file.path);
  if (file.before === undefined) {
    return {
      uri,
      kind: 'create',
      edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: file.after, ruleId: fallbackRule, service: fallbackService }],
    };
  }
  const doc = TextDocument.create(uri, 'plaintext', 0, file.before);
  const edits: AnnotatedEdit[] = [];
  for (const hunk of hunksOf(file.before, file.after)) {
    const owner = touching.find((a) =>
      a.changes.some((c) => c.kind === 'edit' && c.path === file.path && c.edits.some((e) => e.start <= hunk.end && e.end >= hunk.start)),
    );
    edits.push({
      range: { start: doc.positionAt(hunk.start), end: doc.positionAt(hunk.end) },
      newText: hunk.newText,
      ruleId: owner?.ruleId ?? fallbackRule,
      service: owner ? serviceOf(owner.reportedOn) : fallbackService,
    });
  }
  return { uri, kind: 'edit', edits };
}

/** Line-level hunks between two texts, as offsets into `before`. */
export function hunksOf(before: string, after: string): Array<{ start: number; end: number; newText: string }> {
  const hunks: Array<{ start: number; end: number; newText: string }> = [];
  let offset = 0;
  let open: { start: number; end: number; newText: string } | undefined;
  for (const part of diffLines(before, after)) {
    if (!part.added && !part.removed) {
      if (open) hunks.push(open);
      open = undefined;
      offset += part.value.length;
      continue;
    }
    open ??= { start: offset, end: offset, newText: '' };
    if (part.removed) {
      offset += part.value.length;
      open.end = offset;
    } else {
      open.newText += part.value;
    }
  }
  if (open) hunks.push(open);
  return hunks;
}

function countByRule(applied: AppliedFix[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of applied) counts[a.ruleId] = (counts[a.ruleId] ?? 0) + 1;
  return counts;
}

/** A service's name: its compose service(s), else its Dockerfile's folder. */
function serviceNamer(workspace: WorkspaceModel): (path: string) => string {
  return (path) => {
    const dockerfile = kindOf(path) === 'dockerignore' ? workspace.buildsForIgnoreFile(path)[0]?.dockerfilePath : path;
    if (!dockerfile) return basename(dirname(path));
    const names = [...new Set(workspace.buildsFor(dockerfile).flatMap((b) => (b.service ? [b.service] : [])))];
    return names.length > 0 ? names.join(', ') : basename(dirname(dockerfile));
  };
}

function buildKey(build: BuildContext): string {
  return `${build.dockerfilePath}|${build.contextDir}|${build.service ?? ''}`;
}

/** Bytes of context files that the fixed ignore files exclude and the old ones did not. */
function bytesSaved(buildsBefore: BuildContext[], ignoreBefore: Map<string, string | undefined>, workspace: WorkspaceModel): number {
  const counted = new Set<string>();
  let saved = 0;
  for (const before of buildsBefore) {
    const after = workspace.buildsFor(before.dockerfilePath).find((b) => buildKey(b) === buildKey(before));
    const scan = after?.scan ?? before.scan;
    if (!after || !scan) continue;
    const key = `${after.contextDir}|${after.ignoreFile.path}`;
    if (counted.has(key)) continue;
    counted.add(key);
    const oldMatcher = compileIgnore(ignoreBefore.get(buildKey(before)) ?? '');
    const newMatcher = compileIgnore(after.ignoreFile.text ?? '');
    for (const file of scan.files) {
      if (!oldMatcher.ignores(file.path) && newMatcher.ignores(file.path)) saved += file.size;
    }
  }
  return saved;
}
