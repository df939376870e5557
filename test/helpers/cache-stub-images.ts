/**
 * Stand-in base images for the cache-mount build tests: busybox (local/busybox:1 from
 * scripts/docker-setup.sh) with stub `pip`, `npm` and `useradd` that work out their cache
 * directory the way the real tools do and print where they wrote it, and whether that place is a
 * mount (from /proc/self/mountinfo) or the image's own filesystem:
 *
 *   stub-pip: cache /root/.cache/pip in mount (uid 0) miss flask
 *
 * Tags: two official names with a tag no other test uses (the rules treat `python` and `node` as
 * images that run as root); a Jupyter name (the rules know those run as jovyan, uid 1000); and a
 * name the rules know nothing of, whose user is `app` (uid 1000, home /home/app), as many
 * application images are.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const STUB_IMAGES = {
  pythonRoot: 'python:dockopt-cache-stub',
  nodeRoot: 'node:dockopt-cache-stub',
  nonRoot: 'dockopt-test/nonroot-app:cache-stub',
  /** Matches the rules' Jupyter entry (jovyan, uid 1000, gid 100), as the real images run. */
  jupyter: 'jupyter/dockopt-stub-notebook:cache-stub',
} as const;

/** Bumped when the stubs change, so a stale image is rebuilt. */
const STUB_VERSION = '3';

// Where the running tool's cache is, for both stubs: the mount the path is on, if any but `/`.
const WHERE = `
home_of_uid() { awk -F: -v u="$(id -u)" '$3 == u { print $6 }' /etc/passwd; }
HOME=\${HOME:-$(home_of_uid)}
where() {
  found=image
  while read -r _ _ _ _ mp _; do
    [ "$mp" = / ] && continue
    case "$1/" in "$mp"/*) found=mount ;; esac
  done </proc/self/mountinfo
  echo "$found"
}
`;

const PIP = `#!/bin/sh
# Stub pip: --no-cache-dir (or a prefix), --cache-dir, PIP_NO_CACHE_DIR, PIP_CACHE_DIR, XDG_CACHE_HOME, ~.
${WHERE}
sub= cache=\${PIP_CACHE_DIR:-} off=\${PIP_NO_CACHE_DIR:-} pkgs= after=
while [ $# -gt 0 ]; do
  case "$1" in
    --no-cache|--no-cache-d|--no-cache-di|--no-cache-dir) off=1 ;;
    --cache-dir=*|--cache=*) cache=\${1#*=} ;;
    --cache-dir|--cache) shift; cache=$1 ;;
    -r|--requirement|-c|--constraint) shift ;;
    -*) ;;
    *) if [ -z "$sub" ]; then sub=$1; elif [ "$sub" = cache ] && [ -z "$after" ]; then after=$1; else pkgs="$pkgs $1"; fi ;;
  esac
  shift
done
[ -n "$cache" ] || cache=\${XDG_CACHE_HOME:-$HOME/.cache}/pip
if [ "$sub" = cache ]; then
  [ "$after" = purge ] && rm -rf "$cache"/* && echo "stub-pip: purged $cache"
  exit 0
fi
[ -n "$off" ] && { echo "stub-pip: cache off"; exit 0; }
mkdir -p "$cache" 2>/dev/null
for pkg in $pkgs; do
  if [ -e "$cache/$pkg" ]; then state=hit
  elif touch "$cache/$pkg" 2>/dev/null; then state=miss
  else echo "stub-pip: cache $cache not writable (uid $(id -u)): cache disabled"; exit 0
  fi
  echo "stub-pip: cache $cache in $(where "$cache") (uid $(id -u)) $state $pkg"
done
`;

