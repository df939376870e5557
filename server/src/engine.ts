/**
 * The engine: runs the rules over one Dockerfile or .dockerignore and returns findings with
 * their severity. Front ends (LSP server, CLI, VS Code commands) only translate its output.
 */
import { parseDockerfile, type DockerfileModel } from './dockerfile/model';
import { rules } from './rules';
import { readSuppressions } from './suppressions';
import { frontendWithoutRunMount, withoutRunMountFixes } from './fixes/frontend-support';
import { work } from './work-counters';
import { contextFor, walkDockerfile, type ContractRule, type DockerfileVisitors } from './rules/create-rule';
import { noteStoppedByDeadline, RULE_WORK_BUDGET, stopIfPastDeadline, WorkAccount } from './work-budget';
import type { Finding, Rule, Severity } from './rules/types';
import type { ResolvedSettings } from './settings';
import type { BuildContext } from './workspace/build-context';

export interface ReportedFinding extends Finding {
  severity: Severity;
}

export interface DockerfileInput {
  path: string;
  /** A model parsed once per document version, or the text to parse. */
  model?: DockerfileModel;
  text?: string;
  /** The builds of this Dockerfile; empty when its context is unknown. */
  builds: readonly BuildContext[];
  settings: ResolvedSettings;
}

export interface DockerignoreInput {
  path: string;
  text: string;
  builds: readonly BuildContext[];
  settings: ResolvedSettings;
}

/** Called when a rule throws: a broken rule must not take the others (or the server) down. */
export type RuleErrorReporter = (rule: Rule, error: unknown) => void;

let reportRuleError: RuleErrorReporter = () => {};
export function onRuleError(reporter: RuleErrorReporter): void {
  reportRuleError = reporter;
}

export function levelOf(rule: Rule, settings: ResolvedSettings): Severity | 'off' {
  return settings.rules[rule.meta.id] ?? rule.meta.defaultSeverity;
}

export function lintDockerfile(input: DockerfileInput): ReportedFinding[] {
  const model = input.model ?? parseDockerfile(input.text ?? '');
  const contexts: Array<BuildContext | undefined> = input.builds.length > 0 ? [...input.builds] : [undefined];
  const runs: RuleRun[] = [];
  for (const rule of rules) {
    const level = levelOf(rule, input.settings);
    if (level === 'off' || !rule.checkDockerfile || model.globallyIgnored.has(rule.meta.id)) continue;
    // A rule that does not read the build context would only repeat itself for each service.
    const ruleContexts = rule.meta.perBuild ? contexts : contexts.slice(0, 1);
    ruleContexts.forEach((buildContext) => {
      work.ruleVisits++;
      const run: RuleRun = { rule, level, account: new WorkAccount(RULE_WORK_BUDGET), findings: [] };
      const checkInput = { path: input.path, model, buildContext, settings: input.settings };
      if (isContractRule(rule)) {
        run.account.run(() => (run.visitors = rule.create(contextFor(rule, checkInput, run.findings))));
      } else {
        run.account.run(() => run.findings.push(...rule.checkDockerfile!(checkInput)));
      }
      runs.push(run);
    });
  }
  // One walk over the instructions per rule and build: a rule finishes before the next starts, so
  // that a time limit (the editor's, work-budget.ts) stops the rules still to run and keeps the
  // findings of those that finished, rather than stopping every rule halfway.
  for (const run of runs) {
    const visitors = run.visitors;
    if (visitors) run.account.run(() => walkDockerfile(model, visitors, stopIfPastDeadline));
  }
  const found: ReportedFinding[] = [];
  // A `# syntax=` pin to a frontend without RUN --mount: no fix may add a mount (frontend-support.ts).
  const pin = frontendWithoutRunMount(model.text);
  for (const { rule, level, account, findings } of runs) {
    if (account.timedOut) {
      // The language server's time limit (work-budget.ts, withDeadline): it says so once for all.
      noteStoppedByDeadline(rule.meta.id);
      continue;
    }
    if (account.exceeded) {
      found.push(tooLargeFor(rule, input.path, model));
      continue;
    }
    if (account.error !== undefined) {
      // A rule that throws is reported, and its findings of this file dropped: they may be half.
      reportRuleError(rule, account.error);
      continue;
    }
    for (const finding of findings) {
      work.findingsChecked++;
      if (isSuppressedAt(model, finding)) continue;
      if (pin !== undefined && finding.path === input.path) withoutRunMountFixes(finding, pin);
      found.push(withSeverity(finding, finding.minor ? lowerOf(level, 'info') : level));
    }
  }
  return dedupe(found);
}

