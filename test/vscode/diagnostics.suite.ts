/// <reference types="mocha" />
// Opening an unoptimized Dockerfile of the example: dockopt's findings reach the editor's
// diagnostics with their rule ids, ranges and links to the rule pages shipped with the extension.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as vscode from 'vscode';
import { dockoptDiagnostics, docsLinkOf, inWorkspace, openAndWaitForDiagnostics, ruleOf } from './support';

/**
 * The rule page a diagnostic's code links to. The client turns the server's link into its
 * `dockopt.showRuleDocs` command (it opens the page shipped with the extension, offline), with
 * the page's file URI as the argument.
 */
function rulePageOf(diagnostic: vscode.Diagnostic): string | undefined {
  const link = docsLinkOf(diagnostic);
  if (!link || link.scheme !== 'command' || link.path !== 'dockopt.showRuleDocs') return undefined;
  const args: unknown = JSON.parse(link.query);
  return Array.isArray(args) && typeof args[0] === 'string' ? args[0] : undefined;
}

export function diagnosticsSuite(): void {
  suite('diagnostics on an unoptimized Dockerfile', () => {
    test('electricity-pricing-service/Dockerfile shows the five findings `dockopt check` reports', async () => {
      const uri = inWorkspace('services', 'electricity-pricing-service', 'Dockerfile');
      // All five arrive in one publish; waiting for the full set keeps a partial publish from passing.
      const { diagnostics } = await openAndWaitForDiagnostics(uri, (d) => d.length >= 5);
      const seen = diagnostics
        .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${ruleOf(d)}`)
        .sort();
      assert.deepEqual(seen, [
        '10:5 pip-cache-mount',
        '2:1 dockerignore-missing',
        '2:13 python-base-version',
        '6:5 cache-mount',
        '9:1 copy-before-install',
      ]);
      for (const d of diagnostics) {
        const page = rulePageOf(d);
        assert.ok(page?.endsWith(`/docs/rules/${ruleOf(d)}.md`), `${ruleOf(d)} links to its rule page, got ${docsLinkOf(d)?.toString()}`);
        assert.ok(page && existsSync(fileURLToPath(page)), `${page} is shipped`);
      }
    });

    test('a Dockerfile that copies its requirements before installing gets no copy-before-install', async () => {
      const uri = inWorkspace('services', 'air-quality-service', 'Dockerfile');
      const { diagnostics } = await openAndWaitForDiagnostics(uri, (d) => d.length >= 4);
      assert.deepEqual(diagnostics.map(ruleOf).sort(), ['cache-mount', 'dockerignore-incomplete', 'pip-cache-mount', 'python-base-version'], JSON.stringify(dockoptDiagnostics(uri).map(ruleOf)));
    });
  });
}
