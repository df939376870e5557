// Scenario 5: a workspace the user does not trust (the trust prompt answered "No": Restricted
// Mode). "Build Service with BuildKit" is refused with an explanation and starts no docker
// process; dockopt's diagnostics still show.
import { assert } from '../assert.mjs';
import { dockerProcesses } from '../processes.mjs';
import { openFile, runCommand, SELECTORS } from '../workbench.mjs';

const FILE = 'services/admin-api/Dockerfile';

export const restrictedScenario = {
  name: 'restricted',
  title: 'Restricted Mode: builds refused with an explanation, diagnostics still work',
  async run({ openWindow, docker }) {
    const window = await openWindow('ha-ingestor-restricted', 'restrict');
    try {
      const { page, folder } = window;
      await page.locator(`${SELECTORS.statusBar} .statusbar-item`, { hasText: 'Restricted Mode' }).first().waitFor();
      await openFile(page, FILE);
      await page.locator(`${SELECTORS.activeEditor} ${SELECTORS.squiggle}`).first().waitFor();

      await runCommand(page, 'dockopt: Build Service with BuildKit');
      const refusal = page.locator(SELECTORS.notification, { hasText: 'builds are off in Restricted Mode' }).first();
      await refusal.waitFor();
      const text = (await refusal.innerText()).replace(/\s+/g, ' ');
      assert(/trust this workspace to build/.test(text), `the refusal says how to build: ${text}`);
      assert(await refusal.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).count(), `the refusal offers Manage Workspace Trust: ${text}`);
      await window.shot('restricted-refused');
      const started = dockerProcesses(docker.client, folder);
      assert(started.length === 0, `no build runs in Restricted Mode:\n${started.join('\n')}`);
      assert((await page.locator('.xterm-rows', { hasText: 'with BuildKit' }).count()) === 0, 'no terminal shows a build');
    } catch (error) {
      await window.shot('FAILED-restricted').catch(() => {});
      throw error;
    } finally {
      await window.close();
    }
  },
};
