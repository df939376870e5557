// `npm run package`: builds the bundles, then packs the .vsix with @vscode/vsce (dependencies are
// bundled by esbuild, so none are packed) and prints its size. Extra arguments go to vsce,
// e.g. `npm run package -- --out dist/dockopt.vsix`.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ensureDependencies, run } from './ensure-deps.mjs';

ensureDependencies();
if (run('node', ['scripts/build.mjs', '--minify']) !== 0) process.exit(1);

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const extra = process.argv.slice(2);
const outIndex = extra.indexOf('--out');
const out = outIndex >= 0 ? extra[outIndex + 1] : `${name}-${version}.vsix`;
const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
const args = [vsce, 'package', '--no-dependencies', ...(outIndex >= 0 ? extra : [...extra, '--out', out])];
const status = run(process.execPath, args);
if (status !== 0) process.exit(status);

const bytes = statSync(out).size;
console.log(`dockopt: ${out} is ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes).`);
