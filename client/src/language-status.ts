/**
 * The language status item on Dockerfiles (the `{}` next to the language name): findings
 * in the active file, rules active, "Optimize all" as its action.
 */
import type * as vscode from 'vscode';
import type { StatusParams } from '../../shared/src/protocol';
import { StatusStore, statusView, type ServerState, type StatusView } from './status-text';
import type { VscodeApi } from './vscode-api';

export class LanguageStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly store = new StatusStore();
  private server: ServerState = 'starting';
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly api: Pick<VscodeApi, 'languages' | 'window' | 'workspace' | 'LanguageStatusSeverity'>) {
    // Dockerfiles only: the server reports status (findings, rules) for Dockerfiles.
    this.item = api.languages.createLanguageStatusItem('dockopt.status', { language: 'dockerfile' });
    this.item.name = 'dockopt';
    this.subscriptions.push(
      api.window.onDidChangeActiveTextEditor(() => this.render()),
      api.workspace.onDidCloseTextDocument((doc) => this.store.forget(doc.uri.toString())),
    );
    this.render();
  }

  setServerState(state: ServerState): void {
    this.server = state;
    if (state === 'stopped') this.store.clear();
    this.render();
  }

  update(status: StatusParams): void {
    this.store.update(status);
    if (status?.uri === this.activeUri()) this.render();
  }

  /** What the item shows now (for tests and the output log). */
  current(): StatusView {
    return statusView(this.server, this.activeUri() ? this.store.get(this.activeUri()!) : undefined);
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  private activeUri(): string | undefined {
    return this.api.window.activeTextEditor?.document.uri.toString();
  }

  private render(): void {
    const view = this.current();
    this.item.text = view.text;
    this.item.detail = view.detail;
    this.item.busy = view.busy;
    this.item.command = view.command;
    this.item.severity =
      view.severity === 'error'
        ? this.api.LanguageStatusSeverity.Error
        : view.severity === 'warning'
          ? this.api.LanguageStatusSeverity.Warning
          : this.api.LanguageStatusSeverity.Information;
  }
}
