#!/usr/bin/env bash
# Installs everything SaleSpider needs to build, test and run on Debian 12, and
# nothing else: Debian packages, the Dear ImGui and SQLite sources from Debian 13
# source packages (pinned by the upstream tarball's sha256), and the npm packages
# of the browser tests from the committed package-lock.json.
#
# Idempotent: a second run installs nothing and downloads nothing. Downloads are
# kept in $SALESPIDER_CACHE (default ~/.cache/salespider), outside the clone.
# It does not build SaleSpider itself; the Makefile does that.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${SALESPIDER_CACHE:-$HOME/.cache/salespider}
deps_dir=${SALESPIDER_DEPS_DIR:-$root/build/deps}

# Debian packages: one list, grouped by what needs them.
packages=(
  # native build
  build-essential cmake ninja-build pkg-config git ca-certificates xz-utils ccache
  libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev libpqxx-dev libpq-dev
  libargon2-dev nlohmann-json3-dev libspdlog-dev libcli11-dev libqrencode-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  # lld links the ~60 test programs 5x faster than ld.bfd (their debug info is
  # most of what a link reads): minutes off every clean build
  lld
  # wasm build (Emscripten 3.1.6) and the fuzz build (clang 14 + libFuzzer)
  emscripten clang-14 libclang-rt-14-dev
  # sources for the wasm build: apt-get source, and tcl to make sqlite3.c
  dpkg-dev tcl
  # running: database, backups, certificates, fonts baked into the till
  postgresql pgbackrest openssl fonts-dejavu-core fonts-noto-core
  # precompressed copies of the till's files (.br, .gz) for the static handler;
  # rsvg-convert renders the PWA icons from www/icon.svg
  brotli gzip librsvg2-bin
  # the message catalogue: msgfmt checks every .po at build time, `make messages`
  # and the messages_catalogue test run xgettext and msgmerge
  gettext
  # browser tests
  chromium libnss3-tools
  # benchmarks: HTTP load on a running server (bench/http_load_bench.sh; jq
  # reads its answers)
  wrk jq
)

imgui_version=1.90.1
imgui_orig=imgui_${imgui_version}+ds.orig.tar.xz
imgui_sha=ecce377df0f90b292f15dcbd83d438bddc162b2388c881132bde18c787572a1c
sqlite_version=3.46.1
sqlite_orig=sqlite3_${sqlite_version}.orig.tar.xz
sqlite_sha=d0cdd2ece271b29e7ce18095745d892517ee26d0f270065b3a25c2e9eb11639c

say() { printf 'deps: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=no
apt_update() {
  [ "$apt_updated" = yes ] && return
  say "apt-get update"
  as_root apt-get update -qq
  apt_updated=yes
}

install_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  apt_update
  say "installing ${missing[*]}"
  # apt's unpack chatter runs to thousands of lines; show it only on failure.
  local log
  log=$(mktemp)
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "${missing[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "deps: apt-get install failed" >&2
    exit 1
  fi
  rm -f "$log"
}

# Node.js: Debian's nodejs 18 on a fresh machine; a node that is already there
# (any version >= 18) is kept, since replacing it would break its owner's setup.
ensure_node() {
  if command -v node >/dev/null && command -v npm >/dev/null; then return; fi
  install_packages nodejs npm
}

# The trixie deb-src entry reuses whichever Debian mirror this machine's apt
# already uses for bookworm, so no host name is written down here.
ensure_trixie_sources() {
  local list=/etc/apt/sources.list.d/salespider-trixie-src.list
  [ -f "$list" ] && return
  apt_update
  local mirror
  mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' | awk '$2=="bookworm"{print $1; exit}')
  [ -n "$mirror" ] || { echo "deps: cannot find the Debian mirror apt uses for bookworm" >&2; exit 1; }
  say "adding deb-src for trixie from $mirror"
  echo "deb-src ${mirror%/} trixie main" | as_root tee "$list" >/dev/null
  as_root apt-get update -qq
}

sha_ok() { [ -f "$1" ] && echo "$2  $1" | sha256sum -c --status; }

# fetch_orig SOURCE-PACKAGE FILE SHA256 -> prints the cached path
fetch_orig() {
  local pkg=$1 file=$2 sha=$3
  local dest=$cache/src/$sha/$file
  if ! sha_ok "$dest" "$sha"; then
    ensure_trixie_sources
    local tmp
    tmp=$(mktemp -d)
    say "downloading source package $pkg/trixie"
    (cd "$tmp" && apt-get source --download-only -qq "$pkg/trixie" >/dev/null 2>&1) ||
      { echo "deps: apt-get source $pkg/trixie failed" >&2; exit 1; }
    if ! sha_ok "$tmp/$file" "$sha"; then
      echo "deps: $file from $pkg/trixie does not have sha256 $sha" >&2
      exit 1
    fi
    mkdir -p "$(dirname "$dest")"
    mv "$tmp/$file" "$dest"
    rm -rf "$tmp"
  fi
  printf '%s\n' "$dest"
}

ensure_imgui() {
  local dir=$deps_dir/imgui-$imgui_version
  [ -f "$dir/.sha256" ] && [ "$(cat "$dir/.sha256")" = "$imgui_sha" ] && return
  local tarball
  tarball=$(fetch_orig imgui "$imgui_orig" "$imgui_sha")
  rm -rf "$dir" && mkdir -p "$dir"
  tar -xJf "$tarball" -C "$dir" --strip-components=1
  echo "$imgui_sha" > "$dir/.sha256"
  say "Dear ImGui $imgui_version in $dir"
}

# The amalgamation takes ~25 s to make, so the result is cached by the
# tarball's sha256 too.
ensure_sqlite() {
  local dir=$deps_dir/sqlite-$sqlite_version
  [ -f "$dir/.sha256" ] && [ "$(cat "$dir/.sha256")" = "$sqlite_sha" ] && return
  local built=$cache/sqlite-amalgamation/$sqlite_sha
  if [ ! -f "$built/sqlite3.c" ] || [ ! -f "$built/sqlite3.h" ]; then
    local tarball tmp
    tarball=$(fetch_orig sqlite3 "$sqlite_orig" "$sqlite_sha")
    tmp=$(mktemp -d)
    tar -xJf "$tarball" -C "$tmp" --strip-components=1
    say "making the SQLite $sqlite_version amalgamation"
    (mkdir -p "$tmp/bld" && cd "$tmp/bld" && ../configure >/dev/null && make -s sqlite3.c >/dev/null)
    mkdir -p "$built"
    cp "$tmp/bld/sqlite3.c" "$tmp/bld/sqlite3.h" "$tmp/bld/sqlite3ext.h" "$built/"
    rm -rf "$tmp"
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$built"/sqlite3.c "$built"/sqlite3.h "$built"/sqlite3ext.h "$dir/"
  echo "$sqlite_sha" > "$dir/.sha256"
  say "SQLite $sqlite_version amalgamation in $dir"
}

ensure_npm_packages() {
  local dir=$root/tests/browser
  local stamp=$dir/node_modules/.salespider-lock-sha256
  local want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return
  say "npm ci in tests/browser"
  (cd "$dir" && npm ci --no-audit --no-fund --cache "$cache/npm" --prefer-offline >/dev/null)
  echo "$want" > "$stamp"
}

main() {
  install_packages "${packages[@]}"
  ensure_node
  mkdir -p "$cache" "$deps_dir"
  ensure_imgui
  ensure_sqlite
  ensure_npm_packages
  say "all dependencies present"
}

main "$@"
