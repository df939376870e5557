/**
 * Stub package managers for the BuildKit proof of the `cache-mount` / `cache-disabled` fixes
 * (test/rules/manager-cache-builds.test.ts). Each stub is a small shell re-statement of where the
 * real tool keeps its cache (its flags, variables, config files and default for the user that
 * runs it), written from the tools' own documentation, not from dockopt's table: a stub that just
 * repeated the engine's answer would prove nothing. Each call writes a marker per package into
 * that cache and prints one line per package:
 *
 *   stub-apk: cache /var/cache/apk in mount (uid 0) miss run-4711
 *   stub-uv: cache off (--no-cache)
 *   stub-poetry: installs into /root/.cache/pypoetry/virtualenvs/app-py3.12 in mount
 *
 * `in mount` / `in image` comes from /proc/self/mountinfo; `hit` means the marker was there
 * before the call. Besides the packages it is given, a call "installs" `run-$DOCKOPT_STUB_RUN`,
 * a package unique to the test's build series, so a hit proves the cache survived from the
 * series' previous build, not from an older test run. A cache the tool cannot write fails the
 * call, as it does with the real tools (apt, apk, go, cargo, gradle…), except pip's (pip, pipenv,
 * pip-sync), which pip turns off with a warning.
 */

/** Sourced by every stub: the user's home, where a path is, and the cache markers. */
export const STUB_LIBRARY = `# dockopt test stubs: shared functions (sourced).
stub_uid=$(id -u)
[ -n "\${HOME:-}" ] || HOME=$(awk -F: -v u="$stub_uid" '$3 == u { print $6; exit }' /etc/passwd)
[ -n "$HOME" ] || HOME=/
stub_suffix=
# The longest mount point that holds the path (/ when none but the root).
stub_mount_of() {
  best=/
  while read -r _ _ _ _ mp _; do
    case "$1/" in "$mp"/*) [ \${#mp} -gt \${#best} ] && best=$mp ;; esac
  done </proc/self/mountinfo
  echo "$best"
}
stub_real() { readlink -f "$1" 2>/dev/null || echo "$1"; }
stub_where() { if [ "$(stub_mount_of "$(stub_real "$1")")" = / ]; then echo image; else echo mount; fi; }
stub_truthy() { case "$(echo "$1" | tr A-Z a-z)" in 1|true|yes|on|y|t) return 0 ;; *) return 1 ;; esac; }
stub_off() { echo "stub-$stub_tool: cache off ($*)"; }
# stub_cache DIR PKG...: the call keeps its downloads in DIR (one marker per package).
stub_cache() {
  dir=$1; shift
  if ! mkdir -p "$dir" 2>/dev/null || ! touch "$dir/.stub-probe" 2>/dev/null; then
    echo "stub-$stub_tool: error: cache $dir not writable (uid $stub_uid)" >&2; exit 1
  fi
  rm -f "$dir/.stub-probe"
  real=$(stub_real "$dir"); where=$(stub_where "$real")
  for pkg in "$@" \${DOCKOPT_STUB_RUN:+run-$DOCKOPT_STUB_RUN}; do
    if [ -e "$real/$pkg$stub_suffix" ]; then state=hit; else : >"$real/$pkg$stub_suffix"; state=miss; fi
    echo "stub-$stub_tool: cache $real in $where (uid $stub_uid) $state $pkg"
  done
}
# stub_installs DIR: where the installed result goes (it must be the image, not a cache mount).
stub_installs() {
  mkdir -p "$1" 2>/dev/null && touch "$1/.stub-installed" 2>/dev/null || { echo "stub-$stub_tool: error: EACCES: permission denied, mkdir '$1' (uid $stub_uid)" >&2; exit 1; }
  echo "stub-$stub_tool: installs into $(stub_real "$1") in $(stub_where "$1")"
}
stub_wipe() { rm -rf "$1"/* "$1"/.[!.]* 2>/dev/null; echo "stub-$stub_tool: wiped $1"; }
# The value of KEY in simple config files (KEY=value, KEY = "value", KEY value), last one wins.
stub_config() {
  key=$1; shift
  for f in "$@"; do [ -f "$f" ] && sed -n "s/^[[:space:]]*$key[[:space:]]*[=: ][[:space:]]*\\"\\{0,1\\}\\([^\\"]*\\)\\"\\{0,1\\}[[:space:]]*$/\\1/p" "$f"; done | tail -n 1
}
stub_need() { for f in "$@"; do [ -e "$f" ] && return 0; done; echo "stub-$stub_tool: error: no $1 in $(pwd)" >&2; exit 1; }
`;

const header = (tool: string, what: string) => `#!/bin/sh
# Stub ${tool}: ${what}
stub_tool=${tool}
. /usr/local/lib/dockopt-stub.sh
`;

/**
 * apk-tools 2 (apk-cache(5)): packages are cached only where /etc/apk/cache exists (`--cache-dir`
 * moves it); `--no-cache` uses none and reads the indexes into memory. Without `--no-cache`, an
 * `add` needs indexes on disk (`-U`/`--update-cache` or an earlier `apk update` fetches them):
 * a fresh Alpine image has none.
 */
