/**
 * "Optimize All Services", without VS Code: asks the server for every preferred fix of each
 * workspace folder, merges the answers, plans ONE workspace edit and hands it to the editor
 * to apply (through the workspace, so unsaved editors are edited, not their files on disk).
 * Returns what happened, so the command and its tests can check it.
 */
import type { WorkspaceFixesParams, WorkspaceFixesResult } from '../../../shared/src/protocol';
import type { CancellationToken } from 'vscode-jsonrpc';
import { mergeFolderResults, type FolderResult } from './merge';
import { planWorkspaceEdit, type OptimizePlan } from './plan';
import { summarize, summaryText, type OptimizeSummary } from './summary';

export interface FolderTarget {
  /** The folder's URI, as sent to the server. */
  uri: string;
  name: string;
  /** Globs relative to the folder: its files.exclude and dockopt.exclude. */
  exclude: string[];
}

export interface OptimizeAllRequest {
  targets: readonly FolderTarget[];
  /** Show the refactor preview before applying (`dockopt.optimizeAll.preview`). */
  preview: boolean;
}

export interface OptimizeAllProgress {
  readonly cancellation: CancellationToken;
  report(message: string): void;
  /** The computing is over: close the notification before the preview opens. */
  finish(): void;
}

export interface OptimizeAllDeps {
  requestFixes(params: WorkspaceFixesParams, cancellation: CancellationToken): Promise<WorkspaceFixesResult>;
  /** Applies the plan as one workspace edit; false when the user discarded it or it failed. */
  applyPlan(plan: OptimizePlan): Promise<boolean>;
  progress: OptimizeAllProgress;
}

export type OptimizeAllOutcome =
  | { status: 'no-folders'; message: string }
  | { status: 'cancelled'; message: string }
  | { status: 'failed'; message: string }
  | { status: 'nothing-to-change'; message: string; summary: OptimizeSummary; result: WorkspaceFixesResult }
  | { status: 'applied' | 'not-applied'; message: string; summary: OptimizeSummary; result: WorkspaceFixesResult; plan: OptimizePlan };

const CANCELLED = { status: 'cancelled', message: 'dockopt: Optimize All was cancelled; nothing was changed.' } as const;

export async function runOptimizeAll(request: OptimizeAllRequest, deps: OptimizeAllDeps): Promise<OptimizeAllOutcome> {
  const { progress } = deps;
  try {
    if (request.targets.length === 0) {
      return { status: 'no-folders', message: 'dockopt: open a folder to optimize the Dockerfiles in it.' };
    }
    const perFolder: FolderResult[] = [];
    for (const [index, target] of request.targets.entries()) {
      if (progress.cancellation.isCancellationRequested) return CANCELLED;
      progress.report(
        request.targets.length > 1
          ? `Checking ${target.name} (${index + 1}/${request.targets.length})…`
          : `Checking ${target.name}…`,
      );
      let result: unknown;
      try {
        result = await deps.requestFixes({ folders: [target.uri], exclude: target.exclude }, progress.cancellation);
      } catch (error) {
        if (progress.cancellation.isCancellationRequested) return CANCELLED;
        return { status: 'failed', message: `dockopt could not compute the fixes for ${target.name}: ${messageOf(error)}` };
      }
      if (!isFixesResult(result)) {
        return { status: 'failed', message: `dockopt's language server sent an answer this version cannot read (${target.name}).` };
      }
      perFolder.push({ folderName: target.name, result });
    }
    if (progress.cancellation.isCancellationRequested) return CANCELLED;

    const result = mergeFolderResults(perFolder);
    const plan = planWorkspaceEdit(result, { preview: request.preview });
    const summary = summarize(result, plan);
    progress.finish();
    if (plan.files.length === 0) {
      return { status: 'nothing-to-change', message: summaryText(summary), summary, result };
    }
    let applied: boolean;
    try {
      applied = await deps.applyPlan(plan);
    } catch (error) {
      return { status: 'failed', message: `dockopt could not apply the changes: ${messageOf(error)}` };
    }
    if (!applied) {
      return {
        status: 'not-applied',
        message: 'dockopt: no changes were applied (the preview was discarded or a file changed meanwhile).',
        summary,
        result,
        plan,
      };
    }
    return { status: 'applied', message: summaryText(summary), summary, result, plan };
  } finally {
    progress.finish();
  }
}

function isFixesResult(value: unknown): value is WorkspaceFixesResult {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<WorkspaceFixesResult>;
  return (
    Array.isArray(v.files) &&
    Array.isArray(v.services) &&
    v.files.every((f) => f && typeof f.uri === 'string' && Array.isArray(f.edits)) &&
    v.services.every((s) => s && typeof s.service === 'string')
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
