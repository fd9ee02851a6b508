#!/usr/bin/env bash
# Puts the camera scanner's fallback decoder into OUT_DIR:
#   zxing_reader.js    zxing-wasm's reader as a classic script (global ZXingWASM;
#                      www/scanner.js loads it into its worker with importScripts)
#   zxing_reader.wasm  zxing-cpp compiled to wasm, which that script instantiates
# exactly as package-lock.json pins them (npm ci checks each tarball's
# integrity hash). The install lives outside the clone, in
# $SALESPIDER_CACHE/scanner/<sha256 of package-lock.json> (default cache
# ~/.cache/salespider), made once per lock file; the only network it uses is
# the npm registry. Nothing from node_modules is committed or copied besides
# these two files; a file already identical in OUT_DIR is left alone (its
# mtime, and with it the server's ETag, stays).
#
# Usage: wasm-client/scanner/fetch.sh OUT_DIR
# Called by the wasm build (wasm-client/scanner/scanner.cmake) and by
# tests/browser/scanner.test.mjs. It does not touch www/scanner.js.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
out=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${SALESPIDER_CACHE:-$HOME/.cache/salespider}
lock_sha=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
dir=$cache/scanner/$lock_sha
pkg=$dir/node_modules/zxing-wasm

if [ ! -f "$dir/.complete" ]; then
  echo "scanner/fetch.sh: npm ci into $dir" >&2
  mkdir -p "$cache/scanner"
  # Installed beside the final place and renamed into it, so a build and a
  # test running at once never see half an install.
  tmp=$(mktemp -d "$cache/scanner/.install-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  cp "$here/package.json" "$here/package-lock.json" "$tmp/"
  # --ignore-scripts: the package ships its built files; nothing runs at install.
  (cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund --cache "$cache/npm" --prefer-offline >/dev/null)
  touch "$tmp/.complete"
  if ! mv -T "$tmp" "$dir" 2>/dev/null; then
    [ -f "$dir/.complete" ] || { echo "scanner/fetch.sh: cannot install into $dir" >&2; exit 1; }
  fi
fi

# The reader script names the sha256 of the wasm it was built with: a pair
# that does not match would fail in the browser, long after the build.
want=$(grep -o 'ZXING_WASM_SHA256=`[0-9a-f]*`' "$pkg/dist/iife/reader/index.js" | tr -dc '0-9a-f' | tail -c 64)
have=$(sha256sum "$pkg/dist/reader/zxing_reader.wasm" | cut -d' ' -f1)
if [ "$want" != "$have" ]; then
  echo "scanner/fetch.sh: zxing_reader.wasm (sha256 $have) is not the one its script expects ($want)" >&2
  exit 1
fi

mkdir -p "$out"
copy() {
  if ! cmp -s "$1" "$2"; then cp "$1" "$2"; fi
}
copy "$pkg/dist/iife/reader/index.js" "$out/zxing_reader.js"
copy "$pkg/dist/reader/zxing_reader.wasm" "$out/zxing_reader.wasm"
