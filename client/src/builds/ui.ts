/**
 * Puts the build feature on screen: the "BuildKit Cache" tree, the status-bar item, the
 * Dockerfile decorations and code lenses, and the read-only comparison documents.
 */
import type * as vscode from 'vscode';
import type { ServerAccess, VscodeApi } from '../vscode-api';
import { BuildCodeLenses } from './code-lens';
import { BuildDecorations } from './editor-decorations';
import { COMPARE_SCHEME, type BuildFeature } from './feature';
import { BuildStatusBar } from './status-bar';
import { BuildTreeProvider, VIEW_ID } from './tree-provider';

const DOCKERFILES: vscode.DocumentSelector = [
  { scheme: 'file', language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{Dockerfile,Dockerfile.*,*.Dockerfile,*.dockerfile,Containerfile,Containerfile.*}' },
];

export function showBuildFeature(api: VscodeApi, feature: BuildFeature, server: ServerAccess): vscode.Disposable[] {
  const tree = new BuildTreeProvider(api, feature);
  const view = api.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const lenses = new BuildCodeLenses(api, server, feature);
  // `dockopt.buildRunning` shows "Cancel Build" in the view title and the command palette.
  let wasRunning = false;
  const runningKey = feature.controller.onDidChange(() => {
    const running = feature.controller.running().length > 0;
    if (running !== wasRunning) void api.commands.executeCommand('setContext', 'dockopt.buildRunning', (wasRunning = running));
  });
  return [
    runningKey,
    tree,
    view,
    new BuildStatusBar(api, feature),
    new BuildDecorations(api, feature),
    lenses,
    api.languages.registerCodeLensProvider(DOCKERFILES, lenses),
    api.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, {
      provideTextDocumentContent: (uri) => feature.documents.get(uri.query) ?? 'This comparison is no longer available; run "dockopt: Compare Builds" again.',
    }),
  ];
}
