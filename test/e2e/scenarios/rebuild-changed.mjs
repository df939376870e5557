// Scenario: "Rebuild changed services", the button Optimize All offers (issue 12, defect 3). A
// workspace of three services (api and worker have something to optimize, static has not) is
// built once with Build All; Optimize All changes api and worker (the edit unsaved in its
// editors); the button saves them and rebuilds those two only, from the optimized Dockerfiles, as
// Build All does: the progress notification with Cancel, `dockopt.build.parallel`
// services at a time, the summary, and each service's speed-up against its earlier build. Then a
// second round whose builds are slow (twenty stand-in downloads of a second each), cancelled from
// the progress notification: no build process is left and the summary says both were cancelled.
// What ran is read from `ps` (the client's `--file=…/services/NAME/Dockerfile`), sampled while
// the builds run; what the user reads, from the notifications.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert } from '../assert.mjs';
import { dockerProcesses, waitForNoDockerProcess } from '../processes.mjs';
import { CHANGED, dockerfile, PYTHON_DOCKERFILE, requirements, writeSettings, writeThreeServices } from '../three-services.mjs';
import { focusEditor, openFile, runCommand, SELECTORS } from '../workbench.mjs';

/**
 * Samples `ps` until `until()` resolves: which services had a build process, the most that ran at
 * once, and each Dockerfile's text on disk when its build was first seen (what the client read).
 */
