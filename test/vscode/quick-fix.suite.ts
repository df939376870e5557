/// <reference types="mocha" />
// The lightbulb on the pip RUN, through the same provider the editor asks: the preferred fix is
// the cache mount, applying it changes that line only, and one undo restores the file.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { inWorkspace, openAndWaitForDiagnostics, ruleOf, waitFor } from './support';

const PIP_LINE = 10; // 0-based: line 11 of air-quality-service/Dockerfile
const BEFORE = 'RUN pip install --no-cache-dir --user -r requirements-prod.txt';
const AFTER = 'RUN --mount=type=cache,target=/root/.cache/pip pip install --user -r requirements-prod.txt';

export function quickFixSuite(): void {
  suite('quick fix on the pip install', () => {
    test('the preferred fix adds the cache mount and changes nothing else; undo restores the file', async () => {
      const uri = inWorkspace('services', 'air-quality-service', 'Dockerfile');
      const { editor, diagnostics } = await openAndWaitForDiagnostics(uri, (d) => d.some((x) => ruleOf(x) === 'pip-cache-mount'));
      const document = editor.document;
      const original = document.getText();
      assert.equal(document.lineAt(PIP_LINE).text, BEFORE);
      const finding = diagnostics.find((d) => ruleOf(d) === 'pip-cache-mount')!;
      assert.equal(finding.range.start.line, PIP_LINE);

      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        finding.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const offered = actions.map((a) => `${a.title}${a.isPreferred ? ' (preferred)' : ''}`).join(' | ');
      // The only finding on this range is pip-cache-mount: the one preferred action is its fix.
      const preferred = actions.filter((a) => a.isPreferred);
      assert.equal(preferred.length, 1, `one preferred fix on the pip RUN; offered: ${offered}`);
      const fix = preferred[0];
      assert.match(fix.title, /pip cache mount/, offered);
      assert.ok(actions.some((a) => a.title === 'Disable pip-cache-mount for this line'), `the rule can be turned off on the line; offered: ${offered}`);
      assert.ok(fix.edit, `"${fix.title}" carries its edit`);

      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the editor applied the fix');
      if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
      const expected = original.replace(`${BEFORE}\n`, `${AFTER}\n`);
      assert.notEqual(expected, original);
      assert.equal(document.getText(), expected);
      // The server re-checks the edited text: the finding goes away.
      await waitFor(
        'pip-cache-mount to clear after the fix',
        () => vscode.languages.getDiagnostics(uri).filter((d) => ruleOf(d) === 'pip-cache-mount').length,
        (n) => n === 0,
        [vscode.languages.onDidChangeDiagnostics],
      );

      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('undo');
      assert.equal(document.getText(), original, 'one undo restores the file');
      assert.equal(document.isDirty, false, 'back to the saved text');
    });

    test('"Disable pip-cache-mount for this line" writes the ignore comment above the RUN and silences only that finding', async () => {
      const uri = inWorkspace('services', 'air-quality-service', 'Dockerfile');
      const { editor, diagnostics } = await openAndWaitForDiagnostics(uri, (d) => d.some((x) => ruleOf(x) === 'pip-cache-mount'));
      const document = editor.document;
      const original = document.getText();
      const ruleIds = (d: readonly vscode.Diagnostic[]) => [...new Set(d.map(ruleOf).filter((r) => r !== undefined))].sort().join(',');
      const others = ruleIds(diagnostics.filter((d) => ruleOf(d) !== 'pip-cache-mount'));
      const finding = diagnostics.find((d) => ruleOf(d) === 'pip-cache-mount')!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, finding.range, vscode.CodeActionKind.QuickFix.value);
      const disable = actions.find((a) => a.title === 'Disable pip-cache-mount for this line');
      assert.ok(disable?.edit, `offered: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(disable.edit));
      assert.equal(document.getText(), original.replace(`${BEFORE}\n`, `# dockopt ignore=pip-cache-mount\n${BEFORE}\n`));
      await waitFor(
        'pip-cache-mount to clear, the other findings to stay',
        () => vscode.languages.getDiagnostics(uri).filter((d) => ruleOf(d) !== undefined),
        (d) => ruleIds(d) === others,
        [vscode.languages.onDidChangeDiagnostics],
      );
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('undo');
      assert.equal(document.getText(), original, 'one undo restores the file');
    });
  });
}
