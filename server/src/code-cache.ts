/**
 * Runs a CommonJS bundle through V8's code cache kept in a folder: the language server's start
 * (server-launcher.ts). Loading and compiling the 1.4 MB server bundle is most of its start-up;
 * with the functions the previous start compiled taken from the cache, a start is about a fifth
 * shorter (docs/benchmarks.md, "Start-up").
 *
 * The cache is only an optimization: a missing, stale or damaged cache file (V8 rejects it) is
 * written again, and no failure to read or write one stops the bundle. Its name carries a hash of
 * the bundle's text and of the runtime, because V8 itself only checks the source's length. The
 * folder must belong to the user: V8 trusts what it deserializes, so a cache never goes to a
 * shared place such as /tmp.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire, Module } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

export type CacheUse = 'used' | 'rejected' | 'none';

/**
 * Runs `file` as a module (its `__dirname` is its folder, as when it is required) compiled with the
 * cache in `cacheDir`, and writes the cache `writeAfterMs` later when there was none or V8 rejected
 * it: by then the functions the bundle ran are compiled, and go into the cache with it.
 */
export function runWithCodeCache(file: string, cacheDir: string, writeAfterMs: number): CacheUse {
  const bytes = fs.readFileSync(file);
  const source = sourceText(bytes);
  const cacheFile = path.join(cacheDir, `${path.basename(file, '.js')}-${cacheKey(bytes)}.v8`);
  const cachedData = readIfPresent(cacheFile);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const use: CacheUse = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  const module = new Module(file);
  module.filename = file;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  if (use !== 'used') setTimeout(() => writeCache(cacheFile, script), writeAfterMs).unref();
  return use;
}

/**
 * The bundle's text. An ASCII file (esbuild escapes what is not, outside comments; the minified
 * bundle is ASCII) is decoded byte for byte into a one-byte string; a file with other characters
 * is UTF-8, which a single one of them makes a two-byte string of the whole 1.4 MB, decoded in
 * about 5 ms instead of 1 (docs/benchmarks.md, "Start-up"). The key hashes the same bytes.
 */
function sourceText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

function cacheKey(bytes: Buffer): string {
  return createHash('sha256').update(bytes).update(`\0${process.version}\0${process.arch}\0${process.versions.v8}`).digest('hex').slice(0, 20);
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the cache through a temporary file (a concurrent start never reads half of one) and removes the bundle's older caches. */
function writeCache(cacheFile: string, script: vm.Script): void {
  const dir = path.dirname(cacheFile);
  const prefix = `${path.basename(cacheFile).replace(/-[0-9a-f]+\.v8$/, '')}-`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, cacheFile);
    for (const name of fs.readdirSync(dir)) {
      const other = path.join(dir, name);
      if (name.startsWith(prefix) && /-[0-9a-f]+\.v8$/.test(name) && other !== cacheFile) fs.rmSync(other, { force: true });
    }
  } catch {
    // A cache that cannot be written only makes the next start as slow as this one.
  }
}
