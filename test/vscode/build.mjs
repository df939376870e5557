// Bundles the extension-host suite (test/vscode/index.ts and what it imports, mocha included)
// into dist/test/vscode/index.js, the `extensionTestsPath` VS Code loads.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SUITE_BUNDLE = join(root, 'dist', 'test', 'vscode', 'index.js');

export async function buildSuite() {
  await build({
    absWorkingDir: root,
    entryPoints: ['test/vscode/index.ts'],
    outfile: SUITE_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    // mocha's parallel mode (never used here) resolves its worker files by path at run time.
    logOverride: { 'require-resolve-not-external': 'silent' },
    external: ['vscode'],
    // mocha's ESM files ask for import.meta.url; a CommonJS bundle has __filename.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  });
  return SUITE_BUNDLE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await buildSuite());
