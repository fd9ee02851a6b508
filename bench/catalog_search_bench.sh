#!/usr/bin/env bash
# The till's product search at the store level, under node (wasm, no
# browser): a 100,000-product bootstrap through the ChangeApplier, the
# search index build, per-keystroke query times for typed prefixes of 1-6
# characters, and incremental pulls. The benchmark is a disabled GoogleTest
# in tests/client/catalog_search_bench.cpp, built with the client tests.
# Usage: bench/catalog_search_bench.sh [build dir, default build/wasm]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir=${1:-build/wasm}
export NODE_PATH=/usr/share/nodejs
[ -f "$dir/CMakeCache.txt" ] || cmake --preset wasm -B "$dir" >/dev/null
cmake --build "$dir" --target client_sync_tests
node --no-experimental-fetch "$dir/tests/client/client_sync_tests.js" \
  --gtest_also_run_disabled_tests --gtest_filter='CatalogSearchBench.*'
