// Scenario: the BuildKit Cache view in Restricted Mode (issue 12, defect 7), the same every time:
// its welcome text says why builds are off and offers Manage Workspace Trust, and it lists no
// service ("not built yet" with nothing to say why) — when the window first loads, once the
// language server has read the workspace (squiggles show), and after a reload of the window.
// Optimize All there offers no "Rebuild changed services" (defect 3: a build could not run).
// The workspace: the three services of ../three-services.mjs (small, so Optimize All is quick).
import { join } from 'node:path';
import { assert } from '../assert.mjs';
import { writeThreeServices } from '../three-services.mjs';
import { openFile, runCommand, SELECTORS } from '../workbench.mjs';

const FILE = 'services/api/Dockerfile';
const WELCOME = 'Builds are off in Restricted Mode';

/** The BuildKit Cache pane of dockopt's view container, opened from the activity bar if it is not showing. */
async function cacheView(page) {
  const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'BuildKit Cache' }) });
  // A click on the active container's icon would close the side bar: click only when it is not showing.
  if (!(await pane.isVisible())) await page.locator('[id="workbench.parts.activitybar"] .action-label[aria-label^="dockopt"]').first().click();
  await pane.waitFor();
  return pane;
}

/** The view shows the Restricted Mode welcome with its button, and no row at all. */
async function expectRestrictedWelcome(page, when) {
  const pane = await cacheView(page);
  const welcome = pane.locator('.welcome-view-content', { hasText: WELCOME });
  await welcome.waitFor();
  assert((await welcome.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).count()) === 1, `${when}: the welcome offers Manage Workspace Trust`);
  const rows = await pane.locator('.monaco-list-row').allInnerTexts();
  assert(rows.length === 0, `${when}: the view lists nothing in Restricted Mode, yet shows:\n${rows.join('\n')}`);
}

/** Waits for dockopt's squiggles on FILE: the language server has read the workspace (and listed its services). */
async function serverHasRead(page) {
  await openFile(page, FILE);
  await page.locator(`${SELECTORS.activeEditor} ${SELECTORS.squiggle}`).first().waitFor();
}

export const restrictedTreeScenario = {
  name: 'restricted-tree',
  title: 'Restricted Mode: the BuildKit Cache view explains itself on first load and after a reload; no rebuild offered',
  async run({ openWindow, scratch }) {
    const source = join(scratch, 'restricted-tree-source');
    writeThreeServices(source, Date.now().toString(36), 1);
    const window = await openWindow('three-services-restricted', 'restrict', source);
    const { page, folder } = window;
    const restricted = page.locator(`${SELECTORS.statusBar} .statusbar-item`, { hasText: 'Restricted Mode' }).first();
    try {
      await restricted.waitFor();
      // First load: the view as soon as the window is up, then once the server has read the workspace.
      await expectRestrictedWelcome(page, 'first load');
      await serverHasRead(page);
      await expectRestrictedWelcome(page, 'first load, after the language server read the workspace');
      await window.shot('restricted-tree-first-load');

      // A reload of the window (Restricted Mode is remembered; answer again if it asks).
      // (The side bar comes back with dockopt's view, not the explorer that waitForWorkbench waits on.)
      await page.reload();
      await page.waitForSelector(SELECTORS.workbench, { timeout: 90_000 });
      await restricted.waitFor({ timeout: 60_000 });
      const dialog = page.locator(SELECTORS.dialog);
      if (await dialog.isVisible()) {
        await dialog.locator('a.monaco-button, button', { hasText: "No, I don't trust the authors" }).first().click();
        await dialog.waitFor({ state: 'hidden' });
      }
      await expectRestrictedWelcome(page, 'after a reload');
      await serverHasRead(page);
      await expectRestrictedWelcome(page, 'after a reload, once the language server read the workspace');
      await window.shot('restricted-tree-reloaded');

      // Optimize All in Restricted Mode (always through the preview): its summary offers no rebuild.
      await runCommand(page, 'dockopt: Optimize All Services');
      const apply = page.locator('.monaco-button', { hasText: /^Apply$/ }).first();
      await apply.waitFor();
      // Apply once the refactor preview lists the changes (as the optimize-all scenario does).
      await page.locator('.bulk-edit-panel .monaco-list-row', { hasText: 'Dockerfile' }).first().waitFor();
      await apply.click();
      const summary = page.locator(SELECTORS.notification, { hasText: /dockopt optimized|dockopt: no changes were applied/ }).first();
      await summary.waitFor({ timeout: 60_000 });
      const said = (await summary.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ');
      assert(said.startsWith('dockopt optimized'), `Optimize All applied its edit: ${said}`);
      const buttons = await summary.locator('.monaco-button').allInnerTexts();
      assert(!buttons.includes('Rebuild changed services'), `no rebuild is offered in Restricted Mode: ${buttons.join(', ')}`);
      await window.shot('restricted-optimize-all');
      return { detail: `the welcome text every time in ${folder}` };
    } catch (error) {
      await window.shot('FAILED-restricted-tree').catch(() => {});
      throw error;
    } finally {
      await window.close();
    }
  },
};
