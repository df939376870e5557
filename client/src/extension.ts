/**
 * dockopt's VS Code extension: starts the language server (diagnostics, quick fixes and
 * `source.fixAll.dockopt` come from it), shows the language status item, and contributes
 * the commands and the build runner's views. The only module-level variables are what
 * `deactivate` must stop: the server, and the builds (their clients run in their own process groups).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BuildFeature } from './builds/feature';
import { BuildStatusBar } from './builds/status-bar';
import { BuildTreeProvider } from './builds/tree-provider';
import { showBuildFeature } from './builds/ui';
import { commandHandlers, registerCommands, type CommandHandler } from './commands/register';
import type { CommandId } from './commands/ids';
import { LanguageStatus } from './language-status';
import { SHOW_RULE_DOCS_COMMAND, showRuleDocs } from './rule-docs';
import { ServerHost } from './server-host';

export interface DockoptApi {
  /** The command handlers, callable directly by tests in a real editor. */
  commands: Record<CommandId, CommandHandler>;
  server: ServerHost;
  status: LanguageStatus;
  builds: BuildFeature;
  /** What the build views show (the BuildKit Cache tree's nodes, the status-bar item's text), for tests in a real editor. */
  buildViews: { tree: BuildTreeProvider; statusBar: BuildStatusBar };
}

let running: ServerHost | undefined;
let builds: BuildFeature | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<DockoptApi> {
  const output = vscode.window.createOutputChannel('dockopt', { log: true });
  const status = new LanguageStatus(vscode);
  const server = new ServerHost({
    api: vscode,
    context,
    output,
    onState: (state) => {
      status.setServerState(state);
      if (state === 'running') void builds?.refreshKnown(true);
    },
    onStatus: (params) => status.update(params),
  });
  // Build history lives in the extension's storage for this workspace, never in the repository.
  const storage = context.storageUri ?? context.globalStorageUri;
  builds = new BuildFeature({ vscode, server, storageDir: vscode.Uri.joinPath(storage, 'builds').fsPath, log: (m) => output.info(m) });
  const commands = commandHandlers({ vscode, server, output, builds: builds.handlers });
  const docsDir = context.asAbsolutePath(path.join('docs', 'rules'));
  const shown = showBuildFeature(vscode, builds, server);
  const tree = shown.find((d): d is BuildTreeProvider => d instanceof BuildTreeProvider);
  const statusBar = shown.find((d): d is BuildStatusBar => d instanceof BuildStatusBar);
  if (!tree || !statusBar) throw new Error('dockopt: the build views were not created');
  context.subscriptions.push(
    output,
    status,
    builds,
    ...shown,
    ...registerCommands(vscode, commands),
    // Internal (the diagnostics' rule links): not in the command palette.
    vscode.commands.registerCommand(SHOW_RULE_DOCS_COMMAND, (target: unknown) => showRuleDocs(vscode, docsDir, target)),
  );
  running = server;
  output.info(`dockopt ${context.extension.packageJSON.version ?? ''} activating`);
  await server.start();
  return { commands, server, status, builds, buildViews: { tree, statusBar } };
}

export async function deactivate(): Promise<void> {
  const server = running;
  running = undefined;
  // Builds run in their own process groups: stop them rather than leave them behind (SIGTERM
  // to each group now, SIGKILL a second later; the runner kills what is left if the host exits first).
  builds?.dispose();
  builds = undefined;
  await server?.stop();
}
