/**
 * Turns the server's `dockopt/workspaceFixes` answer into the plan of ONE workspace edit:
 * per file, its edits in order, each tagged with a change annotation for its service and
 * rule. VS Code's refactor preview groups edits by annotation label and lets each one be
 * unchecked, so a label names both the service and the rule ("api · Cache pip downloads…").
 *
 * Why the preview is asked for with a separate "anchor" entry: VS Code opens the preview when
 * any entry needs confirmation, but starts every such entry UNCHECKED (the user opts in).
 * "Optimize All" wants the opposite (everything checked, the user unchecks what they do not
 * want), so its edits do not need confirmation and one extra entry does: creating a file that
 * already exists with `ignoreIfExists`. That entry is a no-op whether applied or not, and the
 * preview does not list it (it skips creations of existing files with `ignoreIfExists`).
 *
 * Nothing here touches VS Code: the command turns the plan into a `vscode.WorkspaceEdit`.
 */
import type { AnnotatedEdit, LspPosition, LspRange, WorkspaceFixesResult } from '../../../shared/src/protocol';
import { ruleTitle } from '../rule-titles';

export interface PlanAnnotation {
  id: string;
  service: string;
  ruleId: string;
  /** Rendered prominently; the preview groups edits with equal labels. */
  label: string;
  description: string;
}

export interface PlannedEdit {
  range: LspRange;
  newText: string;
  annotationId: string;
}

export interface PlannedFile {
  uri: string;
  /** Create the file, with the text of its edits as its contents (one undoable file operation). */
  create: boolean;
  edits: PlannedEdit[];
}

export interface OptimizePlan {
  files: PlannedFile[];
  /** Annotations by id, in the order the preview should list them (service, then rule). */
  annotations: PlanAnnotation[];
  /** Edits left out because they overlapped an earlier edit of the same file. */
  droppedOverlapping: number;
  /**
   * With the preview on: an existing file (a Dockerfile the plan edits or names) whose no-op
   * creation needs confirmation, which makes VS Code show the refactor preview.
   */
  previewAnchor?: string;
}

export interface PlanOptions {
  preview: boolean;
}

export function annotationId(service: string, ruleId: string): string {
  return `dockopt/${service}/${ruleId}`;
}

export function planWorkspaceEdit(result: WorkspaceFixesResult, options: PlanOptions): OptimizePlan {
  const annotations = new Map<string, PlanAnnotation>();
  const files: PlannedFile[] = [];
  let droppedOverlapping = 0;
  for (const file of [...result.files].sort((a, b) => compareText(a.uri, b.uri))) {
    const kept = withoutOverlaps(file.edits.filter((edit) => !isNoOp(edit)));
    droppedOverlapping += kept.dropped;
    if (kept.edits.length === 0) continue;
    const edits = kept.edits.map((edit) => {
      const id = annotationId(edit.service, edit.ruleId);
      if (!annotations.has(id)) {
        annotations.set(id, {
          id,
          service: edit.service,
          ruleId: edit.ruleId,
          label: `${edit.service} · ${ruleTitle(edit.ruleId)}`,
          description: edit.ruleId,
        });
      }
      return { range: edit.range, newText: edit.newText, annotationId: id };
    });
    files.push({ uri: file.uri, create: file.kind === 'create', edits });
  }
  const ordered = [...annotations.values()].sort(
    (a, b) => compareText(a.service, b.service) || compareText(a.ruleId, b.ruleId),
  );
  const plan: OptimizePlan = { files, annotations: ordered, droppedOverlapping };
  if (options.preview && files.length > 0) plan.previewAnchor = existingFile(result, files);
  return plan;
}

/** A file that exists now: one the plan edits (not creates), else a service's Dockerfile. */
function existingFile(result: WorkspaceFixesResult, files: readonly PlannedFile[]): string | undefined {
  return files.find((f) => !f.create)?.uri ?? result.services.find((s) => typeof s.dockerfileUri === 'string')?.dockerfileUri;
}

export function plannedEditCount(plan: OptimizePlan): number {
  return plan.files.reduce((sum, file) => sum + file.edits.length, 0);
}

function isNoOp(edit: AnnotatedEdit): boolean {
  return edit.newText === '' && comparePositions(edit.range.start, edit.range.end) === 0;
}

/**
 * VS Code rejects a whole workspace edit when two edits of one file overlap. The server
 * should never send such edits; if it does, the later ones are dropped (and counted) so
 * the rest still applies. Inserts at the start of a replaced range do not overlap it.
 */
function withoutOverlaps(edits: readonly AnnotatedEdit[]): { edits: AnnotatedEdit[]; dropped: number } {
  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort(
      (a, b) =>
        comparePositions(a.edit.range.start, b.edit.range.start) ||
        comparePositions(a.edit.range.end, b.edit.range.end) ||
        a.index - b.index,
    );
  const kept: AnnotatedEdit[] = [];
  let dropped = 0;
  let lastEnd: LspPosition | undefined;
  for (const { edit } of sorted) {
    if (lastEnd && comparePositions(edit.range.start, lastEnd) < 0) {
      dropped++;
      continue;
    }
    kept.push(edit);
    lastEnd = edit.range.end;
  }
  return { edits: kept, dropped };
}

function comparePositions(a: LspPosition, b: LspPosition): number {
  return a.line - b.line || a.character - b.character;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
