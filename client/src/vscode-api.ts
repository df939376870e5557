/**
 * The VS Code API as a value the client passes around instead of importing it everywhere:
 * only extension.ts imports `vscode` at run time, so every other module can be loaded by
 * tests (under plain node) with a fake of the parts it uses.
 */
import type * as vscode from 'vscode';
import type { RequestParam, RequestType } from 'vscode-jsonrpc';

export type VscodeApi = typeof vscode;

/** What the commands need of the language server, whichever client instance runs now. */
export interface ServerAccess {
  isRunning(): boolean;
  /** One of dockopt's own requests (shared/src/protocol.ts): its type fixes the parameters and the answer. */
  sendRequest<P, R>(type: RequestType<P, R, void>, params: RequestParam<P>, token?: vscode.CancellationToken): Promise<R>;
}

/** A `vscode.Uri` passed to a command (explorer menus pass the clicked resource). */
export function isUri(value: unknown): value is vscode.Uri {
  return (
    !!value &&
    typeof value === 'object' &&
    typeof (value as vscode.Uri).scheme === 'string' &&
    typeof (value as vscode.Uri).fsPath === 'string'
  );
}