const APK = `${header('apk', 'add/upgrade/fix, update, cache clean|purge; --no-cache, --cache-dir, -U')}
sub= cache= off= update= pkgs=
while [ $# -gt 0 ]; do
  case "$1" in
    --no-cache) off=1 ;;
    -U|--update-cache) update=1 ;;
    --cache-dir) shift; cache=$1 ;;
    --cache-dir=*) cache=\${1#*=} ;;
    -X|--repository|-p|--root|--repositories-file|--keys-dir|--arch|-t|--virtual|--timeout|--cache-max-age) shift ;;
    --*) ;;
    -*) case "$1" in *U*) update=1 ;; esac ;;
    *) if [ -z "$sub" ]; then sub=$1; else pkgs="$pkgs $1"; fi ;;
  esac
  shift
done
[ "$stub_uid" = 0 ] || { echo "ERROR: Unable to lock database: Permission denied" >&2; exit 99; }
[ -n "$cache" ] || { [ -e /etc/apk/cache ] && cache=/etc/apk/cache; }
index=\${cache:-/var/cache/apk}
case "$sub" in
  update) [ -n "$off" ] && exit 0; mkdir -p "$index" && : >"$index/APKINDEX.stub"; echo "stub-apk: fetched indexes into $(stub_real "$index")"; exit 0 ;;
  cache) set -- $pkgs; case "$1" in clean|purge) [ -n "$cache" ] && stub_wipe "$(stub_real "$cache")" ;; esac; exit 0 ;;
  add|upgrade|fix) ;;
  *) exit 0 ;;
esac
if [ -n "$off" ]; then stub_off --no-cache; exit 0; fi
if [ -n "$update" ]; then mkdir -p "$index" && : >"$index/APKINDEX.stub"
elif ! [ -e "$index/APKINDEX.stub" ]; then echo "ERROR: unable to select packages:$pkgs (no such package)" >&2; exit 1
fi
if [ -z "$cache" ]; then stub_off "no /etc/apk/cache: packages are not cached"; exit 0; fi
stub_suffix=.apk stub_cache "$cache" $pkgs
`;

/**
 * uv (docs.astral.sh/uv/concepts/cache): `--cache-dir`, UV_CACHE_DIR, $XDG_CACHE_HOME/uv,
 * ~/.cache/uv; `--no-cache`/`-n`/UV_NO_CACHE use a temporary cache. Installing hard-links from the
 * cache; across filesystems uv warns and copies unless the link mode is `copy`.
 */
const UV = `${header('uv', 'sync/add/pip install/pip sync/tool install, cache clean|prune')}
cache=\${UV_CACHE_DIR:-} off= link=\${UV_LINK_MODE:-hardlink} args= ci=
stub_truthy "\${UV_NO_CACHE:-}" && off=UV_NO_CACHE
while [ $# -gt 0 ]; do
  case "$1" in
    --no-cache|-n) off=$1 ;;
    --cache-dir) shift; cache=$1 ;;
    --cache-dir=*) cache=\${1#*=} ;;
    --link-mode) shift; link=$1 ;;
    --link-mode=*) link=\${1#*=} ;;
    --ci) ci=1 ;;
    --directory|--project|--config-file|--python|-p|--index-url|-i|--extra-index-url|--index|--default-index|--find-links|-f|--group|--extra|--package|--only-group|--no-group|-r|--requirement|-c|--constraint|--target|--prefix|--with|--from) shift ;;
    -*) ;;
    *) args="$args $1" ;;
  esac
  shift
done
[ -n "$cache" ] || cache=\${XDG_CACHE_HOME:-$HOME/.cache}/uv
set -- $args
sub=$1; [ "$1" = pip ] || [ "$1" = tool ] || [ "$1" = cache ] && sub="$1 $2" && shift
shift
case "$sub" in
  "cache clean") stub_wipe "$cache"; exit 0 ;;
  "cache prune") [ -n "$ci" ] && stub_wipe "$cache"; exit 0 ;;
  sync|add|"pip install"|"pip sync"|"tool install") ;;
  *) exit 0 ;;
esac
case "$sub" in sync|add) stub_need pyproject.toml ;; esac
if [ -n "$off" ]; then stub_off "$off"; exit 0; fi
stub_cache "$cache" "$@"
if [ "$link" != copy ] && [ "$(stub_mount_of "$(stub_real "$cache")")" != "$(stub_mount_of "$(pwd)")" ]; then
  echo "stub-uv: warning: Failed to hardlink files; falling back to full copy."
fi
`;

/**
 * apt-get / apt (apt.conf(5)): downloads go to /var/cache/apt/archives, package lists to
 * /var/lib/apt/lists. After each install, dpkg's Post-Invoke hooks of /etc/apt/apt.conf.d run:
 * the Debian and Ubuntu images' docker-clean deletes the downloaded .debs there. `apt` (not
 * `apt-get`) also deletes them unless APT::Keep-Downloaded-Packages is true.
 */
