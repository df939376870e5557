/**
 * The plan as a `vscode.WorkspaceEdit`: one entry per edit, each with the metadata of its
 * (service, rule) annotation. The refactor preview groups edits with equal labels into one
 * node ("api · Cache pip downloads…") and lets each edit or group be unchecked.
 */
import type * as vscode from 'vscode';
import type { VscodeApi } from '../vscode-api';
import type { OptimizePlan } from './plan';

export function toWorkspaceEdit(api: Pick<VscodeApi, 'WorkspaceEdit' | 'Range' | 'Position' | 'Uri' | 'ThemeIcon'>, plan: OptimizePlan): vscode.WorkspaceEdit {
  const edit = new api.WorkspaceEdit();
  if (plan.previewAnchor) {
    // See plan.ts: a no-op entry that needs confirmation, so the preview opens with every change checked.
    edit.createFile(api.Uri.parse(plan.previewAnchor), { ignoreIfExists: true }, {
      label: 'dockopt: review the changes',
      needsConfirmation: true,
    });
  }
  const metadata = new Map<string, vscode.WorkspaceEditEntryMetadata>();
  for (const annotation of plan.annotations) {
    metadata.set(annotation.id, {
      label: annotation.label,
      description: annotation.description,
      needsConfirmation: false,
      iconPath: new api.ThemeIcon(annotation.ruleId.startsWith('dockerignore') ? 'filter' : 'zap'),
    });
  }
  for (const file of plan.files) {
    const uri = api.Uri.parse(file.uri);
    if (file.create) {
      // The text goes in with the creation: one file operation, which one undo removes whole
      // (a created-then-edited file could survive the undo of the rest).
      const text = file.edits.map((e) => e.newText).join('');
      edit.createFile(uri, { ignoreIfExists: true, contents: new TextEncoder().encode(text) }, metadata.get(file.edits[0].annotationId));
      continue;
    }
    for (const change of file.edits) {
      const range = new api.Range(
        new api.Position(change.range.start.line, change.range.start.character),
        new api.Position(change.range.end.line, change.range.end.character),
      );
      edit.replace(uri, range, change.newText, metadata.get(change.annotationId));
    }
  }
  return edit;
}
