/** How the engine runs rules over a Dockerfile that several services build. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintDockerfile } from '../../server/src/engine';
import { rules } from '../../server/src/rules';
import type { ContractRule } from '../../server/src/rules/create-rule';
import type { Rule } from '../../server/src/rules/types';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import type { BuildContext } from '../../server/src/workspace/build-context';

function build(service: string): BuildContext {
  return {
    dockerfilePath: '/w/Dockerfile',
    contextDir: `/w/${service}`,
    source: 'compose',
    service,
    ignoreFile: { path: `/w/${service}/.dockerignore`, kind: 'context-root', exists: true, text: '.git\n' },
    scan: { files: [], truncated: false },
  };
}

test('a rule that reads the build context runs once per build; the others run once', () => {
  // A rule on the contract is created once per run; another is called once per run.
  const calls = new Map<string, number>();
  const count = (id: string) => calls.set(id, (calls.get(id) ?? 0) + 1);
  const originals = rules.map((rule) => ({ check: rule.checkDockerfile, create: (rule as Partial<ContractRule>).create }));
  try {
    for (const rule of rules as Array<Rule & Partial<ContractRule>>) {
      const { checkDockerfile: check, create } = rule;
      if (!check) continue;
      if (create) rule.create = (ctx) => (count(rule.meta.id), create(ctx));
      else rule.checkDockerfile = (ctx) => (count(rule.meta.id), check(ctx));
    }
    lintDockerfile({ path: '/w/Dockerfile', text: 'FROM python:3.12\nRUN pip install flask\n', builds: [build('api'), build('worker'), build('cron')], settings: DEFAULT_SETTINGS });
  } finally {
    (rules as Array<Rule & Partial<ContractRule>>).forEach((rule, i) => {
      rule.checkDockerfile = originals[i].check;
      if (originals[i].create) rule.create = originals[i].create;
    });
  }
  for (const rule of rules) {
    if (!rule.checkDockerfile) continue;
    assert.equal(calls.get(rule.meta.id), rule.meta.perBuild ? 3 : 1, rule.meta.id);
  }
  assert.deepEqual(rules.filter((r) => r.meta.perBuild).map((r) => r.meta.id).sort(), ['copy-before-install', 'dockerignore-incomplete', 'dockerignore-missing', 'python-base-version']);
});

test('a finding that every build shares is reported once', () => {
  const findings = lintDockerfile({ path: '/w/Dockerfile', text: 'FROM python:3.11\n', builds: [build('api'), build('worker')], settings: DEFAULT_SETTINGS });
  assert.equal(findings.filter((f) => f.ruleId === 'python-base-version').length, 1);
});
