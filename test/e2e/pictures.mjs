// `npm run screenshots`: the README's pictures, taken from this run's screenshots. Each is kept
// small (PNG, under MAX_BYTES): one that is larger is redrawn smaller by the same chromium.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MAX_BYTES = 150 * 1024;

/** Screenshot name (test-results/e2e/NN-name.png) → the README's file in docs/images/. */
export const README_PICTURES = {
  'quick-fix-menu': 'quick-fix.png',
  'optimize-all-preview': 'optimize-all-preview.png',
  'build-cache-tree': 'buildkit-cache-tree.png',
  'build-status-timer': 'build-status-timer.png',
};

export async function copyReadmePictures(browser, results, target, log) {
  mkdirSync(target, { recursive: true });
  const shots = readdirSync(results);
  for (const [name, file] of Object.entries(README_PICTURES)) {
    const shot = shots.find((s) => s.endsWith(`-${name}.png`));
    if (!shot) throw new Error(`no screenshot ${name} in ${results} (its scenario skipped?)`);
    const out = join(target, file);
    copyFileSync(join(results, shot), out);
    for (let scale = 0.85; statSync(out).size > MAX_BYTES && scale > 0.4; scale -= 0.15) {
      writeFileSync(out, await redraw(browser, join(results, shot), scale));
    }
    log(`docs/images/${file}: ${(statSync(out).size / 1024).toFixed(0)} KB`);
  }
}

/** The PNG drawn at `scale` of its size, as a PNG (chromium's own encoder, no image library). */
async function redraw(browser, file, scale) {
  const page = await browser.newPage();
  try {
    const data = `data:image/png;base64,${readFileSync(file).toString('base64')}`;
    await page.setContent(`<body style="margin:0"><img id="i" src="${data}"></body>`);
    const { width, height } = await page.locator('#i').evaluate((img) => ({ width: img.naturalWidth, height: img.naturalHeight }));
    const w = Math.round(width * scale);
    const h = Math.round(height * scale);
    await page.setViewportSize({ width: w, height: h });
    await page.locator('#i').evaluate((img, size) => Object.assign(img.style, { width: `${size.w}px`, height: `${size.h}px` }), { w, h });
    return await page.screenshot({ clip: { x: 0, y: 0, width: w, height: h } });
  } finally {
    await page.close();
  }
}
