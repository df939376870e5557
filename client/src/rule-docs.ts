/**
 * Rule pages open as docs, rendered: a diagnostic's link points at the Markdown page shipped
 * with the extension (docs/rules/<id>.md, a file URI the server sets), which VS Code would open
 * as an editable raw file. The client rewrites that link to a command that opens the page in
 * the Markdown preview instead. Only pages of the extension's own docs folder are opened.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { VscodeApi } from './vscode-api';

export const SHOW_RULE_DOCS_COMMAND = 'dockopt.showRuleDocs';

/** The command link for a rule page's file URI, or undefined when it is not one of ours. */
export function ruleDocsCommandLink(target: { scheme: string; fsPath: string; toString(): string }, docsDir: string): string | undefined {
  if (target.scheme !== 'file' || !isRulePage(target.fsPath, docsDir)) return undefined;
  return `command:${SHOW_RULE_DOCS_COMMAND}?${encodeURIComponent(JSON.stringify([target.toString()]))}`;
}

export function isRulePage(file: string, docsDir: string): boolean {
  const relative = path.relative(docsDir, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative) && !relative.includes(path.sep) && /^[a-z0-9-]+\.md$/.test(relative);
}

/** Diagnostics with their rule links rewritten (others untouched). */
export function withRenderedDocsLinks<D extends { code?: vscode.Diagnostic['code'] }>(api: Pick<VscodeApi, 'Uri'>, diagnostics: readonly D[], docsDir: string): D[] {
  return diagnostics.map((d) => {
    const code = d.code;
    if (!code || typeof code !== 'object' || !code.target) return d;
    const link = ruleDocsCommandLink(code.target, docsDir);
    return link ? { ...d, code: { value: code.value, target: api.Uri.parse(link) } } : d;
  });
}

/** `dockopt.showRuleDocs`: the page in the Markdown preview (the text, if the preview is unavailable). */
export async function showRuleDocs(api: Pick<VscodeApi, 'Uri' | 'commands' | 'window' | 'workspace'>, docsDir: string, target: unknown): Promise<boolean> {
  if (typeof target !== 'string') return false;
  const uri = api.Uri.parse(target);
  if (uri.scheme !== 'file' || !isRulePage(uri.fsPath, docsDir)) return false;
  try {
    await api.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await api.window.showTextDocument(await api.workspace.openTextDocument(uri), { preview: true });
  }
  return true;
}
