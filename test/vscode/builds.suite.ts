/// <reference types="mocha" />
// Building a service of the example with a real BuildKit, as a user does it: "Build Service with
// BuildKit" on its open Dockerfile, then a click on the status bar to rebuild; then a Dockerfile
// broken by a failing RUN. What the user sees is read from the extension's own views: the
// BuildKit Cache tree's nodes (labels and descriptions as shown) and the status-bar item's text.
// Without a docker daemon, or without the example's stand-in base images, the suite skips and
// says why (in CI it fails instead).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { formatDuration, formatHitRatio, type BuildRecord } from '../../buildkit/src';
import type { BuildOutcome } from '../../client/src/builds/feature-contract';
import type { TreeNode } from '../../client/src/builds/tree-model';
import type { DockoptApi } from '../../client/src/extension';
import { dockopt, inWorkspace, setSetting, skipSuite, waitFor } from './support';

/** Debian's client (BuildKit built in); DOCKOPT_TEST_DOCKER names another, as for the BuildKit suites. */
const DOCKER = process.env.DOCKOPT_TEST_DOCKER ?? '/usr/bin/docker';
/** The service's base image: scripts/example-images.sh makes a local stand-in (run.mjs runs it). */
const BASE_IMAGE = 'python:3.11-alpine';
const SERVICE = 'air-quality-service';
const DOCKERFILE = () => inWorkspace('services', SERVICE, 'Dockerfile');
const LAST_COPY = 'COPY src/ ./src/';
const FAILING_RUN = 'RUN echo "dockopt test: this step fails on purpose" && exit 1';

function dockerProblem(): string | undefined {
  const quiet = { stdio: 'ignore' as const, timeout: 20_000 };
  if (spawnSync(DOCKER, ['info'], quiet).status !== 0) return `no docker daemon answers '${DOCKER} info' (run: bash scripts/docker-setup.sh)`;
  if (spawnSync(DOCKER, ['image', 'inspect', BASE_IMAGE], quiet).status !== 0) {
    return `the stand-in base image ${BASE_IMAGE} is missing (run: bash scripts/example-images.sh)`;
  }
  return undefined;
}

type Built = Extract<BuildOutcome, { target: unknown }> & { record: BuildRecord };

function built(outcome: BuildOutcome | undefined, status: BuildRecord['status']): Built {
  const detail = outcome && 'record' in outcome ? outcome.record?.problem?.message : outcome && 'message' in outcome ? outcome.message : undefined;
  assert.ok(outcome && 'target' in outcome && outcome.record, `a build ran: ${JSON.stringify(outcome?.status)} ${detail ?? ''}`);
  assert.equal(outcome.status, status, `the build ${status}: ${detail ?? ''}`);
  return outcome as Built;
}

/** The tree as the user sees it: the service's node, its build nodes (newest first) and their children. */
async function serviceInTree(api: DockoptApi, serviceId: string): Promise<TreeNode> {
  const roots = await api.buildViews.tree.getChildren();
  const node = roots.find((n) => n.serviceId === serviceId);
  assert.ok(node, `the BuildKit Cache tree lists the service; it shows: ${roots.map((n) => n.label).join(', ')}`);
  return node;
}

async function buildsInTree(api: DockoptApi, serviceId: string): Promise<TreeNode[]> {
  const service = await serviceInTree(api, serviceId);
  return (await api.buildViews.tree.getChildren(service)).filter((n) => n.kind === 'build');
}

function show(nodes: readonly TreeNode[]): string {
  return nodes.map((n) => `${n.label} — ${n.description ?? ''}`).join(' | ');
}

