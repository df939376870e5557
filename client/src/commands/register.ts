/**
 * The commands' handlers and their registration. Handlers return what they did (an outcome
 * object), so tests in a real editor can run a command and check its result.
 */
import type * as vscode from 'vscode';
import type { BuildCommandHandlers } from '../builds/feature-contract';
import type { ServerState } from '../status-text';
import { isUri, type ServerAccess, type VscodeApi } from '../vscode-api';
import { fixAllInFile, type FixAllAction, type FixAllOutcome } from './fix-all-in-file';
import { COMMANDS, COMMAND_IDS, type CommandId } from './ids';
import { optimizeAllCommand } from './optimize-all';

export interface CommandDeps {
  vscode: VscodeApi;
  server: ServerAccess & { restart(): Promise<ServerState> };
  output: { show(preserveFocus?: boolean): void; info(message: string): void };
  /** The build commands (client/src/builds); without them those commands say builds are unavailable. */
  builds?: BuildCommandHandlers;
}

export type CommandHandler = (...args: unknown[]) => Promise<unknown>;

export function commandHandlers(deps: CommandDeps): Record<CommandId, CommandHandler> {
  const api = deps.vscode;
  return {
    [COMMANDS.optimizeAll]: (arg) =>
      optimizeAllCommand({ vscode: api, server: deps.server, log: (m) => deps.output.info(m) }, arg),
    [COMMANDS.fixAllInFile]: async (arg) => {
      const outcome = await fixAllInFile(fixAllDeps(api), arg);
      showFixAllOutcome(api, outcome);
      return outcome;
    },
    [COMMANDS.restartServer]: async () => {
      const state = await deps.server.restart();
      deps.output.info(`Language server restarted by the user: ${state}.`);
      return state;
    },
    [COMMANDS.showOutput]: async () => {
      deps.output.show(false);
      return true;
    },
    [COMMANDS.build]: buildCommand(deps, 'build'),
    [COMMANDS.rebuild]: buildCommand(deps, 'rebuild'),
    [COMMANDS.buildAll]: buildCommand(deps, 'buildAll'),
    [COMMANDS.compareBuilds]: buildCommand(deps, 'compareBuilds'),
    [COMMANDS.cancelBuild]: buildCommand(deps, 'cancelBuild'),
  };
}

function buildCommand(deps: CommandDeps, name: keyof BuildCommandHandlers): CommandHandler {
  return async (...args) => {
    if (deps.builds) return deps.builds[name](...args);
    const message = 'dockopt: builds are not available in this window.';
    void deps.vscode.window.showErrorMessage(message);
    return { status: 'unavailable', message };
  };
}

export function registerCommands(
  api: Pick<VscodeApi, 'commands'>,
  handlers: Record<CommandId, CommandHandler>,
): vscode.Disposable[] {
  return COMMAND_IDS.map((id) => api.commands.registerCommand(id, handlers[id]));
}

interface VscodeFixAll extends FixAllAction {
  action: vscode.CodeAction;
}

function fixAllDeps(api: VscodeApi) {
  const documentFor = (arg: unknown): vscode.TextDocument | undefined => {
    if (isUri(arg)) return api.workspace.textDocuments.find((d) => d.uri.toString() === arg.toString());
    return api.window.activeTextEditor?.document;
  };
  return {
    target: (arg: unknown) => {
      const doc = documentFor(arg);
      return doc ? { uri: doc.uri.toString(), languageId: doc.languageId } : undefined;
    },
    sourceActions: async (uri: string, kind: string): Promise<VscodeFixAll[]> => {
      const doc = api.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      if (!doc) return [];
      const whole = new api.Range(new api.Position(0, 0), doc.lineAt(Math.max(0, doc.lineCount - 1)).range.end);
      // The last argument makes VS Code resolve lazily computed edits (codeAction/resolve).
      const items = await api.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        whole,
        kind,
        10,
      );
      return (items ?? [])
        .filter((item): item is vscode.CodeAction => typeof (item as vscode.Command).command !== 'string')
        .map((action) => ({
          action,
          title: action.title,
          kind: action.kind?.value,
          hasEdit: !!action.edit && action.edit.size > 0,
          hasCommand: !!action.command,
        }));
    },
    apply: async ({ action }: VscodeFixAll): Promise<boolean> => {
      let ok = true;
      if (action.edit) ok = await api.workspace.applyEdit(action.edit);
      if (ok && action.command) await api.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
      return ok;
    },
  };
}

function showFixAllOutcome(api: VscodeApi, outcome: FixAllOutcome): void {
  if (outcome.status === 'applied') return; // the edit in the editor says it
  if (outcome.status === 'failed' || outcome.status === 'not-applied') void api.window.showErrorMessage(outcome.message);
  else void api.window.showInformationMessage(outcome.message);
}
