// The till's own SQLite VFS: every file lives in memory as an array of
// fixed-size pages, and the pages SQLite writes are remembered as DIRTY, so
// persisting the database means writing only those pages (store.cpp sends
// them to IndexedDB) instead of the whole file, as IDBFS would.
//
// Implemented: open/read/write/truncate/size/delete/access for any number of
// named files (the main database, plus temp files SQLite may ask for);
// locking is a no-op (one connection, one thread; a second tab is kept out by
// a Web Lock in www/storage.js); xSync is a no-op (durability is the
// snapshot's job, not SQLite's). Randomness, sleep and time come from
// SQLite's default VFS.
// Not implemented: shared memory (so no WAL: use journal_mode=MEMORY), memory
// mapping, loading extensions.
#pragma once

#include "store/store_result.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace salespider::store {

inline constexpr std::uint32_t kDefaultPageSize = 4096;

// A database file as IndexedDB holds it: page i covers bytes
// [i * page_size, (i + 1) * page_size).
struct PageImage {
  std::uint32_t page_size = kDefaultPageSize;
  std::vector<std::vector<std::uint8_t>> pages;
};

class MemFile {
 public:
  explicit MemFile(std::uint32_t page_size = kDefaultPageSize) : page_size_(page_size) {}
  // Adopts a persisted image; nothing is dirty afterwards. Refuses images
  // whose page size is not a power of two in 512..65536 or whose pages are
  // not all exactly page_size bytes.
  static Result<MemFile> from_image(PageImage image);

  // Copies out what exists; the rest of `out` is zeroed. Returns the number
  // of bytes that existed (less than amount: a short read).
  std::size_t read(std::span<std::uint8_t> out, std::uint64_t offset) const;
  void write(std::span<const std::uint8_t> data, std::uint64_t offset);
  void truncate(std::uint64_t size);

  std::uint64_t size() const { return size_; }
  std::uint32_t page_size() const { return page_size_; }
  std::uint32_t page_count() const { return static_cast<std::uint32_t>(pages_.size()); }
  std::span<const std::uint8_t> page(std::uint32_t index) const { return pages_.at(index); }

  // Pages written since the last clear_dirty(), in ascending order.
  const std::set<std::uint32_t>& dirty() const { return dirty_; }
  void clear_dirty() { dirty_.clear(); }
  // A snapshot that failed puts its pages back (those still in the file).
  void mark_dirty(std::uint32_t index);
  void mark_all_dirty();

  PageImage image() const;

  // Keeps the bytes of `pages` where they are, unchanged, until unpin(): a
  // write to a pinned page (or a truncate dropping it) first moves the
  // pinned bytes aside and gives the file a copy. So a snapshot's pages can
  // be read after the snapshot was handed over, while SQLite goes on
  // writing (copying 61 MB of pages at once froze the page for ~90 ms).
  // One pinned set at a time: pin() replaces it.
  void pin(std::span<const std::uint32_t> pages);
  void unpin();

 private:
  void unshare(std::size_t index);

  std::uint32_t page_size_;
  std::uint64_t size_ = 0;
  std::vector<std::vector<std::uint8_t>> pages_;
  std::set<std::uint32_t> dirty_;
  std::vector<bool> pinned_;  // by page index; empty when nothing is pinned
  std::vector<std::vector<std::uint8_t>> moved_aside_;  // pinned bytes the file no longer holds
};

// Registers itself with SQLite under a unique name for its lifetime; owns the
// files opened through it. Not movable: SQLite keeps a pointer to it.
class MemVfs {
 public:
  static Result<std::unique_ptr<MemVfs>> create();
  ~MemVfs();
  MemVfs(const MemVfs&) = delete;
  MemVfs& operator=(const MemVfs&) = delete;

  // The name to pass to sqlite3_open_v2().
  const char* name() const { return name_.c_str(); }

  MemFile* find(const std::string& path);
  // Creates or replaces a file (call while no connection has it open).
  MemFile& put(const std::string& path, MemFile file);
  void remove(const std::string& path);

 private:
  MemVfs() = default;
  friend struct VfsCallbacks;

  sqlite3_vfs vfs_{};
  std::string name_;
  sqlite3_vfs* fallback_ = nullptr;
  std::map<std::string, std::unique_ptr<MemFile>> files_;
  std::uint64_t temp_counter_ = 0;
};

}  // namespace salespider::store
