/**
 * lintWorkspace hands each file's findings to `onFile` as soon as the file is checked, in the
 * files' order, echoes not yet dropped: the workspace fix computes each file's fixes there, and
 * must see every finding the report is made of.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReportedFinding } from '../../server/src/engine';
import { fixWorkspace } from '../../server/src/fix-workspace';
import { lintedFiles, lintWorkspace } from '../../server/src/lint-workspace';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { ContextScanner, walkInThread } from '../../server/src/workspace/context-scan';
import { WorkspaceModel } from '../../server/src/workspace/workspace';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const DOCKERFILE = 'FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["python", "main.py"]\n';

function files(): Record<string, string> {
  const out: Record<string, string> = { 'docker-compose.yml': 'services:\n  a:\n    build: ./a\n  b:\n    build: ./b\n' };
  for (const dir of ['a', 'b']) {
    out[`${dir}/Dockerfile`] = DOCKERFILE;
    out[`${dir}/requirements.txt`] = 'flask==3.0.3\n';
    out[`${dir}/main.py`] = 'print(1)\n';
    out[`${dir}/tests/test_main.py`] = 'def test(): pass\n';
    out[`${dir}/docs/index.md`] = '# a\n';
  }
  out['a/.dockerignore'] = '__pycache__\n';
  return out;
}

async function workspaceOn(root: string): Promise<WorkspaceModel> {
  const workspace = new WorkspaceModel({ roots: [root], scanner: new ContextScanner({ walk: walkInThread }) });
  await workspace.refresh();
  return workspace;
}

test('onFile gets each file once, in order, with every finding the report keeps', async () => {
  const root = makeWorkspace(files(), 'dockopt-lint-files-');
  try {
    const workspace = await workspaceOn(root);
    const seen: ReportedFinding[][] = [];
    const findings = await lintWorkspace(workspace, () => DEFAULT_SETTINGS, undefined, { onFile: (found) => seen.push([...found]) });
    assert.equal(seen.length, lintedFiles(workspace).length);
    const all = seen.flat();
    for (const finding of findings) assert.ok(all.includes(finding), `${finding.ruleId} on ${finding.path} was handed over`);
    assert.deepEqual(all.filter((f) => findings.includes(f)), findings, 'in the same order');
    const plain = await lintWorkspace(await workspaceOn(root), () => DEFAULT_SETTINGS);
    assert.deepEqual(JSON.parse(JSON.stringify(findings)), JSON.parse(JSON.stringify(plain)));
  } finally {
    removeWorkspace(root);
  }
});

test('the workspace fix applies the preferred fix of every finding it reports, as the findings would give them', async () => {
  const root = makeWorkspace(files(), 'dockopt-lint-files-');
  try {
    const expected = (await lintWorkspace(await workspaceOn(root), () => DEFAULT_SETTINGS)).flatMap((finding) => {
      const fix = finding.fixes.find((f) => f.isPreferred);
      return fix ? [{ ruleId: finding.ruleId, reportedOn: finding.path, changes: fix.changes }] : [];
    });
    const result = await fixWorkspace(await workspaceOn(root), () => DEFAULT_SETTINGS);
    assert.ok(expected.length >= 8, `${expected.length} preferred fixes`);
    assert.deepEqual(
      result.applied.filter((a) => a.pass === 1).map(({ ruleId, reportedOn, changes }) => ({ ruleId, reportedOn, changes })),
      expected,
    );
  } finally {
    removeWorkspace(root);
  }
});
