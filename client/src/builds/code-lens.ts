/**
 * "▶ Build <service>" above each FROM line of a Dockerfile (trusted workspaces only): the
 * services come from the language server; several services open a pick when clicked.
 */
import type * as vscode from 'vscode';
import { BUILDS_REQUEST } from '../../../shared/src/protocol';
import type { ServerAccess, VscodeApi } from '../vscode-api';
import { Emitter } from 'vscode-jsonrpc/node';
import type { BuildFeature } from './feature';

const FROM_LINE = /^\s*FROM\s/i;

/** The lens title for a Dockerfile built by these services. */
export function lensTitle(services: readonly string[]): string {
  const names = [...new Set(services)];
  if (names.length === 1) return `$(play) Build ${names[0]} with BuildKit`;
  if (names.length > 1) return `$(play) Build with BuildKit (${names.length} services)`;
  return '$(play) Build with BuildKit';
}

export class BuildCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new Emitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly api: VscodeApi,
    private readonly server: ServerAccess,
    feature: BuildFeature,
  ) {
    this.subscriptions.push(
      api.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      feature.onDidChangeKnown(() => this.changed.fire()),
    );
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!this.api.workspace.isTrusted || doc.uri.scheme !== 'file') return [];
    const lines: number[] = [];
    for (let i = 0; i < doc.lineCount; i++) if (FROM_LINE.test(doc.lineAt(i).text)) lines.push(i);
    if (lines.length === 0) return [];
    let services: string[] = [];
    if (this.server.isRunning()) {
      const infos = await this.server.sendRequest(BUILDS_REQUEST, { uri: doc.uri.toString() }).catch(() => []);
      services = (infos ?? []).map((i) => i.service).filter((s): s is string => !!s);
    }
    const title = lensTitle(services);
    return lines.map((line) => new this.api.CodeLens(new this.api.Range(line, 0, line, 0), { title, command: 'dockopt.build', arguments: [doc.uri] }));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
