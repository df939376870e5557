/**
 * Runs dockopt's language server (dist/server.js, bundled beside this file's bundle) over
 * node IPC and keeps it running: a crash restarts it, the first restart is announced once,
 * and a server that keeps crashing is left stopped with a way to restart it by hand.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { RequestParam, RequestType } from 'vscode-jsonrpc';
import { STATUS_NOTIFICATION, TRUST_NOTIFICATION, type StatusParams, type TrustParams } from '../../shared/src/protocol';
import { RestartPolicy } from './restart-policy';
import { withRenderedDocsLinks } from './rule-docs';
import type { ServerState } from './status-text';
import type { ServerAccess, VscodeApi } from './vscode-api';

export interface ServerHostOptions {
  api: VscodeApi;
  context: vscode.ExtensionContext;
  output: vscode.LogOutputChannel;
  onState(state: ServerState): void;
  onStatus(status: StatusParams): void;
  policy?: RestartPolicy;
}

export class ServerHost implements ServerAccess {
  readonly client: LanguageClient;
  private readonly policy: RestartPolicy;

  constructor(private readonly options: ServerHostOptions) {
    const { context, output } = options;
    this.policy = options.policy ?? new RestartPolicy();
    const module = context.asAbsolutePath(path.join('dist', 'server.js'));
    const docsDir = context.asAbsolutePath(path.join('docs', 'rules'));
    // The server keeps a V8 code cache of its bundle here: a second start compiles less (server-launcher.ts).
    const env = { DOCKOPT_CODE_CACHE_DIR: path.join(context.globalStorageUri.fsPath, 'code-cache') };
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { env } },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'dockerfile' },
        { scheme: 'untitled', language: 'dockerfile' },
        { scheme: 'file', language: 'dockerignore' },
        { scheme: 'untitled', language: 'dockerignore' },
      ],
      // File events: the server registers its own watcher (every file: a build context's
      // contents matter too), so a second set of watchers here would only deliver each event twice.
      synchronize: { configurationSection: 'dockopt' },
      outputChannel: output,
      traceOutputChannel: output,
      diagnosticCollectionName: 'dockopt',
      middleware: {
        // A rule's link opens its page rendered (Markdown preview), not as an editable raw file.
        handleDiagnostics: (uri, diagnostics, next) => next(uri, withRenderedDocsLinks(options.api, diagnostics, docsDir)),
      },
      // Read at every (re)start: in Restricted Mode, fixes that touch other files ask first.
      initializationOptions: () => ({ workspaceTrusted: options.api.workspace.isTrusted }),
      errorHandler: {
        error: (_error, _message, count) => ({
          action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
          handled: true,
        }),
        closed: () => this.onCrash(),
      },
    };
    // Id 'dockopt' makes the client read `dockopt.trace.server` for the LSP trace.
    this.client = new LanguageClient('dockopt', 'dockopt', serverOptions, clientOptions);
    this.client.onDidChangeState(({ newState }) => options.onState(toServerState(newState)));
    this.client.onNotification(STATUS_NOTIFICATION, (params) => options.onStatus(params));
    context.subscriptions.push(
      options.api.workspace.onDidGrantWorkspaceTrust(() => {
        const params: TrustParams = { trusted: true };
        if (this.client.isRunning()) void this.client.sendNotification(TRUST_NOTIFICATION, params);
      }),
    );
  }

  isRunning(): boolean {
    return this.client.isRunning();
  }

  sendRequest<P, R>(type: RequestType<P, R, void>, params: RequestParam<P>, token?: vscode.CancellationToken): Promise<R> {
    return this.client.sendRequest(type, params, token);
  }

  async start(): Promise<void> {
    try {
      await this.client.start();
    } catch (error) {
      const text = `dockopt's language server did not start: ${error instanceof Error ? error.message : String(error)}`;
      this.options.output.error(text);
      this.options.onState('stopped');
      void this.options.api.window.showErrorMessage(text, 'Show Output').then((choice) => {
        if (choice) this.options.output.show(true);
      });
    }
  }

  /** "dockopt: Restart Language Server": also the way back after the server was given up on. */
  async restart(): Promise<ServerState> {
    this.policy.reset();
    if (this.client.needsStop()) await this.client.stop().catch(() => undefined);
    await this.start();
    return this.client.isRunning() ? 'running' : 'stopped';
  }

  async stop(): Promise<void> {
    if (this.client.needsStop()) await this.client.stop();
  }

  private onCrash() {
    const decision = this.policy.onCrash(Date.now());
    this.options.output.warn(decision.log);
    if (decision.notify) {
      const { window } = this.options.api;
      const shown = decision.restart
        ? window.showWarningMessage(decision.notify, 'Show Output')
        : window.showErrorMessage(decision.notify, 'Show Output');
      void shown.then((choice) => {
        if (choice) this.options.output.show(true);
      });
    }
    return { action: decision.restart ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true };
  }
}

function toServerState(state: State): ServerState {
  if (state === State.Running) return 'running';
  if (state === State.Starting) return 'starting';
  return 'stopped';
}
