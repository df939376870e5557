/**
 * The contract between the engine and its rules. A rule sees a read-only model
 * (the parsed Dockerfile, its build context, its .dockerignore) and returns findings
 * whose fixes are plain data; it never reads files or settings itself.
 */
import type { DockerfileModel } from '../dockerfile/model';
import type { BuildContext } from '../workspace/build-context';
import type { ResolvedSettings } from '../settings';
import type { Fix } from '../fixes/fix-data';
import type { Range } from '../positions';
import type { RuleId, Severity } from '../rule-ids';

export type { RuleId, Severity } from '../rule-ids';
export type { Range, TextEdit } from '../positions';

export type { FileChange, Fix } from '../fixes/fix-data';

export interface Finding {
  ruleId: RuleId;
  /** The file the finding is reported on (absolute path). */
  path: string;
  range: Range;
  message: string;
  fixes: Fix[];
  /**
   * Real but small (an install of pip's own tools, of one global CLI tool): reported at
   * information severity, or at the rule's level when that is lower, so it ranks below the
   * findings that cost real time.
   */
  minor?: boolean;
}

/**
 * A finding whose fixes are computed on first read. Diagnostics never read them; code actions,
 * fix-all and `dockopt fix` do. Rules whose fixes are costly (they re-parse to check an edit)
 * use this so a keystroke pays only for the check.
 */
export function withLazyFixes(finding: Omit<Finding, 'fixes'>, computeFixes: () => Fix[]): Finding {
  let fixes: Fix[] | undefined;
  return Object.defineProperty(finding, 'fixes', {
    enumerable: true,
    configurable: true, // the engine narrows them to writable files (fixes/writable-fixes.ts)
    get: () => (fixes ??= computeFixes()),
  }) as Finding;
}

export interface RuleMeta {
  id: RuleId;
  defaultSeverity: Severity;
  /** A short imperative title ("Cache pip downloads in a BuildKit cache mount"). */
  title: string;
  /** One sentence, shown in docs and SARIF. */
  description: string;
  fixable: boolean;
  /**
   * The rule reads `buildContext` (the context's files, its .dockerignore): it runs once per
   * build of the Dockerfile. Other rules see only the Dockerfile and run once.
   */
  perBuild?: boolean;
}

/** What a Dockerfile rule is given. */
export interface DockerfileCheckContext {
  path: string;
  model: DockerfileModel;
  /** Undefined while the context is unknown (no workspace) — rules that need it stay silent. */
  buildContext?: BuildContext;
  settings: ResolvedSettings;
}

/** What a .dockerignore rule is given. */
export interface DockerignoreCheckContext {
  path: string;
  text: string;
  /** Every build (Dockerfile + context) of the workspace that could concern this file. */
  builds: BuildContext[];
  settings: ResolvedSettings;
}

export interface Rule {
  meta: RuleMeta;
  checkDockerfile?(ctx: DockerfileCheckContext): Finding[];
  checkDockerignore?(ctx: DockerignoreCheckContext): Finding[];
}

export const DOCS_BASE = 'https://github.com/dockopt/dockopt/blob/main/docs/rules/';
export function docsUrl(id: RuleId): string {
  return `${DOCS_BASE}${id}.md`;
}