const APT = `${header('$(basename "$0")', 'update, install, clean; runs the apt.conf.d DPkg::Post-Invoke hooks (docker-clean)')}
archives=/var/cache/apt/archives lists=/var/lib/apt/lists sub= pkgs= keep=
[ "$stub_tool" = apt ] || keep=true
while [ $# -gt 0 ]; do
  case "$1" in
    -o) shift; case "$1" in *Keep-Downloaded-Packages=*) keep=\${1#*=} ;; esac ;;
    -o*) case "$1" in *Keep-Downloaded-Packages=*) keep=\${1#*=} ;; esac ;;
    -t|--target-release|-c|--config-file) shift ;;
    -*) ;;
    *) if [ -z "$sub" ]; then sub=$1; else pkgs="$pkgs $1"; fi ;;
  esac
  shift
done
[ "$stub_uid" = 0 ] || { echo "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)" >&2; exit 100; }
hooks() {
  cat /etc/apt/apt.conf.d/* 2>/dev/null | sed -n "s/^ *$1 *{ *\\"\\(.*\\)\\"; *};.*/\\1/p" | while read -r cmd; do sh -c "$cmd"; done
}
case "$sub" in
  update)
    stub_suffix=.list stub_cache "$lists"
    hooks 'APT::Update::Post-Invoke'; exit 0 ;;
  install|upgrade|dist-upgrade|full-upgrade)
    [ -n "$(ls "$lists" 2>/dev/null | grep -v '^partial$' | grep -v '^lock$')" ] || { echo "E: Unable to locate package\${pkgs%% *}" >&2; exit 100; }
    stub_suffix=.deb stub_cache "$archives" $pkgs
    hooks 'DPkg::Post-Invoke'
    [ "$keep" = true ] || grep -qs 'Keep-Downloaded-Packages *"true"' /etc/apt/apt.conf.d/* || rm -f "$archives"/*.deb
    exit 0 ;;
  clean|autoclean) rm -f "$archives"/*.deb /var/cache/apt/*.bin; echo "stub-$stub_tool: cleaned $archives" ;;
esac
`;

/**
 * Yarn 1 (classic.yarnpkg.com/en/docs/cli/cache): `--cache-folder`, YARN_CACHE_FOLDER,
 * `cache-folder` of .yarnrc, else ~/.cache/yarn, where root's "home" is /usr/local/share; the
 * cache is a versioned folder (v6) inside. Yarn 2+ (a .yarnrc.yml or `yarnPath`): the global
 * cache in `globalFolder` (YARN_GLOBAL_FOLDER, ~/.yarn/berry)/cache, unless `enableGlobalCache`
 * is false, which keeps it in the project's .yarn/cache; `cacheFolder` / YARN_CACHE_FOLDER move it.
 */
const YARN = `${header('yarn', 'install (or none), add; cache clean; yarn 1 and yarn 2+ (.yarnrc.yml)')}
cache= sub= pkgs=
while [ $# -gt 0 ]; do
  case "$1" in
    --cache-folder) shift; cache=$1 ;;
    --cache-folder=*) cache=\${1#*=} ;;
    --modules-folder|--network-timeout|--mutex) shift ;;
    -*) ;;
    *) if [ -z "$sub" ]; then sub=$1; else pkgs="$pkgs $1"; fi ;;
  esac
  shift
done
if [ -f .yarnrc.yml ]; then
  [ -n "$cache" ] || cache=\${YARN_CACHE_FOLDER:-$(stub_config cacheFolder .yarnrc.yml $HOME/.yarnrc.yml)}
  global=\${YARN_ENABLE_GLOBAL_CACHE:-$(stub_config enableGlobalCache .yarnrc.yml $HOME/.yarnrc.yml)}
  folder=\${YARN_GLOBAL_FOLDER:-$(stub_config globalFolder .yarnrc.yml $HOME/.yarnrc.yml)}
  if [ -z "$cache" ]; then
    if [ "$global" = false ]; then cache=$(pwd)/.yarn/cache; else cache=\${folder:-$HOME/.yarn/berry}/cache; fi
  fi
else
  [ -n "$cache" ] || cache=\${YARN_CACHE_FOLDER:-$(stub_config cache-folder .yarnrc $HOME/.yarnrc)}
  if [ -z "$cache" ]; then
    if [ "$stub_uid" = 0 ]; then cache=/usr/local/share/.cache/yarn; else cache=$HOME/.cache/yarn; fi
  fi
  cache=$cache/v6
fi
case "$sub" in
  cache) set -- $pkgs; [ "$1" = clean ] && stub_wipe "$cache"; exit 0 ;;
  ""|install|add) stub_need package.json ;;
  *) exit 0 ;;
esac
stub_cache "$cache" $pkgs
`;

/**
 * pnpm (pnpm.io/npmrc#store-dir): the content-addressable store, `--store-dir`,
 * npm_config_store_dir, `store-dir` of .npmrc, else <pnpm home>/store ($PNPM_HOME,
 * $XDG_DATA_HOME/pnpm, ~/.local/share/pnpm) — but only when the project can hard-link into that
 * home (pnpm's store-path makes a directory there and links a file of the project into it);
 * otherwise the default store goes to .pnpm-store in the topmost directory above the project it
 * can link into. A versioned folder (v10) inside.
 */