const NPM = `#!/bin/sh
# Stub npm: ci/install (package "left-pad" plus any named), --cache, npm_config_cache, npmrc cache=, ~/.npm;
# cache clean; config set cache.
${WHERE}
cache=\${npm_config_cache:-\${NPM_CONFIG_CACHE:-}} sub= pos= global=
while [ $# -gt 0 ]; do
  case "$1" in
    --cache=*) cache=\${1#*=} ;;
    --cache) shift; cache=$1 ;;
    -g|--global|--location=global) global=1 ;;
    -*) ;;
    *) if [ -z "$sub" ]; then sub=$1; else pos="$pos $1"; fi ;;
  esac
  shift
done
rc=$HOME/.npmrc; [ -n "$global" ] && rc=/usr/local/etc/npmrc
if [ -z "$cache" ]; then
  for f in $HOME/.npmrc /usr/local/etc/npmrc; do
    [ -z "$cache" ] && [ -f "$f" ] && cache=$(sed -n 's/^cache=//p' "$f" | tail -n 1)
  done
fi
[ -n "$cache" ] || cache=$HOME/.npm
case "$sub" in
  config|set)
    set -- $pos; [ "$1" = set ] && shift
    [ "$1" = cache ] && { mkdir -p "$(dirname "$rc")"; echo "cache=$2" >>"$rc"; }
    exit 0 ;;
  cache)
    set -- $pos; case "$1" in clean|clear|rm) rm -rf "$cache"/* && echo "stub-npm: cleaned $cache" ;; esac
    exit 0 ;;
  ci|install|i) ;;
  *) exit 0 ;;
esac
mkdir -p "$cache" 2>/dev/null
for pkg in left-pad $pos; do
  if [ -e "$cache/$pkg" ]; then state=hit
  elif touch "$cache/$pkg" 2>/dev/null; then state=miss
  else echo "stub-npm: cache $cache not writable (uid $(id -u))"; exit 1
  fi
  echo "stub-npm: cache $cache in $(where "$cache") (uid $(id -u)) $state $pkg"
done
`;

const USERADD = `#!/bin/sh
# Stub useradd [-u UID] [-m] [-d HOME] NAME
uid=1000 home=
while [ $# -gt 1 ]; do case "$1" in -u) uid=$2; shift 2 ;; -d) home=$2; shift 2 ;; *) shift ;; esac; done
home=\${home:-/home/$1}
echo "$1:x:$uid:$uid::$home:/bin/sh" >>/etc/passwd
mkdir -p "$home" && chown "$uid:$uid" "$home"
`;

function labelOf(docker: string, image: string): string | undefined {
  try {
    return execFileSync(docker, ['image', 'inspect', '--format', '{{index .Config.Labels "dockopt.cache-stub"}}', image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Builds the stand-ins that are missing or stale. */
export function ensureStubImages(docker: string): void {
  const wanted: Array<[string, string[]]> = [
    [STUB_IMAGES.pythonRoot, []],
    [STUB_IMAGES.nodeRoot, []],
    [
      STUB_IMAGES.nonRoot,
      [
        `RUN echo 'app:x:1000:1000::/home/app:/bin/sh' >>/etc/passwd && echo 'app:x:1000:' >>/etc/group && mkdir -p /home/app && chown 1000:1000 /home/app`,
        'USER app',
      ],
    ],
    [
      STUB_IMAGES.jupyter,
      [
        `RUN echo 'jovyan:x:1000:100::/home/jovyan:/bin/sh' >>/etc/passwd && echo 'users:x:100:' >>/etc/group && mkdir -p /home/jovyan && chown 1000:100 /home/jovyan`,
        'USER 1000',
      ],
    ],
  ];
  for (const [tag, extra] of wanted) {
    if (labelOf(docker, tag) === STUB_VERSION) continue;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-stub-'));
    try {
      for (const [name, text] of [['pip', PIP], ['npm', NPM], ['useradd', USERADD]]) fs.writeFileSync(path.join(dir, name), text, { mode: 0o755 });
      const dockerfile = [
        'FROM local/busybox:1',
        'COPY pip npm useradd /usr/local/bin/',
        'RUN mkdir -p /usr/local/etc',
        ...extra,
        `LABEL dockopt.cache-stub=${STUB_VERSION}`,
        '',
      ].join('\n');
      fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
      execFileSync(docker, ['build', '--network=none', '-q', '-t', tag, dir], { env: { ...process.env, DOCKER_BUILDKIT: '1' }, stdio: 'pipe' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
