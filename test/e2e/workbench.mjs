// What a user does in code-server's workbench, as playwright steps: open a file, run a command
// from the palette, go to a line, answer a dialog. Each waits on what the UI shows (selectors,
// texts), never on a fixed delay. Selectors are VS Code 1.100's (code-server 4.100.3).

export const SELECTORS = {
  workbench: '.monaco-workbench',
  quickInput: '.quick-input-widget',
  quickInputRow: '.quick-input-widget .monaco-list-row',
  activeEditor: '.editor-group-container.active .monaco-editor',
  squiggle: '.view-overlays .cdr.squiggly-warning, .view-overlays .cdr.squiggly-error',
  hover: '.monaco-hover:not(.hidden)',
  actionWidget: '.action-widget',
  actionItem: '.action-widget .monaco-list-row.action',
  dialog: '.monaco-dialog-box',
  statusBar: '[id="workbench.parts.statusbar"]',
  terminalRows: '.terminal-wrapper.active .xterm-rows, .xterm-rows',
  notification: '.notifications-toasts .notification-toast',
};

/** Waits for the workbench and its explorer to show the folder. */
export async function waitForWorkbench(page, folderName) {
  await page.waitForSelector(SELECTORS.workbench, { timeout: 90_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
  if (folderName) await page.locator(`.explorer-viewlet .pane-header:has-text("${folderName.toUpperCase()}")`).first().waitFor({ timeout: 30_000 }).catch(() => {});
}

/** The command palette with `text` typed (F1: the browser may keep Ctrl+Shift+P). */
async function openQuickInput(page, text) {
  await page.keyboard.press('F1');
  const input = page.locator(`${SELECTORS.quickInput} input`);
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  return input;
}

/** Runs a command by its palette label ("dockopt: Optimize All Services"). */
export async function runCommand(page, label) {
  await openQuickInput(page, `>${label}`);
  const rows = page.locator(SELECTORS.quickInputRow);
  await rows.filter({ hasText: label }).first().waitFor({ state: 'visible' });
  // The row whose label is exactly the command's, not one that merely contains it.
  const texts = await rows.allInnerTexts();
  const index = texts.findIndex((text) => text.trim().split('\n')[0].trim() === label);
  if (index < 0) throw new Error(`the command palette has no "${label}"; it lists:\n${texts.join('\n')}`);
  await rows.nth(index).click();
  await page.locator(SELECTORS.quickInput).waitFor({ state: 'hidden' });
}

/** Clicks into the active editor's text, so that keys go to it. */
export async function focusEditor(page) {
  // `force`: the editor re-lays out as code lenses and decorations arrive; any point of it will do.
  await page.locator(`${SELECTORS.activeEditor} .view-lines`).click({ force: true, position: { x: 200, y: 10 } });
}

/** Quick Open by path relative to the folder; waits for the editor tab. */
export async function openFile(page, relPath) {
  await openQuickInput(page, relPath);
  const name = relPath.split('/').pop();
  const row = page.locator(SELECTORS.quickInputRow, { hasText: name }).first();
  await row.waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).waitFor();
  await page.locator(SELECTORS.activeEditor).waitFor();
}

/** Ctrl+G in the focused editor: cursor to a 1-based line (and column). */
export async function goToLine(page, line, column = 1) {
  await page.keyboard.press('Control+g');
  const input = page.locator(`${SELECTORS.quickInput} input`);
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator(`${SELECTORS.activeEditor} .line-numbers.active-line-number:text-is("${line}")`).waitFor();
}

/** Clicks a button of the modal dialog (trust prompt, multi-file undo) by its text. */
export async function answerDialog(page, buttonText) {
  const dialog = page.locator(SELECTORS.dialog);
  await dialog.waitFor({ state: 'visible' });
  await dialog.locator('a.monaco-button, button', { hasText: buttonText }).first().click();
  await dialog.waitFor({ state: 'hidden' });
}

/** The rendered text of the active editor's visible lines (short files: all of them). */
export async function visibleEditorText(page) {
  return page.evaluate((selector) => {
    const lines = [...document.querySelectorAll(`${selector} .view-lines .view-line`)];
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n');
  }, SELECTORS.activeEditor);
}

/** The status bar's text, item by item. */
export async function statusBarItems(page) {
  return page.locator(`${SELECTORS.statusBar} .statusbar-item`).allInnerTexts();
}

/**
 * Waits until `differing()` (files on disk that are not yet as expected) is empty: the editor
 * writes them after the UI says so. Fails with the files still different after `ms`. `retry`, if
 * given, runs every `retryMs` while some file differs (say, Save All once more).
 */
export async function waitForDisk(differing, what, ms = 30_000, { retry, retryMs = 2_000 } = {}) {
  const deadline = Date.now() + ms;
  let left = differing();
  let nextRetry = Date.now() + retryMs;
  while (left.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = differing();
    if (left.length && retry && Date.now() >= nextRetry) {
      await retry();
      nextRetry = Date.now() + retryMs;
    }
  }
  if (left.length) throw new Error(`on disk, not ${what} after ${ms / 1000} s: ${left.join(', ')}`);
}
