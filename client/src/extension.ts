/**
 * dockopt's VS Code extension: starts the language server (diagnostics, quick fixes and
 * `source.fixAll.dockopt` come from it), shows the language status item, and contributes
 * the commands. Everything lives in one `DockoptExtension` made per activation; the only
 * module-level variable is the instance `deactivate` must stop.
 */
import * as vscode from 'vscode';
import { commandHandlers, registerCommands, type CommandHandler } from './commands/register';
import type { CommandId } from './commands/ids';
import { LanguageStatus } from './language-status';
import { ServerHost } from './server-host';

export interface DockoptApi {
  /** The command handlers, callable directly by tests in a real editor. */
  commands: Record<CommandId, CommandHandler>;
  server: ServerHost;
  status: LanguageStatus;
}

let running: ServerHost | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<DockoptApi> {
  const output = vscode.window.createOutputChannel('dockopt', { log: true });
  const status = new LanguageStatus(vscode);
  const server = new ServerHost({
    api: vscode,
    context,
    output,
    onState: (state) => status.setServerState(state),
    onStatus: (params) => status.update(params),
  });
  const commands = commandHandlers({ vscode, server, output });
  context.subscriptions.push(output, status, ...registerCommands(vscode, commands));
  running = server;
  output.info(`dockopt ${context.extension.packageJSON.version ?? ''} activating`);
  await server.start();
  return { commands, server, status };
}

export async function deactivate(): Promise<void> {
  const server = running;
  running = undefined;
  await server?.stop();
}
