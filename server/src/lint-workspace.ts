/**
 * The engine over a whole workspace: which rules see which file with which builds.
 * Shared by the CLI (`dockopt check`/`fix`), the language server and "Optimize All".
 */
import { parseDockerfile, type DockerfileModel } from './dockerfile/model';
import { lintDockerfile, lintDockerignore, type ReportedFinding } from './engine';
import { keepWritableFixes } from './fixes/writable-fixes';
import type { ResolvedSettings } from './settings';
import { kindOf } from './workspace/discover';
import type { WorkspaceModel } from './workspace/workspace';

/** Settings for a file: per workspace folder in the editor, the defaults in the CLI. */
export type SettingsFor = (path: string) => ResolvedSettings;

/**
 * Findings for one file, from what the workspace knows now (cached scans, no waiting).
 * `model` is the parse of the editor's current version, when the caller keeps one.
 */
export function lintFile(workspace: WorkspaceModel, path: string, settings: ResolvedSettings, model?: DockerfileModel): ReportedFinding[] {
  const kind = kindOf(path);
  const text = workspace.readText(path);
  if (text === undefined) return [];
  let findings: ReportedFinding[] = [];
  if (kind === 'dockerignore') {
    findings = lintDockerignore({ path, text, builds: workspace.buildsForIgnoreFile(path), settings });
  } else if (kind === 'dockerfile' || model || (kind === undefined && workspace.isDockerfile(path))) {
    findings = lintDockerfile({ path, model: model ?? parseDockerfile(text), builds: workspace.buildsFor(path), settings });
  }
  // Rules propose; the workspace decides what a fix may write. Asked now for every finding's own
  // file (hundreds of one Dockerfile's): once per file here.
  const refusalOf = (file: string) => workspace.writeRefusal(file);
  const now = new Map<string, string | undefined>();
  const refusalNow = (file: string) => {
    if (!now.has(file)) now.set(file, refusalOf(file));
    return now.get(file);
  };
  return findings.map((finding) => keepWritableFixes(finding, refusalOf, refusalNow));
}

/** Every file dockopt checks in the workspace, Dockerfiles first. */
export function lintedFiles(workspace: WorkspaceModel): string[] {
  return [...workspace.dockerfiles().sort(), ...workspace.dockerignoreFiles().sort()];
}

/**
 * Scans every build context (once) and lints every file, each as soon as the scans of its own
 * builds have landed: the scans run in a worker thread, so linting the first services overlaps
 * walking the contexts of the last ones. A file's findings depend only on its own builds'
 * scans, so they are the same as if every scan had landed first; the order is the files' order.
 */
export async function lintWorkspace(
  workspace: WorkspaceModel,
  settingsFor: SettingsFor,
  only?: readonly string[],
  options: LintWorkspaceOptions = {},
): Promise<ReportedFinding[]> {
  const files = only ?? lintedFiles(workspace);
  const scans = files.map((file) => workspace.ensureContextScans(workspace.contextDirsOf(file)));
  // Awaited in order below; a failure is rethrown there, not reported as unhandled meanwhile.
  for (const scan of scans) scan.catch(() => undefined);
  const findings: ReportedFinding[] = [];
  for (const [i, file] of files.entries()) {
    await scans[i];
    const found = lintFile(workspace, file, settingsFor(file));
    options.onFile?.(found);
    findings.push(...found);
  }
  return withoutEchoes(findings);
}

export interface LintWorkspaceOptions {
  /** Called with each file's findings as soon as the file is checked (echoes not yet dropped). */
  onFile?: (findings: readonly ReportedFinding[]) => void;
}

/**
 * A .dockerignore finding that repeats one on a Dockerfile (same rule, same fix) is for the
 * editor, where the .dockerignore may be the open file; a workspace report lists it once.
 * Only the rules that report on a .dockerignore can echo: the other findings' fixes (some
 * computed only when asked for) are not looked at.
 */
function withoutEchoes(findings: ReportedFinding[]): ReportedFinding[] {
  const fixKey = (f: ReportedFinding) => `${f.ruleId}|${JSON.stringify(f.fixes.find((x) => x.isPreferred)?.changes ?? f.message)}`;
  const onIgnoreFile = findings.map((f) => kindOf(f.path) === 'dockerignore');
  if (!onIgnoreFile.includes(true)) return findings;
  const echoingRules = new Set(findings.filter((_, i) => onIgnoreFile[i]).map((f) => f.ruleId));
  const onDockerfiles = new Set(findings.filter((f, i) => !onIgnoreFile[i] && echoingRules.has(f.ruleId)).map(fixKey));
  return findings.filter((f, i) => !onIgnoreFile[i] || !onDockerfiles.has(fixKey(f)));
}
