// One workbench window on a fresh copy of examples/ha-ingestor (or of another folder), in a browser context of its own
// (1280×800, the size of the README's pictures), with the workspace-trust prompt answered.
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { answerDialog, waitForWorkbench } from './workbench.mjs';

const TRUST_ANSWERS = { trust: 'Yes, I trust the authors', restrict: "No, I don't trust the authors" };
let shots = 0;

export async function openWindow(env, name, trust, source = join(env.root, 'examples', 'ha-ingestor')) {
  const { browser, port, scratch, results, consoleLines, log } = env;
  const folder = join(scratch, name);
  if (existsSync(folder)) throw new Error(`${folder} exists: each window gets a fresh copy`);
  cpSync(source, folder, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('console', (message) => consoleLines.push(`[${name}] [${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`[${name}] [pageerror] ${error.message}`));
  // Generous: a loaded 2-core machine can take longer than the default 30 s to serve the workbench.
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`, { timeout: 90_000 });
  await answerDialog(page, TRUST_ANSWERS[trust]);
  await waitForWorkbench(page);
  log(`window on ${folder} (${trust === 'trust' ? 'trusted' : 'Restricted Mode'})`);
  return {
    page,
    folder,
    /** Saves test-results/e2e/NN-name.png (the viewport, or `clip`). */
    async shot(shotName, clip) {
      const file = join(results, `${String(++shots).padStart(2, '0')}-${shotName}.png`);
      await page.screenshot({ path: file, ...(clip ? { clip } : {}) });
      return file;
    },
    /** After a failed scenario: close menus, widgets and dialogs, so the next one starts clean. */
    async recover() {
      for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
    },
    close: () => context.close(),
  };
}
