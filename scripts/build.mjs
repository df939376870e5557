// Bundles the extension, the language server and the CLI into dist/ with esbuild.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const watch = process.argv.includes('--watch');
// `--minify` for the .vsix: smaller downloads; names stay readable (keepNames) in stack traces.
const minify = process.argv.includes('--minify');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !minify,
  minify,
  logLevel: 'warning',
  // Keep function names readable in stack traces users send us.
  keepNames: true,
  // Some dependencies ship ESM that asks for import.meta.url; a CommonJS bundle has __filename.
  define: { 'import.meta.url': 'importMetaUrl' },
  // jsonc-parser's main entry is UMD, whose inner requires esbuild cannot follow: bundle its ESM build.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } }),
]);
chmodSync('dist/cli.js', 0o755);
if (watch) console.error('dockopt: --watch is not supported; run `npm run build` again.');
