// Scenario 2: cursor on the pip RUN, Ctrl+. : the menu offers the cache-mount fix; accepting it
// leaves exactly the expected text (only that line changes; the file saved with Ctrl+S).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert } from '../assert.mjs';
import { goToLine, openFile, SELECTORS } from '../workbench.mjs';

const FILE = 'services/air-quality-service/Dockerfile';
const BEFORE = 'RUN pip install --no-cache-dir --user -r requirements-prod.txt';
// The fix mounts pip's cache and drops --no-cache-dir (which would leave the mount empty).
const AFTER = 'RUN --mount=type=cache,target=/root/.cache/pip pip install --user -r requirements-prod.txt';

export const quickFixScenario = {
  name: 'quick-fix',
  title: 'Ctrl+. on the pip RUN offers the cache-mount fix',
  window: 'trusted',
  async run({ window }) {
    const { page, folder } = window;
    const path = join(folder, FILE);
    const original = readFileSync(path, 'utf8');
    const lines = original.split('\n');
    const index = lines.indexOf(BEFORE);
    assert(index >= 0, `${FILE} has the line "${BEFORE}"`);
    const expected = [...lines.slice(0, index), AFTER, ...lines.slice(index + 1)].join('\n');

    await openFile(page, FILE);
    await page.locator(`${SELECTORS.activeEditor} ${SELECTORS.squiggle}`).first().waitFor();
    // The cursor on `pip`, where the finding is (a quick fix is offered where its finding is).
    await goToLine(page, index + 1, BEFORE.indexOf('pip') + 1);
    const fix = page.locator(SELECTORS.actionItem, { hasText: /pip cache mount/i }).first();
    // Asked before the editor has the server's code actions for the line, the menu says there
    // are none: close it and ask again, as a user would.
    for (let attempt = 0; attempt < 5 && !(await fix.isVisible()); attempt++) {
      if (attempt > 0) await page.keyboard.press('Escape');
      await page.keyboard.press('Control+.');
      await fix.waitFor({ timeout: 4000 }).catch(() => {});
    }
    await fix.waitFor({ timeout: 1000 });
    const offered = await page.locator(SELECTORS.actionItem).allInnerTexts();
    await window.shot('quick-fix-menu');
    // The keyboard, as with Ctrl+.: down to the fix, Enter.
    for (let i = 0; i < offered.length && !(await fix.evaluate((row) => row.classList.contains('focused'))); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator(`${SELECTORS.activeEditor} .view-line`, { hasText: '--mount=type=cache' }).first().waitFor();
    await page.keyboard.press('Control+s');
    await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
    const saved = readFileSync(path, 'utf8');
    assert(saved === expected, `after the fix ${FILE} reads:\n${saved}\nexpected:\n${expected}\n(menu offered: ${offered.join(' | ')})`);
    await window.shot('quick-fix-applied');
  },
};