const PNPM = `${header('pnpm', 'install/i/add/fetch; store-dir from flag, env, .npmrc, PNPM_HOME')}
store= sub= pkgs=
while [ $# -gt 0 ]; do
  case "$1" in
    --store-dir) shift; store=$1 ;;
    --store-dir=*) store=\${1#*=} ;;
    --filter|-F|--dir|-C|--reporter) shift ;;
    -*) ;;
    *) if [ -z "$sub" ]; then sub=$1; else pkgs="$pkgs $1"; fi ;;
  esac
  shift
done
[ -n "$store" ] || store=\${npm_config_store_dir:-\${NPM_CONFIG_STORE_DIR:-$(stub_config store-dir .npmrc $HOME/.npmrc)}}
if [ -z "$store" ]; then
  # pnpm's check: a file of the project hard-links into a new directory in the home.
  home=\${PNPM_HOME:-\${XDG_DATA_HOME:-$HOME/.local/share}/pnpm}
  probe=$(pwd)/.pnpm-probe-$$
  if mkdir -p "$home/.probe-$$" 2>/dev/null && : >"$probe" 2>/dev/null && ln "$probe" "$home/.probe-$$/f" 2>/dev/null; then store=$home/store
  else
    # Else the topmost directory above the project it can still link into (same filesystem,
    # writable), as pnpm's store-path does: the store lands there, beside the home.
    top=$(pwd)
    while [ "$top" != / ] && [ -w "$(dirname "$top")" ] && [ "$(stub_mount_of "$(dirname "$top")")" = "$(stub_mount_of "$(pwd)")" ]; do top=$(dirname "$top"); done
    store=\${top%/}/.pnpm-store
  fi
  rm -rf "$probe" "$home/.probe-$$" 2>/dev/null
fi
store=\${store%/}/v10
case "$sub" in
  # prune deletes the store files nothing hard-links (with the store in a mount: all, pnpm copied them).
  store) set -- $pkgs; [ "$1" = prune ] && find "$store" -type f -links 1 -exec rm -f {} \\; && echo "stub-pnpm: pruned $store"; exit 0 ;;
  install|i|add|fetch) ;;
  *) exit 0 ;;
esac
stub_need package.json pnpm-lock.yaml
stub_cache "$store" $pkgs
[ "$sub" = fetch ] && exit 0
mkdir -p node_modules/.pnpm 2>/dev/null
for f in "$store"/*; do ln -f "$f" node_modules/.pnpm/ 2>/dev/null || cp "$f" node_modules/.pnpm/ 2>/dev/null; done
stub_installs "$(pwd)/node_modules"
`;

/**
 * Poetry (python-poetry.org/docs/configuration): `cache-dir` = POETRY_CACHE_DIR or config, else
 * ~/.cache/pypoetry ($XDG_CACHE_HOME); `--no-cache` turns the source caches off. Virtual envs go
 * to {cache-dir}/virtualenvs (virtualenvs.path) unless virtualenvs.in-project puts them in
 * ./.venv or virtualenvs.create = false installs into the system: a mount on the cache dir must
 * not hold the environment the image needs.
 */
const POETRY = `${header('poetry', 'install/sync/add; --no-cache; cache clear --all; virtualenvs.*')}
off= sub= pkgs=
while [ $# -gt 0 ]; do
  case "$1" in
    --no-cache) off=--no-cache ;;
    --directory|-C|--project|-P|--only|--with|--without|--extras|-E) shift ;;
    -*) ;;
    *) if [ -z "$sub" ]; then sub=$1; else pkgs="$pkgs $1"; fi ;;
  esac
  shift
done
conf=\${XDG_CONFIG_HOME:-$HOME/.config}/pypoetry/config.toml
cache=\${POETRY_CACHE_DIR:-$(stub_config cache-dir "$conf")}
[ -n "$cache" ] || cache=\${XDG_CACHE_HOME:-$HOME/.cache}/pypoetry
case "$sub" in
  config) set -- $pkgs; mkdir -p "$(dirname "$conf")"; echo "$1 = \\"$2\\"" >>"$conf"; exit 0 ;;
  cache) set -- $pkgs; [ "$1" = clear ] && stub_wipe "$cache"; exit 0 ;;
  install|sync|add|update) ;;
  *) exit 0 ;;
esac
stub_need pyproject.toml
create=\${POETRY_VIRTUALENVS_CREATE:-$(stub_config virtualenvs.create poetry.toml "$conf")}
inproject=\${POETRY_VIRTUALENVS_IN_PROJECT:-$(stub_config virtualenvs.in-project poetry.toml "$conf")}
vpath=\${POETRY_VIRTUALENVS_PATH:-$(stub_config virtualenvs.path poetry.toml "$conf")}
if [ -n "$off" ]; then stub_off "$off"; else stub_cache "$cache/artifacts" $pkgs; fi
if stub_truthy "\${create:-true}"; then
  if stub_truthy "\${inproject:-false}"; then stub_installs "$(pwd)/.venv"; else stub_installs "\${vpath:-$cache/virtualenvs}/app-py3.12"; fi
else stub_installs /usr/local/lib/python3.12/site-packages; fi
`;

/**
 * pipenv (pipenv.pypa.io, advanced "custom cache"): it runs pip with PIP_CACHE_DIR set to its own
 * cache, PIPENV_CACHE_DIR or ~/.cache/pipenv ($XDG_CACHE_HOME); pip still honours a
 * PIP_NO_CACHE_DIR in the environment (any value turns it off). `--system` installs into the
 * system site-packages, else into a virtualenv (PIPENV_VENV_IN_PROJECT: ./.venv; WORKON_HOME,
 * ~/.local/share/virtualenvs).
 */
