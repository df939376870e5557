/// <reference types="mocha" />
// What the extension contributes is there in a real editor: every command of the manifest is
// registered, and the language status item reports the active Dockerfile's findings.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../client/src/commands/ids';
import { dockopt, EXTENSION_ID, inWorkspace, openAndWaitForDiagnostics, waitFor } from './support';

export function commandsSuite(): void {
  suite('commands and status', () => {
    test('every command of the manifest is registered once dockopt is active', async () => {
      await dockopt();
      const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string }[] } };
      const contributed = manifest.contributes.commands.map((c) => c.command).sort();
      const registered = new Set(await vscode.commands.getCommands(true));
      assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed but not registered');
      for (const id of COMMAND_IDS) assert.ok(registered.has(id), `${id} registered`);
    });

    test('the language status item counts the active Dockerfile\'s findings', async () => {
      const api = await dockopt();
      await openAndWaitForDiagnostics(inWorkspace('services', 'electricity-pricing-service', 'Dockerfile'), (d) => d.length >= 5);
      const view = await waitFor('the status item to show the findings', () => api.status.current(), (v) => !v.busy, [vscode.window.onDidChangeActiveTextEditor]);
      assert.equal(view.text, 'dockopt: 5 findings');
      assert.equal(view.command.command, 'dockopt.optimizeAll');
    });
  });
}
