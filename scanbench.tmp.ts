import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextScanner } from './server/src/workspace/context-scan';
const root = '/tmp/scanbench';
if (!fs.existsSync(root)) {
  for (let d = 0; d < 1000; d++) {
    const dir = path.join(root, `d${d % 20}`, `sub${d}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 101; f++) fs.writeFileSync(path.join(dir, `f${f}.txt`), 'x');
  }
}
(async () => {
  const s = new ContextScanner();
  let maxLag = 0; let last = performance.now();
  const timer = setInterval(() => { const now = performance.now(); maxLag = Math.max(maxLag, now - last - 5); last = now; }, 5);
  const t = performance.now();
  const scan = await s.ensure(root);
  console.log('scan', (performance.now() - t).toFixed(0), 'ms', scan.files.length, scan.truncated, 'max event-loop lag', maxLag.toFixed(0), 'ms');
  fs.writeFileSync(path.join(root, 'd0/sub0/new.txt'), 'yy');
  s.invalidatePath(path.join(root, 'd0/sub0/new.txt'));
  const t2 = performance.now();
  const s2 = await s.ensure(root);
  console.log('incremental', (performance.now() - t2).toFixed(0), 'ms', s2.files.length);
  fs.rmSync(path.join(root, 'd0/sub0/new.txt'));
  clearInterval(timer);
})();
