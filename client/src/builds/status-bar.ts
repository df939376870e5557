/**
 * The build status-bar item (status-model.ts decides what it says): ticks each second while a
 * build runs, follows the active editor, and re-renders when a build finishes.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { VscodeApi } from '../vscode-api';
import type { BuildFeature } from './feature';
import { statusBarView, type StatusBarView } from './status-model';

/** Time and the one-second tick, replaceable by a fake clock in tests. */
export interface Clock {
  now(): number;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export class BuildStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private ticker: unknown;

  constructor(
    private readonly api: Pick<VscodeApi, 'window' | 'StatusBarAlignment' | 'ThemeColor'>,
    private readonly feature: Pick<BuildFeature, 'controller' | 'records'>,
    private readonly clock: Clock = realClock,
  ) {
    this.item = api.window.createStatusBarItem('dockopt.build', api.StatusBarAlignment.Left, 50);
    this.item.name = 'dockopt build';
    this.subscriptions.push(
      feature.controller.onDidChange((event) => {
        if (event.type !== 'progress') this.render();
      }),
      api.window.onDidChangeActiveTextEditor(() => this.render()),
    );
    void feature.records.load().then(() => this.render());
    this.render();
  }

  current(): StatusBarView {
    const running = this.feature.controller.running();
    const doc = this.api.window.activeTextEditor?.document;
    const services = doc && doc.uri.scheme === 'file' ? this.feature.records.forDockerfile(path.resolve(doc.uri.fsPath)) : [];
    return statusBarView({ now: this.clock.now(), running, active: services[0] });
  }

  private render(): void {
    const view = this.current();
    const running = this.feature.controller.running().length > 0;
    if (running && this.ticker === undefined) this.ticker = this.clock.setInterval(() => this.render(), 1000);
    if (!running && this.ticker !== undefined) {
      this.clock.clearInterval(this.ticker);
      this.ticker = undefined;
    }
    if (!view.visible) {
      this.item.hide();
      return;
    }
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = view.command;
    this.item.backgroundColor = view.warning ? new this.api.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    if (this.ticker !== undefined) this.clock.clearInterval(this.ticker);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
