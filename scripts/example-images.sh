#!/usr/bin/env bash
# Local stand-ins for the base images of the example workspace (examples/ha-ingestor), for demos
# and manual checks of the build runner on machines that cannot pull from Docker Hub. Not used by
# the tests (they need only scripts/docker-setup.sh).
#
# Each stand-in is busybox (local/busybox:1 from docker-setup.sh) plus stub `apk`, `apt-get`,
# `pip` and `npm` scripts that succeed and sleep a little, so a cold build takes a few seconds
# and a cached rebuild is visibly faster. `npm run build` writes dist/index.html, which the
# health-dashboard's nginx stage copies. `pip` honours a cache mount (`Using cached X`) unless
# --no-cache-dir is given, like the real one, and `--user` installs under $HOME/.local (which
# the multi-stage services copy). `addgroup`/`adduser` stubs stand in for the busybox applets
# Debian's busybox-static lacks.
#
# Idempotent: an image is built only when its tag is missing or is an older stand-in of ours
# (label dockopt.example-stub). A stand-in of docker-setup.sh under one of these tags (its
# python:3.12-slim, for the integration tests) gets the missing stubs added on top, its own
# commands kept; any other image under these tags (a real one) is left alone.
# Usage: bash scripts/example-images.sh        (needs a running dockerd; see docker-setup.sh)
set -euo pipefail

DOCKER=${DOCKER:-/usr/bin/docker}
STUB_VERSION=3
BASE_IMAGE=local/busybox:1
TAGS=(python:3.11-alpine python:3.12-alpine python:3.11-slim python:3.12-slim node:18-alpine nginx:1.27-alpine)

log() { echo "example-images: $*" >&2; }

if ! "$DOCKER" info >/dev/null 2>&1; then
  log "no docker daemon answers '$DOCKER info'; run: bash scripts/docker-setup.sh"; exit 1
fi
if ! "$DOCKER" image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "$BASE_IMAGE is missing; run: bash scripts/docker-setup.sh"; exit 1
fi

first_layer() { "$DOCKER" image inspect --format '{{index .RootFS.Layers 0}}' "$1" 2>/dev/null || true; }
stub_label() { "$DOCKER" image inspect --format '{{index .Config.Labels "dockopt.example-stub"}}' "$1" 2>/dev/null || true; }

write_stubs() {
  local dir=$1
  cat >"$dir/apk" <<'STUB'
#!/bin/sh
# Stand-in apk: pretends to install packages.
[ "$1" = add ] || { echo "stand-in apk: only 'add' is supported" >&2; exit 2; }
shift
for arg in "$@"; do case "$arg" in -*) ;; *) echo "(stand-in) installing $arg"; sleep 1 ;; esac; done
echo "OK: stand-in packages installed"
STUB
  cat >"$dir/apt-get" <<'STUB'
#!/bin/sh
# Stand-in apt-get: `update` and `install` succeed slowly.
case "$1" in
  update) echo "(stand-in) Reading package lists... Done"; sleep 1 ;;
  install) shift; for arg in "$@"; do case "$arg" in -*) ;; *) echo "(stand-in) Setting up $arg"; sleep 1 ;; esac; done ;;
  *) echo "(stand-in) apt-get $*" ;;
esac
STUB
  cat >"$dir/pip" <<'STUB'
#!/bin/sh
# Stand-in pip: `pip install [-r FILE]... [PKG]...`; downloads take a second each, a cache
# mount on $PIP_CACHE_DIR (default /root/.cache/pip) keeps them unless --no-cache-dir.
home=${HOME:-/root}
cache=${PIP_CACHE_DIR:-$home/.cache/pip}
site=/usr/local/lib/site-packages
[ "$1" = install ] || { echo "stand-in pip: only 'install' is supported" >&2; exit 2; }
shift
use_cache=1
for arg in "$@"; do
  [ "$arg" = --no-cache-dir ] && use_cache=
  [ "$arg" = --user ] && site=$home/.local/lib/site-packages
done
mkdir -p "$site" "$cache"
fetch() {
  if [ -n "$use_cache" ] && [ -e "$cache/$1" ]; then echo "Using cached $1"
  else echo "Downloading $1"; sleep 1; [ -n "$use_cache" ] && touch "$cache/$1"; fi
  echo "$1" >>"$site/installed"
}
reqs=
for arg in "$@"; do
  if [ -n "$reqs" ]; then
    while read -r pkg; do case "$pkg" in ''|'#'*) ;; *) fetch "$pkg" ;; esac; done <"$arg"; reqs=
  else
    case "$arg" in -r|--requirement) reqs=1 ;; -*) ;; *) fetch "$arg" ;; esac
  fi
done
echo "Successfully installed (stand-in)"
STUB
  cat >"$dir/npm" <<'STUB'
