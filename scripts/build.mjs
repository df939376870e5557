// Bundles the extension, the language server, the CLI and the context-scan worker into dist/ with esbuild.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

// `--minify` for the .vsix: smaller downloads. Identifiers are not renamed, so the stack traces
// users send us keep their function names without esbuild's keepNames, whose `__name(fn, …)` call
// on every closure the engine creates cost about a fifth of a check's time (docs/benchmarks.md).
const minify = process.argv.includes('--minify');
// `--outdir <dir>`: another folder than dist/ (the start-up bench measures the shipped, minified
// bundles there without replacing the ones the tests run).
const outdirAt = process.argv.indexOf('--outdir');
const outdir = outdirAt >= 0 ? process.argv[outdirAt + 1] : 'dist';
if (!outdir) throw new Error('build.mjs: --outdir needs a folder');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !minify,
  minifyWhitespace: minify,
  minifySyntax: minify,
  logLevel: 'warning',
  // Some dependencies ship ESM that asks for import.meta.url; a CommonJS bundle has __filename.
  define: { 'import.meta.url': 'importMetaUrl' },
  // jsonc-parser's main entry is UMD, whose inner requires esbuild cannot follow: bundle its ESM build.
  // vscode-languageserver-types: its CommonJS build, which dockerfile-ast requires. Given the ESM
  // build, esbuild hands each require() a namespace of getters, and the parser's every
  // `Range.create` went through one: a fifth of the parse (docs/benchmarks.md).
  alias: {
    'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js',
    'vscode-languageserver-types': './node_modules/vscode-languageserver-types/lib/umd/main.js',
  },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  // Named only where the scan worker runs from source under tsx (tests), never in a bundle.
  external: ['tsx'],
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: `${outdir}/extension.js`, external: [...common.external, 'vscode'] }),
  // dist/server.js is the launcher (the contract: `node dist/server.js --stdio`); it runs
  // server-main.js, through V8's code cache when the client gives it a folder for one.
  build({ ...common, entryPoints: ['server/src/server-launcher.ts'], outfile: `${outdir}/server.js` }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: `${outdir}/server-main.js` }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: `${outdir}/cli.js`, banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } }),
  // The worker thread server.js and cli.js start from the file beside them (context-scan.ts, scanWorkerEntry).
  build({ ...common, entryPoints: ['server/src/workspace/context-scan-worker.ts'], outfile: `${outdir}/context-scan-worker.js` }),
]);
chmodSync(`${outdir}/cli.js`, 0o755);
