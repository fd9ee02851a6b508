#!/usr/bin/env bash
# Installs the pinned npm packages of bench/pouchdb_bench.mjs (pouchdb and
# pouchdb-server, exactly as bench/package-lock.json says) into
# build/bench/pouchdb/node_modules, once per lock file: the only network it
# uses is the npm registry, through `npm ci`. node_modules is never committed.
# It does not run the bench (bench/run.sh does). Prints the install directory.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${SALESPIDER_CACHE:-$HOME/.cache/salespider}
dir=$root/build/bench/pouchdb
stamp=$dir/node_modules/.salespider-lock-sha256
want=$(sha256sum "$root/bench/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  mkdir -p "$dir"
  cp "$root/bench/package.json" "$root/bench/package-lock.json" "$dir/"
  echo "pouchdb_setup: npm ci in $dir" >&2
  # --ignore-scripts: leveldown loads the prebuilt binary its tarball ships
  # (node-gyp-build at run time), so nothing is compiled; install scripts
  # would also try hosts other than the registry (sqlite3's node-pre-gyp, for
  # pouchdb-server's websql adapter, which the bench does not use).
  rm -rf "$dir/node_modules"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --cache "$cache/npm" --prefer-offline >/dev/null)
  echo "$want" > "$stamp"
fi
echo "$dir"