const PIPENV = `${header('pipenv', 'install/sync [--system]; PIPENV_CACHE_DIR; --clear')}
sub= system= pkgs= clear=
while [ $# -gt 0 ]; do
  case "$1" in
    --system) system=1 ;;
    --clear) clear=1 ;;
    --python|--categories) shift ;;
    -*) ;;
    *) if [ -z "$sub" ]; then sub=$1; else pkgs="$pkgs $1"; fi ;;
  esac
  shift
done
cache=\${PIPENV_CACHE_DIR:-\${XDG_CACHE_HOME:-$HOME/.cache}/pipenv}
[ -n "$clear" ] && stub_wipe "$cache"
case "$sub" in install|sync) ;; *) exit 0 ;; esac
stub_need Pipfile Pipfile.lock
if [ -n "\${PIP_NO_CACHE_DIR+set}" ]; then stub_off PIP_NO_CACHE_DIR
elif ! { mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ]; }; then stub_off "$cache not writable (uid $stub_uid): pip turns it off"
else stub_suffix=.whl stub_cache "$cache" $pkgs; fi
if [ -n "$system" ]; then stub_installs /usr/local/lib/python3.12/site-packages
elif stub_truthy "\${PIPENV_VENV_IN_PROJECT:-}"; then stub_installs "$(pwd)/.venv"
else stub_installs "\${WORKON_HOME:-$HOME/.local/share/virtualenvs}/app"; fi
`;

/**
 * pip (pip.pypa.io, "Caching"): `--cache-dir`, PIP_CACHE_DIR, $XDG_CACHE_HOME/pip, ~/.cache/pip;
 * `--no-cache-dir` (or a prefix of it) and PIP_NO_CACHE_DIR with any value turn it off; `pip
 * cache purge` empties it. Here for pip-sync, which runs `pip install`, and `pip cache purge`.
 */
const PIP = `${header('pip', 'install [-r FILE], cache purge|remove; pip cache variables')}
sub= sub2= files= off= cache=\${PIP_CACHE_DIR:-} pkgs=
[ -n "\${PIP_NO_CACHE_DIR+set}" ] && off=PIP_NO_CACHE_DIR
while [ $# -gt 0 ]; do
  case "$1" in
    --no-cache|--no-cache-d|--no-cache-di|--no-cache-dir) off=--no-cache-dir ;;
    --cache-dir) shift; cache=$1 ;;
    --cache-dir=*) cache=\${1#*=} ;;
    -r|--requirement) shift; files="$files $1" ;;
    -c|--constraint|-i|--index-url|--extra-index-url|-f|--find-links|-t|--target|--prefix) shift ;;
    -*) ;;
    *) if [ -z "$sub" ]; then sub=$1; elif [ -z "$sub2" ]; then sub2=$1; pkgs="$pkgs $1"; else pkgs="$pkgs $1"; fi ;;
  esac
  shift
done
[ -n "$cache" ] || cache=\${XDG_CACHE_HOME:-$HOME/.cache}/pip
case "$sub" in
  cache) case "$sub2" in purge|remove) stub_wipe "$cache" ;; esac; exit 0 ;;
  install|download|wheel) ;;
  *) exit 0 ;;
esac
for f in $files; do [ -f "$f" ] || { echo "ERROR: Could not open requirements file: [Errno 2] No such file or directory: '$f'" >&2; exit 1; }; done
# pip warns and turns its cache off when the user cannot write it.
mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] || off="$cache not writable (uid $stub_uid)"
if [ -n "$off" ]; then stub_off "$off"; else stub_suffix=.whl stub_cache "$cache" $pkgs; fi
stub_installs /usr/local/lib/python3.12/site-packages
`;

/**
 * pip-sync (pip-tools): installs the requirements files (requirements.txt when none is named)
 * with `pip install`, adding --pip-args: pip's cache, flags and variables.
 */
const PIP_SYNC = `#!/bin/sh
# Stub pip-sync: runs the stub pip as pip-tools runs pip.
files= pipargs=
while [ $# -gt 0 ]; do
  case "$1" in
    --pip-args) shift; pipargs=$1 ;;
    --pip-args=*) pipargs=\${1#*=} ;;
    --python-executable|--find-links|-f|--index-url|-i|--extra-index-url) shift ;;
    -*) ;;
    *) files="$files -r $1" ;;
  esac
  shift
done
for f in \${files:--r requirements.txt}; do [ "$f" = -r ] || [ -f "$f" ] || { echo "stub-pip-sync: error: src file $f not found" >&2; exit 2; }; done
exec pip install $pipargs \${files:--r requirements.txt}
`;

/**
 * PDM (pdm-project.org, configuration): `cache_dir` = PDM_CACHE_DIR or `pdm config cache_dir`
 * (~/.config/pdm/config.toml), else ~/.cache/pdm ($XDG_CACHE_HOME). Installs into the project's
 * .venv by default.
 */
const PDM = `${header('pdm', 'install/sync/add; PDM_CACHE_DIR; config cache_dir; cache clear')}
sub= pkgs=
while [ $# -gt 0 ]; do
  case "$1" in
    -p|--project|-G|--group|-L|--lockfile) shift ;;
    -*) ;;
    *) if [ -z "$sub" ]; then sub=$1; else pkgs="$pkgs $1"; fi ;;
  esac
  shift
done
conf=\${XDG_CONFIG_HOME:-$HOME/.config}/pdm/config.toml
cache=\${PDM_CACHE_DIR:-$(stub_config cache_dir "$conf")}
[ -n "$cache" ] || cache=\${XDG_CACHE_HOME:-$HOME/.cache}/pdm
case "$sub" in
  config) set -- $pkgs; mkdir -p "$(dirname "$conf")"; echo "$1 = \\"$2\\"" >>"$conf"; exit 0 ;;
  cache) set -- $pkgs; [ "$1" = clear ] && stub_wipe "$cache"; exit 0 ;;
  install|sync|add) ;;
  *) exit 0 ;;
esac
stub_need pyproject.toml
stub_suffix=.whl stub_cache "$cache" $pkgs
stub_installs "$(pwd)/.venv"
`;

