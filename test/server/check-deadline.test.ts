/**
 * The editor's time limit on a check (server/src/work-budget.ts `withDeadline`, used by
 * server/src/lsp/document-linter.ts): past it every rule stops at its next call or charge, its
 * findings are dropped, and the document says which rules did not finish. Driven by a clock of
 * the test's own, so nothing here depends on how fast the machine is.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { denseDockerfile } from '../../bench/dense-dockerfile';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { lintDockerfile, levelOf, type ReportedFinding } from '../../server/src/engine';
import { DocumentLinter } from '../../server/src/lsp/document-linter';
import { stoppedNotice } from '../../server/src/lsp/check-limits';
import { rules } from '../../server/src/rules';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { withDeadline } from '../../server/src/work-budget';
import { WorkspaceModel } from '../../server/src/workspace/workspace';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const PATH = '/work/app/Dockerfile';
const TEXT = denseDockerfile(600);

const lint = (text = TEXT) => lintDockerfile({ path: PATH, model: parseDockerfile(text), builds: [], settings: DEFAULT_SETTINGS });
const key = (f: ReportedFinding) => `${f.ruleId}|${f.range.start.line}:${f.range.start.character}|${f.message}`;

/** A clock that reads 0 for its first `readings` readings, then 1 000 000. */
function clockPassingAfter(readings: number): () => number {
  let read = 0;
  return () => (read++ < readings ? 0 : 1_000_000);
}

describe('withDeadline', () => {
  it('a check already past its deadline runs no rule, reports none of their findings, and names each rule', () => {
    const { value, stoppedRules } = withDeadline(1, () => lint(), () => 2);
    assert.deepEqual(value, []);
    const running = rules.filter((r) => r.checkDockerfile && levelOf(r, DEFAULT_SETTINGS) !== 'off').map((r) => r.meta.id);
    assert.deepEqual([...stoppedRules].sort(), [...running].sort());
  });

  it('a check that ends before its deadline is the check without one', () => {
    const { value, stoppedRules } = withDeadline(1, () => lint(), () => 0);
    assert.deepEqual(stoppedRules, []);
    assert.deepEqual(value.map(key), lint().map(key));
  });

  // How often a whole check reads the clock, to stop it early, halfway and near its end.
  let readingsOfWholeCheck = 0;
  withDeadline(1, () => lint(), () => (readingsOfWholeCheck++, 0));
  for (const share of [0.01, 0.5, 0.95]) {
    it(`stopped ${share * 100} % of the way: every finding of the rules that finished, none of a rule stopped halfway`, () => {
      assert.ok(readingsOfWholeCheck > 100, `${readingsOfWholeCheck} readings`);
      const full = lint();
      const { value, stoppedRules } = withDeadline(1, () => lint(), clockPassingAfter(Math.round(readingsOfWholeCheck * share)));
      assert.ok(stoppedRules.length > 0, 'the deadline stopped some rule');
      if (share > 0.9) assert.ok(value.length > 0, 'rules finish one after the other: the first ones finished');
      const stopped = new Set(stoppedRules);
      assert.deepEqual(value.map(key), full.filter((f) => !stopped.has(f.ruleId)).map(key));
    });
  }

  it('the parse inside a deadline is never cut, and the deadline ends with the call', () => {
    const { value: model } = withDeadline(1, () => parseDockerfile(TEXT), () => 2);
    assert.equal(model.instructions.length, parseDockerfile(TEXT).instructions.length);
    assert.deepEqual(lint().map(key), lint().map(key));
    assert.ok(lint().length > 100, 'a lint after the deadline is not limited');
  });
});

describe('DocumentLinter with a time limit', () => {
  let root: string;
  let workspace: WorkspaceModel;
  before(() => {
    root = makeWorkspace({ 'Dockerfile': 'FROM python:3.11-slim\n' });
    workspace = new WorkspaceModel({ roots: [root] });
  });
  after(() => removeWorkspace(root));

  it('a check past the limit shows the notice; a re-check of the same version (a workspace event) tries again', () => {
    let now = 0;
    let step = 400; // each reading of the clock "400 ms" later: the limit passes during the check
    const linter = new DocumentLinter(workspace, () => {}, { ms: 700, clock: () => (now += step) });
    const doc = { path: join(root, 'Dockerfile'), version: 1, text: TEXT, languageId: 'dockerfile' };
    assert.deepEqual(linter.lint(doc, DEFAULT_SETTINGS), []);
    const notice = linter.noticeOf(doc);
    assert.ok(notice);
    assert.equal(notice.range.start.line, 0);
    assert.match(notice.message, /^dockopt stopped checking this Dockerfile after 700 ms, so that no keystroke waits longer for it: rules [a-z-]+(, [a-z-]+)+ did not finish and show nothing here\. `dockopt check` checks it in full\.$/);

    step = 0;
    linter.invalidateAll();
    const checked = linter.lint(doc, DEFAULT_SETTINGS);
    assert.deepEqual(checked.map(key), lint().map(key));
    assert.equal(linter.noticeOf(doc), undefined);
  });

  it('one rule stopped is named alone', () => {
    assert.equal(
      stoppedNotice(['pip-cache-mount'], 700).message,
      'dockopt stopped checking this Dockerfile after 700 ms, so that no keystroke waits longer for it: rule pip-cache-mount did not finish and show nothing here. `dockopt check` checks it in full.',
    );
  });
});
