/**
 * `dockopt/workspaceFixes` (Optimize All): every preferred fix of the given folders, computed
 * over the open editors' texts and each folder's settings.
 */
import { URI } from 'vscode-uri';
import { WORKSPACE_FIXES_REQUEST } from '../../../shared/src/protocol';
import { DEFAULT_SETTINGS } from '../settings';
import { isFileDocument, type Session } from './session';
import { computeWorkspaceFixes } from './workspace-fixes';

export function registerWorkspaceFixes(session: Session): void {
  const { connection, documents, workspace } = session;
  connection.onRequest(WORKSPACE_FIXES_REQUEST, async (params) => {
    const folders = params?.folders?.map((uri) => URI.parse(uri).fsPath) ?? session.roots;
    const overlays = new Map<string, string>();
    for (const doc of documents.all()) if (isFileDocument(doc)) overlays.set(URI.parse(doc.uri).fsPath, doc.getText());
    const folderSettings = await Promise.all(folders.map((f) => session.settings.get(URI.file(f).toString())));
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
}