/**
 * conda / mamba / micromamba (conda docs, "pkgs_dirs"): packages are downloaded and extracted to
 * the first writable of CONDA_PKGS_DIRS, else <root prefix>/pkgs, else ~/.conda/pkgs, then
 * linked into the environment (base, envs/<name> or -p). conda's and mamba's root prefix is
 * where they are installed (the directory above their bin/); micromamba's is MAMBA_ROOT_PREFIX
 * (or -r). `clean -a`/`--all`/`-t`/`-p` empties the package cache.
 */
const CONDA = `${header('$(basename "$0")', 'install/create/update/env create|update, clean; CONDA_PKGS_DIRS')}
sub= pkgs= name= prefix= root= clean=
while [ $# -gt 0 ]; do
  case "$1" in
    -n|--name) shift; name=$1 ;;
    -p|--prefix) shift; prefix=$1 ;;
    -r|--root-prefix) shift; root=$1 ;;
    -c|--channel|-f|--file|--override-channels=*) shift ;;
    --all|--tarballs|--packages) clean=1 ;;
    --*) ;;
    -*) case "$1" in *a*|*t*|*p*) clean=1 ;; esac ;;
    *) if [ -z "$sub" ]; then sub=$1; else pkgs="$pkgs $1"; fi ;;
  esac
  shift
done
if [ "$stub_tool" = micromamba ]; then root=\${root:-\${MAMBA_ROOT_PREFIX:-$HOME/micromamba}}
else root=$(cd "$(dirname "$(stub_real "$0")")/.." && pwd); fi
pkgsdir=
for d in $(echo "\${CONDA_PKGS_DIRS:-}" | tr , ' ') "$root/pkgs" "$HOME/.conda/pkgs"; do
  mkdir -p "$d" 2>/dev/null && touch "$d/.stub-probe" 2>/dev/null && rm -f "$d/.stub-probe" && { pkgsdir=$d; break; }
done
case "$sub" in
  clean) [ -n "$clean" ] && stub_wipe "$pkgsdir"; exit 0 ;;
  env) set -- $pkgs; sub="env $1"; shift; pkgs="$*" ;;
esac
case "$sub" in install|create|update|"env create"|"env update") ;; *) exit 0 ;; esac
stub_suffix=.conda stub_cache "$pkgsdir" $pkgs
if [ -n "$prefix" ]; then stub_installs "$prefix"; elif [ -n "$name" ] && [ "$name" != base ]; then stub_installs "$root/envs/$name"; else stub_installs "$root"; fi
`;

/**
 * Go (`go help environment`, `go help modules`): modules go to GOMODCACHE, else
 * <first GOPATH entry>/pkg/mod (GOPATH defaults to ~/go); builds to GOCACHE, else
 * $XDG_CACHE_HOME/go-build or ~/.cache/go-build (GOCACHE=off fails a build since Go 1.12). `go
 * env -w` writes them to $GOENV (~/.config/go/env). `go clean -modcache` / `-cache` empty them.
 */
const GO = `${header('go', 'mod download, build/install/test/run/generate/vet; clean -modcache|-cache; env -w')}
sub= sub2= args= mod= gocache= out= prev=
for a in "$@"; do
  [ "$prev" = -o ] && out=$a
  case "$a" in -o=*) out=\${a#-o=} ;; -*) args="$args $a" ;; *) [ "$prev" = -o ] || { if [ -z "$sub" ]; then sub=$a; elif [ -z "$sub2" ]; then sub2=$a; fi; } ;; esac
  prev=$a
done
envfile=\${GOENV:-\${XDG_CONFIG_HOME:-$HOME/.config}/go/env}
value() { eval "v=\\\${$1:-}"; [ -n "$v" ] || v=$(stub_config "$1" "$envfile"); echo "$v"; }
gopath=$(value GOPATH); gopath=\${gopath:-$HOME/go}
mod=$(value GOMODCACHE); mod=\${mod:-\${gopath%%:*}/pkg/mod}
gocache=$(value GOCACHE); gocache=\${gocache:-\${XDG_CACHE_HOME:-$HOME/.cache}/go-build}
case "$sub" in
  env) [ "$sub2" = -w ] || exit 0; shift 2; mkdir -p "$(dirname "$envfile")"; for kv in "$@"; do echo "$kv" >>"$envfile"; done; exit 0 ;;
  clean) case "$args" in *-modcache*) stub_wipe "$mod" ;; esac; case "$args" in *-cache*) stub_wipe "$gocache" ;; esac; exit 0 ;;
  mod) [ "$sub2" = download ] || exit 0 ;;
  build|install|test|run|generate|vet|get|list) ;;
  *) exit 0 ;;
esac
stub_need go.mod
stub_suffix=.zip stub_cache "$mod"
case "$sub" in
  mod|get|list) ;;
  *) [ "$gocache" = off ] && { echo "build cache is disabled by GOCACHE=off, but required as of Go 1.12" >&2; exit 1; }
     stub_cache "$gocache" ;;
esac
# The binary: -o FILE (or DIR/), else ./app for build, $GOPATH/bin/app for install.
case "$sub" in
  build) case "$out" in '') out=app ;; */) out=\${out}app ;; esac ;;
  install) out=\${GOBIN:-\${gopath%%:*}/bin}/app ;;
  *) out= ;;
esac
[ -n "$out" ] && mkdir -p "$(dirname "$out")" && : >"$out" && chmod +x "$out"
exit 0
`;