#!/bin/sh
# Stand-in npm: `ci`/`install` fill node_modules slowly; `run build` writes dist/index.html.
case "$1" in
  ci|install) echo "(stand-in) added packages from package-lock.json"; sleep 2; mkdir -p node_modules ;;
  run) [ "$2" = build ] || { echo "(stand-in) npm run $2"; exit 0; }
       echo "(stand-in) building"; sleep 1; mkdir -p dist; echo '<!doctype html><title>stand-in</title>' >dist/index.html ;;
  *) echo "(stand-in) npm $*" ;;
esac
STUB
  cat >"$dir/addgroup" <<'STUB'
#!/bin/sh
# Stand-in addgroup [-g GID] NAME
gid=
while [ $# -gt 1 ]; do case "$1" in -g) gid=$2; shift 2 ;; *) shift ;; esac; done
echo "$1:x:${gid:-1000}:" >>/etc/group
STUB
  cat >"$dir/adduser" <<'STUB'
#!/bin/sh
# Stand-in adduser [-D] [-u UID] [-G GROUP] [-h HOME] NAME
uid=1000 group= home=
while [ $# -gt 1 ]; do
  case "$1" in -u) uid=$2; shift 2 ;; -G) group=$2; shift 2 ;; -h) home=$2; shift 2 ;; *) shift ;; esac
done
name=$1
home=${home:-/home/$name}
gid=$(grep "^${group:-$name}:" /etc/group | cut -d: -f3)
[ -n "$gid" ] || { gid=$uid; echo "$name:x:$gid:" >>/etc/group; }
echo "$name:x:$uid:$gid::$home:/bin/sh" >>/etc/passwd
mkdir -p "$home" && chown "$uid:$gid" "$home"
STUB
  chmod +x "$dir"/*
}

# `build_standin TAG [BASE]`: the stubs on busybox, or (with BASE) added to an image someone else
# made under that tag (docker-setup.sh's python:3.12-slim for the integration tests): its own
# commands stay, only the missing ones are added, so its users see no difference.
build_standin() {
  local tag=$1 base=${2:-} dir
  dir=$(mktemp -d)
  mkdir "$dir/stubs"
  write_stubs "$dir/stubs"
  {
    if [ -n "$base" ]; then
      echo "FROM $base"
      echo "COPY stubs/ /usr/local/lib/dockopt-stubs/"
      echo 'RUN for f in /usr/local/lib/dockopt-stubs/*; do [ -e "/usr/local/bin/${f##*/}" ] || ln -s "$f" /usr/local/bin/; done'
    else
      echo "FROM $BASE_IMAGE"
      echo "COPY stubs/ /usr/local/bin/"
    fi
    case "$tag" in nginx:*) echo "RUN mkdir -p /usr/share/nginx/html" ;; esac
    # The folders the real images have that dockopt's cache fixes rely on: Alpine's apk
    # configuration and cache (the fix links /etc/apk/cache to /var/cache/apk), Debian's apt
    # cache, lists and docker-clean hook (the fix removes it).
    case "$tag" in
      *alpine*) echo "RUN mkdir -p /etc/apk /var/cache/apk" ;;
      *) echo "RUN mkdir -p /etc/apt/apt.conf.d /var/cache/apt/archives /var/lib/apt/lists && touch /etc/apt/apt.conf.d/docker-clean" ;;
    esac
    echo "LABEL dockopt.example-stub=$STUB_VERSION"
  } >"$dir/Dockerfile"
  DOCKER_BUILDKIT=1 "$DOCKER" build --network=none -q -t "$tag" "$dir" >/dev/null
  rm -rf "$dir"
}

for tag in "${TAGS[@]}"; do
  label=$(stub_label "$tag")
  if "$DOCKER" image inspect "$tag" >/dev/null 2>&1; then
    if [ "$label" = "$STUB_VERSION" ]; then continue; fi
    # An older stand-in of ours: the new folders and stubs go on top of it, so one that was laid
    # over docker-setup.sh's image keeps that image's own commands.
    if [ -z "$label" ] || [ "$(first_layer "$tag")" = "$(first_layer "$BASE_IMAGE")" ]; then
      if [ "$(first_layer "$tag")" = "$(first_layer "$BASE_IMAGE")" ]; then
        log "adding the example's stub commands to $tag (keeping what it has)"
        # BuildKit takes `FROM sha256:…` for a registry name: build from a temporary local tag.
        local_base="local/dockopt-stub-base:${tag//[:\/]/-}"
        "$DOCKER" tag "$tag" "$local_base"
        build_standin "$tag" "$local_base"
        "$DOCKER" rmi "$local_base" >/dev/null
      else
        log "keeping $tag (a real image, or not a stand-in of ours)"
      fi
      continue
    fi
  fi
  log "building stand-in $tag"
  build_standin "$tag"
done
log "ready: ${TAGS[*]}"
