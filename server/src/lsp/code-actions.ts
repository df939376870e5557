/**
 * `textDocument/codeAction`: each finding's quick fixes, "disable <rule>" comments, and
 * `source.fixAll.dockopt` (every preferred fix of a Dockerfile as one minimal edit).
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { parseDockerfile } from '../dockerfile/model';
import { lintDockerfile } from '../engine';
import { fixAllInText, minimalEdit } from '../fixes/fix-text';
import type { ResolvedSettings } from '../settings';
import { FIX_ALL_KIND, sameDiagnostic, toQuickFix, toWorkspaceEdit, type EditContext } from './convert';
import { documentKind, type OpenDocument } from './document-linter';
import type { IdleCollection } from './idle-collection';
import { documentSettings, isFileDocument, openDocument, type Session } from './session';
import { suppressEdits } from './suppress-actions';

/**
 * `idle`: told when each request starts and ends, like a check, so that the collection the
 * server runs once it rests never pauses a lightbulb the user just asked for (and the garbage
 * of a fix-all, a parse per pass, is collected after it).
 */
export function registerCodeActions(session: Session, idle?: IdleCollection): void {
  const { connection, documents, linter } = session;
  connection.onCodeAction(async (params: CodeActionParams): Promise<CodeAction[]> => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !isFileDocument(doc)) return [];
    idle?.checkStarted();
    try {
      const s = await documentSettings(session, doc);
      const open = openDocument(doc);
      const findings = linter.lint(open, s);
      const only = params.context.only;
      const wantsFixAll = only?.some((kind) => FIX_ALL_KIND.startsWith(kind) && kind.startsWith(CodeActionKind.Source));
      const wantsQuickFix = !only || only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(kind));
      const actions: CodeAction[] = [];
      if (wantsQuickFix) {
        for (const diagnostic of params.context.diagnostics) {
          const finding = findings.find((f) => sameDiagnostic(diagnostic, f));
          for (const fix of finding?.fixes ?? []) actions.push(toQuickFix(fix, finding!, diagnostic, editContext(session, open.path)));
          if (finding) actions.push(...suppressActions(session, open, finding.ruleId, diagnostic));
        }
      }
      // The lightbulb asks on every cursor move: offer fix-all there only on a dockopt problem.
      const onOurProblem = !only && params.context.diagnostics.some((d) => d.source === 'dockopt');
      if ((wantsFixAll || onOurProblem) && documentKind(open) === 'dockerfile') {
        const fixAll = fixAllAction(session, open, s);
        if (fixAll) actions.push(fixAll);
      }
      return actions;
    } catch (error) {
      connection.console.error(`dockopt: code actions for ${doc.uri} failed: ${(error as Error)?.stack ?? error}`);
      return [];
    } finally {
      idle?.checkEnded();
    }
  });
}

/** How edits reach the client: current texts and versions, whether it creates files, whether to confirm. */
function editContext(session: Session, openPath?: string): EditContext {
  return {
    textOf: (path) => session.workspace.readText(path),
    versionOf: (path) => session.documents.get(URI.file(path).toString())?.version ?? null,
    canCreateFiles: session.canCreateFiles,
    confirmChangesOutside: session.workspaceTrusted ? undefined : openPath,
  };
}

/** "Disable <rule> for this line / this file": comments in the open file, after the rule's own fixes. */
function suppressActions(session: Session, open: OpenDocument, ruleId: string, diagnostic: Diagnostic): CodeAction[] {
  const kind = documentKind(open);
  if (!kind || diagnostic.range.start.line < 0) return [];
  return suppressEdits(open.text, kind, diagnostic.range.start.line, ruleId).map(({ title, edit }) => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: toWorkspaceEdit([{ kind: 'edit', path: open.path, edits: [edit] }], editContext(session, open.path)),
  }));
}

/** `source.fixAll.dockopt`: every preferred fix of this Dockerfile, as one minimal edit. */
function fixAllAction(session: Session, open: OpenDocument, s: ResolvedSettings): CodeAction | undefined {
  const builds = session.workspace.buildsFor(open.path);
  const fixed = fixAllInText(open.path, open.text, (text) => lintDockerfile({ path: open.path, model: parseDockerfile(text), builds, settings: s }));
  const edit = minimalEdit(open.text, fixed);
  if (!edit) return undefined;
  return {
    title: 'Fix all dockopt problems',
    kind: FIX_ALL_KIND,
    edit: toWorkspaceEdit([{ kind: 'edit', path: open.path, edits: [edit] }], editContext(session)),
  };
}
