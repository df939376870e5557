/**
 * Runs one rule over an inline Dockerfile the way the engine does, and applies its
 * preferred fixes to the Dockerfile's text, so rule tests read as "this text becomes that text".
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { applyFileChanges, applyTextEdits } from '../../server/src/fixes/apply';
import { contextFor, formatMessage, walkDockerfile, withReportedFixes, type ContractRule, type Report } from '../../server/src/rules/create-rule';
import type { FileChange, Finding, Rule } from '../../server/src/rules/types';
import { DEFAULT_SETTINGS, type ResolvedSettings } from '../../server/src/settings';
import type { BuildContext } from '../../server/src/workspace/build-context';

export const DOCKERFILE_PATH = '/work/app/Dockerfile';

export interface RuleTestOptions {
  settings?: Partial<ResolvedSettings>;
  buildContext?: BuildContext;
  path?: string;
  /** Other files (absolute path → text) that the rule's fixes may edit, as they are before the fix. */
  files?: Readonly<Record<string, string>>;
}

export function check(rule: Rule, text: string, options: RuleTestOptions = {}): Finding[] {
  const model = parseDockerfile(text);
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  return rule.checkDockerfile!({ path: options.path ?? DOCKERFILE_PATH, model, buildContext: options.buildContext, settings })
    .filter((f) => !model.isSuppressed(f.ruleId, model.instructionAtLine(f.range.start.line)));
}

/** The Dockerfile's text after every preferred fix of the rule, one pass. */
export function fixOnce(rule: Rule, text: string, options: RuleTestOptions = {}): string {
  const path = options.path ?? DOCKERFILE_PATH;
  const edits = check(rule, text, options).flatMap((finding) =>
    (finding.fixes.find((fix) => fix.isPreferred)?.changes ?? []).flatMap((change) =>
      change.kind === 'edit' && change.path === path ? change.edits : [],
    ),
  );
  return applyTextEdits(text, edits).text;
}

/** Fixes, then asserts that the rule no longer fires and a second pass changes nothing. */
export function fix(rule: Rule, text: string, options: RuleTestOptions = {}): string {
  const once = fixOnce(rule, text, options);
  assert.equal(fixOnce(rule, once, options), once, 'applying the fix twice must change nothing');
  return once;
}

// --- RuleTester: a rule's tests as a table, after ESLint's ----------------------------------

export interface ValidCase {
  name?: string;
  code: string;
  options?: RuleTestOptions;
}

export interface ExpectedError {
  messageId: string;
  /** One-based, as editors and `dockopt check` show it. */
  line: number;
  /** One-based columns of the range's start and end, when the test cares. */
  column?: number;
  endColumn?: number;
  /** The placeholders' values, when the test cares about them. */
  data?: Readonly<Record<string, string | number>>;
  minor?: boolean;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /** The text after one pass of the preferred fixes; null when they leave this Dockerfile as it is (none, or one on another file). */
  output: string | null;
  /**
   * Other files after one pass of the preferred fixes (absolute path → text): exactly the files
   * the fixes create or edit (`{}`: none). A second pass needs a new build context, so the
   * idempotence of these fixes is left to tests on a real workspace.
   */
  outputFiles?: Readonly<Record<string, string>>;
}

export interface RecordedReport {
  messageId: string;
  line: number;
  column: number;
  endColumn: number;
  data?: Readonly<Record<string, string | number>>;
  minor?: boolean;
}

/** Runs a contract rule over `text` like the engine does, keeping each report's messageId and data. */
export function reportsOf(rule: ContractRule, text: string, options: RuleTestOptions = {}): { reports: RecordedReport[]; findings: Finding[] } {
  const model = parseDockerfile(text);
  const path = options.path ?? DOCKERFILE_PATH;
  const findings: Finding[] = [];
  const reports: RecordedReport[] = [];
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const context = contextFor(rule, { path, model, buildContext: options.buildContext, settings }, findings);
  const recording = {
    ...context,
    report(report: Report<string>) {
      const before = findings.length;
      context.report(report);
      const finding = findings[before];
      if (model.isSuppressed(finding.ruleId, model.instructionAtLine(finding.range.start.line))) {
        findings.pop();
        return;
      }
      const { start, end } = report.range;
      reports.push({ messageId: report.messageId, line: start.line + 1, column: start.character + 1, endColumn: end.character + 1, data: report.data, minor: report.minor });
    },
  };
  walkDockerfile(model, rule.create(recording));
  return { reports, findings };
}

