#!/usr/bin/env bash
# Builds "ours" for bench/sqlite_compare_bench.mjs: SQLite 3.46.1 with the
# till's defines and -O3 (wasm-client/CMakeLists.txt, salespider_sqlite: keep
# the two lists the same) and the till's page VFS, as an ES module exporting
# the C API. Usage: build_ours.sh <out dir> (writes sqlite-ours.mjs + .wasm).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:?out dir}
deps=${SALESPIDER_DEPS_DIR:-$repo/build/deps}
src=$deps/sqlite-3.46.1
mkdir -p "$out"
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}  # the Emscripten optimizer needs acorn
defines=(-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_ENABLE_FTS5 -DSQLITE_DEFAULT_MEMSTATUS=0
         -DSQLITE_TEMP_STORE=3 -DSQLITE_DQS=0)
# The amalgamation takes minutes under emcc: compiled again only when missing.
[ -f "$out/sqlite3.o" ] || emcc "${defines[@]}" -O3 -w -c "$src/sqlite3.c" -o "$out/sqlite3.o"
em++ -std=c++20 -O3 -DJSON_NOEXCEPTION=1 -I"$repo/wasm-client" -I"$repo/shared/include" -isystem "$src" \
  -c "$repo/wasm-client/store/mem_vfs.cpp" -o "$out/mem_vfs.o"
em++ -std=c++20 -O3 -I"$repo/wasm-client" -I"$repo/shared/include" -isystem "$src" \
  -c "$repo/bench/sqlite-compare/ours_shim.cpp" -o "$out/ours_shim.o"
fns=_bench_mem_vfs_name,_bench_mem_vfs_remove,_sqlite3_open_v2,_sqlite3_close_v2,_sqlite3_exec,_sqlite3_prepare_v2,_sqlite3_step
fns+=,_sqlite3_reset,_sqlite3_finalize,_sqlite3_bind_int,_sqlite3_bind_text,_sqlite3_column_int
fns+=,_sqlite3_column_text,_sqlite3_column_bytes,_sqlite3_errmsg,_sqlite3_malloc,_sqlite3_free
fns+=,_sqlite3_clear_bindings,_sqlite3_libversion
em++ -O3 "$out/sqlite3.o" "$out/mem_vfs.o" "$out/ours_shim.o" -o "$out/sqlite-ours.mjs" \
  -sMODULARIZE=1 -sEXPORT_ES6=1 -sENVIRONMENT=web -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=33554432 \
  -sEXPORTED_FUNCTIONS="$fns" -sEXPORTED_RUNTIME_METHODS=HEAPU8
echo "built $out/sqlite-ours.mjs"
