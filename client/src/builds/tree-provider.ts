/**
 * "BuildKit Cache" (view `dockopt.buildkitCache`): tree-model.ts's nodes as TreeItems. Refreshed
 * when builds start, progress (at most twice a second) and finish, each second while one runs,
 * and when the workspace becomes trusted (in Restricted Mode it is empty: the welcome explains).
 */
import type * as vscode from 'vscode';
import type { VscodeApi } from '../vscode-api';
import { Emitter } from 'vscode-jsonrpc/node';
import type { BuildFeature } from './feature';
import { serviceNodes, type ServiceView, type TreeNode } from './tree-model';

export const VIEW_ID = 'dockopt.buildkitCache';
const PROGRESS_REFRESH_MS = 500;

export class BuildTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new Emitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private lastProgressRefresh = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly api: VscodeApi,
    private readonly feature: BuildFeature,
  ) {
    this.subscriptions.push(
      feature.controller.onDidChange((event) => {
        if (event.type === 'progress') {
          if (Date.now() - this.lastProgressRefresh < PROGRESS_REFRESH_MS) return;
          this.lastProgressRefresh = Date.now();
        }
        this.updateTicker();
        this.refresh();
      }),
      feature.onDidChangeKnown(() => this.refresh()),
      api.workspace.onDidGrantWorkspaceTrust(() => {
        void feature.refreshKnown(true);
        this.refresh();
      }),
    );
    void feature.records.load().then(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire();
  }

  /** Re-render each second while a build runs, so its elapsed time ticks. */
  private updateTicker(): void {
    const running = this.feature.controller.running().length > 0;
    if (running && !this.ticker) this.ticker = setInterval(() => this.refresh(), 1000);
    if (!running && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /** Built services with their builds, running ones, and the workspace's services never built. */
  views(): ServiceView[] {
    const views = new Map<string, ServiceView>();
    for (const entry of this.feature.records.all()) views.set(entry.target.id, { target: entry.target, builds: entry.builds });
    for (const build of this.feature.controller.running()) {
      const view = views.get(build.target.id) ?? { target: build.target, builds: [] };
      view.running = { startedAt: build.startedAt, progress: build.progress };
      views.set(build.target.id, view);
    }
    for (const target of this.feature.knownTargets()) if (!views.has(target.id)) views.set(target.id, { target, builds: [] });
    return [...views.values()];
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return node.children ?? [];
    // Restricted Mode: always the view's welcome text (why builds are off, and Manage Workspace
    // Trust), whether or not the language server has listed the services yet; never a list of
    // services that cannot be built, with nothing to say why.
    if (!this.api.workspace.isTrusted) return [];
    // Until the history is read the view shows its progress bar, not the "no builds" welcome.
    await this.feature.records.load();
    void this.feature.refreshKnown();
    return serviceNodes(this.views(), Date.now());
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const api = this.api;
    const state =
      node.collapsible === 'none'
        ? api.TreeItemCollapsibleState.None
        : node.collapsible === 'expanded'
          ? api.TreeItemCollapsibleState.Expanded
          : api.TreeItemCollapsibleState.Collapsed;
    const item = new api.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    if (node.icon) item.iconPath = new api.ThemeIcon(node.icon.id, node.icon.color ? new api.ThemeColor(node.icon.color) : undefined);
    if (node.open) {
      const line = node.open.line;
      item.command = {
        command: 'vscode.open',
        title: 'Open Dockerfile at this step',
        arguments: [api.Uri.file(node.open.file), { selection: new api.Range(line, 0, line, 0), preview: true }],
      };
    }
    return item;
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
