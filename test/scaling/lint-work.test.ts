/**
 * Scaling without timing (issue 8): the work a lint does is counted (work-counters.ts), and a
 * file 10× longer must cost at most about 10× the work. A quadratic fails here on any machine,
 * however loaded; timed targets live in bench/.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { denseDockerfile } from '../../bench/dense-dockerfile';
import { managersDockerfile } from '../../bench/managers-dockerfile';
import { realWorldDockerfile } from '../../bench/dockerfiles';
import { manyStages } from '../../bench/pathological-dockerfiles';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { lintDockerfile } from '../../server/src/engine';
import { rules } from '../../server/src/rules';
import type { Rule } from '../../server/src/rules/types';
import type { BuildContext } from '../../server/src/workspace/build-context';
import { DEFAULT_SETTINGS, type ResolvedSettings } from '../../server/src/settings';
import { WorkAccount } from '../../server/src/work-budget';
import { snapshotWork, workSince, type WorkCounters } from '../../server/src/work-counters';

const PATH = '/work/app/Dockerfile';

function lintCounting(text: string, settings: ResolvedSettings = DEFAULT_SETTINGS, builds: BuildContext[] = []) {
  const before = snapshotWork();
  const model = parseDockerfile(text);
  const findings = lintDockerfile({ path: PATH, model, builds, settings });
  return { work: workSince(before), findings, instructions: model.instructions.length, runs: model.instructions.filter((i) => i.keyword === 'RUN').length };
}

function onlyRule(rule: Rule): ResolvedSettings {
  return { ...DEFAULT_SETTINGS, rules: Object.fromEntries(rules.map((r) => [r.meta.id, r === rule ? 'warning' : 'off'])) };
}

/** `large` is at most `factor` × `small` (a generous margin for the file's head and tail). */
function proportional(name: keyof WorkCounters, small: WorkCounters, large: WorkCounters, factor = 12): void {
  assert.ok(small[name] > 0, `${name}: the counter counts (${small[name]})`);
  assert.ok(large[name] <= factor * small[name], `${name}: ${small[name]} for the file, ${large[name]} for the file 10× longer`);
}

describe('the engine, the model and the shell reader do work proportional to the file', () => {
  // 80 and 800 lines: below every rule's work budget, so each rule runs to its end.
  const small = lintCounting(denseDockerfile(80));
  const large = lintCounting(denseDockerfile(800));

  test('the dense file finds about one problem per three lines, 10× the lines 10× the findings', () => {
    assert.ok(small.findings.length >= 20, `${small.findings.length} findings in 80 lines`);
    assert.ok(large.findings.length >= 9 * small.findings.length, `${small.findings.length} → ${large.findings.length}`);
    assert.equal(large.work.rulesOverBudget, 0);
  });

  test('each finding is placed in its instruction by a binary search, not a scan', () => {
    assert.equal(large.work.instructionLookups, large.work.findingsChecked);
    const perLookup = Math.ceil(Math.log2(large.instructions)) + 1;
    assert.ok(large.work.instructionLookupSteps <= large.work.instructionLookups * perLookup, `${large.work.instructionLookupSteps} steps for ${large.work.instructionLookups} look-ups of ${large.instructions} instructions`);
  });

  test('rules run once per file (per build), whatever its length', () => {
    assert.equal(large.work.ruleVisits, small.work.ruleVisits);
  });

  test('each RUN is read once per parse, and the shell reader reads characters in proportion', () => {
    assert.ok(large.work.runScriptsRead <= large.runs, `${large.work.runScriptsRead} reads of ${large.runs} RUNs`);
    proportional('runScriptsRead', small.work, large.work);
    proportional('shellCharsRead', small.work, large.work);
    proportional('findingsChecked', small.work, large.work);
  });
});

/**
 * A build context as the workspace gives one: a scanned file list with the manifests the bench
 * shapes copy (requirements files, package.json, pyproject.toml…) and a `.dockerignore`. Much of
 * what a rule does runs only with one (what a COPY sends, which Python the project allows), and
 * a quadratic there went unseen while these tests had none.
 */
