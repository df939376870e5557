/// <reference types="mocha" />
// The build client setting in a real editor (issue: "works once, then not"): every build reads
// `dockopt.build.command` the same way, whatever started it and however often, and "Open
// Settings" goes to the tab where a machine setting can be set in this kind of window.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { buildClientSettingsCommand } from '../../client/src/builds/settings';
import { dockopt, waitFor } from './support';

export function buildSettingsSuite(): void {
  suite('build client setting', () => {
    const CLIENT = '/usr/bin/docker';

    teardown(async () => {
      await vscode.workspace.getConfiguration('dockopt.build').update('command', undefined, vscode.ConfigurationTarget.Global);
    });

    test('a User value of dockopt.build.command is read the same way by every build', async () => {
      const api = await dockopt();
      await waitFor('the workspace builds', async () => (await api.builds.refreshKnown(true), api.builds.knownTargets()), (t) => t.length > 0, []);
      const [first, second] = api.builds.knownTargets();
      const config = () => vscode.workspace.getConfiguration('dockopt.build');
      await config().update('command', CLIENT, vscode.ConfigurationTarget.Global);
      const inspected = config().inspect<string>('command');
      // Facts of this window, in the log: which layer holds the value, and what an unscoped read gives.
      console.log(`remoteName=${vscode.env.remoteName ?? '(local)'} inspect=${JSON.stringify(inspected)} get=${config().get('command')}`);
      const reads = [first, second ?? first, first, second ?? first].map((t) => api.builds.settingsFor(t).command);
      // The same answer for every build and service, and it is the value VS Code applies here.
      assert.deepEqual(new Set(reads).size, 1, `reads: ${reads.join(', ')}`);
      assert.equal(reads[0], config().get('command'));
    });

    test('"Open Settings" for the build client opens a settings tab that exists in this window', async () => {
      const { command, args } = buildClientSettingsCommand(vscode.env.remoteName);
      assert.ok((await vscode.commands.getCommands(true)).includes(command), `${command} is a command of this editor`);
      await vscode.commands.executeCommand(command, ...args);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
  });
}
