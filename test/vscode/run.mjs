// Runs the extension-host suite (test/vscode/) inside a real VS Code: code-server's workbench
// in headless chromium, its Node extension host running dockopt from this checkout.
// What @vscode/test-electron's runTests does with a desktop VS Code, which cannot be downloaded
// on these machines: code-server refuses --extensionDevelopmentPath/--extensionTestsPath on its
// command line, but its web workbench takes the same options from the page URL's `payload`.
//
// Usage: node test/vscode/run.mjs [--no-setup] [--no-build] [--keep] [--desktop]
//   --desktop   a desktop VS Code through @vscode/test-electron (downloaded; or VSCODE_EXECUTABLE)
//   --no-setup  do not install what is missing (scripts/vscode-setup.sh); fail instead
//   --no-build  use the extension bundles in dist/ as they are (npm test has just built them)
//   --keep      keep the scratch folder (workspace copy, user data, code-server log) after a pass
// Env: DOCKOPT_VSCODE_TIMEOUT_MS (whole run, default 300000); DOCKOPT_VSCODE_GREP (run only the
// tests whose full title matches); DOCKOPT_TEST_DOCKER (the build client, default /usr/bin/docker).
// Exit code: the suite's (0 all passed), 1 on any failure, including a launcher error.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerEntry, freePort, stopOnInterrupt, stopProcessGroup, waitForServer } from '../helpers/code-server.mjs';
import { buildSuite } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.DOCKOPT_VSCODE_TIMEOUT_MS ?? 300_000);
const args = process.argv.slice(2);
const log = (message) => console.error(`test:vscode: ${message}`);

const started = Date.now();
// A desktop VS Code when one is named or may be downloaded: @vscode/test-electron's runTests.
if (process.env.VSCODE_EXECUTABLE || args.includes('--desktop')) {
  if (!args.includes('--no-build') && run('node', ['scripts/build.mjs']) !== 0) process.exit(1);
  const { runInDesktopVsCode } = await import('./desktop.mjs');
  process.exit(await runInDesktopVsCode({ root, suiteBundle: await buildSuite(), executable: process.env.VSCODE_EXECUTABLE, log }));
}
let entry;
try {
  entry = codeServerEntry(root, !args.includes('--no-setup'));
} catch (error) {
  log(error.message);
  process.exit(1);
}
if (!args.includes('--no-build') && run('node', ['scripts/build.mjs']) !== 0) process.exit(1);
const suiteBundle = await buildSuite();
prepareExampleImages();

const scratch = mkdtempSync(join(tmpdir(), 'dockopt-vscode-'));
const paths = {
  userData: join(scratch, 'user-data'),
  extensions: join(scratch, 'extensions'),
  workspace: join(scratch, 'ha-ingestor'),
  results: join(scratch, 'results.json'),
  suiteLog: join(scratch, 'suite.log'),
  serverLog: join(scratch, 'code-server.log'),
  consoleLog: join(scratch, 'browser-console.log'),
};
prepareScratch();

