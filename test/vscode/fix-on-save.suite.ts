/// <reference types="mocha" />
// `"editor.codeActionsOnSave": { "source.fixAll.dockopt": "explicit" }` for Dockerfiles: the user
// edits an unoptimized Dockerfile and saves (Ctrl+S), and the saved file is what `dockopt fix`
// makes of the same edited file. Undo takes back the fixes, then the edit.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { cliFixedCopy, dockopt, EXTENSION_ID, inWorkspace, openAndWaitForDiagnostics, ruleOf, setSetting } from './support';

// Copies everything before installing: copy-before-install, pip-cache-mount and python-base-version fire.
const FILE = ['services', 'electricity-pricing-service', 'Dockerfile'];
const EDIT = { from: 'EXPOSE 8011', to: 'EXPOSE 8021' };

export function fixOnSaveSuite(): void {
  suite('fix all on save', () => {
    let restore: (() => Promise<void>) | undefined;
    suiteSetup(async () => {
      restore = await setSetting('editor', 'codeActionsOnSave', { 'source.fixAll.dockopt': 'explicit' }, { languageId: 'dockerfile' });
    });
    suiteTeardown(async () => {
      await restore?.();
    });

    test('an edit and a save leave exactly what `dockopt fix` makes of the edited file; undo restores it', async () => {
      await dockopt();
      const uri = inWorkspace(...FILE);
      const { editor, diagnostics } = await openAndWaitForDiagnostics(uri, (d) => d.length >= 4);
      const fixable = diagnostics.map(ruleOf).filter((r) => r !== 'dockerignore-missing');
      assert.ok(fixable.length >= 3, `the file has findings the fix-all fixes: ${fixable.join(', ')}`);
      const document = editor.document;
      const original = document.getText();
      const onDisk = readFileSync(uri.fsPath, 'utf8');
      assert.equal(original, onDisk, 'starts saved');
      const line = original.split('\n').indexOf(EDIT.from);
      assert.ok(line >= 0, `${EDIT.from} is in the file`);
      const edited = original.replace(`${EDIT.from}\n`, `${EDIT.to}\n`);

      const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
      const expected = cliFixedCopy(join(extensionPath, 'examples', 'ha-ingestor'), extensionPath, (copy) => writeFileSync(join(copy, ...FILE), edited));
      let want: string;
      try {
        want = readFileSync(join(expected.root, ...FILE), 'utf8');
      } finally {
        expected.dispose();
      }
      assert.notEqual(want, edited, '`dockopt fix` changes the edited file');

      try {
        // The user's edit, then Ctrl+S.
        assert.ok(await editor.edit((e) => e.replace(new vscode.Range(line, 0, line, EDIT.from.length), EDIT.to)));
        assert.equal(document.getText(), edited);
        await vscode.commands.executeCommand('workbench.action.files.save');
        assert.equal(document.isDirty, false, 'saved');
        assert.equal(document.getText(), want, 'the editor holds what `dockopt fix` makes');
        assert.equal(readFileSync(uri.fsPath, 'utf8'), want, 'and so does the disk');

        // Undo: first the fixes, then the user's edit.
        await vscode.window.showTextDocument(document);
        await vscode.commands.executeCommand('undo');
        assert.equal(document.getText(), edited, 'one undo takes back the fixes, the edit stays');
        await vscode.commands.executeCommand('undo');
        assert.equal(document.getText(), original, 'a second undo takes back the edit');
      } finally {
        // Saving the restored text must not fix it again.
        await restore?.();
        restore = undefined;
        if (document.getText() !== original) {
          const all = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
          const edit = new vscode.WorkspaceEdit();
          edit.replace(uri, all, original);
          await vscode.workspace.applyEdit(edit);
        }
        if (document.isDirty) await document.save();
      }
      assert.equal(readFileSync(uri.fsPath, 'utf8'), original, 'the file is back on disk');
    });
  });
}