/**
 * Registers one test per case. `valid` cases must not fire; `invalid` ones must report exactly
 * `errors` (in order of line) and fix to `output`, and a second pass over the output must change
 * nothing. Every message id must exist in the rule's meta, and every placeholder be filled.
 */
export function runRuleTests(rule: ContractRule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(`${rule.meta.id}: valid`, () => {
    for (const c of cases.valid) {
      test(c.name ?? c.code, () => {
        assert.deepEqual(reportsOf(rule, c.code, c.options).reports, []);
      });
    }
  });
  describe(`${rule.meta.id}: invalid`, () => {
    for (const c of cases.invalid) {
      test(c.name ?? c.code, () => {
        const { reports, findings } = reportsOf(rule, c.code, c.options);
        const sorted = [...reports].sort((a, b) => a.line - b.line);
        assert.deepEqual(
          sorted.map((r) => ({ messageId: r.messageId, line: r.line })),
          c.errors.map((e) => ({ messageId: e.messageId, line: e.line })),
        );
        c.errors.forEach((expected, i) => {
          assert.ok(Object.hasOwn(rule.messages, expected.messageId), `unknown messageId ${expected.messageId}`);
          if (expected.data) assert.deepEqual(pick(sorted[i].data ?? {}, Object.keys(expected.data)), expected.data);
          if (expected.column !== undefined) assert.equal(sorted[i].column, expected.column, 'column');
          if (expected.endColumn !== undefined) assert.equal(sorted[i].endColumn, expected.endColumn, 'endColumn');
          if (expected.minor !== undefined) assert.equal(sorted[i].minor ?? false, expected.minor);
        });
        for (const finding of findings) assert.doesNotMatch(finding.message, /\{\{\s*\w+\s*\}\}/, 'a placeholder without data');
        const once = fixOnce(rule, c.code, c.options);
        if (c.output === null) {
          assert.equal(once, c.code, 'no applied fix expected');
        } else {
          assert.equal(once, c.output);
          assert.equal(fixOnce(rule, once, c.options), once, 'applying the fix twice must change nothing');
        }
        if (c.outputFiles) assert.deepEqual(otherFilesAfterFix(rule, c.code, c.options), c.outputFiles);
      });
    }
  });
}

/** The files other than the Dockerfile that one pass of the preferred fixes creates or edits, with their text after. */
function otherFilesAfterFix(rule: Rule, text: string, options: RuleTestOptions = {}): Record<string, string> {
  const path = options.path ?? DOCKERFILE_PATH;
  const byFile = new Map<string, FileChange[]>();
  for (const finding of check(rule, text, options)) {
    for (const change of finding.fixes.find((fix) => fix.isPreferred)?.changes ?? []) {
      if (change.path !== path) byFile.set(change.path, [...(byFile.get(change.path) ?? []), change]);
    }
  }
  const after: Record<string, string> = {};
  for (const [file, changes] of byFile) {
    const next = applyFileChanges(options.files?.[file], changes);
    assert.ok(next !== undefined, `${file}: the fix edits a file the case does not give in options.files`);
    after[file] = next;
  }
  return after;
}

/** Runs a contract rule's .dockerignore hook like the engine does, keeping each report's messageId and data. */
export function dockerignoreReportsOf(
  rule: ContractRule,
  input: { path: string; text: string; builds: readonly BuildContext[]; settings?: ResolvedSettings },
): { reports: RecordedReport[]; findings: Finding[] } {
  const reports: RecordedReport[] = [];
  const findings: Finding[] = [];
  rule.dockerignore?.({
    path: input.path,
    text: input.text,
    builds: input.builds,
    settings: input.settings ?? DEFAULT_SETTINGS,
    report({ path, range, messageId, data, fixes, minor }) {
      const message = formatMessage(rule.messages[messageId], data);
      findings.push(withReportedFixes({ ruleId: rule.meta.id, path: path ?? input.path, range, message, ...(minor && { minor }) }, fixes));
      reports.push({ messageId, line: range.start.line + 1, column: range.start.character + 1, endColumn: range.end.character + 1, data, minor });
    },
  });
  return { reports, findings };
}

function pick(data: Readonly<Record<string, string | number>>, keys: string[]): Record<string, string | number> {
  return Object.fromEntries(keys.filter((k) => Object.hasOwn(data, k)).map((k) => [k, data[k]]));
}
