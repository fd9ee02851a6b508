// The till's SQLite for bench/sqlite_compare_bench.mjs: the same amalgamation
// and defines as wasm-client/CMakeLists.txt (salespider_sqlite), linked into a
// module of its own with the C API exported, plus the till's page VFS
// (store/mem_vfs.cpp) so a database can be opened the way the till opens it.
// Nothing else of the till: no journal, no IndexedDB, no UI.
#include "store/mem_vfs.hpp"

namespace {

// One page VFS, registered for this module's life.
salespider::store::MemVfs* vfs() {
  static auto made = salespider::store::MemVfs::create();
  return made ? made.value().get() : nullptr;
}

}  // namespace

// The VFS's name (to pass to sqlite3_open_v2), or null if it could not be made.
extern "C" const char* bench_mem_vfs_name() { return vfs() ? vfs()->name() : nullptr; }

// Drops a closed database file from the VFS (it keeps its files in memory
// until then), so each run starts from nothing and memory does not pile up.
extern "C" void bench_mem_vfs_remove(const char* path) {
  if (vfs()) vfs()->remove(path);
}
