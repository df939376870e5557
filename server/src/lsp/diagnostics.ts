/**
 * Publishes the findings of open documents as diagnostics (and the status notification the
 * client's language status item shows), re-checking every open document once per burst of events.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { STATUS_NOTIFICATION, type StatusParams } from '../../../shared/src/protocol';
import { levelOf } from '../engine';
import { rules } from '../rules';
import { toDiagnostic } from './convert';
import { documentKind } from './document-linter';
import type { IdleCollection } from './idle-collection';
import { documentSettings, isFileDocument, openDocument, type Session } from './session';

/** Beyond this a check takes tens of milliseconds or more (about 4 000 lines): worth letting other messages go first. */
const LARGE_DOCUMENT_CHARS = 100 * 1024;

/**
 * How long a large document's check waits for the messages already sent to be written out: a
 * client that stops reading must not stop the checks for good.
 */
const WRITTEN_WAIT_MS = 2000;

export class Diagnostics {
  private relintScheduled = false;
  private readonly loggedSkips = new Set<string>();
  /**
   * What was last published for each document: a re-check of the same version (a workspace event
   * re-checks every open document) that finds the same is not sent again, so a client never gets
   * one version's diagnostics twice unless they changed (a context scan that completed).
   */
  private readonly published = new Map<string, { version: number; diagnostics: Diagnostic[] }>();
  /**
   * Settles once every message sent so far is written out. The connection writes a message in
   * pieces as the pipe drains, between turns of the event loop: a check that starts before
   * thousands of diagnostics are out holds them back for as long as it runs.
   */
  private written: Promise<unknown> = Promise.resolve();

  /**
   * `docsBase`: where the rule pages the diagnostics link to are (bundled beside the server), if
   * found; `idle`: told when each check starts and ends, to collect the garbage once the server rests.
   */
  constructor(
    private readonly session: Session,
    private readonly docsBase: string | undefined,
    private readonly idle?: IdleCollection,
  ) {}

  /** Re-checks every open document, once per burst of events. */
  relintAll(): void {
    if (this.relintScheduled) return;
    this.relintScheduled = true;
    setImmediate(() => {
      this.relintScheduled = false;
      for (const doc of this.session.documents.all()) void this.validate(doc);
      this.logSkippedFiles();
    });
  }

  async validate(doc: TextDocument): Promise<void> {
    if (!isFileDocument(doc)) return;
    const { connection, documents, linter } = this.session;
    this.idle?.checkStarted();
    try {
      const s = await documentSettings(this.session, doc);
      // A large document takes long to check: first let the messages already received run (a
      // change to a small document typed meanwhile gets its diagnostics before, not after), and
      // let what was sent go out (this document's first diagnostics, when the workspace read
      // lands right after its first check and checks it again).
      if (doc.getText().length > LARGE_DOCUMENT_CHARS) {
        await new Promise((resolve) => setImmediate(resolve));
        await settledWithin(this.written, WRITTEN_WAIT_MS);
      }
      const current = documents.get(doc.uri);
      if (!current || current.version !== doc.version) return; // a newer version is on its way
      const open = openDocument(doc);
      const findings = linter.lint(open, s);
      const diagnostics = findings.map((f) => toDiagnostic(f, this.docsBase));
      const notice = linter.noticeOf(open);
      if (notice) diagnostics.push({ range: notice.range, severity: DiagnosticSeverity.Information, source: 'dockopt', message: notice.message });
      const last = this.published.get(doc.uri);
      // Compared only for a re-check of the version last sent: serializing thousands of
      // diagnostics at every keystroke to compare them with another version's cost milliseconds.
      if (last?.version !== doc.version || JSON.stringify(last.diagnostics) !== JSON.stringify(diagnostics)) {
        this.published.set(doc.uri, { version: doc.version, diagnostics });
        this.sent(connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics }));
      }
      if (documentKind(open) === 'dockerfile') {
        const status: StatusParams = { uri: doc.uri, findings: findings.length, activeRules: rules.filter((r) => levelOf(r, s) !== 'off').length };
        this.sent(connection.sendNotification(STATUS_NOTIFICATION, status));
      }
    } catch (error) {
      connection.console.error(`dockopt: checking ${doc.uri} failed: ${(error as Error)?.stack ?? error}`);
    } finally {
      this.idle?.checkEnded();
    }
  }

  /** The connection writes messages in the order sent: the last one written means all are. */
  private sent(message: Promise<void>): void {
    this.written = message.catch(() => undefined);
  }

  /** The document was closed: its next publish (when reopened) is a new one. */
  forget(uri: string): void {
    this.published.delete(uri);
  }

  /** Files that exist but were not read (links out of the workspace, FIFOs, huge files): said once each. */
  private logSkippedFiles(): void {
    for (const { path, reason } of this.session.workspace.skippedFiles()) {
      const key = `${path}|${reason}`;
      if (this.loggedSkips.has(key)) continue;
      this.loggedSkips.add(key);
      this.session.connection.console.warn(`dockopt: skipped ${path}: it ${reason}`);
    }
  }
}

/** Waits for `promise` to settle, or `ms`, whichever comes first. */
function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise.then(() => undefined, () => undefined), timeout]).finally(() => clearTimeout(timer));
}
