/// <reference types="mocha" />
// Changing a rule's setting re-checks the Dockerfiles already open: turning the rule off takes
// its findings away without reopening the file, and setting it back brings them back (the other
// rules' findings stay throughout).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { dockoptDiagnostics, inWorkspace, openAndWaitForDiagnostics, ruleOf, setSetting, waitFor } from './support';

const RULE = 'pip-cache-mount';
const DOCKERFILE = () => inWorkspace('services', 'air-quality-service', 'Dockerfile');

function rulesOn(uri: vscode.Uri): string[] {
  return dockoptDiagnostics(uri).map((d) => ruleOf(d) ?? '?').sort();
}

export function ruleSettingsSuite(): void {
  suite('rule settings re-check open files', () => {
    let restore: (() => Promise<void>) | undefined;
    teardown(async () => {
      if (!restore) return;
      await restore();
      restore = undefined;
      // The next suite starts from the default findings, re-checked.
      await waitFor(
        `${RULE} back at its default severity`,
        () => dockoptDiagnostics(DOCKERFILE()).filter((d) => ruleOf(d) === RULE).map((d) => d.severity),
        (s) => s.length === 1 && s[0] === vscode.DiagnosticSeverity.Warning,
        [vscode.languages.onDidChangeDiagnostics],
      );
    });

    test(`dockopt.rules.${RULE}: "off" removes its findings from an open Dockerfile; restoring it brings them back`, async () => {
      const uri = DOCKERFILE();
      const { editor } = await openAndWaitForDiagnostics(uri, (d) => d.some((x) => ruleOf(x) === RULE) && d.length >= 3);
      const before = rulesOn(uri);
      const others = before.filter((r) => r !== RULE);
      assert.ok(others.length > 0, `other rules report on this file too: ${before.join(', ')}`);

      restore = await setSetting('dockopt.rules', RULE, 'off');
      const off = await waitFor(`${RULE} to leave ${uri.fsPath}`, () => rulesOn(uri), (r) => !r.includes(RULE), [vscode.languages.onDidChangeDiagnostics]);
      assert.deepEqual(off, others, 'only the rule turned off went away');
      assert.equal(vscode.window.activeTextEditor?.document, editor.document, 'the file stayed open, not reopened');

      await restore();
      restore = undefined;
      const back = await waitFor(`${RULE} to come back on ${uri.fsPath}`, () => rulesOn(uri), (r) => r.includes(RULE), [vscode.languages.onDidChangeDiagnostics]);
      assert.deepEqual(back, before);
      const finding = dockoptDiagnostics(uri).find((d) => ruleOf(d) === RULE)!;
      assert.equal(finding.severity, vscode.DiagnosticSeverity.Warning, 'at its default severity again');
    });

    test(`dockopt.rules.${RULE}: "error" raises the open file's finding to an error`, async () => {
      const uri = DOCKERFILE();
      await openAndWaitForDiagnostics(uri, (d) => d.some((x) => ruleOf(x) === RULE));
      restore = await setSetting('dockopt.rules', RULE, 'error');
      await waitFor(
        `${RULE} as an error`,
        () => dockoptDiagnostics(uri).filter((d) => ruleOf(d) === RULE).map((d) => d.severity),
        (s) => s.length === 1 && s[0] === vscode.DiagnosticSeverity.Error,
        [vscode.languages.onDidChangeDiagnostics],
      );
    });
  });
}