function buildContext(): BuildContext {
  const texts: Record<string, string> = {
    'requirements.txt': 'flask==3.0.0\nrequests\n',
    'package.json': '{"name":"app","version":"1.0.0"}\n',
    'package-lock.json': '{"lockfileVersion":3}\n',
    'pyproject.toml': '[project]\nname = "app"\nrequires-python = ">=3.9"\n',
    '.python-version': '3.11\n',
    '.dockerignore': '.git\nnode_modules\n',
  };
  for (let n = 0; n < 40; n++) texts[`requirements-${n}.txt`] = `pkg${n}==1.0\n`;
  const files = [
    ...Object.keys(texts),
    ...Array.from({ length: 60 }, (_, n) => `src/module_${n}.py`),
    ...Array.from({ length: 30 }, (_, n) => `node_modules/dep${n}/index.js`),
    ...Array.from({ length: 20 }, (_, n) => `.git/objects/${n}`),
  ].map((path) => ({ path, size: 100 }));
  return {
    dockerfilePath: PATH,
    contextDir: '/work/app',
    source: 'dockerfile-folder',
    ignoreFile: { path: '/work/app/.dockerignore', kind: 'context-root', exists: true, text: texts['.dockerignore'] },
    scan: { files, truncated: false },
    readFile: (path: string) => texts[path],
  };
}

describe('per rule: the budget units a rule spends grow with the file, not its square', () => {
  // Units are RUN text visited, ENV variables read and instruction lists walked (work-budget.ts).
  // Chained stages (each `FROM` the one before, with pip, npm and `npm config set`): what a RUN
  // inherits from the stages below it is folded once, not walked again at every call.
  const shapes = { dense: denseDockerfile, 'real-world': realWorldDockerfile, 'chained stages': (lines: number) => manyStages(lines * 24) };
  // 300 lines and more: the real-world shape cycles through its pieces, a shorter file is not
  // a tenth of a longer one.
  for (const [shape, make] of Object.entries(shapes)) {
    for (const rule of rules.filter((r) => r.checkDockerfile)) {
      for (const context of ['without', 'with'] as const) {
        test(`${rule.meta.id} on the ${shape} shape, ${context} a build context: 10× the lines, at most 12× the units`, () => {
          const settings = onlyRule(rule);
          const builds = context === 'with' ? [buildContext()] : [];
          const small = lintCounting(make(300), settings, builds).work;
          const large = lintCounting(make(3000), settings, builds).work;
          assert.equal(large.rulesOverBudget, 0);
          if (small.budgetUnitsSpent === 0) {
            assert.equal(large.budgetUnitsSpent, 0, 'a rule that reads no RUN, ENV or instruction list stays so');
            return;
          }
          proportional('budgetUnitsSpent', small, large);
        });
      }
    }
  }
});

describe('copy-before-install on a stage with many broad COPYs', () => {
  // Each COPY . . looks ahead to the install and back at earlier COPYs: read once per stage, not per COPY.
  const file = (n: number) => 'FROM python:3.12\nWORKDIR /app\n' + 'COPY . .\nRUN echo hi\n'.repeat(n) + 'COPY requirements.txt .\nRUN pip install -r requirements.txt\n';
  const rule = rules.find((r) => r.meta.id === 'copy-before-install')!;
  const small = lintCounting(file(40), onlyRule(rule));
  const large = lintCounting(file(400), onlyRule(rule));

  test('reports every broad COPY, with work proportional to the file', () => {
    assert.equal(small.findings.length, 40);
    assert.equal(large.findings.length, 400);
    proportional('budgetUnitsSpent', small.work, large.work);
  });
});

