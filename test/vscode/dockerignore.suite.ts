/// <reference types="mocha" />
// A service whose .dockerignore lets caches, logs and tests into its build context: opening that
// .dockerignore shows dockerignore-incomplete on its first line, and the fix offered there adds
// what `dockopt fix` adds, after which the finding goes away; one undo restores the file.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { cliFixedCopy, dockopt, dockoptDiagnostics, EXTENSION_ID, inWorkspace, openAndWaitForDiagnostics, ruleOf, waitFor } from './support';

const RULE = 'dockerignore-incomplete';
// air-quality-service's .dockerignore names only __pycache__; its context has logs/, tests/, docs/.
const SERVICE = ['services', 'air-quality-service'];

export function dockerignoreSuite(): void {
  suite('.dockerignore diagnostics', () => {
    test(`a thin .dockerignore shows ${RULE} on its first line`, async () => {
      await dockopt();
      const uri = inWorkspace(...SERVICE, '.dockerignore');
      const { editor, diagnostics } = await openAndWaitForDiagnostics(uri, (d) => d.some((x) => ruleOf(x) === RULE));
      assert.equal(editor.document.languageId, 'dockerignore', 'dockopt gives .dockerignore files their language');
      const findings = diagnostics.filter((d) => ruleOf(d) === RULE);
      assert.equal(findings.length, 1, JSON.stringify(diagnostics.map((d) => [ruleOf(d), d.message])));
      assert.equal(findings[0].range.start.line, 0);
      assert.match(findings[0].message, /lets .* into the build context/);
      // The Dockerfile it is read for says the same.
      await openAndWaitForDiagnostics(inWorkspace(...SERVICE, 'Dockerfile'), (d) => d.some((x) => ruleOf(x) === RULE));
    });

    test(`the fix on the .dockerignore adds what \`dockopt fix\` adds, and ${RULE} goes away; undo restores it`, async () => {
      const uri = inWorkspace(...SERVICE, '.dockerignore');
      const { editor, diagnostics } = await openAndWaitForDiagnostics(uri, (d) => d.some((x) => ruleOf(x) === RULE));
      const document = editor.document;
      const original = document.getText();
      const finding = diagnostics.find((d) => ruleOf(d) === RULE)!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        finding.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const offered = actions.map((a) => `${a.title}${a.isPreferred ? ' (preferred)' : ''}`).join(' | ');
      const fix = actions.find((a) => a.isPreferred && a.edit);
      assert.ok(fix?.edit, `a preferred fix with its edit on the .dockerignore; offered: ${offered}`);

      const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
      const expected = cliFixedCopy(join(extensionPath, 'examples', 'ha-ingestor'), extensionPath);
      let want: string;
      try {
        want = readFileSync(join(expected.root, ...SERVICE, '.dockerignore'), 'utf8');
      } finally {
        expected.dispose();
      }
      assert.notEqual(want, original, '`dockopt fix` changes this .dockerignore');

      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the editor applied the fix');
      if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
      assert.equal(document.getText(), want);
      await waitFor(
        `${RULE} to clear after the fix`,
        () => dockoptDiagnostics(uri).filter((d) => ruleOf(d) === RULE).length,
        (n) => n === 0,
        [vscode.languages.onDidChangeDiagnostics],
      );

      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('undo');
      assert.equal(document.getText(), original, 'one undo restores the file');
      assert.equal(document.isDirty, false);
      await waitFor(`${RULE} back after the undo`, () => dockoptDiagnostics(uri).filter((d) => ruleOf(d) === RULE).length, (n) => n === 1, [
        vscode.languages.onDidChangeDiagnostics,
      ]);
    });
  });
}
