/**
 * dockopt's language server: wiring only. It maps LSP requests to the engine (through the
 * workspace model and the document linter) and the engine's answers back to LSP.
 * Runs as `node dist/server.js --stdio` (or `--node-ipc` from the VS Code client).
 */
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { parseDockerfile } from './dockerfile/model';
import { levelOf, lintDockerfile, onRuleError } from './engine';
import { fixAllInText, minimalEdit } from './fixes/fix-text';
import { FIX_ALL_KIND, bundledDocsBase, sameDiagnostic, toDiagnostic, toQuickFix, toWorkspaceEdit, type EditContext } from './lsp/convert';
import { DocumentLinter, documentKind, type OpenDocument } from './lsp/document-linter';
import {
  ALL_BUILDS_REQUEST,
  BUILDS_REQUEST,
  STATUS_NOTIFICATION,
  TRUST_NOTIFICATION,
  WORKSPACE_FIXES_REQUEST,
  type AllBuildsParams,
  type BuildsParams,
  type ServiceBuildInfo,
  type StatusParams,
  type TrustParams,
  type WorkspaceFixesParams,
} from './lsp/protocol';
import { SettingsCache } from './lsp/settings-cache';
import { suppressEdits } from './lsp/suppress-actions';
import { computeWorkspaceFixes } from './lsp/workspace-fixes';
import { rules } from './rules';
import { DEFAULT_SETTINGS, type ResolvedSettings } from './settings';
import { kindOf } from './workspace/discover';
import type { BuildContext } from './workspace/build-context';
import { WorkspaceModel } from './workspace/workspace';

const connection = createConnection(ProposedFeatures.all);
const docsBase = bundledDocsBase(__dirname);
const documents = new TextDocuments(TextDocument);
const workspace = new WorkspaceModel();
const linter = new DocumentLinter(workspace, () => relintAll());
let settings = new SettingsCache(undefined);
let canCreateFiles = false;
let canWatchFiles = false;
let hasFolderEvents = false;
let roots: string[] = [];
/** Restricted Mode: fixes that touch files other than the open one ask for confirmation. */
let workspaceTrusted = true;

onRuleError((rule, error) => connection.console.error(`dockopt: rule ${rule.meta.id} failed: ${(error as Error)?.stack ?? error}`));

connection.onInitialize((params: InitializeParams) => {
  const caps = params.capabilities;
  if (caps.workspace?.configuration) {
    settings = new SettingsCache((scopeUri) => connection.workspace.getConfiguration({ scopeUri, section: 'dockopt' }));
  }
  canCreateFiles = !!caps.workspace?.workspaceEdit?.documentChanges && !!caps.workspace.workspaceEdit.resourceOperations?.includes('create');
  canWatchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  hasFolderEvents = !!caps.workspace?.workspaceFolders;
  workspaceTrusted = (params.initializationOptions as { workspaceTrusted?: boolean } | undefined)?.workspaceTrusted !== false;
  roots = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
  if (roots.length === 0 && params.rootUri) roots = [URI.parse(params.rootUri).fsPath];
  workspace.setRoots(roots);
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
      roots = [...roots.filter((r) => !removed.has(r)), ...event.added.map((f) => URI.parse(f.uri).fsPath)];
      workspace.setRoots(roots);
      refreshWorkspace();
    });
  }
});

/** Re-reads the folders' context overrides and excludes, then rediscovers their files. */
function refreshWorkspace(): void {
  (async () => {
    for (const root of roots) {
      const s = await settings.get(URI.file(root).toString());
      workspace.setSettings({ contextOverrides: s.contextOverrides, exclude: s.exclude }, root);
    }
    await workspace.refresh();
    linter.invalidateAll();
    relintAll();
  })().catch((error) => connection.console.error(`dockopt: reading the workspace failed: ${error}`));
}

// ---- documents ---------------------------------------------------------------------------

function openDocument(doc: TextDocument): OpenDocument {
  return { path: URI.parse(doc.uri).fsPath, version: doc.version, text: doc.getText(), languageId: doc.languageId };
}

