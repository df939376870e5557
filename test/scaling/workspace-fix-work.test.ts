/**
 * Scaling of the workspace fix without timing it (issue 8, target 3): a fix over 10× the
 * services does about 10× the work. Each pass of the fix edits every service's files in memory;
 * when each edit re-indexed the workspace and asked every build whether it was concerned, 1 000
 * services took 26× as long as 100 (and 43 s). Counted here: re-lints (rule visits), file
 * look-ups, build specs visited, build indexes built and context scans, so a quadratic fails
 * on any machine, however loaded; the times are in bench/workspace.bench.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixWorkspace } from '../../server/src/fix-workspace';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { snapshotWork, workSince } from '../../server/src/work-counters';
import { ContextScanner, walkInThread } from '../../server/src/workspace/context-scan';
import { WorkspaceModel } from '../../server/src/workspace/workspace';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

// Fixable four ways: the COPY before the install, the pip cache, the base image's Python, and
// the tests and docs a .dockerignore should leave out.
const DOCKERFILE = 'FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["python", "main.py"]\n';

/** `n` compose services, each its own context; every other one without a .dockerignore yet. */
function services(n: number): Record<string, string> {
  const files: Record<string, string> = {};
  let compose = 'services:\n';
  for (let i = 0; i < n; i++) {
    const dir = `services/svc-${i}`;
    compose += `  svc-${i}:\n    build: ./${dir}\n`;
    files[`${dir}/Dockerfile`] = DOCKERFILE;
    files[`${dir}/requirements.txt`] = 'flask==3.0.3\n';
    files[`${dir}/main.py`] = 'print("hello")\n';
    if (i % 2 === 0) files[`${dir}/.dockerignore`] = '__pycache__\n';
    files[`${dir}/tests/test_main.py`] = 'def test(): pass\n';
    files[`${dir}/docs/index.md`] = `# svc-${i}\n`;
  }
  files['docker-compose.yml'] = compose;
  return files;
}

async function fixCounting(n: number) {
  const root = makeWorkspace(services(n), 'dockopt-fix-work-');
  try {
    let scansLanded = 0;
    const scanner = new ContextScanner({ walk: walkInThread });
    scanner.onDidScan(() => scansLanded++);
    const workspace = new WorkspaceModel({ roots: [root], scanner });
    await workspace.refresh();
    const before = { ...workspace.work };
    const engineBefore = snapshotWork();
    const result = await fixWorkspace(workspace, () => DEFAULT_SETTINGS);
    const engine = workSince(engineBefore);
    return {
      result,
      scansLanded,
      ruleVisits: engine.ruleVisits,
      fileLookups: workspace.work.fileLookups - before.fileLookups,
      specVisits: workspace.work.specVisits - before.specVisits,
      indexBuilds: workspace.work.indexBuilds - before.indexBuilds,
    };
  } finally {
    removeWorkspace(root);
  }
}

type Counted = 'ruleVisits' | 'fileLookups' | 'specVisits';

describe('the workspace fix does work proportional to the services', () => {
  const runs = (async () => ({ small: await fixCounting(12), large: await fixCounting(120) }))();

  test('every service is fixed: 10× the services, 10× the fixes and the files changed', async () => {
    const { small, large } = await runs;
    assert.ok(small.result.applied.length >= 3 * 12, `${small.result.applied.length} fixes for 12 services`);
    assert.equal(large.result.applied.length, 10 * small.result.applied.length);
    assert.equal(large.result.files.length, 10 * small.result.files.length);
    // The .dockerignore files the fix creates are checked too, in the next pass.
    assert.ok(small.result.files.some((f) => f.before === undefined), 'some .dockerignore files are created');
  });

  for (const counter of ['ruleVisits', 'fileLookups', 'specVisits'] satisfies Counted[]) {
    test(`${counter}: 10× the services, at most 12× the work`, async () => {
      const { small, large } = await runs;
      assert.ok(small[counter] > 0, `${counter}: the counter counts (${small[counter]})`);
      assert.ok(large[counter] <= 12 * small[counter], `${counter}: ${small[counter]} for 12 services, ${large[counter]} for 120`);
    });
  }

  test('an edit made in memory does not rebuild the build index: as many index builds for 120 services as for 12', async () => {
    const { small, large } = await runs;
    assert.equal(large.indexBuilds, small.indexBuilds);
  });

  test('an edit made in memory leaves the disk as it was: each context is scanned once, not again after each pass', async () => {
    const { small, large } = await runs;
    assert.equal(small.scansLanded, 12);
    assert.equal(large.scansLanded, 120);
  });
});

describe('file events on disk (a branch switch) do work proportional to the events', () => {
  /** `n` services; every source file of each reported changed, as a checkout rewriting them reports it. */
  async function eventsCounting(n: number) {
    const root = makeWorkspace(services(n), 'dockopt-events-work-');
    try {
      const workspace = new WorkspaceModel({ roots: [root], scanner: new ContextScanner({ walk: walkInThread }) });
      await workspace.refresh();
      workspace.buildsFor(`${root}/services/svc-0/Dockerfile`); // the index is built
      const before = { ...workspace.work };
      for (let i = 0; i < n; i++) {
        for (const file of ['main.py', 'tests/test_main.py', 'docs/index.md']) workspace.invalidate(`${root}/services/svc-${i}/${file}`);
      }
      const builds = workspace.buildsFor(`${root}/services/svc-0/Dockerfile`);
      return { builds: builds.length, indexBuilds: workspace.work.indexBuilds - before.indexBuilds, specVisits: workspace.work.specVisits - before.specVisits };
    } finally {
      removeWorkspace(root);
    }
  }
  const runs = (async () => ({ small: await eventsCounting(12), large: await eventsCounting(120) }))();

  test('a changed source file does not rebuild the build index: as many index builds for 360 events as for 36', async () => {
    const { small, large } = await runs;
    assert.equal(small.builds, 1);
    assert.equal(large.indexBuilds, small.indexBuilds, `${small.indexBuilds} index builds for 36 events, ${large.indexBuilds} for 360`);
  });
});
