/**
 * What the language server's handlers share: the connection, the open documents, the workspace
 * model and linter, and what the client told us (settings, folders, capabilities, trust).
 * server.ts creates it and keeps it current; diagnostics, code actions and requests read it.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { DEFAULT_SETTINGS, type ResolvedSettings } from '../settings';
import type { WorkspaceModel } from '../workspace/workspace';
import type { DocumentLinter, OpenDocument } from './document-linter';
import type { SettingsCache } from './settings-cache';

export interface Session {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly workspace: WorkspaceModel;
  readonly linter: DocumentLinter;
  /** Replaced when the client turns out to answer `workspace/configuration`. */
  settings: SettingsCache;
  /** The workspace folders' paths. */
  roots: string[];
  /** The client applies workspace edits that create files. */
  canCreateFiles: boolean;
  /** Restricted Mode is off: fixes that touch files other than the open one need no confirmation. */
  workspaceTrusted: boolean;
}

export function openDocument(doc: TextDocument): OpenDocument {
  return { path: URI.parse(doc.uri).fsPath, version: doc.version, text: doc.getText(), languageId: doc.languageId };
}

export function isFileDocument(doc: TextDocument): boolean {
  return URI.parse(doc.uri).scheme === 'file';
}

/** A document's settings; the defaults when the client cannot answer. */
export function documentSettings(session: Session, doc: TextDocument): Promise<ResolvedSettings> {
  return session.settings.get(doc.uri).catch(() => DEFAULT_SETTINGS);
}
