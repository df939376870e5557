/**
 * Pathological inputs stay bounded (issue 8, item 5): a rule that runs out of its work budget
 * on a file no one writes by hand stops, and says so in one information diagnostic. Proven by
 * counting the work done, never by timing it; the times are in bench/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { continuationLines, execForm, manyStages, singleLongLine } from '../../bench/pathological-dockerfiles';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { lintDockerfile } from '../../server/src/engine';
import { rules } from '../../server/src/rules';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { RULE_WORK_BUDGET } from '../../server/src/work-budget';
import { snapshotWork, workSince } from '../../server/src/work-counters';

const PATH = '/work/app/Dockerfile';
const TOO_LARGE = /^File too large for rule ([a-z-]+): it stopped after 1,000,000 units of work/;
const dockerfileRules = rules.filter((r) => r.checkDockerfile).length;

function lint(text: string) {
  const before = snapshotWork();
  const model = parseDockerfile(text);
  const findings = lintDockerfile({ path: PATH, model, builds: [], settings: DEFAULT_SETTINGS });
  const runs = model.instructions.filter((i) => i.keyword === 'RUN');
  return { findings, work: workSince(before), runs, tooLarge: findings.filter((f) => TOO_LARGE.test(f.message)) };
}

/** Each rule that ran out says so once, as information on line 1, and reports nothing else. */
function assertBailedOutCleanly(result: ReturnType<typeof lint>): void {
  assert.equal(result.tooLarge.length, result.work.rulesOverBudget);
  const bailed = new Set(result.tooLarge.map((f) => f.ruleId));
  assert.equal(bailed.size, result.tooLarge.length, 'one diagnostic per rule');
  for (const f of result.tooLarge) {
    assert.equal(f.severity, 'info');
    assert.equal(f.range.start.line, 0);
    assert.deepEqual(f.fixes, []);
    assert.equal(f.message.match(TOO_LARGE)![1], f.ruleId);
  }
  assert.deepEqual(result.findings.filter((f) => bailed.has(f.ruleId) && !TOO_LARGE.test(f.message)), [], 'no half-checked findings');
}

test('a RUN of 1 MB on one line is never tokenized: every rule that reads it stops at once', () => {
  const result = lint(singleLongLine(1024 * 1024));
  assert.ok(result.work.rulesOverBudget >= 3, `${result.work.rulesOverBudget} rules ran out`);
  assertBailedOutCleanly(result);
  assert.equal(result.work.runScriptsRead, 0, 'the shell reader never read the RUN');
  assert.ok(result.work.shellCharsRead < 1000, `${result.work.shellCharsRead} characters read`);
});

test('100 000 continuation lines: the same, the RUN is charged before it is read', () => {
  const result = lint(continuationLines(100_000));
  assert.ok(result.work.rulesOverBudget >= 3);
  assertBailedOutCleanly(result);
  assert.equal(result.work.runScriptsRead, 0);
});

test('320 KB of stages each building on the last: every rule finishes inside its budget, visiting a bounded number of RUNs', () => {
  const result = lint(manyStages(320 * 1024));
  // What a RUN inherits from the stages below it is folded once per parse (stage-folds.ts): the
  // npm and pip rules walked the whole chain at every call, and ran out of budget here.
  assert.equal(result.work.rulesOverBudget, 0);
  assertBailedOutCleanly(result);
  // Each visit is charged the RUN's length: no rule visits more RUNs than its budget pays for.
  const shortest = Math.min(...result.runs.map((r) => r.endOffset - r.startOffset + 1));
  const bound = dockerfileRules * (RULE_WORK_BUDGET / shortest + 1);
  assert.ok(result.work.runScriptVisits <= bound, `${result.work.runScriptVisits} RUN visits, bound ${bound}`);
  assert.ok(result.work.runScriptsRead <= result.runs.length);
});

test('250 KB of exec-form RUNs: bounded the same way', () => {
  const result = lint(execForm(250 * 1024));
  assertBailedOutCleanly(result);
  const shortest = Math.min(...result.runs.map((r) => r.endOffset - r.startOffset + 1));
  assert.ok(result.work.runScriptVisits <= dockerfileRules * (RULE_WORK_BUDGET / shortest + 1));
});

test('real Dockerfiles (the examples and the fixtures) stay far inside every budget', () => {
  const root = join(__dirname, '..', '..');
  const files = [
    ...readdirSync(join(root, 'examples', 'ha-ingestor', 'services')).map((s) => join(root, 'examples', 'ha-ingestor', 'services', s, 'Dockerfile')),
    ...readdirSync(join(root, 'test', 'fixtures', 'dockerfiles')).map((f) => join(root, 'test', 'fixtures', 'dockerfiles', f)),
  ];
  assert.ok(files.length >= 5);
  for (const file of files) {
    const result = lint(readFileSync(file, 'utf8'));
    assert.equal(result.work.rulesOverBudget, 0, file);
    assert.ok(result.work.budgetUnitsSpent < RULE_WORK_BUDGET / 20, `${file}: ${result.work.budgetUnitsSpent} units`);
  }
});

test('`# dockopt global ignore=<rule>` silences the rule, and so its "too large" too', () => {
  const result = lint(`# dockopt global ignore=npm-cache-mount\n${manyStages(320 * 1024)}`);
  assert.ok(!result.tooLarge.some((f) => f.ruleId === 'npm-cache-mount'));
  assertBailedOutCleanly(result);
});