let server;
let browser;
let code = 1;
const consoleLines = [];
stopOnInterrupt(() => server);
try {
  const port = await freePort();
  server = startCodeServer(port);
  await waitForServer(port, server, paths.serverLog);
  code = await runInWorkbench(port);
  code = reportResults(code);
} catch (error) {
  log(String(error?.stack ?? error));
  code = 1;
} finally {
  await browser?.close().catch(() => {});
  await stopProcessGroup(server);
  writeFileSync(paths.consoleLog, consoleLines.join('\n'));
  if (code === 0 && !args.includes('--keep')) rmSync(scratch, { recursive: true, force: true });
  else log(`kept ${scratch} (code-server.log, browser-console.log, suite.log, results.json, the workspace copy)`);
}
log(`${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(code);

/**
 * The build suite builds a service of the example: when a docker daemon answers, make the local
 * stand-ins for the example's base images (scripts/example-images.sh: idempotent, about 1 s once
 * they exist). Without a daemon the suite skips and says why.
 */
function prepareExampleImages() {
  const docker = process.env.DOCKOPT_TEST_DOCKER ?? '/usr/bin/docker';
  if (!existsSync(docker) || spawnSync(docker, ['info'], { stdio: 'ignore', timeout: 20_000 }).status !== 0) {
    log(`no docker daemon answers '${docker} info': the build suite will skip`);
    return;
  }
  if (spawnSync('bash', ['scripts/example-images.sh'], { cwd: root, stdio: 'inherit', env: { ...process.env, DOCKER: docker } }).status !== 0) log('scripts/example-images.sh failed (see above): the build suite will skip');
}

function run(command, argv) {
  const result = spawnSync(command, argv, { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

function prepareScratch() {
  cpSync(join(root, 'examples', 'ha-ingestor'), paths.workspace, { recursive: true });
  mkdirSync(join(paths.userData, 'User'), { recursive: true });
  mkdirSync(paths.extensions, { recursive: true });
  const settings = {
    // No trust prompt: the suite runs in a trusted workspace.
    'security.workspace.trust.enabled': false,
    // code-server saves about a second after each edit by default: tests look at unsaved edits and undo.
    'files.autoSave': 'off',
    'workbench.startupEditor': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
  };
  writeFileSync(join(paths.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

function startCodeServer(port) {
  const out = openSync(paths.serverLog, 'a');
  const child = spawn(
    process.execPath,
    [
      entry,
      // Its own config file: otherwise code-server writes a default one into ~/.config.
      '--config', join(scratch, 'config.yaml'),
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--user-data-dir', paths.userData,
      '--extensions-dir', paths.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      paths.workspace,
    ],
    // Its own process group: stopping it also stops its extension host and pty host.
    { detached: true, stdio: ['ignore', out, out], env: { ...process.env, DOCKOPT_VSCODE_RESULTS: paths.results, DOCKOPT_VSCODE_LOG: paths.suiteLog } },
  );
  log(`code-server (pid ${child.pid}) on 127.0.0.1:${port}, log ${paths.serverLog}`);
  return child;
}

/**
 * Loads the workbench with the test options and resolves with the code the workbench passes to
 * `codeAutomationExit` when `run()` settles (the extension host process itself always exits 0).
 */
async function runInWorkbench(port) {
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage();
  page.on('console', (message) => {
    // Kept for a failure's post-mortem; the suite's own report comes from its log file.
    consoleLines.push(`[${message.type()}] ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
  const exited = new Promise((resolve) => void page.exposeFunction('codeAutomationExit', (exitCode) => resolve(Number(exitCode))));
  // The authority must be the page's own: plain paths or file:// URIs find no extension host.
  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(root)],
    ['extensionTestsPath', remote(suiteBundle)],
  ];
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(paths.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(url);
  const remaining = Math.max(10_000, TIMEOUT_MS - (Date.now() - started));
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the suite did not finish within ${TIMEOUT_MS} ms`)), remaining);
  });
  try {
    return await Promise.race([exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The run passes only if the workbench said 0 AND the suite's results file shows passes and no failure. */
function reportResults(exitCode) {
  if (existsSync(paths.suiteLog)) process.stdout.write(readFileSync(paths.suiteLog, 'utf8'));
  if (!existsSync(paths.results)) {
    log(`the suite wrote no results (${paths.results}); workbench exit code ${exitCode}`);
    return 1;
  }
  const results = JSON.parse(readFileSync(paths.results, 'utf8'));
  for (const failure of results.failed) log(`FAILED ${failure.title}\n${failure.error}`);
  const skipped = results.skipped ?? [];
  const skipLines = [...new Set(skipped.map((s) => s.reason))].map((reason) => `skipped ${skipped.filter((s) => s.reason === reason).length} test(s): ${reason}`);
  for (const line of skipLines) log(line);
  // For npm test's summary of what was skipped (scripts/test-vscode-step.mjs).
  if (process.env.DOCKOPT_VSCODE_SKIPS) writeFileSync(process.env.DOCKOPT_VSCODE_SKIPS, skipLines.join('\n'));
  log(`${results.passed.length} passed, ${results.failed.length} failed, ${skipped.length} skipped; workbench exit code ${exitCode}`);
  return exitCode === 0 && results.failed.length === 0 && results.passed.length > 0 ? 0 : 1;
}

