/**
 * Hashes of the files each COPY/ADD takes from the build context, so a rebuild can say
 * which files changed since the last one. The context is what BuildKit receives: files a
 * .dockerignore excludes are left out (`<Dockerfile>.dockerignore` beside the Dockerfile
 * wins over `<context>/.dockerignore`, as BuildKit reads them).
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fdir } from 'fdir';
import { compileCopyGlob } from '../../shared/src/dockerfile/copy-globs';
import { compileIgnore } from '../../shared/src/dockerignore/ignore-matcher';
import type { DockerfileInstruction } from './dockerfile-steps';
import { ignoreFileCandidates } from '../../shared/src/dockerignore/ignore-file-choice';
import { readTextFile } from '../../shared/src/files/safe-read';

export interface SourceDigest {
  /** One hash over the paths and contents of all the files the instruction copies. */
  hash: string;
  fileCount: number;
  /** path → content hash (short), kept when there are few enough files to name changes. */
  files: Record<string, string> | null;
}

export interface IgnoreFileChoice {
  path: string;
  kind: 'dockerfile-specific' | 'context-root';
  exists: boolean;
}

/** Beyond this many files an instruction keeps only its overall hash. */
const MAX_NAMED_FILES = 2000;
const READ_CONCURRENCY = 16;

export function ignoreFileFor(dockerfile: string, contextDir: string): IgnoreFileChoice {
  const [specific, root] = ignoreFileCandidates(dockerfile, contextDir);
  if (fs.existsSync(specific.path)) return { ...specific, exists: true };
  return { ...root, exists: fs.existsSync(root.path) };
}

/**
 * Context-relative source patterns of a COPY or ADD (its words as the engine reads them); null
 * when it does not read the context (`--from=…`, heredocs, URLs) or when a variable makes its
 * sources unknown here.
 */
export function copySourcePatterns(instruction: Pick<DockerfileInstruction, 'copy'>): string[] | null {
  const copy = instruction.copy;
  if (!copy || copy.from !== undefined || copy.flags.some((flag) => flag.name === 'from')) return null;
  if (copy.heredoc || copy.badExecForm || copy.words.length < 2) return null;
  const sources = copy.words.slice(0, -1);
  if (sources.some((s) => s.includes('$') || s.startsWith('<<'))) return null;
  const local = sources.filter((s) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && !/^git@/.test(s));
  return local.length ? local : null;
}

/** Files of the context BuildKit would receive, relative, with forward slashes, sorted. */
export async function listContextFiles(contextDir: string, ignoreFile: IgnoreFileChoice): Promise<string[]> {
  const read = ignoreFile.exists ? await readTextFile(ignoreFile.path, [path.dirname(ignoreFile.path), contextDir]) : undefined;
  const text = read?.kind === 'text' ? read.text : '';
  const matcher = compileIgnore(text);
  // With `!` exceptions an ignored directory may hold files that are back in: walk it anyway.
  const canPrune = !matcher.rules.some((rule) => rule.exception);
  const crawler = new fdir()
    .withRelativePaths()
    .exclude((_name, dirPath) => {
      if (!canPrune) return false;
      const rel = path.relative(contextDir, dirPath).split(path.sep).join('/');
      return rel !== '' && matcher.ignores(rel);
    })
    .crawl(contextDir);
  const all = ((await crawler.withPromise()) as string[]).map((p) => p.split(path.sep).join('/')).sort();
  // One pass per rule over the sorted list: siblings share their directory's answer.
  const ignored = matcher.ignoresAll(all);
  return all.filter((_p, i) => ignored[i] === 0);
}

/** Files a source pattern copies: the file itself, or everything under a matched directory. */
export function filesForPattern(pattern: string, files: readonly string[]): string[] {
  let p = path.posix.normalize(pattern.replace(/^\/+/, ''));
  if (p.endsWith('/')) p = p.slice(0, -1);
  if (p === '.' || p === '') return [...files];
  if (!/[*?[]/.test(p)) return files.filter((f) => f === p || f.startsWith(p + '/'));
  // The engine's COPY-glob matcher: a pattern BuildKit rejects (`[-a]`, an unclosed `[`) copies nothing.
  const glob = compileCopyGlob(p);
  return glob ? files.filter((f) => glob.testPathOrParent(f)) : [];
}

/**
 * A context file's digest. Links are hashed by their text (BuildKit sends links as links), and
 * only regular files are read, in chunks: a FIFO must not block the build's report, nor a
 * device or a huge file fill the memory.
 */
async function hashFile(abs: string): Promise<string> {
  const hash = createHash('sha256');
  const link = await fsp.lstat(abs).catch(() => undefined);
  if (!link) hash.update('missing');
  else if (link.isSymbolicLink()) hash.update('link:' + (await fsp.readlink(abs).catch(() => 'missing')));
  else if (!link.isFile()) hash.update(`special:${link.mode}`);
  else {
    const handle = await fsp.open(abs, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0)).catch(() => undefined);
    if (!handle) hash.update('unreadable');
    else {
      try {
        const stat = await handle.stat();
        if (!stat.isFile()) hash.update(`special:${stat.mode}`);
        else {
          const chunk = Buffer.allocUnsafe(1 << 20);
          for (;;) {
            const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
            if (bytesRead === 0) break;
            hash.update(chunk.subarray(0, bytesRead));
          }
        }
      } finally {
        await handle.close().catch(() => {});
      }
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function hashAll(contextDir: string, files: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      out.set(file, await hashFile(path.join(contextDir, file)));
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  return out;
}

/**
 * The digest of the context files each COPY/ADD reads, keyed by the instruction's line.
 * Instructions whose sources cannot be known (see copySourcePatterns) are left out.
 */
export async function hashCopySources(
  contextDir: string,
  ignoreFile: IgnoreFileChoice,
  instructions: readonly DockerfileInstruction[],
): Promise<Map<number, SourceDigest>> {
  const wanted = instructions
    .map((ins) => ({ ins, patterns: copySourcePatterns(ins) }))
    .filter((w): w is { ins: DockerfileInstruction; patterns: string[] } => w.patterns !== null);
  const result = new Map<number, SourceDigest>();
  if (wanted.length === 0) return result;
  const files = await listContextFiles(contextDir, ignoreFile);
  const perInstruction = wanted.map(({ ins, patterns }) => ({
    line: ins.line,
    files: [...new Set(patterns.flatMap((p) => filesForPattern(p, files)))].sort(),
  }));
  const hashes = await hashAll(contextDir, [...new Set(perInstruction.flatMap((w) => w.files))]);
  for (const { line, files: own } of perInstruction) {
    const overall = createHash('sha256');
    for (const f of own) overall.update(`${f}\0${hashes.get(f)}\n`);
    result.set(line, {
      hash: overall.digest('hex'),
      fileCount: own.length,
      files: own.length <= MAX_NAMED_FILES ? Object.fromEntries(own.map((f) => [f, hashes.get(f)!])) : null,
    });
  }
  return result;
}

/** Paths that differ between two digests of the same instruction: changed, added, removed. */
export function changedFiles(before: SourceDigest, after: SourceDigest): string[] | null {
  if (!before.files || !after.files) return null;
  const changed: string[] = [];
  for (const [f, h] of Object.entries(after.files)) if (before.files[f] !== h) changed.push(f);
  for (const f of Object.keys(before.files)) if (!(f in after.files)) changed.push(f);
  return changed.sort();
}
