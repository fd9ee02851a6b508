// MemFile (pages + dirty set) and the sqlite3_vfs / sqlite3_io_methods
// callbacks that expose it to SQLite. SQLite allocates each open file's
// struct (szOsFile bytes); ours is a plain struct whose first member is the
// sqlite3_file SQLite knows about, pointing at a MemFile the MemVfs owns.
#include "store/mem_vfs.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>
#include <utility>

namespace salespider::store {

Result<MemFile> MemFile::from_image(PageImage image) {
  const std::uint32_t ps = image.page_size;
  if (ps < 512 || ps > 65536 || (ps & (ps - 1)) != 0)
    return store_error(StoreErrc::corrupt_image, "page size " + std::to_string(ps) + " is not valid");
  for (std::size_t i = 0; i < image.pages.size(); ++i) {
    if (image.pages[i].size() != ps)
      return store_error(StoreErrc::corrupt_image, "page " + std::to_string(i) + " has " +
                                                       std::to_string(image.pages[i].size()) +
                                                       " bytes, expected " + std::to_string(ps));
  }
  MemFile file(ps);
  file.size_ = static_cast<std::uint64_t>(image.pages.size()) * ps;
  file.pages_ = std::move(image.pages);
  return file;
}

std::size_t MemFile::read(std::span<std::uint8_t> out, std::uint64_t offset) const {
  std::size_t done = 0;
  while (done < out.size() && offset + done < size_) {
    const std::uint64_t pos = offset + done;
    const auto index = static_cast<std::size_t>(pos / page_size_);
    const auto in_page = static_cast<std::size_t>(pos % page_size_);
    const std::size_t n = std::min<std::size_t>(
        {out.size() - done, page_size_ - in_page, static_cast<std::size_t>(size_ - pos)});
    std::memcpy(out.data() + done, pages_[index].data() + in_page, n);
    done += n;
  }
  // SQLite requires the unread tail to be zero-filled on a short read.
  if (done < out.size()) std::memset(out.data() + done, 0, out.size() - done);
  return done;
}

void MemFile::write(std::span<const std::uint8_t> data, std::uint64_t offset) {
  const std::uint64_t end = offset + data.size();
  const auto needed = static_cast<std::size_t>((end + page_size_ - 1) / page_size_);
  // Pages between the old end and `offset` (a write past the end) become
  // zero pages; they are dirty too, since IndexedDB does not have them.
  while (pages_.size() < needed) {
    dirty_.insert(static_cast<std::uint32_t>(pages_.size()));
    pages_.emplace_back(page_size_, std::uint8_t{0});
  }
  std::size_t done = 0;
  while (done < data.size()) {
    const std::uint64_t pos = offset + done;
    const auto index = static_cast<std::size_t>(pos / page_size_);
    const auto in_page = static_cast<std::size_t>(pos % page_size_);
    const std::size_t n = std::min<std::size_t>(data.size() - done, page_size_ - in_page);
    unshare(index);
    std::memcpy(pages_[index].data() + in_page, data.data() + done, n);
    dirty_.insert(static_cast<std::uint32_t>(index));
    done += n;
  }
  size_ = std::max(size_, end);
}

void MemFile::truncate(std::uint64_t size) {
  if (size >= size_) return;
  const auto keep = static_cast<std::size_t>((size + page_size_ - 1) / page_size_);
  for (std::size_t i = keep; i < pages_.size(); ++i) unshare(i);
  pages_.resize(keep);
  dirty_.erase(dirty_.lower_bound(static_cast<std::uint32_t>(keep)), dirty_.end());
  // Zero the cut-off tail of the last page so a later extension reads zeros.
  if (const auto in_page = static_cast<std::size_t>(size % page_size_); in_page != 0) {
    unshare(keep - 1);
    std::fill(pages_.back().begin() + static_cast<std::ptrdiff_t>(in_page), pages_.back().end(),
              std::uint8_t{0});
    dirty_.insert(static_cast<std::uint32_t>(keep - 1));
  }
  size_ = size;
}

void MemFile::mark_dirty(std::uint32_t index) {
  if (index < pages_.size()) dirty_.insert(index);
}

void MemFile::mark_all_dirty() {
  for (std::uint32_t i = 0; i < pages_.size(); ++i) dirty_.insert(i);
}

PageImage MemFile::image() const {
  return PageImage{page_size_, pages_};
}

void MemFile::pin(std::span<const std::uint32_t> pages) {
  unpin();
  pinned_.assign(pages_.size(), false);
  for (const std::uint32_t i : pages)
    if (i < pinned_.size()) pinned_[i] = true;
}

void MemFile::unpin() {
  pinned_.clear();
  moved_aside_.clear();
}

void MemFile::unshare(std::size_t index) {
  if (index >= pinned_.size() || !pinned_[index]) return;
  pinned_[index] = false;
  // Moving a vector keeps its buffer where it is: the pinned bytes stay put.
  moved_aside_.push_back(std::move(pages_[index]));
  pages_[index] = moved_aside_.back();
}

// --- SQLite glue --------------------------------------------------------------

namespace {

struct OpenFile {
  sqlite3_file base;  // first: SQLite casts between the two
  MemFile* file;      // owned by the MemVfs
  MemVfs* vfs;
  bool delete_on_close;
  char path[96];  // only used for temp files that delete on close
};

constexpr int kMaxPath = 512;

}  // namespace

struct VfsCallbacks {
  static MemVfs& vfs_of(sqlite3_vfs* v) { return *static_cast<MemVfs*>(v->pAppData); }
  static OpenFile& file_of(sqlite3_file* f) { return *reinterpret_cast<OpenFile*>(f); }

