// `npm run test:e2e`: dockopt as a user meets it. The packaged .vsix is installed into a
// code-server of its own (127.0.0.1, a free port, its own user-data and extensions dirs), a fresh
// copy of examples/ha-ingestor is opened in headless chromium, and the scenarios of
// test/e2e/scenarios/ drive the workbench with the keyboard and the mouse: squiggles, the Problems
// panel and hovers; a quick fix; Optimize All through the refactor preview; BuildKit builds with
// a real docker daemon; Rebuild changed services after Optimize All, and Cancel; Restricted Mode,
// and the BuildKit Cache view there. Each step saves a screenshot in test-results/e2e/.
//
// Usage: node test/e2e/run.mjs [--screenshots] [--only NAME[,NAME]] [--keep] [--no-setup]
//   --screenshots  also copy the README's pictures into docs/images/ (`npm run screenshots`)
//   --only         run only these scenarios (diagnostics, quick-fix, optimize-all, build, rebuild-changed,
//                  restricted, restricted-tree)
//   --keep         keep the scratch folder (workspaces, user data) after a pass
//   --no-setup     do not install code-server/chromium (scripts/vscode-setup.sh --check)
// Exit code: 0 when every scenario passed (the build scenario may skip, with its reason, when no
// docker daemon answers), 1 otherwise. On a failure test-results/e2e/ keeps the screenshot, the
// page console and the code-server log.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerEntry, freePort, installExtension, startCodeServer, stopOnInterrupt, stopProcessGroup, waitForServer } from '../helpers/code-server.mjs';
import { dockerDaemon } from './docker.mjs';
import { copyReadmePictures } from './pictures.mjs';
import { SCENARIOS } from './scenarios/index.mjs';
import { openWindow } from './window.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (message) => console.error(`test:e2e [${elapsed()}] ${message}`);

const results = join(root, 'test-results', 'e2e');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'dockopt-e2e-'));
const dirs = {
  config: join(scratch, 'config.yaml'),
  userData: join(scratch, 'user-data'),
  extensions: join(scratch, 'extensions'),
};
const serverLog = join(results, 'code-server.log');
const consoleLines = [];

let server;
let browser;
let code = 1;
stopOnInterrupt(() => server);

try {
  const entry = codeServerEntry(root, !args.includes('--no-setup'));
  log('packaging the extension (npm run package)…');
  const vsix = join(scratch, 'dockopt.vsix');
  if (spawnSync(process.execPath, ['scripts/package.mjs', '--out', vsix], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) {
    throw new Error('npm run package failed (see above)');
  }
  const docker = dockerDaemon(root, log);
  writeSettings(docker);
  installExtension(entry, dirs, vsix, serverLog);
  const installed = readdirSync(dirs.extensions).find((name) => name.startsWith('dockopt.dockopt-'));
  if (!installed) throw new Error(`--install-extension put no dockopt.dockopt-* folder in ${dirs.extensions}`);
  log(`installed ${installed} from the .vsix`);

  const port = await freePort();
  server = startCodeServer(entry, dirs, port, serverLog);
  log(`code-server (pid ${server.pid}) on 127.0.0.1:${port}`);
  await waitForServer(port, server, serverLog);

  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const ctx = {
    root,
    scratch,
    port,
    browser,
    docker,
    cli: join(dirs.extensions, installed, 'dist', 'cli.js'),
    results,
    consoleLines,
    log,
    /**
     * A fresh copy of the example (or of `source`), opened in a window of its own (`trust`: the
     * answer to the trust prompt).
     */
    openWindow: (name, trust, source) => openWindow({ browser, port, root, scratch, results, consoleLines, log }, name, trust, source),
  };
  let failed = 0;
  let shared;
  for (const scenario of SCENARIOS) {
    if (only && !only.has(scenario.name)) continue;
    const t0 = Date.now();
    log(`scenario ${scenario.name}: ${scenario.title}`);
    let window;
    try {
      // Scenarios that share the trusted window run in it one after the other, as a user would.
      if (scenario.window === 'trusted') window = shared ??= await ctx.openWindow('ha-ingestor', 'trust');
      const outcome = await scenario.run({ ...ctx, window });
      const took = ((Date.now() - t0) / 1000).toFixed(1);
      if (outcome?.skipped) log(`SKIPPED ${scenario.name} (${took} s): ${outcome.skipped}`);
      else log(`passed ${scenario.name} (${took} s)${outcome?.detail ? `: ${outcome.detail}` : ''}`);
    } catch (error) {
      failed++;
      log(`FAILED ${scenario.name}: ${error?.stack ?? error}`);
      await window?.shot(`FAILED-${scenario.name}`).catch(() => {});
      await window?.recover().catch(() => {});
    }
  }
  code = failed === 0 ? 0 : 1;
  if (code === 0 && args.includes('--screenshots')) await copyReadmePictures(browser, results, join(root, 'docs', 'images'), log);
} catch (error) {
  log(String(error?.stack ?? error));
  code = 1;
} finally {
  await browser?.close().catch(() => {});
  await stopProcessGroup(server);
  writeFileSync(join(results, 'browser-console.log'), consoleLines.join('\n'));
  if (code === 0 && !args.includes('--keep')) rmSync(scratch, { recursive: true, force: true });
  else log(`kept ${scratch} (workspaces, user data)`);
  if (code !== 0) log(`see test-results/e2e/: screenshots, browser-console.log, code-server.log`);
}
log(`${code === 0 ? 'passed' : 'FAILED'} in ${elapsed()}`);
process.exit(code);

/**
 * User settings of the scratch profile. Workspace trust stays on: the trusted window answers the
 * prompt "Yes", the Restricted Mode scenario "No". Builds use Debian's docker client (the first
 * `docker` on PATH wants a buildx plugin) and no network (no bridge on these machines).
 */
function writeSettings(docker) {
  const settings = {
    'security.workspace.trust.enabled': true,
    // code-server saves about a second after each edit by default: the scenarios save themselves.
    'files.autoSave': 'off',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    // Without it `.xterm-rows` holds no text in headless chromium.
    'terminal.integrated.gpuAcceleration': 'off',
    'dockopt.build.command': docker.client,
    'dockopt.build.extraArgs': ['--network=none'],
  };
  for (const tab of ['User', 'Machine']) {
    mkdirSync(join(dirs.userData, tab), { recursive: true });
    writeFileSync(join(dirs.userData, tab, 'settings.json'), JSON.stringify(settings, null, 2));
  }
  mkdirSync(dirs.extensions, { recursive: true });
}