function isFileDocument(doc: TextDocument): boolean {
  return URI.parse(doc.uri).scheme === 'file';
}

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
    relintAll();
  } else {
    void validate(document);
  }
});

documents.onDidClose(({ document }) => {
  if (!isFileDocument(document)) return;
  const path = URI.parse(document.uri).fsPath;
  workspace.setOverlay(path, undefined);
  linter.forget(path);
  connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  if (kindOf(path) !== 'dockerfile') {
    workspace.invalidate(path);
    linter.invalidateAll();
    relintAll();
  }
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  for (const change of changes) {
    const path = URI.parse(change.uri).fsPath;
    if (documents.get(change.uri)) continue; // the editor's text wins over the disk
    workspace.invalidate(path);
  }
  linter.invalidateAll();
  relintAll();
});

connection.onDidChangeConfiguration(() => {
  settings.clear();
  linter.invalidateAll();
  refreshWorkspace();
});

async function settingsOf(doc: TextDocument): Promise<ResolvedSettings> {
  return settings.get(doc.uri).catch(() => DEFAULT_SETTINGS);
}

let relintScheduled = false;
/** Re-checks every open document, once per burst of events. */
function relintAll(): void {
  if (relintScheduled) return;
  relintScheduled = true;
  setImmediate(() => {
    relintScheduled = false;
    for (const doc of documents.all()) void validate(doc);
    logSkippedFiles();
  });
}

const loggedSkips = new Set<string>();
/** Files that exist but were not read (links out of the workspace, FIFOs, huge files): said once each. */
function logSkippedFiles(): void {
  for (const { path, reason } of workspace.skippedFiles()) {
    const key = `${path}|${reason}`;
    if (loggedSkips.has(key)) continue;
    loggedSkips.add(key);
    connection.console.warn(`dockopt: skipped ${path}: it ${reason}`);
  }
}

async function validate(doc: TextDocument): Promise<void> {
  if (!isFileDocument(doc)) return;
  try {
    const s = await settingsOf(doc);
    const current = documents.get(doc.uri);
    if (!current || current.version !== doc.version) return; // a newer version is on its way
    const open = openDocument(doc);
    const findings = linter.lint(open, s);
    connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: findings.map((f) => toDiagnostic(f, docsBase)) });
    if (documentKind(open) === 'dockerfile') {
      const status: StatusParams = { uri: doc.uri, findings: findings.length, activeRules: rules.filter((r) => levelOf(r, s) !== 'off').length };
      connection.sendNotification(STATUS_NOTIFICATION, status);
    }
  } catch (error) {
    connection.console.error(`dockopt: checking ${doc.uri} failed: ${(error as Error)?.stack ?? error}`);
  }
}

// ---- code actions ------------------------------------------------------------------------

function editContext(openPath?: string): EditContext {
  return {
    textOf: (path) => workspace.readText(path),
    versionOf: (path) => documents.get(URI.file(path).toString())?.version ?? null,
    canCreateFiles,
    confirmChangesOutside: workspaceTrusted ? undefined : openPath,
  };
}

connection.onNotification(TRUST_NOTIFICATION, (params: TrustParams) => {
  workspaceTrusted = params.trusted;
});

connection.onCodeAction(async (params: CodeActionParams): Promise<CodeAction[]> => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || !isFileDocument(doc)) return [];
  try {
    const s = await settingsOf(doc);
    const open = openDocument(doc);
    const findings = linter.lint(open, s);
    const only = params.context.only;
    const wantsFixAll = only?.some((kind) => FIX_ALL_KIND.startsWith(kind) && kind.startsWith(CodeActionKind.Source));
    const wantsQuickFix = !only || only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(kind));
    const actions: CodeAction[] = [];
    if (wantsQuickFix) {
      for (const diagnostic of params.context.diagnostics) {
        const finding = findings.find((f) => sameDiagnostic(diagnostic, f));
        for (const fix of finding?.fixes ?? []) actions.push(toQuickFix(fix, finding!, diagnostic, editContext(open.path)));
        if (finding) actions.push(...suppressActions(open, finding.ruleId, diagnostic));
      }
    }
    // The lightbulb asks on every cursor move: offer fix-all there only on a dockopt problem.
    const onOurProblem = !only && params.context.diagnostics.some((d) => d.source === 'dockopt');
    if ((wantsFixAll || onOurProblem) && documentKind(open) === 'dockerfile') {
      const fixAll = fixAllAction(open, s);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  } catch (error) {
    connection.console.error(`dockopt: code actions for ${doc.uri} failed: ${(error as Error)?.stack ?? error}`);
    return [];
  }
});

