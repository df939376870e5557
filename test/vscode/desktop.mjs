// The same extension-host suite in a desktop VS Code, the standard way: @vscode/test-electron's
// runTests with this checkout as the extension under development. Used when VSCODE_EXECUTABLE
// names a VS Code, or with `--desktop` (runTests downloads the current stable build, which needs
// internet). code-server (run.mjs) is the way on machines where neither is possible.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs the suite bundle in a desktop VS Code; resolves with the exit code (0: every test passed). */
export async function runInDesktopVsCode({ root, suiteBundle, executable, log }) {
  const { runTests } = await import('@vscode/test-electron');
  const scratch = mkdtempSync(join(tmpdir(), 'dockopt-vscode-desktop-'));
  const workspace = join(scratch, 'ha-ingestor');
  const userData = join(scratch, 'user-data');
  cpSync(join(root, 'examples', 'ha-ingestor'), workspace, { recursive: true });
  mkdirSync(join(userData, 'User'), { recursive: true });
  // The settings the code-server run gives the suite: no trust prompt, no autosave under the tests.
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'security.workspace.trust.enabled': false, 'files.autoSave': 'off' }, null, 2));
  log(executable ? `desktop VS Code at ${executable}` : 'desktop VS Code: downloading the current stable build');
  try {
    await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : {}),
      extensionDevelopmentPath: root,
      extensionTestsPath: suiteBundle,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userData}`],
    });
    rmSync(scratch, { recursive: true, force: true });
    return 0;
  } catch (error) {
    log(`desktop run failed: ${error instanceof Error ? error.message : String(error)} (kept ${scratch})`);
    return 1;
  }
}
