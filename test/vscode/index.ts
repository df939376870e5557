/**
 * The extension-host test entry (`extensionTestsPath`): VS Code loads this bundle in the
 * extension host and calls `run()`; its promise settling is the suite's result. The same entry
 * serves @vscode/test-electron's `runTests` in a desktop VS Code and test/vscode/run.mjs in
 * code-server. When the launcher names them, the reporter's text also goes to DOCKOPT_VSCODE_LOG
 * as it is written, and the outcome to DOCKOPT_VSCODE_RESULTS (JSON): code-server's extension
 * host forwards console output to the browser unformatted, and its exit code is always 0.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { format } from 'node:util';
import Mocha from 'mocha';
import { buildSettingsSuite } from './build-settings.suite';
import { buildsSuite } from './builds.suite';
import { commandsSuite } from './commands.suite';
import { diagnosticsSuite } from './diagnostics.suite';
import { dockerignoreSuite } from './dockerignore.suite';
import { fixOnSaveSuite } from './fix-on-save.suite';
import { optimizeAllSuite } from './optimize-all.suite';
import { quickFixSuite } from './quick-fix.suite';
import { ruleSettingsSuite } from './rule-settings.suite';
import { skipReasons } from './support';

interface Outcome {
  passed: string[];
  failed: { title: string; error: string }[];
  /** Tests not run, and why (a suite that skipped gives its reason). */
  skipped: { title: string; reason: string }[];
}

export function run(): Promise<void> {
  const logFile = process.env.DOCKOPT_VSCODE_LOG;
  if (logFile) {
    const consoleLog = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
      appendFileSync(logFile, `${format(...args)}\n`);
      consoleLog(...args);
    };
  }
  // The suites share one workspace: each leaves it as it found it (undo), in this order.
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  // For a developer's run of some suites (run.mjs passes its environment through code-server).
  if (process.env.DOCKOPT_VSCODE_GREP) mocha.grep(process.env.DOCKOPT_VSCODE_GREP);
  // Bundled suites cannot be loaded by path: give them mocha's globals, then let them register.
  mocha.suite.emit('pre-require', globalThis, 'dockopt-vscode-suites', mocha);
  commandsSuite();
  diagnosticsSuite();
  quickFixSuite();
  optimizeAllSuite();
  buildSettingsSuite();
  ruleSettingsSuite();
  dockerignoreSuite();
  fixOnSaveSuite();
  buildsSuite();

  const outcome: Outcome = { passed: [], failed: [], skipped: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const file = process.env.DOCKOPT_VSCODE_RESULTS;
      if (file) writeFileSync(file, `${JSON.stringify(outcome, null, 2)}\n`);
      if (failures > 0) reject(new Error(`${failures} of ${outcome.passed.length + outcome.failed.length} extension-host tests failed`));
      else if (outcome.passed.length === 0) reject(new Error('no extension-host test ran'));
      else resolve();
    });
    runner.on('pass', (t) => outcome.passed.push(t.fullTitle()));
    runner.on('fail', (t, error: Error) => outcome.failed.push({ title: t.fullTitle(), error: String(error?.stack ?? error) }));
    runner.on('pending', (t) => {
      const skipped = skipReasons.find((s) => t.fullTitle().startsWith(s.suite));
      outcome.skipped.push({ title: t.fullTitle(), reason: skipped?.reason ?? 'skipped' });
    });
  });
}
