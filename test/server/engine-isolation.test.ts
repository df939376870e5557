/**
 * The engine alone isolates a rule that throws: the error is reported (never swallowed), that
 * rule's findings of the file are dropped (they may be half), and every other rule still runs.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { lintDockerfile, onRuleError } from '../../server/src/engine';
import { rules } from '../../server/src/rules';
import type { ContractRule } from '../../server/src/rules/create-rule';
import { DEFAULT_SETTINGS } from '../../server/src/settings';

const TEXT = 'FROM python:3.11\nRUN pip install flask\n';
const pipRule = rules.find((r) => r.meta.id === 'pip-cache-mount') as ContractRule;
const originalCreate = pipRule.create;
afterEach(() => {
  pipRule.create = originalCreate;
  onRuleError(() => {});
});

const lint = () => lintDockerfile({ path: '/w/Dockerfile', text: TEXT, builds: [], settings: DEFAULT_SETTINGS });

test('control: both rules report on the file', () => {
  assert.deepEqual([...new Set(lint().map((f) => f.ruleId))].sort(), ['pip-cache-mount', 'python-base-version']);
});

for (const [where, create] of [
  ['in a visitor', (ctx: Parameters<ContractRule['create']>[0]) => ({ ...originalCreate(ctx), RUN: () => { throw new Error('boom in RUN'); } })],
  ['in create', () => { throw new Error('boom in create'); }],
  ['at the end of the file', (ctx: Parameters<ContractRule['create']>[0]) => ({ ...originalCreate(ctx), 'Dockerfile:exit': () => { throw new Error('boom at exit'); } })],
] as const) {
  test(`a rule that throws ${where} is reported, its findings dropped, the others kept`, () => {
    const reported: Array<{ id: string; message: string }> = [];
    onRuleError((rule, error) => reported.push({ id: rule.meta.id, message: error instanceof Error ? error.message : String(error) }));
    pipRule.create = create as ContractRule['create'];
    const findings = lint();
    assert.deepEqual(reported.map((r) => r.id), ['pip-cache-mount']);
    assert.match(reported[0].message, /^boom/);
    assert.deepEqual(findings.map((f) => f.ruleId), ['python-base-version']);
  });
}
