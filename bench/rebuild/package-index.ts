/**
 * A Python package index on 127.0.0.1, served from this machine's pip mirror (the `file://`
 * simple indexes that `pip config list` names) through one bandwidth limit shared by every
 * connection, as a network link would be. It counts the bytes it sends: that count, read before
 * and after a build, is the "bytes fetched" of the build.
 *
 * Index pages are served as PyPI serves them (an ETag, revalidated by pip on every run); package
 * files get PyPI's long-lived `Cache-Control`, so a pip cache (a BuildKit cache mount) keeps them
 * and a later install needs no download.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folders holding `simple/<name>/index.html` (the parents of the simple indexes). */
export function mirrorRootsFromPipConfig(): string[] {
  let listing = '';
  try {
    // Through the shell: `pip` is whichever the user's PATH finds (a pyenv shim here).
    listing = execFileSync('sh', ['-c', 'pip config list'], { encoding: 'utf8', env: { ...process.env, PIP_REQUIRE_VIRTUALENV: '0' } });
  } catch {
    return [];
  }
  const roots: string[] = [];
  for (const line of listing.split('\n')) {
    const match = /^[^=]*\.(?:extra-)?index-url='(.*)'$/.exec(line.trim());
    if (!match) continue;
    for (const url of match[1].split(/\s+/)) {
      if (!url.startsWith('file://')) continue;
      const simple = fileURLToPath(url).replace(/\/+$/, '');
      if (fs.existsSync(simple)) roots.push(path.dirname(simple));
    }
  }
  return [...new Set(roots)];
}

/** PEP 503: lower case, runs of `-`, `_`, `.` as one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** One rate for all connections: each chunk waits for its slot on the shared link. */
class Link {
  private nextFree = 0;
  constructor(private readonly bytesPerSecond: number) {}
  async send(bytes: number): Promise<void> {
    const now = performance.now();
    const start = Math.max(now, this.nextFree);
    this.nextFree = start + (bytes / this.bytesPerSecond) * 1000;
    const wait = this.nextFree - now;
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

const CHUNK = 16 * 1024;

export interface PackageIndex {
  /** `http://127.0.0.1:PORT/simple/` */
  url: string;
  /** Bytes of package files and pages sent since the start. */
  bytesSent(): number;
  /** Requests for package files (wheels, sdists) since the start. */
  filesSent(): number;
  close(): Promise<void>;
}

export async function startPackageIndex(options: { roots: string[]; bytesPerSecond: number; port?: number }): Promise<PackageIndex> {
  const { roots } = options;
  if (roots.length === 0) throw new Error('no file:// package index found in `pip config list`');
  const link = new Link(options.bytesPerSecond);
  let bytes = 0;
  let files = 0;

  /** Merges the mirrors' pages for one project; links point at /files/<mirror>/<path>. */
  function projectPage(name: string): string | undefined {
    const links: string[] = [];
    roots.forEach((root, index) => {
      const dir = path.join(root, 'simple', name);
      let html: string;
      try {
        html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
      } catch {
        return;
      }
      for (const anchor of html.matchAll(/<a\s+href="([^"]+)"[^>]*>([^<]*)<\/a>/g)) {
        const [href, fragment = ''] = anchor[1].split('#');
        const file = path.resolve(dir, decodeURIComponent(href));
        if (!file.startsWith(root + path.sep)) continue;
        const rel = path.relative(root, file).split(path.sep).map(encodeURIComponent).join('/');
        links.push(`<a href="/files/${index}/${rel}${fragment ? `#${fragment}` : ''}">${anchor[2]}</a>`);
      }
    });
    if (links.length === 0) return undefined;
    return `<!DOCTYPE html><html><body>\n${links.join('<br>\n')}\n</body></html>\n`;
  }

  async function sendThrottled(res: http.ServerResponse, body: Buffer | fs.ReadStream): Promise<void> {
    if (Buffer.isBuffer(body)) {
      for (let at = 0; at < body.length; at += CHUNK) {
        const chunk = body.subarray(at, at + CHUNK);
        await link.send(chunk.length);
        bytes += chunk.length;
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      }
    } else {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        await link.send(chunk.length);
        bytes += chunk.length;
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      }
    }
    res.end();
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'simple' && parts.length === 2) {
      const name = normalizeName(parts[1]);
      if (name !== parts[1]) {
        res.writeHead(301, { Location: `/simple/${name}/` }).end();
        return;
      }
      const page = projectPage(name);
      if (!page) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not on this mirror\n');
        return;
      }
      const body = Buffer.from(page);
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag, 'Cache-Control': 'max-age=600, public' }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': body.length, ETag: etag, 'Cache-Control': 'max-age=600, public' });
      await sendThrottled(res, body);
      return;
    }
    if (parts[0] === 'files' && parts.length >= 3) {
      const root = roots[Number(parts[1])];
      const file = root && path.resolve(root, ...parts.slice(2));
      const stat = file && file.startsWith(root + path.sep) ? fs.statSync(file, { throwIfNoEntry: false }) : undefined;
      if (!file || !stat?.isFile()) {
        res.writeHead(404).end();
        return;
      }
      files++;
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': stat.size,
        'Cache-Control': 'max-age=365000000, immutable, public',
        'Last-Modified': stat.mtime.toUTCString(),
      });
      await sendThrottled(res, fs.createReadStream(file, { highWaterMark: CHUNK }));
      return;
    }
    res.writeHead(404).end();
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/simple/`,
    bytesSent: () => bytes,
    filesSent: () => files,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
