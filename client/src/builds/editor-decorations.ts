/**
 * After a build, each instruction of the Dockerfile shows at its line end whether it came from
 * the cache or how long it ran (decoration-model.ts), in every visible editor of that file.
 * `dockopt.build.decorations: false` turns them off.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { VscodeApi } from '../vscode-api';
import { lineDecorations, type DecorationKind } from './decoration-model';
import type { BuildFeature } from './feature';

const COLOURS: Record<DecorationKind, string> = {
  cached: 'editorCodeLens.foreground',
  ran: 'editorCodeLens.foreground',
  canceled: 'editorCodeLens.foreground',
  miss: 'editorWarning.foreground',
  failed: 'editorError.foreground',
};

export class BuildDecorations implements vscode.Disposable {
  private readonly types = new Map<DecorationKind, vscode.TextEditorDecorationType>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly api: VscodeApi,
    private readonly feature: BuildFeature,
  ) {
    for (const kind of Object.keys(COLOURS) as DecorationKind[]) {
      this.types.set(
        kind,
        api.window.createTextEditorDecorationType({
          after: { margin: '0 0 0 2em', color: new api.ThemeColor(COLOURS[kind]), fontStyle: 'italic' },
          isWholeLine: false,
        }),
      );
    }
    this.subscriptions.push(
      feature.controller.onDidChange((event) => {
        if (event.type !== 'progress') this.renderAll();
      }),
      api.window.onDidChangeVisibleTextEditors(() => this.renderAll()),
      api.workspace.onDidChangeTextDocument((event) => {
        for (const editor of api.window.visibleTextEditors) if (editor.document === event.document) this.render(editor);
      }),
      api.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('dockopt.build.decorations')) this.renderAll();
      }),
    );
    void feature.records.load().then(() => this.renderAll());
  }

  renderAll(): void {
    for (const editor of this.api.window.visibleTextEditors) this.render(editor);
  }

  private render(editor: vscode.TextEditor): void {
    const doc = editor.document;
    const clear = () => {
      for (const type of this.types.values()) editor.setDecorations(type, []);
    };
    if (doc.uri.scheme !== 'file') return;
    const services = this.feature.records.forDockerfile(doc.uri.fsPath);
    // While it builds again, the last build's results would be stale.
    if (this.feature.controller.running().some((b) => b.target.key.dockerfile === path.resolve(doc.uri.fsPath))) {
      clear();
      return;
    }
    const enabled = this.api.workspace.getConfiguration('dockopt.build', doc.uri).get<boolean>('decorations', true);
    const record = services[0]?.builds[services[0].builds.length - 1];
    if (!enabled || !record) {
      if (services.length || !enabled) clear();
      return;
    }
    const byKind = new Map<DecorationKind, vscode.DecorationOptions[]>();
    for (const d of lineDecorations(record, doc.getText())) {
      if (d.line >= doc.lineCount) continue;
      const end = doc.lineAt(d.line).range.end;
      const list = byKind.get(d.kind) ?? [];
      list.push({
        range: new this.api.Range(end, end),
        hoverMessage: `dockopt (${services[0].target.label}): ${d.hover}`,
        renderOptions: { after: { contentText: d.text } },
      });
      byKind.set(d.kind, list);
    }
    for (const [kind, type] of this.types) editor.setDecorations(type, byKind.get(kind) ?? []);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const type of this.types.values()) type.dispose();
  }
}