/**
 * Cargo (doc.rust-lang.org/cargo/guide/cargo-home.html): downloads go to $CARGO_HOME/registry
 * (index, cache, src) and $CARGO_HOME/git, CARGO_HOME defaulting to ~/.cargo; builds to
 * --target-dir, CARGO_TARGET_DIR or ./target; `cargo install` puts the binary in
 * $CARGO_HOME/bin (or --root/bin), which must stay in the image.
 */
const CARGO = `${header('cargo', 'build/fetch/install/test/check; CARGO_HOME, --target-dir')}
sub= target=\${CARGO_TARGET_DIR:-} root= crates=
while [ $# -gt 0 ]; do
  case "$1" in
    --target-dir) shift; target=$1 ;;
    --target-dir=*) target=\${1#*=} ;;
    --root) shift; root=$1 ;;
    --manifest-path|-p|--package|--bin|--features|-F|--target|-j|--jobs|--profile|--locked-version) shift ;;
    -*) ;;
    *) if [ -z "$sub" ]; then sub=$1; else crates="$crates $1"; fi ;;
  esac
  shift
done
home=\${CARGO_HOME:-$HOME/.cargo}
case "$sub" in build|b|fetch|test|t|check|c|install|run|r) ;; *) exit 0 ;; esac
[ "$sub" = install ] || stub_need Cargo.toml
stub_suffix=.crate stub_cache "$home/registry/cache" $crates
case "$sub" in
  install) stub_installs "\${root:-$home}/bin" ;;
  fetch) ;;
  *) t=\${target:-$(pwd)/target}; mkdir -p "$t/release" && : >"$t/release/app"; echo "stub-cargo: builds into $(stub_real "$t") in $(stub_where "$t")" ;;
esac
`;

/**
 * Maven (maven.apache.org/settings.html, "localRepository"): the local repository is
 * -Dmaven.repo.local (on the command line, in MAVEN_OPTS, MAVEN_ARGS or .mvn/maven.config), else
 * `<localRepository>` of the user settings (-s, ~/.m2/settings.xml) or the global ones
 * ($MAVEN_HOME/conf/settings.xml), else ~/.m2/repository. `dependency:purge-local-repository`
 * empties it.
 */
const MVN = `${header('mvn', 'any goal; maven.repo.local, settings.xml localRepository; ./mvnw')}
args="$* \${MAVEN_ARGS:-} \${MAVEN_OPTS:-} $(cat .mvn/maven.config 2>/dev/null)" repo= settings= pom=pom.xml wrapper=
[ "$1" = --dockopt-stub-wrapper ] && { wrapper=1; shift; }
set -- $args
while [ $# -gt 0 ]; do
  case "$1" in
    -Dmaven.repo.local=*) repo=\${1#*=} ;;
    -D) shift; case "$1" in maven.repo.local=*) repo=\${1#*=} ;; esac ;;
    -s|--settings) shift; settings=$1 ;;
    -f|--file) shift; pom=$1 ;;
  esac
  shift
done
from_settings() { [ -f "$1" ] && sed -n 's:.*<localRepository>\\(.*\\)</localRepository>.*:\\1:p' "$1" | head -n 1; }
[ -n "$repo" ] || repo=$(from_settings "\${settings:-$HOME/.m2/settings.xml}")
[ -n "$repo" ] || repo=$(from_settings "\${MAVEN_HOME:-/usr/share/maven}/conf/settings.xml")
[ -n "$repo" ] || repo=$HOME/.m2/repository
case "$args" in *dependency:purge-local-repository*) stub_wipe "$repo"; exit 0 ;; esac
stub_need "$pom"
[ -n "$wrapper" ] && stub_suffix=.zip stub_cache "$HOME/.m2/wrapper/dists" maven
stub_suffix=.jar stub_cache "$repo"
case "$args" in *package*|*install*|*verify*) mkdir -p target && : >target/app.jar ;; esac
exit 0
`;

/**
 * Gradle (docs.gradle.org, "Gradle user home"): -g/--gradle-user-home, -Dgradle.user.home (also
 * in GRADLE_OPTS), GRADLE_USER_HOME, else ~/.gradle; dependencies go to <home>/caches, the
 * wrapper's distribution to <home>/wrapper/dists, native libraries and daemon logs to
 * <home>/native and <home>/daemon. A build needs a settings or build script.
 */
const GRADLE = `${header('gradle', 'any task; gradle user home; ./gradlew')}
home=\${GRADLE_USER_HOME:-} wrapper=
[ "$1" = --dockopt-stub-wrapper ] && { wrapper=1; shift; }
set -- "$@" \${GRADLE_OPTS:-}
while [ $# -gt 0 ]; do
  case "$1" in
    -g|--gradle-user-home) shift; home=$1 ;;
    --gradle-user-home=*) home=\${1#*=} ;;
    -Dgradle.user.home=*) home=\${1#*=} ;;
  esac
  shift
done
home=\${home:-$HOME/.gradle}
stub_need settings.gradle settings.gradle.kts build.gradle build.gradle.kts
# Gradle also writes its native libraries and daemon logs into the user home, beside the caches.
mkdir -p "$home/native" "$home/daemon" 2>/dev/null || { echo "stub-gradle: error: Could not create directory '$home/native' (uid $stub_uid)" >&2; exit 1; }
[ -n "$wrapper" ] && stub_suffix=.zip stub_cache "$home/wrapper/dists" gradle-bin
stub_suffix=.jar stub_cache "$home/caches/modules-2"
mkdir -p build/libs && : >build/libs/app.jar
`;