export function buildsSuite(): void {
  suite('builds with a real BuildKit', () => {
    let api: DockoptApi;
    const restores: (() => Promise<void>)[] = [];

    suiteSetup(async function () {
      const problem = dockerProblem();
      if (problem) skipSuite(this, problem);
      restores.push(await setSetting('dockopt.build', 'command', DOCKER));
      // No bridge network on these machines; the stand-ins need none.
      restores.push(await setSetting('dockopt.build', 'extraArgs', ['--network=none']));
      api = await dockopt();
      const targets = await waitFor(
        `the language server to list ${SERVICE}`,
        async () => (await api.builds.refreshKnown(true), api.builds.knownTargets()),
        (t) => t.some((x) => x.label === SERVICE),
        [api.builds.onDidChangeKnown],
      );
      const target = targets.find((x) => x.label === SERVICE)!;
      await waitFor(
        'the build settings to apply',
        () => api.builds.settingsFor(target),
        (s) => s.command === DOCKER && s.extraArgs.includes('--network=none'),
        [vscode.workspace.onDidChangeConfiguration],
      );
    });

    suiteTeardown(async () => {
      for (const restore of restores.reverse()) await restore();
    });

    test(`building ${SERVICE} twice: the tree shows both builds with their steps, the second from the cache; the status bar shows its time`, async () => {
      const uri = DOCKERFILE();
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const first = built(await vscode.commands.executeCommand<BuildOutcome>('dockopt.build', uri), 'succeeded');
      const id = first.target.id;
      assert.equal(first.target.label, SERVICE);

      let builds = await buildsInTree(api, id);
      assert.equal(builds[0]?.buildId, first.record.id, `the build is listed: ${show(builds)}`);
      const steps = (await api.buildViews.tree.getChildren(builds[0])).filter((n) => n.kind === 'step').map((n) => n.label);
      for (const instruction of ['WORKDIR /app', 'RUN apk add --no-cache gcc musl-dev', 'COPY requirements-prod.txt .', 'RUN pip install --no-cache-dir --user -r requirements-prod.txt', LAST_COPY]) {
        assert.ok(steps.includes(instruction), `the build's steps list "${instruction}": ${steps.join(' | ')}`);
      }

      // The user clicks the status bar item: it rebuilds the active Dockerfile's service.
      const before = api.buildViews.statusBar.current();
      assert.equal(before.command?.command, 'dockopt.rebuild', `the status bar offers a rebuild: ${JSON.stringify(before)}`);
      const second = built(await vscode.commands.executeCommand<BuildOutcome>(before.command.command, ...(before.command.arguments ?? [])), 'succeeded');
      assert.equal(second.target.id, id, 'the same service');
      const { cachedSteps, totalSteps } = second.record.totals;
      assert.ok(totalSteps >= 5 && cachedSteps === totalSteps, `nothing changed, so every step is cached: ${formatHitRatio(cachedSteps, totalSteps)}`);

      builds = await buildsInTree(api, id);
      assert.deepEqual(builds.slice(0, 2).map((b) => b.buildId), [second.record.id, first.record.id], `newest first: ${show(builds)}`);
      assert.equal(builds[0].label, formatDuration(second.record.durationMs));
      assert.match(builds[0].description ?? '', new RegExp(`^${formatHitRatio(cachedSteps, totalSteps).replace(/[()]/g, '\\$&')} · `));
      const stepsAfterFrom = (await api.buildViews.tree.getChildren(builds[0])).filter((n) => n.kind === 'step' && !/^FROM /.test(n.label));
      assert.ok(stepsAfterFrom.length >= 5, show(stepsAfterFrom));
      assert.deepEqual(stepsAfterFrom.filter((n) => n.description !== 'cached'), [], 'every step after FROM says cached');
      const service = await serviceInTree(api, id);
      assert.equal(service.description, `${formatDuration(second.record.durationMs)} · ${formatHitRatio(cachedSteps, totalSteps)}`);

      const status = api.buildViews.statusBar.current();
      assert.equal(status.text, `$(check) ${SERVICE} ${formatDuration(second.record.durationMs)} · 100% cached`);
      assert.equal(status.warning, false);
      // The rebuild reused the service's terminal: one terminal per service, not one per build.
      assert.equal(vscode.window.terminals.filter((t) => t.name === `dockopt: ${SERVICE}`).length, 1, vscode.window.terminals.map((t) => t.name).join(', '));
    });

    test('a build that fails shows in the tree with its error and failing step, and the status bar says it failed', async () => {
      const uri = DOCKERFILE();
      const document = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(document);
      const original = document.getText();
      const copyLine = original.split('\n').indexOf(LAST_COPY);
      assert.ok(copyLine > 0, `${LAST_COPY} is in the Dockerfile`);
      const failingLine = copyLine + 1;
      try {
        // The user adds a step that fails, and saves.
        assert.ok(await editor.edit((e) => e.insert(new vscode.Position(failingLine, 0), `${FAILING_RUN}\n`)));
        assert.ok(await document.save(), 'saved');

        const outcome = built(await vscode.commands.executeCommand<BuildOutcome>('dockopt.build', uri), 'failed');
        const problem = outcome.record.problem;
        assert.equal(problem?.step?.line, failingLine, `the failing step is the added RUN: ${JSON.stringify(problem)}`);

        const service = await serviceInTree(api, outcome.target.id);
        assert.equal(service.icon?.id, 'error', 'the service is marked failed');
        assert.match(service.description ?? '', /^failed · /);
        const [latest] = await buildsInTree(api, outcome.target.id);
        assert.equal(latest.buildId, outcome.record.id);
        assert.match(latest.label, /^failed · /);
        const children = await api.buildViews.tree.getChildren(latest);
        const error = children[0];
        assert.equal(error?.kind, 'problem', `the error comes first under the failed build: ${show(children)}`);
        assert.match(error.label, /exit code: 1/, 'the error as BuildKit gave it');
        assert.match(error.description ?? '', new RegExp(`^line ${failingLine + 1}\\b`));
        // A click on the error opens the Dockerfile at the failing line.
        const item = api.buildViews.tree.getTreeItem(error);
        const [file, options] = (item.command?.arguments ?? []) as [vscode.Uri, { selection: vscode.Range }];
        assert.equal(item.command?.command, 'vscode.open');
        assert.equal(file.fsPath, uri.fsPath);
        assert.equal(options.selection.start.line, failingLine);
        const failedStep = children.find((n) => n.kind === 'step' && n.label === FAILING_RUN);
        assert.match(failedStep?.description ?? '', /^failed/, `the step shows it failed: ${show(children)}`);

        const status = api.buildViews.statusBar.current();
        assert.equal(status.text, `$(error) ${SERVICE} failed · ${formatDuration(outcome.record.durationMs)}`);
        assert.equal(status.warning, true, 'with the warning background');
      } finally {
        // Put the Dockerfile back as it was, on disk too.
        await vscode.window.showTextDocument(document);
        for (let i = 0; i < 3 && document.getText() !== original; i++) await vscode.commands.executeCommand('undo');
        if (document.getText() !== original) {
          const all = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
          await vscode.workspace.applyEdit(replaceAll(uri, all, original));
        }
        if (document.isDirty) await document.save();
      }
      assert.equal(readFileSync(uri.fsPath, 'utf8'), original, 'the Dockerfile is restored on disk');
    });
  });
}

function replaceAll(uri: vscode.Uri, range: vscode.Range, text: string): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, range, text);
  return edit;
}
