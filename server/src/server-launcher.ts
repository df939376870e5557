/**
 * `dist/server.js` (the contract: `node dist/server.js --stdio`): starts the language server
 * bundle beside it, `server-main.js`. When the client names a folder for it
 * (`DOCKOPT_CODE_CACHE_DIR`: the extension's global storage), through V8's code cache
 * (code-cache.ts); else as a plain require.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { runWithCodeCache } from './code-cache';

const MAIN = path.join(__dirname, 'server-main.js');
/** Long enough for the first check to have run: its functions are then compiled, and cached. */
const WRITE_AFTER_MS = 10_000;

const cacheDir = process.env.DOCKOPT_CODE_CACHE_DIR;
if (cacheDir) runWithCodeCache(MAIN, cacheDir, WRITE_AFTER_MS);
else createRequire(MAIN)(MAIN);
