/**
 * Translates engine output into LSP: findings into diagnostics, fixes into workspace edits.
 * Fix edits are offsets into the text the engine saw; `textOf` gives that text per file.
 */
import {
  CodeAction,
  CodeActionKind,
  DiagnosticSeverity,
  type Diagnostic,
  type TextDocumentEdit,
  type CreateFile,
  type WorkspaceEdit,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { ReportedFinding } from '../engine';
import { docsUrl, type FileChange, type Fix, type Severity } from '../rules/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.dockopt`;

/**
 * The rule pages shipped beside the bundle (`dist/server.js` → `docs/rules/`), as file URIs:
 * a click on a diagnostic's code opens the page in the editor, offline. Undefined when the
 * server runs without them (then the links go to the repository).
 */
export function bundledDocsBase(serverDir: string): string | undefined {
  const dir = join(serverDir, '..', 'docs', 'rules');
  return existsSync(dir) ? `${URI.file(dir).toString()}/` : undefined;
}

export function toDiagnostic(finding: ReportedFinding, docsBase?: string): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: docsBase ? `${docsBase}${finding.ruleId}.md` : docsUrl(finding.ruleId) },
    source: 'dockopt',
    message: finding.message,
  };
}

/** The same finding, as the editor sends it back in a code action request. */
export function sameDiagnostic(diagnostic: Diagnostic, finding: ReportedFinding): boolean {
  return (
    diagnostic.source === 'dockopt' &&
    diagnostic.code === finding.ruleId &&
    diagnostic.range.start.line === finding.range.start.line &&
    diagnostic.range.start.character === finding.range.start.character &&
    diagnostic.range.end.line === finding.range.end.line &&
    diagnostic.range.end.character === finding.range.end.character
  );
}

export interface EditContext {
  /** The text the engine saw for a path (open editor or disk); undefined when it does not exist. */
  textOf(path: string): string | undefined;
  /** The open document's version, for versioned edits of open files. */
  versionOf(path: string): number | null;
  /** Whether the client accepts file creation in workspace edits. */
  canCreateFiles: boolean;
  /**
   * Set in Restricted Mode to the open document's path: changes to any other file carry an
   * annotation that needs confirmation, so the editor shows them before applying them.
   */
  confirmChangesOutside?: string;
}

const CONFIRM_ANNOTATION = 'dockopt.otherFiles';

export function toWorkspaceEdit(changes: readonly FileChange[], context: EditContext): WorkspaceEdit {
  const documentChanges: Array<TextDocumentEdit | CreateFile> = [];
  const byFile = new Map<string, LspTextEdit[]>();
  const created = new Set<string>();
  const confirmed = (path: string) => context.confirmChangesOutside !== undefined && path !== context.confirmChangesOutside;
  const needsConfirmation = new Set<string>();
  for (const change of changes) {
    const uri = URI.file(change.path).toString();
    if (confirmed(change.path)) needsConfirmation.add(uri);
    const current = context.textOf(change.path);
    if (change.kind === 'create') {
      if (current !== undefined || created.has(uri)) continue;
      created.add(uri);
      documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true }, ...(confirmed(change.path) ? { annotationId: CONFIRM_ANNOTATION } : {}) });
      byFile.set(uri, [...(byFile.get(uri) ?? []), { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: change.text }]);
      continue;
    }
    if (current === undefined) continue;
    const doc = TextDocument.create(uri, 'plaintext', 0, current);
    const edits = change.edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText }));
    byFile.set(uri, [...(byFile.get(uri) ?? []), ...edits]);
  }
  if (!context.canCreateFiles) {
    // Without document changes there is no way to ask for confirmation: leave those files alone.
    const plain: Record<string, LspTextEdit[]> = {};
    for (const [uri, edits] of byFile) if (!created.has(uri) && !needsConfirmation.has(uri)) plain[uri] = edits;
    return { changes: plain };
  }
  for (const [uri, edits] of byFile) {
    const version = created.has(uri) ? null : context.versionOf(URI.parse(uri).fsPath);
    const annotated = needsConfirmation.has(uri) ? edits.map((e) => ({ ...e, annotationId: CONFIRM_ANNOTATION })) : edits;
    documentChanges.push({ textDocument: { uri, version }, edits: annotated });
  }
  if (needsConfirmation.size === 0) return { documentChanges };
  return {
    documentChanges,
    changeAnnotations: {
      [CONFIRM_ANNOTATION]: {
        label: 'Changes to other files',
        description: 'Restricted Mode: review the files this fix creates or changes besides the open one.',
        needsConfirmation: true,
      },
    },
  };
}

export function toQuickFix(fix: Fix, finding: ReportedFinding, diagnostic: Diagnostic, context: EditContext): CodeAction {
  const action = CodeAction.create(fix.title, toWorkspaceEdit(fix.changes, context), CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  if (fix.isPreferred) action.isPreferred = true;
  return action;
}
