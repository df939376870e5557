/**
 * A small LSP client for protocol tests: starts the real `dist/server.js --stdio`, answers the
 * server's requests (configuration, registration) and lets tests wait on published diagnostics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';

export const SERVER_PATH = join(__dirname, '..', '..', 'dist', 'server.js');

export interface TestClientOptions {
  folders: string[];
  /** The `dockopt` section the client answers workspace/configuration with. */
  settings?: Record<string, unknown>;
  canCreateFiles?: boolean;
  /** Sent as `initializationOptions` (e.g. `{ workspaceTrusted: false }`). */
  initializationOptions?: unknown;
  /** Another server to talk to (benchmarks run a peer); dockopt's bundled server by default. */
  serverArgs?: string[];
}

export class TestLspClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly stderr: string[] = [];
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private readonly publishCounts = new Map<string, number>();
  private readonly publishedVersions = new Map<string, Array<number | undefined>>();
  /** Each publish's version and diagnostics (as JSON), in order. */
  private readonly publishedContents = new Map<string, Array<{ version: number | undefined; diagnostics: string }>>();
  private waiters: Array<() => void> = [];
  settings: Record<string, unknown>;
  private versions = new Map<string, number>();

  constructor(private readonly options: TestClientOptions) {
    this.settings = options.settings ?? {};
    this.process = spawn(process.execPath, options.serverArgs ?? [SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (d) => this.stderr.push(String(d)));
    // A server that exits (on `exit`, or by crashing) closes its stdin: late writes must not throw here.
    this.process.stdin!.on('error', () => {});
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.latest.set(params.uri, params);
      this.publishCounts.set(params.uri, (this.publishCounts.get(params.uri) ?? 0) + 1);
      this.publishedVersions.set(params.uri, [...(this.publishedVersions.get(params.uri) ?? []), params.version]);
      this.publishedContents.set(params.uri, [...(this.publishedContents.get(params.uri) ?? []), { version: params.version, diagnostics: JSON.stringify(params.diagnostics) }]);
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((w) => w());
    });
    this.connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) =>
      params.items.map((item) => (item.section === 'dockopt' || item.section === undefined ? this.settings : null)),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('window/logMessage', (m: { message: string }) => {
      this.stderr.push(m.message);
    });
    this.connection.onNotification('dockopt/status', () => {});
    this.connection.listen();
  }

  async initialize(): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      initializationOptions: this.options.initializationOptions,
      workspaceFolders: this.options.folders.map((f) => ({ uri: URI.file(f).toString(), name: f })),
      capabilities: {
        workspace: {
          configuration: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: this.options.canCreateFiles === false ? {} : { documentChanges: true, resourceOperations: ['create'], changeAnnotationSupport: {} },
        },
        textDocument: { publishDiagnostics: { versionSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } } },
      },
    });
    await this.connection.sendNotification('initialized', {});
  }

  open(path: string, text: string, languageId = 'dockerfile'): string {
    const uri = URI.file(path).toString();
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** How many times diagnostics were published for `uri` (for servers that send no version). */
  publishes(uri: string): number {
    return this.publishCounts.get(uri) ?? 0;
  }

  /** The document versions of every publish for `uri`, in order (undefined for a server that sends none). */
  versionsPublished(uri: string): ReadonlyArray<number | undefined> {
    return this.publishedVersions.get(uri) ?? [];
  }

  /** Each publish for `uri`: its version and its diagnostics as JSON, in order. */
  publishedDiagnostics(uri: string): ReadonlyArray<{ version: number | undefined; diagnostics: string }> {
    return this.publishedContents.get(uri) ?? [];
  }

  /** Resolves with the first published diagnostics for `uri` that satisfy `accept`. */
  async diagnostics(uri: string, accept: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.latest.get(uri);
      if (current && accept(current.diagnostics, current)) return current.diagnostics;
      if (Date.now() > deadline) {
        throw new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(current?.diagnostics.map((d) => d.code))}\n${this.stderr.join('')}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.process.exitCode !== null || this.process.signalCode !== null) resolve();
      else this.process.once('exit', () => resolve());
    });
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), exited, new Promise((r) => setTimeout(r, 2000))]);
      if (this.process.exitCode === null) await this.connection.sendNotification('exit');
    } catch {
      // the server may already be gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
    if (this.process.exitCode === null) this.process.kill();
    await exited;
    this.connection.dispose();
  }
}