describe('the package-manager cache rules, findings and fixes, on a file using every manager', () => {
  // Fixes are computed lazily, outside the engine's accounts: here each is charged to an account of its own.
  const cacheRules = rules.filter((r) => r.meta.id === 'cache-mount' || r.meta.id === 'cache-disabled');
  const measure = (lines: number) => {
    const before = snapshotWork();
    const model = parseDockerfile(managersDockerfile(lines));
    const settings = { ...DEFAULT_SETTINGS, rules: Object.fromEntries(rules.map((r) => [r.meta.id, cacheRules.includes(r) ? 'warning' : 'off'])) };
    const findings = lintDockerfile({ path: PATH, model, builds: [], settings });
    const account = new WorkAccount(Number.MAX_SAFE_INTEGER);
    let fixes = 0;
    account.run(() => {
      for (const finding of findings) fixes += finding.fixes.length;
    });
    assert.equal(account.error, undefined);
    return { findings: findings.length, fixes, work: workSince(before), fixUnits: Number.MAX_SAFE_INTEGER - account.remaining };
  };
  const small = measure(300);
  const large = measure(3000);

  test('10× the lines: 10× the findings, at most 12× the units for the findings and for their fixes', () => {
    assert.ok(small.findings >= 20, `${small.findings} findings in 300 lines`);
    assert.ok(large.findings >= 9 * small.findings, `${small.findings} → ${large.findings}`);
    assert.ok(small.fixes > 0);
    assert.equal(large.work.rulesOverBudget, 0);
    proportional('budgetUnitsSpent', small.work, large.work);
    assert.ok(large.fixUnits <= 12 * Math.max(small.fixUnits, 1), `fixes: ${small.fixUnits} units for the file, ${large.fixUnits} for the file 10× longer`);
  });
});

describe("python-base-version in a build context: the project's files read once per check, not once per FROM", () => {
  // The real-world shape has a dozen old python FROMs per 200 lines; the chained stages build
  // each stage on the one before (every stage's folders include those of the stages built on it).
  const rule = rules.find((r) => r.meta.id === 'python-base-version')!;
  const measure = (text: string) => {
    const reads = new Map<string, number>();
    const build: BuildContext = {
      dockerfilePath: PATH,
      contextDir: '/work/app',
      source: 'dockerfile-folder',
      ignoreFile: { path: '/work/app/.dockerignore', kind: 'context-root', exists: false },
      scan: { files: [{ path: 'pyproject.toml', size: 40 }], truncated: false },
      readFile: (path: string) => {
        reads.set(path, (reads.get(path) ?? 0) + 1);
        return path === 'pyproject.toml' ? '[project]\nrequires-python = ">=3.8"\n' : undefined;
      },
    };
    const before = snapshotWork();
    const model = parseDockerfile(text);
    const findings = lintDockerfile({ path: PATH, model, builds: [build], settings: onlyRule(rule) });
    return { findings: findings.length, reads, work: workSince(before) };
  };
  // A chain of stages on one old image: one finding, whose folders are those of every stage.
  const chain = (lines: number) => {
    const out = ['FROM python:3.9-slim AS s0'];
    for (let n = 1; out.length < lines; n++) out.push(`FROM s${n - 1} AS s${n}`, `COPY src-${n % 40}/app.py /app/`, 'RUN echo built');
    return `${out.join('\n')}\n`;
  };
  for (const [shape, make, many] of [['real-world', realWorldDockerfile, true], ['chained stages', chain, false]] as const) {
    test(`${shape}: each file read at most once, 10× the lines at most 12× the units`, () => {
      const small = measure(make(300));
      const large = measure(make(3000));
      if (many) assert.ok(small.findings > 0 && large.findings >= 9 * small.findings, `${small.findings} → ${large.findings} findings`);
      else assert.ok(small.findings === 1 && large.findings === 1, `${small.findings}, ${large.findings} findings`);
      for (const [path, count] of large.reads) assert.equal(count, 1, `${path} read ${count} times`);
      assert.ok(large.reads.has('pyproject.toml'));
      assert.equal(large.work.rulesOverBudget, 0);
      proportional('budgetUnitsSpent', small.work, large.work);
    });
  }
});