interface RuleRun {
  rule: Rule;
  level: Severity;
  account: WorkAccount;
  findings: Finding[];
  visitors?: DockerfileVisitors;
}

const isContractRule = (rule: Rule): rule is ContractRule => typeof (rule as Partial<ContractRule>).create === 'function';

export function lintDockerignore(input: DockerignoreInput): ReportedFinding[] {
  const found: ReportedFinding[] = [];
  // A .dockerignore has no instructions: a suppression comment anywhere in it covers the file.
  const { lineIgnores, globallyIgnored } = readSuppressions(input.text);
  const suppressed = new Set([...globallyIgnored, ...[...lineIgnores.values()].flatMap((ids) => [...ids])]);
  for (const rule of rules) {
    const level = levelOf(rule, input.settings);
    if (level === 'off' || !rule.checkDockerignore || suppressed.has(rule.meta.id)) continue;
    const findings = runSafely(rule, () =>
      rule.checkDockerignore!({ path: input.path, text: input.text, builds: [...input.builds], settings: input.settings }),
    );
    for (const finding of findings) found.push(withSeverity(finding, level));
  }
  return dedupe(found);
}

const SEVERITY_ORDER: readonly Severity[] = ['hint', 'info', 'warning', 'error'];
const lowerOf = (a: Severity, b: Severity): Severity => (SEVERITY_ORDER.indexOf(a) <= SEVERITY_ORDER.indexOf(b) ? a : b);

/** Adds the severity in place: copying would read (and so compute) lazy fixes. */
function withSeverity(finding: Finding, severity: Severity): ReportedFinding {
  return Object.assign(finding, { severity });
}

function runSafely(rule: Rule, check: () => Finding[]): Finding[] {
  try {
    return check();
  } catch (error) {
    reportRuleError(rule, error);
    return [];
  }
}

/** 1,000,000: formatted without Intl, whose first use is slow to load. */
const BUDGET_TEXT = String(RULE_WORK_BUDGET).replace(/\B(?=(\d{3})+$)/g, ',');

/**
 * A rule that ran out of its work budget (work-budget.ts) on a file no one writes by hand: one
 * information diagnostic on the first line, instead of a stalled editor or half its findings.
 */
function tooLargeFor(rule: Rule, path: string, model: DockerfileModel): ReportedFinding {
  const firstLine = model.text.indexOf('\n');
  const end = Math.min(firstLine < 0 ? model.text.length : firstLine, 200);
  return {
    ruleId: rule.meta.id,
    path,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: end > 0 && model.text[end - 1] === '\r' ? end - 1 : end } },
    message: `File too large for rule ${rule.meta.id}: it stopped after ${BUDGET_TEXT} units of work and does not check this file.`,
    fixes: [],
    severity: 'info',
  };
}

/** `# dockopt ignore=<id>` on the line before an instruction silences it for that instruction. */
function isSuppressedAt(model: DockerfileModel, finding: Finding): boolean {
  return model.isSuppressed(finding.ruleId, model.instructionAtLine(finding.range.start.line));
}

/**
 * A Dockerfile built by several services can get the same finding once per build: keep one.
 * Findings come back in file order, as editors and `dockopt check` list them.
 */
function dedupe(findings: ReportedFinding[]): ReportedFinding[] {
  // Sorted first (a stable sort keeps the first of equal findings first), so that duplicates are
  // neighbours at one position: comparing them there costs no key string per finding.
  const sorted = findings.sort((a, b) => (a.path === b.path ? 0 : a.path < b.path ? -1 : 1) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const kept: ReportedFinding[] = [];
  let groupStart = 0;
  for (const f of sorted) {
    const previous = kept[kept.length - 1];
    if (!previous || previous.path !== f.path || previous.range.start.line !== f.range.start.line || previous.range.start.character !== f.range.start.character) groupStart = kept.length;
    let duplicate = false;
    for (let k = groupStart; k < kept.length && !duplicate; k++) duplicate = kept[k].ruleId === f.ruleId && kept[k].message === f.message;
    if (!duplicate) kept.push(f);
  }
  return kept;
}
