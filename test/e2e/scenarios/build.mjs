// Scenario 4, with a docker daemon and the stand-in base images: "dockopt: Build Service with
// BuildKit" on a service's Dockerfile. The terminal shows BuildKit's output, the status bar a
// ticking timer and then the duration and hit ratio, the BuildKit Cache view the build with
// cached/total. A source edited in the editor and Rebuild: the view marks the miss on that COPY
// with its reason. A long build cancelled: no docker process is left behind.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert } from '../assert.mjs';
import { dockerProcesses, waitForNoDockerProcess } from '../processes.mjs';
import { focusEditor, openFile, runCommand, SELECTORS } from '../workbench.mjs';

const SERVICE = 'air-quality-service';
const DOCKERFILE = `services/${SERVICE}/Dockerfile`;
const SOURCE = `services/${SERVICE}/src/main.py`;
const REQUIREMENTS = `services/${SERVICE}/requirements-prod.txt`;
const HIT_RATIO = /\d+\/\d+ cached \(\d+%\)/;

export const buildScenario = {
  name: 'build',
  title: 'Build Service with BuildKit: terminal, BuildKit Cache view, status bar, a miss, Cancel',
  window: 'trusted',
  async run({ window, docker }) {
    if (!docker.answered) return { skipped: docker.reason };
    if (!docker.ready) throw new Error(docker.reason);
    const { page, folder } = window;
    // A requirement no earlier run had: the daemon's cache cannot serve this whole first build,
    // so it runs long enough to watch (the stand-in pip takes a second per download).
    const run = Date.now().toString(36);
    appendFileSync(join(folder, REQUIREMENTS), `dockopt-e2e-${run}==1.0\n`);

    await openFile(page, DOCKERFILE);
    await runCommand(page, 'dockopt: Build Service with BuildKit');
    const terminal = page.locator(SELECTORS.terminalRows);
    // BuildKit's plain progress while the build runs ("#5 [2/6] RUN …", "#5 0.110 …", "#5 DONE 0.2s").
    await terminal.filter({ hasText: /#\d+ (\[|DONE|CACHED|\d+\.\d+ )/ }).first().waitFor({ timeout: 60_000 });
    const status = page.locator(`${SELECTORS.statusBar} .statusbar-item`, { hasText: SERVICE });
    await status.filter({ hasText: /\b\d+:\d\d\b/ }).first().waitFor();
    await window.shot('build-status-timer', { x: 0, y: 500, width: 1280, height: 300 });
    const done = status.filter({ hasText: /\d+(\.\d+)?\s*m?s · \d+% cached/ }).first();
    await done.waitFor({ timeout: 120_000 });
    const first = await done.innerText();
    await window.shot('build-status-done', { x: 0, y: 500, width: 1280, height: 300 });

    // The BuildKit Cache view (the dockopt icon in the activity bar): the service, its hit ratio.
    await page.locator('[id="workbench.parts.activitybar"] .action-label[aria-label^="dockopt"]').first().click();
    const tree = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'BuildKit Cache' }) });
    const serviceRow = tree.locator('.monaco-list-row', { hasText: SERVICE }).first();
    await serviceRow.filter({ hasText: HIT_RATIO }).waitFor();
    // Expand the service. The view re-sorts as the workspace's services arrive: click again
    // until the row that is expanded is the service's.
    const expanded = tree.locator('.monaco-list-row[aria-expanded="true"]', { hasText: SERVICE }).first();
    for (let attempt = 0; attempt < 5 && !(await expanded.isVisible()); attempt++) {
      await serviceRow.click();
      await expanded.waitFor({ timeout: 3000 }).catch(() => {});
    }
    await tree.locator('.monaco-list-row', { hasText: 'COPY src/' }).first().waitFor();

    // Edit one source in the editor, save, Rebuild: the COPY of src/ misses, and says why.
    await openFile(page, SOURCE);
    await focusEditor(page);
    await page.keyboard.press('Control+End');
    await page.keyboard.type(`\n# changed by the e2e run ${run}\n`);
    await page.keyboard.press('Control+s');
    await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
    assert(readFileSync(join(folder, SOURCE), 'utf8').includes(run), `${SOURCE} saved with the edit`);
    await openFile(page, DOCKERFILE);
    await runCommand(page, 'dockopt: Rebuild');
    const miss = tree.locator('.monaco-list-row', { hasText: /COPY src\/.*cache miss/ }).first();
    await miss.waitFor({ timeout: 120_000 });
    await status.filter({ hasText: /% cached/ }).first().waitFor();
    const builds = await tree.locator('.monaco-list-row', { hasText: HIT_RATIO }).allInnerTexts();
    assert(builds.length >= 3, `the view lists the service and its two builds with cached/total:\n${builds.join('\n')}`);
    // The reason, in the terminal's report and in the tooltip of the marked step.
    await terminal.filter({ hasText: /Cache miss at line \d+: COPY src\// }).first().waitFor();
    const why = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Cache miss' }).first();
    // The view may re-render under the mouse as the build's record arrives: hover again then.
    for (let attempt = 0; attempt < 5 && !(await why.isVisible()); attempt++) {
      await page.mouse.move(700, 300);
      await miss.hover();
      await why.waitFor({ timeout: 3000 }).catch(() => {});
    }
    assert(await why.isVisible(), 'hovering the step marked as the miss shows its tooltip');
    const reason = (await why.innerText()).replace(/\s+/g, ' ');
    assert(reason.includes('main.py'), `the miss names the changed file: ${reason}`);
    // The view, the tooltip and the Dockerfile's line-end marks (the README's picture: no terminal).
    await window.shot('build-cache-tree', { x: 0, y: 0, width: 1000, height: 500 });
    await page.mouse.move(700, 300);

    // Cancel a long build (new requirements: the stand-in pip downloads each for a second).
    appendFileSync(join(folder, REQUIREMENTS), Array.from({ length: 20 }, (_, i) => `dockopt-e2e-${run}-${i}==1.0\n`).join(''));
    await runCommand(page, 'dockopt: Rebuild');
    await terminal.filter({ hasText: `Downloading dockopt-e2e-${run}-0` }).first().waitFor({ timeout: 60_000 });
    const running = dockerProcesses(docker.client, folder);
    assert(running.length > 0, 'a docker build process runs while the build is in progress');
    await runCommand(page, 'dockopt: Cancel Build');
    await status.filter({ hasText: /cancelled/ }).first().waitFor();
    await window.shot('build-cancelled');
    await waitForNoDockerProcess(docker.client, folder);
    return { detail: `status bar after the first build: "${first}"` };
  },
};
