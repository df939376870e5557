/// <reference types="mocha" />
/**
 * What the extension-host suites share: the workspace they run in, dockopt's exported API,
 * and waiting on editor state with a deadline (never a fixed sleep: a check passes as soon as
 * the state is there, and fails with what it saw when the deadline passes).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DockoptApi } from '../../client/src/extension';

export const EXTENSION_ID = 'dockopt.dockopt';
/** Long enough for a cold language server on a busy 2-core machine; a pass takes far less. */
export const STATE_TIMEOUT_MS = 30_000;

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs a workspace folder (a copy of examples/ha-ingestor)');
  return folder.uri;
}

export function inWorkspace(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...segments);
}

/** Activates dockopt (as opening a Dockerfile would) and returns its exported API. */
export async function dockopt(): Promise<DockoptApi> {
  const extension = vscode.extensions.getExtension<DockoptApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this editor`);
  return extension.activate();
}

/**
 * Resolves with `read()`'s value once `ready` holds for it, re-reading on each `events` firing
 * (and on a slow poll, for state no event announces); rejects at the deadline with the last value.
 */
export function waitFor<T>(
  what: string,
  read: () => T | Thenable<T>,
  ready: (value: T) => boolean,
  events: vscode.Event<unknown>[] = [],
  timeoutMs = STATE_TIMEOUT_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let last: T | undefined;
    let settled = false;
    const subscriptions: vscode.Disposable[] = [];
    const finish = (done: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(poll);
      for (const s of subscriptions) s.dispose();
      done();
    };
    const check = async () => {
      try {
        const value = await read();
        last = value;
        if (ready(value)) finish(() => resolve(value));
      } catch (error) {
        finish(() => reject(error));
      }
    };
    const deadline = setTimeout(
      () => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${describe(last)}`))),
      timeoutMs,
    );
    const poll = setInterval(() => void check(), 250);
    for (const event of events) subscriptions.push(event(() => void check()));
    void check();
  });
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 2000) ?? String(value);
  } catch {
    return String(value);
  }
}

export function dockoptDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'dockopt');
}

/** The rule id of a diagnostic (its code, plain or with the docs link as target). */
export function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'string') return code;
  if (code && typeof code === 'object') return String(code.value);
  return undefined;
}

export function docsLinkOf(diagnostic: vscode.Diagnostic): vscode.Uri | undefined {
  const code = diagnostic.code;
  return code && typeof code === 'object' ? code.target : undefined;
}

/** Opens a file in an editor and waits for dockopt to publish diagnostics for it. */
export async function openAndWaitForDiagnostics(
  uri: vscode.Uri,
  ready: (diagnostics: vscode.Diagnostic[]) => boolean = (d) => d.length > 0,
): Promise<{ editor: vscode.TextEditor; diagnostics: vscode.Diagnostic[] }> {
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document);
  const diagnostics = await waitFor(
    `dockopt's diagnostics on ${uri.fsPath}`,
    () => dockoptDiagnostics(uri),
    ready,
    [vscode.languages.onDidChangeDiagnostics],
  );
  return { editor, diagnostics };
}

/**
 * What `dockopt fix` makes of the example: the CLI of this same checkout run on a fresh copy.
 * process.execPath is Node in code-server's extension host and Electron in a desktop one
 * (ELECTRON_RUN_AS_NODE makes it a Node there). The caller removes the copy (`dispose`).
 */
export function cliFixedCopy(
  source: string,
  extensionPath: string,
  /** Changes the copy before the CLI runs (the edits a test made in the editor). */
  prepare?: (copy: string) => void,
): { root: string; dispose(): void } {
  const scratch = mkdtempSync(join(tmpdir(), 'dockopt-cli-fix-'));
  const copy = join(scratch, 'workspace');
  cpSync(source, copy, { recursive: true });
  prepare?.(copy);
  const result = spawnSync(process.execPath, [join(extensionPath, 'dist', 'cli.js'), 'fix', copy], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  if (result.status !== 0 && result.status !== 1) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(`dockopt fix failed (${result.status}): ${result.stderr || result.error?.message}`);
  }
  return { root: copy, dispose: () => rmSync(scratch, { recursive: true, force: true }) };
}

/**
 * Sets a setting for one suite and gives back what restores it: the value the target held
 * before (undefined removes it). Global (User) target: a Workspace value would write
 * .vscode/settings.json into the workspace the suites share.
 */
export async function setSetting(
  section: string,
  key: string,
  value: unknown,
  options: { languageId?: string } = {},
): Promise<() => Promise<void>> {
  const scope = options.languageId ? { languageId: options.languageId } : undefined;
  const config = () => vscode.workspace.getConfiguration(section, scope);
  const inspected = config().inspect(key);
  const before = options.languageId ? inspected?.globalLanguageValue : inspected?.globalValue;
  const inLanguage = options.languageId ? true : undefined;
  await config().update(key, value, vscode.ConfigurationTarget.Global, inLanguage);
  return async () => {
    await config().update(key, before, vscode.ConfigurationTarget.Global, inLanguage);
  };
}

/** Suites skipped with their reason, for the launcher's summary (mocha's skip carries no reason). */
export const skipReasons: { suite: string; reason: string }[] = [];

/**
 * Skips the rest of a suite (call it from suiteSetup) and says why; in CI (CI=true), where the
 * launcher has prepared everything the suite needs, a missing prerequisite fails instead.
 */
export function skipSuite(context: Mocha.Context, reason: string): never {
  const suite = context.test?.parent?.fullTitle() ?? '(suite)';
  if (process.env.CI === 'true') throw new Error(`${suite} cannot run in CI: ${reason}`);
  skipReasons.push({ suite, reason });
  console.log(`  skipped "${suite}": ${reason}`);
  context.skip();
}
