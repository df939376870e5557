// Scenario 3: command palette → "dockopt: Optimize All Services". The refactor preview opens;
// Apply, then File: Save All Files: every Dockerfile and .dockerignore is as `dockopt fix` makes it
// on a copy of the folder as it was just before; one Undo (and Save All) brings all of it back.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { assert } from '../assert.mjs';
import { cliFixedCopy, differences, dockerFiles, snapshot } from '../findings.mjs';
import { focusEditor, runCommand, SELECTORS, waitForDisk } from '../workbench.mjs';

export const optimizeAllScenario = {
  name: 'optimize-all',
  title: 'Optimize All Services through the refactor preview, then one Undo',
  window: 'trusted',
  async run({ window, cli, scratch }) {
    const { page, folder } = window;
    const before = join(scratch, 'before-optimize-all');
    cpSync(folder, before, { recursive: true });
    const expectedRoot = cliFixedCopy(cli, before, join(scratch, 'dockopt-fix'));
    const files = [...new Set([...dockerFiles(before), ...dockerFiles(expectedRoot)])].sort();
    const original = snapshot(before, files);
    const expected = snapshot(expectedRoot, files);
    const changed = differences(original, expected);
    assert(changed.length >= 10, `dockopt fix changes most of the example's files (got ${changed.join(', ')})`);

    await runCommand(page, 'dockopt: Optimize All Services');
    // The refactor preview: its tree lists the files; Apply applies the checked changes.
    const apply = page.locator('.monaco-button', { hasText: /^Apply$/ }).first();
    await apply.waitFor();
    await page.locator('.monaco-list-row', { hasText: '.dockerignore' }).first().waitFor();
    await window.shot('optimize-all-preview');
    await apply.click();
    // Applied: the command says what it changed (the edits are in the editors, unsaved).
    const summary = page.locator(SELECTORS.notification, { hasText: 'dockopt optimized' }).first();
    await summary.waitFor();
    await runCommand(page, 'File: Save All Files');
    await waitForDisk(() => differences(snapshot(folder, files), expected), 'the files as `dockopt fix` makes them');
    await window.shot('optimize-all-applied');
    await runCommand(page, 'Notifications: Clear All Notifications');

    // One Undo from an editor reverts the whole edit (VS Code may first ask whether to undo it
    // in every file it touched: then the answer is yes).
    await focusEditor(page);
    await page.keyboard.press('Control+z');
    const confirm = page.locator(SELECTORS.dialog);
    await Promise.race([confirm.waitFor(), page.locator('.tabs-container .tab.active.dirty').waitFor()]);
    if (await confirm.isVisible()) {
      await window.shot('optimize-all-undo');
      await confirm.locator('.monaco-button', { hasText: /^Undo in \d+ Files$/ }).click();
      await confirm.waitFor({ state: 'hidden' });
    }
    // The Undo reaches files without an editor later than the one it was pressed in: while some
    // file is not back on disk, save all again (it may have been undone after the last save).
    const saveAll = () => runCommand(page, 'File: Save All Files');
    await saveAll();
    await waitForDisk(() => differences(snapshot(folder, files), original), 'every file back as it was before', 30_000, { retry: saveAll });
    rmSync(before, { recursive: true, force: true });
    rmSync(expectedRoot, { recursive: true, force: true });
  },
};
