/**
 * dockopt's language server: connection and document wiring only. It keeps the session (open
 * documents, workspace model, settings, folders, trust) current and hands requests to the
 * lsp/ modules: diagnostics, code actions, build queries and the workspace-fixes request.
 * Runs as `node dist/server.js --stdio` (or `--node-ipc` from the VS Code client).
 */
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { TRUST_NOTIFICATION } from '../../shared/src/protocol';
import { onRuleError } from './engine';
import { registerBuildQueries } from './lsp/build-queries';
import { registerCodeActions } from './lsp/code-actions';
import { FIX_ALL_KIND, bundledDocsBase } from './lsp/convert';
import { Diagnostics } from './lsp/diagnostics';
import { DocumentLinter, documentKind } from './lsp/document-linter';
import { IdleCollection, fullCollector, processHeap } from './lsp/idle-collection';
import { isFileDocument, openDocument, type Session } from './lsp/session';
import { SettingsCache } from './lsp/settings-cache';
import { registerWorkspaceFixes } from './lsp/workspace-fixes-request';
import { kindOf } from './workspace/discover';
import { WorkspaceModel } from './workspace/workspace';

const connection = createConnection(ProposedFeatures.all);
const workspace = new WorkspaceModel();
const session: Session = {
  connection,
  documents: new TextDocuments(TextDocument),
  workspace,
  linter: new DocumentLinter(workspace, () => diagnostics.relintAll()),
  settings: new SettingsCache(undefined),
  roots: [],
  canCreateFiles: false,
  workspaceTrusted: true,
};
const { documents, linter } = session;
// Gives back the memory a large document's checks took once the server rests (lsp/idle-collection.ts).
const idleCollection = new IdleCollection({ collect: fullCollector(), heap: processHeap });
const diagnostics = new Diagnostics(session, bundledDocsBase(__dirname), idleCollection);
let canWatchFiles = false;
let hasFolderEvents = false;

onRuleError((rule, error) => connection.console.error(`dockopt: rule ${rule.meta.id} failed: ${(error as Error)?.stack ?? error}`));

connection.onInitialize((params: InitializeParams) => {
  const caps = params.capabilities;
  if (caps.workspace?.configuration) {
    session.settings = new SettingsCache((scopeUri) => connection.workspace.getConfiguration({ scopeUri, section: 'dockopt' }));
  }
  session.canCreateFiles = !!caps.workspace?.workspaceEdit?.documentChanges && !!caps.workspace.workspaceEdit.resourceOperations?.includes('create');
  canWatchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  hasFolderEvents = !!caps.workspace?.workspaceFolders;
  session.workspaceTrusted = (params.initializationOptions as { workspaceTrusted?: boolean } | undefined)?.workspaceTrusted !== false;
  session.roots = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
  if (session.roots.length === 0 && params.rootUri) session.roots = [URI.parse(params.rootUri).fsPath];
  workspace.setRoots(session.roots);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'dockopt' },
  };
});

connection.onInitialized(async () => {
  if (canWatchFiles) {
    // Every file: a change anywhere in a build context can change what the context sends.
    await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
  }
  refreshWorkspace();
  if (hasFolderEvents) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(event.removed.map((f) => URI.parse(f.uri).fsPath));
      session.roots = [...session.roots.filter((r) => !removed.has(r)), ...event.added.map((f) => URI.parse(f.uri).fsPath)];
      workspace.setRoots(session.roots);
      refreshWorkspace();
    });
  }
});

/** Re-reads the folders' context overrides and excludes, then rediscovers their files. */
function refreshWorkspace(): void {
  (async () => {
    for (const root of session.roots) {
      const s = await session.settings.get(URI.file(root).toString());
      workspace.setSettings({ contextOverrides: s.contextOverrides, exclude: s.exclude }, root);
    }
    await workspace.refresh();
    linter.invalidateAll();
    diagnostics.relintAll();
  })().catch((error) => connection.console.error(`dockopt: reading the workspace failed: ${error}`));
}

// ---- documents ---------------------------------------------------------------------------

documents.onDidChangeContent(({ document }) => {
  if (!isFileDocument(document)) return;
  const path = URI.parse(document.uri).fsPath;
  const kind = documentKind(openDocument(document)) ?? kindOf(path);
  if (!kind) return;
  workspace.setOverlay(path, document.getText());
  if (kind === 'compose' || kind === 'dockerignore') {
    // Other files' findings depend on these: re-check everything open.
    workspace.invalidate(path);
    linter.invalidateAll();
    diagnostics.relintAll();
  } else {
    void diagnostics.validate(document);
  }
});

documents.onDidClose(({ document }) => {
  if (!isFileDocument(document)) return;
  const path = URI.parse(document.uri).fsPath;
  workspace.setOverlay(path, undefined);
  linter.forget(path);
  diagnostics.forget(document.uri);
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  if (kindOf(path) !== 'dockerfile') {
    workspace.invalidate(path);
    linter.invalidateAll();
    diagnostics.relintAll();
  }
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  for (const change of changes) {
    const path = URI.parse(change.uri).fsPath;
    if (documents.get(change.uri)) continue; // the editor's text wins over the disk
    workspace.invalidate(path);
  }
  linter.invalidateAll();
  diagnostics.relintAll();
});

connection.onDidChangeConfiguration(() => {
  session.settings.clear();
  linter.invalidateAll();
  refreshWorkspace();
});

connection.onNotification(TRUST_NOTIFICATION, (params) => {
  session.workspaceTrusted = params.trusted;
});

// ---- features ----------------------------------------------------------------------------

registerCodeActions(session, idleCollection);
registerWorkspaceFixes(session);
registerBuildQueries(session);

process.on('uncaughtException', (error) => connection.console.error(`dockopt: unexpected error: ${error?.stack ?? error}`));
process.on('unhandledRejection', (error) => connection.console.error(`dockopt: unexpected error: ${(error as Error)?.stack ?? error}`));

documents.listen(connection);
connection.listen();
