/**
 * Applies every preferred fix of a workspace, in memory, pass after pass until nothing
 * changes (a fix can make another possible: a created .dockerignore is then checked too).
 * Nothing is written here: the CLI writes the result, the editor turns it into one edit.
 */
import type { ReportedFinding } from './engine';
import { applyFileChanges, collectChanges } from './fixes/apply';
import { lintedFiles, lintWorkspace, type SettingsFor } from './lint-workspace';
import type { FileChange, Fix, RuleId } from './rules/types';
import type { WorkspaceModel } from './workspace/workspace';

export interface FileResult {
  path: string;
  /** Undefined when the fix creates the file. */
  before: string | undefined;
  after: string;
  /** The rules whose fixes changed this file, with how many fixes each. */
  rules: Map<RuleId, number>;
}

export interface AppliedFix {
  ruleId: RuleId;
  /** The file the finding was reported on. */
  reportedOn: string;
  /** The files its fix changed. */
  changed: string[];
  /** The first pass's changes keep their offsets into the original text (for previews). */
  pass: number;
  changes: FileChange[];
}

export interface WorkspaceFixResult {
  files: FileResult[];
  applied: AppliedFix[];
  /** Findings still there after fixing (those without an automatic fix). */
  remaining: ReportedFinding[];
  /** Findings before any fix. */
  initial: ReportedFinding[];
}

const MAX_PASSES = 10;

/** `only` limits the fixes to findings on those files (the CLI given file paths). */
export async function fixWorkspace(workspace: WorkspaceModel, settingsFor: SettingsFor, only?: readonly string[]): Promise<WorkspaceFixResult> {
  const originals = new Map<string, string | undefined>();
  const rulesByFile = new Map<string, Map<RuleId, number>>();
  const applied: AppliedFix[] = [];
  let initial: ReportedFinding[] | undefined;
  let findings: ReportedFinding[] = [];

  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const preferred = new Map<ReportedFinding, Fix | undefined>();
    findings = await lintWorkspace(workspace, settingsFor, only ?? lintedFiles(workspace), {
      // Each file's fixes as soon as it is checked rather than after the last file: the file's
      // parse, which its findings' lazy fixes hold until computed, then dies young (see settle()
      // in fixes/writable-fixes.ts). The fixes are the same: like its findings, a file's fixes
      // depend only on its own builds, and nothing is applied before the pass ends.
      onFile: (found) => {
        for (const finding of found) preferred.set(finding, finding.fixes.find((f) => f.isPreferred));
      },
    });
    initial ??= findings;
    const fixes = findings.flatMap((finding) => {
      const fix = preferred.get(finding);
      return fix ? [{ finding, fix }] : [];
    });
    const changesByFile = collectChanges(fixes.map((f) => f.fix));
    let changed = false;
    for (const [path, changes] of changesByFile) {
      const current = workspace.readText(path);
      const next = applyFileChanges(current, changes);
      if (next === undefined || next === current) continue;
      if (!originals.has(path)) originals.set(path, current);
      workspace.editInMemory(path, next);
      changed = true;
    }
    if (!changed) break;
    for (const { finding, fix } of fixes) {
      const paths = [...new Set(fix.changes.map((c) => c.path))];
      applied.push({ ruleId: finding.ruleId, reportedOn: finding.path, changed: paths, pass, changes: fix.changes });
      for (const path of paths) {
        const counts = rulesByFile.get(path) ?? new Map<RuleId, number>();
        counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1);
        rulesByFile.set(path, counts);
      }
    }
  }

  const files: FileResult[] = [];
  for (const [path, before] of originals) {
    const after = workspace.readText(path)!;
    if (after !== before) files.push({ path, before, after, rules: rulesByFile.get(path) ?? new Map() });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { files, applied, remaining: findings, initial: initial ?? [] };
}
