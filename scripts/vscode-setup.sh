#!/usr/bin/env bash
# Makes a real VS Code available for the extension-host tests (test/vscode/), idempotently:
# code-server (the VS Code workbench and its Node extension host, from npm) and Debian's
# chromium to load the workbench in. VS Code's desktop build cannot be downloaded on these
# machines; code-server can, with the sequence below (its normal install fetches a ripgrep
# binary from outside, and npm 11 dropped --unsafe-perm).
#
# The install lives OUTSIDE the work tree, in $DOCKOPT_VSCODE_CACHE (default
# ~/.cache/dockopt/code-server-VERSION), because CI runs in a fresh clone on the same machine:
# a folder inside the clone would be cold on every CI run.
# Usage: bash scripts/vscode-setup.sh           (as root or with sudo; each step is skipped when done)
#        bash scripts/vscode-setup.sh --check   (installs nothing: exit 0 when ready, else 3 and why)
# Prints the code-server entry point (entry.js) on stdout as its last line.
set -euo pipefail

VERSION=4.100.3   # VS Code 1.100 on Node 20; newer releases want Node 24.
CACHE=${DOCKOPT_VSCODE_CACHE:-$HOME/.cache/dockopt/code-server-$VERSION}
ENTRY=$CACHE/node_modules/code-server/out/node/entry.js
DONE_MARK=$CACHE/.dockopt-setup-complete
APT_LOG=/tmp/dockopt-vscode-apt.log
NPM_LOG=/tmp/dockopt-vscode-npm.log
# Native modules of code-server build against these; ripgrep replaces the binary it cannot fetch.
PACKAGES=(build-essential pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep chromium)

log() { echo "vscode-setup: $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root for: $*"; exit 1; fi
}

install_packages() {
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} (apt, log: $APT_LOG)"
  export DEBIAN_FRONTEND=noninteractive
  # An update only when apt cannot find the packages from the lists it has.
  if ! as_root apt-get install -y --no-install-recommends "${missing[@]}" >"$APT_LOG" 2>&1; then
    as_root apt-get update >>"$APT_LOG" 2>&1
    as_root apt-get install -y --no-install-recommends "${missing[@]}" >>"$APT_LOG" 2>&1 \
      || { log "apt-get install failed, see $APT_LOG"; tail -20 "$APT_LOG" >&2; exit 1; }
  fi
}

# Runs a step with its output in $NPM_LOG; on failure shows the end of it.
step() {
  log "$1"; shift
  if ! "$@" >>"$NPM_LOG" 2>&1; then
    log "failed: $*; last lines of $NPM_LOG:"; tail -30 "$NPM_LOG" >&2; exit 1
  fi
}

install_code_server() {
  [ -f "$DONE_MARK" ] && [ -f "$ENTRY" ] && return 0
  # Built in a scratch folder and moved into place at the end, so an interrupted run leaves no
  # half-installed cache that a later run would take for a complete one.
  local work="$CACHE.partial"
  rm -rf "$work"; mkdir -p "$work"; : >"$NPM_LOG"
  log "installing code-server $VERSION into $CACHE (takes minutes the first time; log: $NPM_LOG)"
  (
    set -e
    cd "$work"
    echo '{"name":"dockopt-vscode-test","private":true}' >package.json
    step "npm install code-server@$VERSION" npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION"
    step "rebuilding argon2" npm rebuild argon2
    cd node_modules/code-server/lib/vscode
    step "installing the VS Code server's modules" npm install --no-audit --no-fund --omit=dev --ignore-scripts
    mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    step "building its native modules" env npm_config_yes=true npm rebuild
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sf code-linux.sh code-server)
    (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
    cd extensions
    step "installing the built-in extensions' modules" npm install --no-audit --no-fund --omit=dev --ignore-scripts
    step "building them" npm rebuild
  )
  touch "$work/.dockopt-setup-complete"
  rm -rf "$CACHE"; mkdir -p "$(dirname "$CACHE")"; mv "$work" "$CACHE"
}

# What is missing, one reason a line; nothing when all is there.
missing_parts() {
  local pkg
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "Debian package $pkg is not installed"
  done
  [ -f "$DONE_MARK" ] && [ -f "$ENTRY" ] || echo "code-server $VERSION is not installed in $CACHE"
}

if [ "${1:-}" = --check ]; then
  reasons=$(missing_parts)
  if [ -n "$reasons" ]; then echo "$reasons" >&2; exit 3; fi
  echo "$ENTRY"; exit 0
fi

install_packages
install_code_server
# (Not `entry.js --version`: that writes a default config into ~/.config/code-server.)
version=$(node -p "require('$CACHE/node_modules/code-server/package.json').version")
log "ready: code-server $version, $(/usr/bin/chromium --version 2>/dev/null)"
echo "$ENTRY"