async function watchBuilds(client, folder, until) {
  const seen = new Map();
  let most = 0;
  let done = false;
  const finished = until().finally(() => {
    done = true;
  });
  while (!done) {
    const services = runningServices(client, folder);
    most = Math.max(most, services.size);
    for (const service of services) if (!seen.has(service)) seen.set(service, readFileSync(dockerfile(folder, service), 'utf8'));
    await Promise.race([finished.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  return { result: await finished, seen, most };
}

/** A notification's message, as the user reads it (without its buttons and source). */
const text = async (toast) => (await toast.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ').trim();

export const rebuildChangedScenario = {
  name: 'rebuild-changed',
  title: 'Rebuild changed services after Optimize All: only those, as configured in parallel, a summary with the speed-up; Cancel',
  async run({ openWindow, docker, scratch, log }) {
    if (!docker.answered) return { skipped: docker.reason };
    if (!docker.ready) throw new Error(docker.reason);
    const run = Date.now().toString(36);
    const source = join(scratch, 'three-services-source');
    writeThreeServices(source, run, 1);
    const window = await openWindow('three-services', 'trust', source);
    const { page, folder } = window;
    const toast = (hasText) => page.locator(SELECTORS.notification, { hasText }).first();
    const clearNotifications = () => runCommand(page, 'Notifications: Clear All Notifications');
    try {
      // dockopt is up once its squiggles show on a Dockerfile it has something to say about.
      await openFile(page, 'services/api/Dockerfile');
      await page.locator(`${SELECTORS.activeEditor} ${SELECTORS.squiggle}`).first().waitFor();
      // The earlier builds the rebuild is compared with.
      log('rebuild-changed: Build All Services');
      await runCommand(page, 'dockopt: Build All Services');
      const built = toast('dockopt built 3 services');
      await built.waitFor({ timeout: 90_000 });
      assert(/3 succeeded/.test(await text(built)), `Build All built the three services: ${await text(built)}`);
      await clearNotifications();

      // Optimize All (preview off in the workspace settings): the summary offers the rebuild.
      log('rebuild-changed: Optimize All, then Rebuild changed services');
      await runCommand(page, 'dockopt: Optimize All Services');
      const optimized = toast('dockopt optimized 2 of 3 services');
      await optimized.waitFor();
      const rebuild = optimized.locator('.monaco-button', { hasText: 'Rebuild changed services' });
      assert((await rebuild.count()) === 1, `Optimize All offers "Rebuild changed services": ${await text(optimized)}`);
      await window.shot('rebuild-changed-offered');
      await rebuild.click();

      const progress = toast('dockopt: building 2 changed services');
      const summary = toast('dockopt built 2 services');
      const first = await watchBuilds(docker.client, folder, async () => {
        await progress.waitFor();
        assert((await progress.locator('.monaco-button', { hasText: 'Cancel' }).count()) === 1, `the progress notification has Cancel: ${await text(progress)}`);
        await window.shot('rebuild-changed-progress');
        await summary.waitFor({ timeout: 90_000 });
        return text(summary);
      });
      await window.shot('rebuild-changed-summary');
      assert([...first.seen.keys()].sort().join() === CHANGED.join(), `only the changed services were built: ${[...first.seen.keys()].join(', ')}`);
      assert(first.most === 1, `dockopt.build.parallel is 1 in the workspace: the builds ran one at a time (at most ${first.most} at once)`);
      for (const [service, dockerfileText] of first.seen) {
        assert(/COPY requirements\.txt \.\nRUN --mount=type=cache/.test(dockerfileText), `${service} was built from the optimized Dockerfile (saved before the build):\n${dockerfileText}`);
      }
      assert(/2 succeeded/.test(first.result), `the summary counts both: ${first.result}`);
      const speedup = /Since their last builds: services\/api\/Dockerfile ([^;]+\)); services\/worker\/Dockerfile ([^;]+\))\.$/.exec(first.result);
      const change = /^(\d+\.\d× (faster|slower) \(.+\)|the same time \(.+\))$/;
      assert(speedup && change.test(speedup[1]) && change.test(speedup[2]), `the summary gives each service's change since its earlier build: ${first.result}`);
      assert((await summary.locator('.monaco-button', { hasText: 'Compare Builds' }).count()) === 1, `the summary offers Compare Builds: ${first.result}`);
      await clearNotifications();

      // Back to the Dockerfiles as they were (one Undo of the whole edit), slow requirements, two
      // services at a time; Optimize All again, rebuild, and Cancel while both build.
      log('rebuild-changed: Undo, slow requirements, Optimize All, Rebuild changed services, Cancel');
      await openFile(page, 'services/api/Dockerfile');
      await focusEditor(page);
      await page.keyboard.press('Control+z');
      const confirm = page.locator(SELECTORS.dialog);
      await Promise.race([confirm.waitFor(), page.locator('.tabs-container .tab.active.dirty').waitFor()]);
      if (await confirm.isVisible()) {
        await confirm.locator('.monaco-button', { hasText: /^Undo in \d+ Files$/ }).click();
        await confirm.waitFor({ state: 'hidden' });
      }
      // The Undo reaches a file without an editor later than the one it was pressed in: open each
      // and wait until it shows the edit undone (unsaved) before saving, or Save All may run first.
      for (const service of CHANGED) {
        await openFile(page, `services/${service}/Dockerfile`);
        // Two Dockerfile tabs: each shows its folder.
        await page.locator('.tabs-container .tab.active.dirty', { hasText: service }).waitFor({ timeout: 15_000 });
      }
      await runCommand(page, 'File: Save All Files');
      for (const service of CHANGED) {
        await waitForText(dockerfile(folder, service), PYTHON_DOCKERFILE, `${service}'s Dockerfile back as it was after the Undo`);
        appendFileSync(join(folder, 'services', service, 'requirements.txt'), requirements(run, service, 20, 1));
      }
      writeSettings(folder, 2);
      // The settings file changed on disk: the window applies it (no event reaches this test, so
      // the evidence comes below: two builds at once).
      await runCommand(page, 'dockopt: Optimize All Services');
      await optimized.waitFor();
      await optimized.locator('.monaco-button', { hasText: 'Rebuild changed services' }).click();
      const cancelled = toast(/dockopt built 2 services.*cancelled/);
      const second = await watchBuilds(docker.client, folder, async () => {
        await progress.waitFor();
        // Both start at once (parallel 2), then download for twenty seconds.
        const deadline = Date.now() + 20_000;
        while (runningServices(docker.client, folder).size < 2) {
          if (Date.now() > deadline) throw new Error(`with dockopt.build.parallel 2, the two builds did not run at once: ${dockerProcesses(docker.client, folder).join('\n')}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
        await cancelled.waitFor({ timeout: 30_000 });
        return text(cancelled);
      });
      assert(second.most === 2, `two builds ran at once (${second.most})`);
      assert(/2 cancelled \(services\/api\/Dockerfile, services\/worker\/Dockerfile\)/.test(second.result), `the summary says both were cancelled: ${second.result}`);
      await waitForNoDockerProcess(docker.client, folder);
      await window.shot('rebuild-changed-cancelled');
      return { detail: `rebuilt ${[...first.seen.keys()].join(', ')}: "${first.result}"; cancelled: "${second.result}"` };
    } catch (error) {
      await window.shot('FAILED-rebuild-changed').catch(() => {});
      throw error;
    } finally {
      await window.close();
    }
  },
};

/** The services whose build process runs now (the client's `--file=…/services/NAME/Dockerfile`). */
function runningServices(client, folder) {
  const services = new Set();
  for (const line of dockerProcesses(client, folder)) {
    const match = /--file=\S*\/services\/([^/\s]+)\/Dockerfile/.exec(line);
    if (match) services.add(match[1]);
  }
  return services;
}

/** Polls a file (the editor writes it after the UI says so) until it has `want`, or fails. */
async function waitForText(file, want, what, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (readFileSync(file, 'utf8') !== want) {
    if (Date.now() > deadline) throw new Error(`${what}: on disk it is\n${readFileSync(file, 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