  static int close(sqlite3_file* f) {
    OpenFile& of = file_of(f);
    if (of.delete_on_close) of.vfs->remove(of.path);
    of.file = nullptr;
    return SQLITE_OK;
  }

  static int read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
    const std::size_t n = file_of(f).file->read(
        std::span<std::uint8_t>(static_cast<std::uint8_t*>(out), static_cast<std::size_t>(amount)),
        static_cast<std::uint64_t>(offset));
    return n == static_cast<std::size_t>(amount) ? SQLITE_OK : SQLITE_IOERR_SHORT_READ;
  }

  static int write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    file_of(f).file->write(std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(data),
                                                         static_cast<std::size_t>(amount)),
                           static_cast<std::uint64_t>(offset));
    return SQLITE_OK;
  }

  static int truncate(sqlite3_file* f, sqlite3_int64 size) {
    file_of(f).file->truncate(static_cast<std::uint64_t>(size));
    return SQLITE_OK;
  }

  static int sync(sqlite3_file*, int) { return SQLITE_OK; }

  static int file_size(sqlite3_file* f, sqlite3_int64* size) {
    *size = static_cast<sqlite3_int64>(file_of(f).file->size());
    return SQLITE_OK;
  }

  static int lock(sqlite3_file*, int) { return SQLITE_OK; }
  static int unlock(sqlite3_file*, int) { return SQLITE_OK; }
  static int check_reserved_lock(sqlite3_file*, int* out) {
    *out = 0;
    return SQLITE_OK;
  }
  static int file_control(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
  static int sector_size(sqlite3_file* f) { return static_cast<int>(file_of(f).file->page_size()); }
  static int device_characteristics(sqlite3_file*) {
    return SQLITE_IOCAP_SAFE_APPEND | SQLITE_IOCAP_SEQUENTIAL | SQLITE_IOCAP_POWERSAFE_OVERWRITE |
           SQLITE_IOCAP_UNDELETABLE_WHEN_OPEN;
  }

  static const sqlite3_io_methods* io_methods() {
    static const sqlite3_io_methods methods = {
        1,  // iVersion: no shared memory, no mmap
        &close,
        &read,
        &write,
        &truncate,
        &sync,
        &file_size,
        &lock,
        &unlock,
        &check_reserved_lock,
        &file_control,
        &sector_size,
        &device_characteristics,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
    };
    return &methods;
  }

  static int open(sqlite3_vfs* v, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    MemVfs& vfs = vfs_of(v);
    OpenFile& of = file_of(f);
    of.base.pMethods = nullptr;  // SQLite calls no xClose unless pMethods is set
    of.vfs = &vfs;
    of.delete_on_close = (flags & SQLITE_OPEN_DELETEONCLOSE) != 0;
    std::string path;
    if (name != nullptr) {
      path = name;
    } else {
      path = "temp-" + std::to_string(++vfs.temp_counter_);
      of.delete_on_close = true;
    }
    if (path.size() >= sizeof(of.path)) return SQLITE_CANTOPEN;
    std::memcpy(of.path, path.c_str(), path.size() + 1);
    MemFile* file = vfs.find(path);
    if (file == nullptr) {
      if ((flags & SQLITE_OPEN_CREATE) == 0) return SQLITE_CANTOPEN;
      file = &vfs.put(path, MemFile());
    }
    of.file = file;
    of.base.pMethods = io_methods();
    if (out_flags != nullptr) *out_flags = flags;
    return SQLITE_OK;
  }

  static int remove(sqlite3_vfs* v, const char* name, int) {
    vfs_of(v).remove(name);
    return SQLITE_OK;
  }

  static int access(sqlite3_vfs* v, const char* name, int, int* out) {
    *out = vfs_of(v).find(name) != nullptr ? 1 : 0;
    return SQLITE_OK;
  }

  static int full_pathname(sqlite3_vfs*, const char* name, int n_out, char* out) {
    const std::size_t len = std::strlen(name);
    if (len + 1 > static_cast<std::size_t>(n_out)) return SQLITE_CANTOPEN;
    std::memcpy(out, name, len + 1);
    return SQLITE_OK;
  }

  static int randomness(sqlite3_vfs* v, int n, char* out) {
    sqlite3_vfs* fb = vfs_of(v).fallback_;
    return fb->xRandomness(fb, n, out);
  }
  static int sleep(sqlite3_vfs* v, int us) {
    sqlite3_vfs* fb = vfs_of(v).fallback_;
    return fb->xSleep(fb, us);
  }
  static int current_time(sqlite3_vfs* v, double* out) {
    sqlite3_vfs* fb = vfs_of(v).fallback_;
    return fb->xCurrentTime(fb, out);
  }
  static int current_time_int64(sqlite3_vfs* v, sqlite3_int64* out) {
    sqlite3_vfs* fb = vfs_of(v).fallback_;
    if (fb->iVersion >= 2 && fb->xCurrentTimeInt64 != nullptr) return fb->xCurrentTimeInt64(fb, out);
    double now = 0.0;
    const int rc = fb->xCurrentTime(fb, &now);
    *out = static_cast<sqlite3_int64>(now * 86400000.0);
    return rc;
  }
  static int last_error(sqlite3_vfs*, int, char*) { return 0; }
};

