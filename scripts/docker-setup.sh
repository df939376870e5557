#!/usr/bin/env bash
# Makes a real BuildKit available for the build integration tests, idempotently:
# Debian's docker.io + busybox-static, a dockerd that answers, and tiny local base
# images (nothing can be pulled on these machines).
# Usage: bash scripts/docker-setup.sh   (as root; each step is skipped when already done)
set -euo pipefail

DOCKER=/usr/bin/docker
DOCKERD_LOG=${DOCKERD_LOG:-/tmp/dockopt-dockerd.log}
WAIT_SECONDS=${DOCKER_WAIT_SECONDS:-60}
BASE_IMAGE=local/busybox:1
# Fixtures say `FROM python:3.12-slim`; the stand-in has busybox plus fake pip/npm scripts.
PYTHON_STANDIN=python:3.12-slim

log() { echo "docker-setup: $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root for: $*"; exit 1; fi
}

install_packages() {
  local missing=()
  [ -x "$DOCKER" ] && command -v dockerd >/dev/null || missing+=(docker.io)
  [ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx sh || missing+=(busybox-static)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # An update only when apt cannot find the packages from the lists it has.
  if ! as_root apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/dockopt-apt.log 2>&1; then
    as_root apt-get update >>/tmp/dockopt-apt.log 2>&1
    as_root apt-get install -y --no-install-recommends "${missing[@]}" >>/tmp/dockopt-apt.log 2>&1 \
      || { log "apt-get install failed, see /tmp/dockopt-apt.log"; tail -20 /tmp/dockopt-apt.log >&2; exit 1; }
  fi
}

daemon_answers() { "$DOCKER" info >/dev/null 2>&1; }

start_daemon() {
  daemon_answers && return 0
  log "starting dockerd (log: $DOCKERD_LOG)"
  # A daemon killed with its machine leaves its pid file behind, and a new one refuses to start.
  local pidfile=/var/run/docker.pid
  if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null; then as_root rm -f "$pidfile"; fi
  # setsid: the daemon outlives this script and is not in the caller's process group.
  as_root setsid dockerd --iptables=false --bridge=none >"$DOCKERD_LOG" 2>&1 </dev/null &
  local waited=0
  until daemon_answers; do
    if [ "$waited" -ge "$WAIT_SECONDS" ]; then
      log "dockerd did not answer within ${WAIT_SECONDS}s; last lines of $DOCKERD_LOG:"
      tail -20 "$DOCKERD_LOG" >&2 || true
      exit 1
    fi
    sleep 1; waited=$((waited + 1))
  done
}

image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

import_base_image() {
  image_exists "$BASE_IMAGE" && return 0
  log "importing $BASE_IMAGE from busybox-static"
  local root; root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root"
  cp /bin/busybox "$root/bin/busybox"
  local applet
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  tar -C "$root" -c . | "$DOCKER" import -c 'ENV PATH=/usr/local/bin:/bin' - "$BASE_IMAGE" >/dev/null
  rm -rf "$root"
}

# A stand-in for python:3.12-slim: `pip install -r FILE` copies FILE's lines into the
# cache dir and site dir so cache mounts and dependency layers behave like the real thing.
import_python_standin() {
  image_exists "$PYTHON_STANDIN" && return 0
  log "building stand-in $PYTHON_STANDIN"
  local dir; dir=$(mktemp -d)
  cat >"$dir/pip" <<'PIP'
#!/bin/sh
# Stand-in pip: records requested packages; reuses $PIP_CACHE_DIR like the real one would.
cache=${PIP_CACHE_DIR:-/root/.cache/pip}
site=/usr/local/lib/site-packages
mkdir -p "$cache" "$site"
[ "$1" = install ] || { echo "stand-in pip: only 'install' is supported" >&2; exit 2; }
shift
for arg in "$@"; do
  case "$arg" in
    -r) reqs=1 ;;
    -*) ;;
    *) if [ -n "$reqs" ]; then
         while read -r pkg; do [ -n "$pkg" ] && echo "$pkg" >>"$site/installed" &&
           { [ -e "$cache/$pkg" ] && echo "Using cached $pkg" || { echo "Downloading $pkg"; touch "$cache/$pkg"; }; }
         done <"$arg"; reqs=
       else echo "$arg" >>"$site/installed"; echo "Installing $arg"; fi ;;
  esac
done
PIP
  chmod +x "$dir/pip"
  printf 'FROM %s\nCOPY pip /usr/local/bin/pip\n' "$BASE_IMAGE" >"$dir/Dockerfile"
  DOCKER_BUILDKIT=1 "$DOCKER" build --network=none -q -t "$PYTHON_STANDIN" "$dir" >/dev/null
  rm -rf "$dir"
}

install_packages
start_daemon
import_base_image
import_python_standin
log "ready: $("$DOCKER" version --format '{{.Server.Version}}') with $BASE_IMAGE and $PYTHON_STANDIN"
