/**
 * `dockopt.optimizeAll` — "Optimize All Services": the VS Code side of optimize-all/run.ts.
 * Collects the workspace folders (or the one folder the command was invoked on) with their
 * `files.exclude` + `dockopt.exclude`, shows a cancellable progress notification when the
 * work takes long, applies the plan as one workspace edit (one undo), and reports a summary.
 */
import type * as vscode from 'vscode';
import { WORKSPACE_FIXES_REQUEST } from '../../../shared/src/protocol';
import { DelayedProgress } from '../optimize-all/delayed-progress';
import type { OptimizePlan } from '../optimize-all/plan';
import { folderExcludeGlobs } from '../optimize-all/excludes';
import { runOptimizeAll, type FolderTarget, type OptimizeAllOutcome } from '../optimize-all/run';
import { toWorkspaceEdit } from '../optimize-all/to-workspace-edit';
import { isUri, type ServerAccess, type VscodeApi } from '../vscode-api';

export interface OptimizeAllEnv {
  vscode: VscodeApi;
  server: ServerAccess;
  log(message: string): void;
  /** How long the work may run before the progress notification appears. */
  progressDelayMs?: number;
}

/**
 * The build runner's Build All, when that part of dockopt is installed: offered after a change,
 * for the changed services only (same progress, cancel, parallelism and summary as Build All,
 * plus each service's speed-up against its last build).
 */
const BUILD_ALL_COMMAND = 'dockopt.buildAll';
export const REBUILD_CHANGED = 'Rebuild changed services';

export async function optimizeAllCommand(env: OptimizeAllEnv, arg?: unknown): Promise<OptimizeAllOutcome> {
  const { vscode: api } = env;
  const targets = folderTargets(api, arg);
  if (targets.length > 0 && !env.server.isRunning()) {
    const outcome: OptimizeAllOutcome = {
      status: 'failed',
      message: 'dockopt: the language server is not running. Run "dockopt: Restart Language Server".',
    };
    void api.window.showErrorMessage(outcome.message);
    return outcome;
  }
  const progress = new DelayedProgress((session) => {
    void api.window.withProgress(
      { location: api.ProgressLocation.Notification, title: 'dockopt: Optimize All Services', cancellable: true },
      (report, token) => {
        session.attach((message) => report.report({ message }), token);
        return session.closed;
      },
    );
  }, env.progressDelayMs ?? 500);

  const outcome = await runOptimizeAll(
    // Restricted Mode: the user sees every file the edit touches before it is applied.
    { targets, preview: !api.workspace.isTrusted || api.workspace.getConfiguration('dockopt').get<boolean>('optimizeAll.preview', true) },
    {
      progress,
      requestFixes: async (params, cancellation) => {
        const source = new api.CancellationTokenSource();
        const link = cancellation.onCancellationRequested(() => source.cancel());
        try {
          return await env.server.sendRequest(WORKSPACE_FIXES_REQUEST, params, source.token);
        } finally {
          link.dispose();
          source.dispose();
        }
      },
      applyPlan: (plan) => Promise.resolve(api.workspace.applyEdit(toWorkspaceEdit(api, plan))),
    },
  );
  env.log(`Optimize All: ${outcome.status} — ${outcome.message}`);
  void announce(api, outcome);
  return outcome;
}

/** The folders to optimize: the one holding the URI the command got (explorer), else all; disk folders only. */
export function folderTargets(api: Pick<VscodeApi, 'workspace'>, arg?: unknown): FolderTarget[] {
  const all = api.workspace.workspaceFolders ?? [];
  const picked = isUri(arg) ? [api.workspace.getWorkspaceFolder(arg)].filter((f): f is vscode.WorkspaceFolder => !!f) : all;
  return picked
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder) => ({
      uri: folder.uri.toString(),
      name: folder.name,
      exclude: folderExcludeGlobs(
        api.workspace.getConfiguration('files', folder.uri).get('exclude'),
        api.workspace.getConfiguration('dockopt', folder.uri).get('exclude'),
        folder.uri.fsPath,
      ),
    }));
}

/**
 * Shows the outcome without waiting for the user: the command's promise settles with the
 * outcome at once (tests and other callers must not hang on an open notification).
 */
async function announce(api: VscodeApi, outcome: OptimizeAllOutcome): Promise<void> {
  switch (outcome.status) {
    case 'failed':
      await api.window.showErrorMessage(outcome.message);
      return;
    case 'no-folders':
    case 'cancelled':
    case 'not-applied':
    case 'nothing-to-change':
      await api.window.showInformationMessage(outcome.message);
      return;
    case 'applied': {
      const changed = outcome.result.services.filter((s) => outcome.summary.changedServices.includes(s.service) && typeof s.dockerfileUri === 'string');
      // Builds run the workspace's code: not offered in Restricted Mode, where clicking could only say no.
      const canBuild = changed.length > 0 && api.workspace.isTrusted && (await api.commands.getCommands(true)).includes(BUILD_ALL_COMMAND);
      const choice = await api.window.showInformationMessage(outcome.message, ...(canBuild ? [REBUILD_CHANGED] : []));
      if (choice === REBUILD_CHANGED) {
        // The builds read the files from disk, and the edit is in the editors, unsaved (unless
        // auto save): save what Optimize All changed first, as VS Code saves before a task runs.
        const unsaved = await saveChangedFiles(api, outcome.plan);
        if (unsaved.length > 0) {
          await api.window.showErrorMessage(
            `dockopt: could not save ${unsaved.join(', ')}, so a rebuild would not see the optimized files. Save them, then run "dockopt: Build All Services".`,
          );
          return;
        }
        await api.commands.executeCommand(BUILD_ALL_COMMAND, {
          changedServices: changed.map((s) => ({ dockerfileUri: s.dockerfileUri, service: s.service })),
        });
      }
      return;
    }
  }
}

/** Saves the open, unsaved documents among the files the plan changed; the paths of those that would not save. */
async function saveChangedFiles(api: VscodeApi, plan: OptimizePlan): Promise<string[]> {
  const changed = new Set(plan.files.map((f) => api.Uri.parse(f.uri).toString()));
  const unsaved: string[] = [];
  for (const document of api.workspace.textDocuments) {
    if (!document.isDirty || !changed.has(document.uri.toString())) continue;
    if (!(await document.save())) unsaved.push(document.uri.fsPath);
  }
  return unsaved;
}
