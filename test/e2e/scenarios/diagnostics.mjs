// Scenario 1: open a service's Dockerfile. Squiggles appear; the Problems panel lists dockopt's
// findings of that file with their rule ids (the ones `dockopt check` reports for it); hovering
// the pip RUN shows the finding's message and the link to its rule's docs. Typing in the middle
// of the file (each keystroke a version parsed from the last one) takes the pip findings away,
// and undoing it brings them back.
import { cliFindings } from '../findings.mjs';
import { focusEditor, goToLine, openFile, SELECTORS } from '../workbench.mjs';
import { assert } from '../assert.mjs';

const FILE = 'services/admin-api/Dockerfile';

export const diagnosticsScenario = {
  name: 'diagnostics',
  title: 'squiggles, the Problems panel and hovers in a Dockerfile',
  window: 'trusted',
  async run({ window, cli }) {
    const { page, folder } = window;
    const expected = cliFindings(cli, folder, FILE);
    const ids = [...new Set(expected.map((f) => f.code))].sort();
    assert(ids.includes('pip-cache-mount'), `dockopt check reports pip-cache-mount in ${FILE} (got ${ids.join(', ')})`);

    await openFile(page, FILE);
    await page.locator(`${SELECTORS.activeEditor} ${SELECTORS.squiggle}`).first().waitFor();
    await window.shot('diagnostics-squiggles');

    // Problems panel (View > Problems): a row per finding, with the source and the rule id.
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    await panel.waitFor();
    for (const id of ids) await panel.locator('.monaco-list-row', { hasText: id }).first().waitFor();
    const rows = await panel.locator('.monaco-list-row').allInnerTexts();
    const listed = rows.join('\n');
    assert(/dockopt/.test(listed), `the Problems rows name dockopt as the source:\n${listed}`);
    await window.shot('diagnostics-problems');

    // Hover the squiggle on the pip RUN: the message and the rule's docs link.
    const pip = expected.find((f) => f.code === 'pip-cache-mount');
    const line = await page.locator(`${SELECTORS.activeEditor} .view-line`, { hasText: 'pip install' }).first().boundingBox();
    assert(line, 'the pip RUN line is on screen');
    const squiggles = await page.locator(`${SELECTORS.activeEditor} ${SELECTORS.squiggle}`).all();
    const boxes = (await Promise.all(squiggles.map((s) => s.boundingBox()))).filter(Boolean);
    const onLine = boxes.find((b) => Math.abs(b.y - line.y) < line.height / 2);
    assert(onLine, 'a squiggle marks the pip RUN');
    await page.mouse.move(onLine.x + onLine.width / 2, onLine.y + onLine.height / 2);
    const hover = page.locator(SELECTORS.hover, { hasText: 'pip-cache-mount' }).first();
    await hover.waitFor();
    await window.shot('diagnostics-hover');
    const text = (await hover.innerText()).replace(/\s+/g, ' ');
    assert(text.includes(pip.message.replace(/\s+/g, ' ')), `the hover shows the message "${pip.message}"; it shows: ${text}`);
    const link = hover.locator('a', { hasText: 'pip-cache-mount' }).first();
    const href = await link.evaluate((a) => a.getAttribute('data-href') ?? a.getAttribute('href') ?? a.title);
    // The packaged docs page (through a command of the extension) or the page on the web.
    assert(/docs\/rules\/pip-cache-mount\.md\b/.test(href ?? ''), `the rule id links to its docs page (got ${href})`);
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');

    // `RUN pip install …` becomes `RUN pipx install …`, typed mid-file without a new line: the
    // server re-parses only that RUN (and the instruction before it) and re-checks; pip is gone.
    const pipLine = expected.filter((f) => f.code === 'pip-cache-mount')[0].range.start.line + 1;
    const pipRows = panel.locator('.monaco-list-row', { hasText: 'pip-cache-mount' });
    await focusEditor(page);
    await goToLine(page, pipLine, 'RUN pip'.length + 1);
    await page.keyboard.type('x');
    await pipRows.first().waitFor({ state: 'detached' });
    await window.shot('diagnostics-typed');
    await page.keyboard.press('Control+z');
    await pipRows.first().waitFor();
    assert((await pipRows.count()) === expected.filter((f) => f.code === 'pip-cache-mount').length, 'undoing the keystroke brings back every pip-cache-mount row');
  },
};
