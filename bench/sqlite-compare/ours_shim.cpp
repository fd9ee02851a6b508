// The till's SQLite for bench/sqlite_compare_bench.mjs: the same amalgamation
// and defines as wasm-client/CMakeLists.txt (salespider_sqlite), linked into a
// module of its own with the C API exported, plus the till's page VFS
// (store/mem_vfs.cpp) so a database can be opened the way the till opens it.
// Nothing else of the till: no journal, no IndexedDB, no UI.
#include "store/mem_vfs.hpp"

// The name of a page VFS registered once for this module's life (to pass to
// sqlite3_open_v2), or null if it could not be made.
extern "C" const char* bench_mem_vfs_name() {
  static auto vfs = salespider::store::MemVfs::create();
  return vfs ? vfs.value()->name() : nullptr;
}
