/// <reference types="mocha" />
// "Optimize All Services" with the preview off: one workspace edit leaves every Dockerfile and
// .dockerignore as `dockopt fix` makes it, and one undo brings the workspace back.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { cliFixedCopy, dockopt, EXTENSION_ID, workspaceRoot } from './support';

/** The files Optimize All may write: Dockerfiles (any name), .dockerignore files, compose files. */
function dockerFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/Dockerfile|\.dockerignore$|compose.*\.ya?ml$/.test(name)) found.push(relative(root, path));
    }
  };
  walk(root);
  return found.sort();
}

/** The text the editor has for a file: the open model (unsaved edits included), else the disk. */
async function editorText(uri: vscode.Uri): Promise<string | undefined> {
  if (!existsSync(uri.fsPath) && !vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return undefined;
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

export function optimizeAllSuite(): void {
  suite('Optimize All Services, preview off', () => {
    const config = () => vscode.workspace.getConfiguration('dockopt');
    suiteSetup(() => config().update('optimizeAll.preview', false, vscode.ConfigurationTarget.Global));
    suiteTeardown(() => config().update('optimizeAll.preview', undefined, vscode.ConfigurationTarget.Global));

    test('applies one edit equal to `dockopt fix`, and one undo reverts every file', async () => {
      await dockopt();
      const root = workspaceRoot().fsPath;
      const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
      const pristine = join(extensionPath, 'examples', 'ha-ingestor');
      const expected = cliFixedCopy(pristine, extensionPath);
      try {
        await optimizeAndUndo(root, pristine, expected.root);
      } finally {
        expected.dispose();
      }
    });
  });
}

/**
 * Runs the command on the workspace (`root`, a copy of `pristine`), compares every Docker file
 * with `expectedRoot` (what the CLI made), then undoes once and compares with the start.
 */
async function optimizeAndUndo(root: string, pristine: string, expectedRoot: string): Promise<void> {
  const files = [...new Set([...dockerFiles(pristine), ...dockerFiles(expectedRoot)])].sort();
  const changed = files.filter((f) => !existsSync(join(pristine, f)) || readFileSync(join(pristine, f), 'utf8') !== readFileSync(join(expectedRoot, f), 'utf8'));
  assert.ok(changed.length >= 10, `dockopt fix changes the example's services (got ${changed.join(', ')})`);
  const before = new Map<string, string | undefined>();
  for (const f of files) before.set(f, await editorText(vscode.Uri.file(join(root, f))));
  for (const f of files) {
    const original = existsSync(join(pristine, f)) ? readFileSync(join(pristine, f), 'utf8') : undefined;
    assert.equal(before.get(f), original, `${f} starts as in examples/ha-ingestor`);
  }

  const outcome = await vscode.commands.executeCommand<{ status: string; message: string }>('dockopt.optimizeAll');
  assert.equal(outcome?.status, 'applied', outcome?.message);
  for (const f of files) {
    const want = existsSync(join(expectedRoot, f)) ? readFileSync(join(expectedRoot, f), 'utf8') : undefined;
    assert.equal(await editorText(vscode.Uri.file(join(root, f))), want, `${f} as \`dockopt fix\` makes it`);
  }

  // Undo runs from the focused editor; the workspace edit is one undo group across every file it
  // touched (created .dockerignore files included, which undo deletes).
  const anyChanged = vscode.Uri.file(join(root, changed.find((f) => existsSync(join(pristine, f)))!));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(anyChanged));
  await vscode.commands.executeCommand('undo');
  for (const f of files) {
    assert.equal(await editorText(vscode.Uri.file(join(root, f))), before.get(f), `${f} restored by one undo`);
  }
}