/** `corepack enable` and `npm install -g pnpm|yarn`: the stubs are already on PATH. */
const NOOP = `#!/bin/sh
exit 0
`;

/**
 * The stubs, by the manager's docs anchor (`### <manager>` on the rule pages, `anchor` of its
 * PackageManager entry): the commands it puts on PATH, and the manifest files a `COPY . .` of
 * its project brings (the stubs check for them, as the real tools do).
 */
export interface ManagerStub {
  /** Path in the stand-in image → script. Most go to /usr/local/bin; conda's live in its prefix. */
  files: Record<string, string>;
  /** Project files the stub needs in its working directory. */
  manifests: string[];
}

export const MANAGER_STUBS: Record<string, ManagerStub> = {
  apk: { files: { '/usr/local/bin/apk': APK }, manifests: [] },
  uv: { files: { '/usr/local/bin/uv': UV }, manifests: ['pyproject.toml', 'uv.lock'] },
  apt: { files: { '/usr/local/bin/apt-get': APT, '/usr/local/bin/apt': APT }, manifests: [] },
  yarn: { files: { '/usr/local/bin/yarn': YARN }, manifests: ['package.json', 'yarn.lock'] },
  pnpm: { files: { '/usr/local/bin/pnpm': PNPM }, manifests: ['package.json', 'pnpm-lock.yaml'] },
  poetry: { files: { '/usr/local/bin/poetry': POETRY }, manifests: ['pyproject.toml', 'poetry.lock'] },
  pipenv: { files: { '/usr/local/bin/pipenv': PIPENV }, manifests: ['Pipfile', 'Pipfile.lock'] },
  'pip-sync': { files: { '/usr/local/bin/pip-sync': PIP_SYNC, '/usr/local/bin/pip': PIP }, manifests: ['requirements.txt'] },
  pdm: { files: { '/usr/local/bin/pdm': PDM }, manifests: ['pyproject.toml', 'pdm.lock'] },
  // Only in the conda images, under their names and in their prefix (test/helpers/manager-stand-ins.ts).
  conda: { files: {}, manifests: ['environment.yml'] },
  go: { files: { '/usr/local/bin/go': GO }, manifests: ['go.mod', 'go.sum'] },
  cargo: { files: { '/usr/local/bin/cargo': CARGO }, manifests: ['Cargo.toml', 'Cargo.lock'] },
  maven: { files: { '/usr/local/bin/mvn': MVN }, manifests: ['pom.xml'] },
  gradle: { files: { '/usr/local/bin/gradle': GRADLE }, manifests: ['settings.gradle', 'build.gradle'] },
};

/** Debian's useradd / groupadd, which busybox lacks (it has adduser / addgroup): the options pairs use. */
const USERADD = `#!/bin/sh
uid= gid= home= make=
while [ $# -gt 1 ]; do
  case "$1" in
    -u|--uid) uid=$2; shift ;;
    -g|--gid) gid=$2; shift ;;
    -d|--home-dir) home=$2; shift ;;
    -m|--create-home) make=1 ;;
    -s|--shell|-c|--comment|-G|--groups|-K) shift ;;
  esac
  shift
done
uid=\${uid:-$(awk -F: 'BEGIN { n = 1000 } $3 >= n && $3 < 60000 { n = $3 + 1 } END { print n }' /etc/passwd)}
case "$gid" in ''|*[!0-9]*) g=$(awk -F: -v n="$gid" '$1 == n { print $3 }' /etc/group); gid=\${g:-$uid} ;; esac
home=\${home:-/home/$1}
grep -q "^$1:" /etc/group || echo "$1:x:$gid:" >>/etc/group
echo "$1:x:$uid:$gid::$home:/bin/sh" >>/etc/passwd
[ -n "$make" ] && mkdir -p "$home" && chown "$uid:$gid" "$home"
exit 0
`;
const GROUPADD = `#!/bin/sh
gid=
while [ $# -gt 1 ]; do case "$1" in -g|--gid) gid=$2; shift ;; esac; shift; done
echo "$1:x:\${gid:-1000}:" >>/etc/group
`;

/** Always on PATH: what pairs run besides the managers (corepack and `npm i -g pnpm`: the stubs are there already). */
export const HELPER_COMMANDS: Record<string, string> = {
  '/usr/local/bin/corepack': NOOP,
  '/usr/local/bin/npm': NOOP,
  '/usr/sbin/useradd': USERADD,
  '/usr/sbin/groupadd': GROUPADD,
};

/** The conda stub under the names conda images have it (`conda`, `mamba`, `micromamba`). */
export const CONDA_STUB = CONDA;

/** A project's `./gradlew` or `./mvnw` (copied from the build context): the wrapper runs the stub. */
export function wrapperScript(name: string): string | undefined {
  const tool = { gradlew: 'gradle', mvnw: 'mvn' }[name];
  return tool ? `#!/bin/sh\nexec /usr/local/bin/${tool} --dockopt-stub-wrapper "$@"\n` : undefined;
}