Result<std::unique_ptr<MemVfs>> MemVfs::create() {
  if (const int rc = sqlite3_initialize(); rc != SQLITE_OK)
    return store_error(StoreErrc::sqlite, std::string("sqlite3_initialize: ") + sqlite3_errstr(rc));
  static std::atomic<unsigned> counter{0};
  std::unique_ptr<MemVfs> vfs(new MemVfs());  // private constructor: make_unique cannot reach it
  vfs->name_ = "salespider-mem-" + std::to_string(++counter);
  vfs->fallback_ = sqlite3_vfs_find(nullptr);
  if (vfs->fallback_ == nullptr)
    return store_error(StoreErrc::sqlite, "SQLite has no default VFS to borrow time and randomness from");
  sqlite3_vfs& v = vfs->vfs_;
  v.iVersion = 2;
  v.szOsFile = static_cast<int>(sizeof(OpenFile));
  v.mxPathname = kMaxPath;
  v.zName = vfs->name_.c_str();
  v.pAppData = vfs.get();
  v.xOpen = &VfsCallbacks::open;
  v.xDelete = &VfsCallbacks::remove;
  v.xAccess = &VfsCallbacks::access;
  v.xFullPathname = &VfsCallbacks::full_pathname;
  v.xRandomness = &VfsCallbacks::randomness;
  v.xSleep = &VfsCallbacks::sleep;
  v.xCurrentTime = &VfsCallbacks::current_time;
  v.xGetLastError = &VfsCallbacks::last_error;
  v.xCurrentTimeInt64 = &VfsCallbacks::current_time_int64;
  if (const int rc = sqlite3_vfs_register(&v, 0); rc != SQLITE_OK)
    return store_error(StoreErrc::sqlite, std::string("sqlite3_vfs_register: ") + sqlite3_errstr(rc));
  return vfs;
}

MemVfs::~MemVfs() {
  if (vfs_.zName != nullptr) sqlite3_vfs_unregister(&vfs_);
}

MemFile* MemVfs::find(const std::string& path) {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : it->second.get();
}

MemFile& MemVfs::put(const std::string& path, MemFile file) {
  auto& slot = files_[path];
  slot = std::make_unique<MemFile>(std::move(file));
  return *slot;
}

void MemVfs::remove(const std::string& path) {
  files_.erase(path);
}

}  // namespace salespider::store
