/**
 * A fake of the parts of the `vscode` API the client's commands use, recording what they
 * do: registered commands, workspace edits (with their metadata), messages, progress.
 * The client takes the API as a value, so tests hand this in where VS Code would be.
 */
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { VscodeApi } from '../../client/src/vscode-api';

export class FakeUri {
  constructor(readonly scheme: string, readonly fsPath: string, private readonly text: string) {}
  static parse(text: string): FakeUri {
    const url = new URL(text);
    return new FakeUri(url.protocol.replace(/:$/, ''), url.protocol === 'file:' ? fileURLToPath(url) : url.pathname, text);
  }
  static file(path: string): FakeUri {
    return FakeUri.parse(pathToFileURL(path).toString());
  }
  toString(): string {
    return this.text;
  }
}

export class FakePosition {
  constructor(readonly line: number, readonly character: number) {}
}

export class FakeRange {
  constructor(readonly start: FakePosition, readonly end: FakePosition) {}
}

export type EditEntry =
  | { op: 'create'; uri: string; options: unknown; metadata: any }
  | { op: 'replace'; uri: string; range: [number, number, number, number]; text: string; metadata: any };

export class FakeWorkspaceEdit {
  readonly entries: EditEntry[] = [];
  get size(): number {
    return new Set(this.entries.map((e) => e.uri)).size;
  }
  createFile(uri: FakeUri, options: unknown, metadata?: unknown): void {
    this.entries.push({ op: 'create', uri: uri.toString(), options, metadata });
  }
  replace(uri: FakeUri, range: FakeRange, text: string, metadata?: unknown): void {
    this.entries.push({
      op: 'replace',
      uri: uri.toString(),
      range: [range.start.line, range.start.character, range.end.line, range.end.character],
      text,
      metadata,
    });
  }
}

export interface FakeFolder {
  name: string;
  path: string;
  /** `files.exclude` and `dockopt.*` values for this folder. */
  filesExclude?: Record<string, unknown>;
  dockopt?: Record<string, unknown>;
}

export interface FakeState {
  registered: Map<string, (...args: unknown[]) => unknown>;
  applied: FakeWorkspaceEdit[];
  messages: Array<{ level: 'info' | 'warning' | 'error'; text: string; buttons: string[] }>;
  progressShown: number;
  executed: Array<{ command: string; args: unknown[] }>;
}

export function fakeVscode(options: {
  folders: FakeFolder[];
  windowDockopt?: Record<string, unknown>;
  applyResult?: boolean;
  commands?: Record<string, (...args: unknown[]) => unknown>;
  activeDocument?: { uri: string; languageId: string; text: string };
  /** Workspace trust; trusted unless said otherwise. */
  trusted?: boolean;
}): { api: VscodeApi; state: FakeState } {
  const state: FakeState = { registered: new Map(), applied: [], messages: [], progressShown: 0, executed: [] };
  const folders = options.folders.map((f, index) => ({ index, name: f.name, uri: FakeUri.file(f.path), spec: f }));
  const folderOf = (uri: FakeUri) => folders.find((f) => uri.fsPath === f.spec.path || uri.fsPath.startsWith(f.spec.path + '/'));
  const config = (section: string, scope?: FakeUri) => {
    const folder = scope ? folderOf(scope) : undefined;
    const values: Record<string, unknown> =
      section === 'files' ? { exclude: folder?.spec.filesExclude ?? {} } : { ...options.windowDockopt, ...(folder?.spec.dockopt ?? {}) };
    return { get: (key: string, fallback?: unknown) => (key in values ? values[key] : fallback) };
  };
  const message = (level: 'info' | 'warning' | 'error') => async (text: string, ...buttons: string[]) => {
    state.messages.push({ level, text, buttons });
    return undefined;
  };
  const doc = options.activeDocument
    ? {
        uri: FakeUri.parse(options.activeDocument.uri),
        languageId: options.activeDocument.languageId,
        lineCount: options.activeDocument.text.split('\n').length,
        lineAt: (line: number) => ({
          range: { end: new FakePosition(line, options.activeDocument!.text.split('\n')[line].length) },
        }),
      }
    : undefined;
  const api = {
    Uri: FakeUri,
    Range: FakeRange,
    Position: FakePosition,
    WorkspaceEdit: FakeWorkspaceEdit,
    ThemeIcon: class {
      constructor(readonly id: string) {}
    },
    ProgressLocation: { Notification: 15 },
    CancellationTokenSource: class {
      private cancelled = false;
      private listeners: Array<() => void> = [];
      readonly token = {
        isCancellationRequested: false,
        onCancellationRequested: (l: () => void) => {
          this.listeners.push(l);
          return { dispose() {} };
        },
      };
      cancel() {
        if (this.cancelled) return;
        this.cancelled = true;
        this.token.isCancellationRequested = true;
        for (const l of this.listeners) l();
      }
      dispose() {}
    },
    commands: {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        if (state.registered.has(id)) throw new Error(`command '${id}' already exists`);
        state.registered.set(id, handler);
        return { dispose: () => state.registered.delete(id) };
      },
      getCommands: async () => [...state.registered.keys(), ...Object.keys(options.commands ?? {})],
      executeCommand: async (command: string, ...args: unknown[]) => {
        state.executed.push({ command, args });
        const handler = options.commands?.[command] ?? state.registered.get(command);
        if (!handler) throw new Error(`command '${command}' not found`);
        return handler(...args);
      },
    },
    workspace: {
      workspaceFolders: folders.length > 0 ? folders.map(({ index, name, uri }) => ({ index, name, uri })) : undefined,
      getWorkspaceFolder: (uri: FakeUri) => {
        const f = folderOf(uri);
        return f ? { index: f.index, name: f.name, uri: f.uri } : undefined;
      },
      getConfiguration: config,
      isTrusted: options.trusted ?? true,
      onDidGrantWorkspaceTrust: () => ({ dispose() {} }),
      applyEdit: async (edit: FakeWorkspaceEdit) => {
        state.applied.push(edit);
        return options.applyResult ?? true;
      },
      textDocuments: doc ? [doc] : [],
    },
    window: {
      activeTextEditor: doc ? { document: doc } : undefined,
      showInformationMessage: message('info'),
      showWarningMessage: message('warning'),
      showErrorMessage: message('error'),
      withProgress: async (_options: unknown, task: (progress: unknown, token: unknown) => Promise<unknown>) => {
        state.progressShown++;
        return task({ report() {} }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) });
      },
    },
  };
  return { api: api as unknown as VscodeApi, state };
}

/** Lets queued promise callbacks (fire-and-forget notifications) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