/** "Disable <rule> for this line / this file": comments in the open file, after the rule's own fixes. */
function suppressActions(open: OpenDocument, ruleId: string, diagnostic: Diagnostic): CodeAction[] {
  const kind = documentKind(open);
  if (!kind || diagnostic.range.start.line < 0) return [];
  return suppressEdits(open.text, kind, diagnostic.range.start.line, ruleId).map(({ title, edit }) => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: toWorkspaceEdit([{ kind: 'edit', path: open.path, edits: [edit] }], editContext(open.path)),
  }));
}

/** `source.fixAll.dockopt`: every preferred fix of this Dockerfile, as one minimal edit. */
function fixAllAction(open: OpenDocument, s: ResolvedSettings): CodeAction | undefined {
  const builds = workspace.buildsFor(open.path);
  const fixed = fixAllInText(open.path, open.text, (text) => lintDockerfile({ path: open.path, model: parseDockerfile(text), builds, settings: s }));
  const edit = minimalEdit(open.text, fixed);
  if (!edit) return undefined;
  return {
    title: 'Fix all dockopt problems',
    kind: FIX_ALL_KIND,
    edit: toWorkspaceEdit([{ kind: 'edit', path: open.path, edits: [edit] }], editContext()),
  };
}

// ---- dockopt's own requests --------------------------------------------------------------

connection.onRequest(WORKSPACE_FIXES_REQUEST, async (params: WorkspaceFixesParams | undefined) => {
  const folders = params?.folders?.map((uri) => URI.parse(uri).fsPath) ?? roots;
  const overlays = new Map<string, string>();
  for (const doc of documents.all()) if (isFileDocument(doc)) overlays.set(URI.parse(doc.uri).fsPath, doc.getText());
  const folderSettings = await Promise.all(folders.map((f) => settings.get(URI.file(f).toString())));
  const first = folderSettings[0] ?? DEFAULT_SETTINGS;
  const settingsFor = (path: string) => folderSettings[folders.findIndex((f) => path.startsWith(f))] ?? first;
  return computeWorkspaceFixes({
    roots: folders,
    scanner: workspace.scanner,
    overlays,
    settingsFor,
    workspaceSettings: { contextOverrides: first.contextOverrides, exclude: [...first.exclude, ...(params?.exclude ?? [])] },
  });
});

const buildInfo = (b: BuildContext): ServiceBuildInfo => ({
  service: b.service, dockerfile: b.dockerfilePath, contextDir: b.contextDir, target: b.target, composeFile: b.composeFile, source: b.source,
});
connection.onRequest(BUILDS_REQUEST, (params: BuildsParams) => workspace.buildsFor(URI.parse(params.uri).fsPath).map(buildInfo));
connection.onRequest(ALL_BUILDS_REQUEST, (params: AllBuildsParams | undefined) => {
  const folders = params?.folders?.map((uri) => URI.parse(uri).fsPath) ?? roots;
  const inFolders = (file: string) => folders.some((f) => URI.file(file).toString().startsWith(URI.file(f).toString().replace(/\/?$/, '/')));
  return workspace.dockerfiles().filter(inFolders).sort().flatMap((file) => workspace.buildsFor(file).map(buildInfo));
});

process.on('uncaughtException', (error) => connection.console.error(`dockopt: unexpected error: ${error?.stack ?? error}`));
process.on('unhandledRejection', (error) => connection.console.error(`dockopt: unexpected error: ${(error as Error)?.stack ?? error}`));

documents.listen(connection);
connection.listen();
