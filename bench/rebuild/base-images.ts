/**
 * Base images with a real Python 3.11, pip and Node 18: Debian bookworm made with debootstrap
 * (nothing can be pulled here), kept as a tar in an ignored folder so that a second run only
 * imports it, then tagged in the bench's own daemon under the names the example's Dockerfiles
 * use. Alpine's `apk`, `apt-get` and BusyBox's `addgroup`/`adduser` are stand-ins
 * (`stand-ins/`): the bench measures the language installs, whose packages come from the
 * throttled local index that the images' `PIP_INDEX_URL` names.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchDaemon } from './daemon';

export const DEBOOTSTRAP = '/usr/sbin/debootstrap';
const SUITE = 'bookworm';
const MIRROR = 'http://deb.debian.org/debian';
const PACKAGES = ['python3', 'python3-pip', 'python3-venv'];
/** Installed by apt inside the new root: debootstrap's own resolver leaves npm's dependencies out. */
const APT_PACKAGES = ['nodejs', 'npm'];
const BASE = 'dockopt-bench/debian-python-node:bookworm';
/** Every base the example names, before and after `dockopt fix` (which moves Python to 3.12). */
export const STAND_IN_TAGS = [
  'python:3.11-alpine',
  'python:3.12-alpine',
  'python:3.11-slim',
  'python:3.12-slim',
  'node:18-alpine',
  'nginx:1.27-alpine',
];
const STAND_INS = path.join(__dirname, 'stand-ins');

/** The debootstrapped root file system as a tar, made once (about 2 minutes) and cached. */
export function ensureRootfsTar(cacheDir: string, log: (line: string) => void): string {
  const tar = path.join(cacheDir, `${SUITE}-python-node.tar`);
  if (fs.existsSync(tar)) return tar;
  fs.mkdirSync(cacheDir, { recursive: true });
  const root = path.join(cacheDir, 'rootfs.tmp');
  fs.rmSync(root, { recursive: true, force: true });
  log(`debootstrap --variant=minbase --include=${PACKAGES.join(',')} ${SUITE}, then apt-get install ${APT_PACKAGES.join(' ')} (a few minutes, once)`);
  execFileSync(DEBOOTSTRAP, ['--variant=minbase', `--include=${PACKAGES.join(',')}`, SUITE, root, MIRROR], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  fs.copyFileSync('/etc/resolv.conf', path.join(root, 'etc', 'resolv.conf'));
  execFileSync('/usr/sbin/chroot', [root, 'apt-get', 'install', '-y', '--no-install-recommends', ...APT_PACKAGES], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  fs.rmSync(path.join(root, 'etc', 'resolv.conf'), { force: true });
  // What an image need not carry: downloaded .debs and package lists.
  for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
    for (const entry of fs.readdirSync(path.join(root, dir))) {
      if (entry.endsWith('.deb') || dir.endsWith('lists')) fs.rmSync(path.join(root, dir, entry), { recursive: true, force: true });
    }
  }
  execFileSync('tar', ['-C', root, '-cf', `${tar}.tmp`, '.']);
  fs.renameSync(`${tar}.tmp`, tar);
  fs.rmSync(root, { recursive: true, force: true });
  return tar;
}

function imageExists(daemon: BenchDaemon, ref: string): boolean {
  try {
    daemon.docker(['image', 'inspect', '--format', '{{.Id}}', ref]);
    return true;
  } catch {
    return false;
  }
}

export function importBase(daemon: BenchDaemon, tar: string, log: (line: string) => void): void {
  if (imageExists(daemon, BASE)) return;
  log(`docker import ${path.basename(tar)} ${BASE}`);
  daemon.docker([
    'import',
    '-c', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    '-c', 'ENV LANG=C.UTF-8',
    tar,
    BASE,
  ]);
}

/**
 * Builds one stand-in per official name (each labelled with it: `python:3.12-alpine` after the
 * fix is another image than `python:3.11-alpine`, as it is on Docker Hub, so the two copies of
 * the workspace share no cached step through their base). Run after the build cache is emptied:
 * the index URL (its port) is this run's own.
 */
export function tagStandIns(daemon: BenchDaemon, indexUrl: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-bench-base-'));
  try {
    fs.cpSync(STAND_INS, path.join(dir, 'stand-ins'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'Dockerfile'),
      [
        `FROM ${BASE}`,
        'COPY stand-ins/ /usr/local/bin/',
        // As in the official images: pip may install outside a venv, `python` is Python 3,
        // Alpine's folders for apk's cache, nginx's for the static site.
        'RUN rm -f /usr/lib/python3*/EXTERNALLY-MANAGED && ln -sf python3 /usr/bin/python \\',
        '    && mkdir -p /etc/apk /var/cache/apk /usr/share/nginx/html',
        // pip keeps downloads in its cache only from https or trusted hosts: the local index
        // is trusted, as a team's http mirror would be.
        `ENV PIP_INDEX_URL=${indexUrl} PIP_TRUSTED_HOST=127.0.0.1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore`,
        // npm's update check and audit call the public registry: traffic outside the bench's
        // index and its limit (this machine's ~/.npmrc turns them off too).
        'ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_AUDIT=false NPM_CONFIG_FUND=false',
        'ARG NAME',
        'LABEL dockopt.bench-rebuild=$NAME',
        '',
      ].join('\n'),
    );
    for (const tag of STAND_IN_TAGS) daemon.docker(['build', '--network=none', '-q', '--build-arg', `NAME=${tag}`, '-t', tag, dir]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
