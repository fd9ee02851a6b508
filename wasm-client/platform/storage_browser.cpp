// The browser implementation of platform/storage.hpp. Each EM_JS function is
// a one-line call into window.SaleSpiderStorage (www/storage.js), which owns
// the IndexedDB connection; bytes cross by copying into or out of HEAPU8.
// The JS side answers every transaction through the exported C function
// salespider_storage_complete(request_id, ok) (main.cpp), so there is no
// Asyncify and the frame loop never waits.
#include "platform/storage.hpp"

#include <emscripten/emscripten.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

// --- JS side (www/storage.js) -------------------------------------------------
// clang-format off
EM_JS(int, js_loaded_available, (), { return SaleSpiderStorage.loaded.available ? 1 : 0; });
EM_JS(int, js_loaded_read_only, (), { return SaleSpiderStorage.loaded.readOnly ? 1 : 0; });
EM_JS(double, js_loaded_load_ms, (), { return SaleSpiderStorage.loaded.loadMs; });
EM_JS(double, js_loaded_meta, (int field), { return SaleSpiderStorage.loadedMeta(field); });
EM_JS(int, js_loaded_page_length, (int index), { return SaleSpiderStorage.loadedPageLength(index); });
EM_JS(void, js_loaded_page_copy, (int index, std::uint8_t* out), { SaleSpiderStorage.loadedPageCopy(index, HEAPU8, out); });
EM_JS(int, js_loaded_journal_length, (), { return SaleSpiderStorage.loadedJournalLength(); });
EM_JS(void, js_loaded_journal_copy, (char* out), { SaleSpiderStorage.loadedJournalCopy(HEAPU8, out); });
EM_JS(int, js_loaded_error_length, (), { return SaleSpiderStorage.loadedErrorLength(); });
EM_JS(void, js_loaded_error_copy, (char* out), { SaleSpiderStorage.loadedErrorCopy(HEAPU8, out); });
EM_JS(int, js_loaded_identity_length, (), { return SaleSpiderStorage.loadedIdentityLength(); });
EM_JS(void, js_loaded_identity_copy, (char* out), { SaleSpiderStorage.loadedIdentityCopy(HEAPU8, out); });
EM_JS(void, js_loaded_release, (), { SaleSpiderStorage.releaseLoaded(); });
EM_JS(int, js_loaded_drafts_length, (), { return SaleSpiderStorage.loadedDraftsLength(); });
EM_JS(void, js_loaded_drafts_copy, (char* out), { SaleSpiderStorage.loadedDraftsCopy(HEAPU8, out); });
EM_JS(void, js_save_drafts, (const char* json), { SaleSpiderStorage.saveDrafts(UTF8ToString(json)); });
EM_JS(void, js_save_identity, (const char* json), { SaleSpiderStorage.saveIdentity(UTF8ToString(json)); });
EM_JS(void, js_reset_all, (), { SaleSpiderStorage.resetAll(); });

EM_JS(void, js_tx_begin, (unsigned id, int strict), { SaleSpiderStorage.txBegin(id, strict !== 0); });
EM_JS(void, js_tx_put_journal, (unsigned id, const char* op_id, const char* json), {
  SaleSpiderStorage.txPutJournal(id, UTF8ToString(op_id), UTF8ToString(json));
});
EM_JS(void, js_tx_delete_journal, (unsigned id, const char* op_id), {
  SaleSpiderStorage.txDeleteJournal(id, UTF8ToString(op_id));
});
EM_JS(void, js_tx_snapshot, (unsigned id, const char* db, double page_size, double page_count, double hwm,
                             int schema, int replace_all, double drop_from), {
  SaleSpiderStorage.txSnapshot(id, UTF8ToString(db), page_size, page_count, hwm, schema, replace_all !== 0, drop_from);
});
// `pages`: `count` triples (page index, address of its bytes, length); the
// bytes stay put until storage_complete (MemFile::pin). The heap is passed
// as a function: memory growth replaces HEAPU8 meanwhile.
EM_JS(void, js_tx_put_pages, (unsigned id, const std::uint32_t* pages, int count), {
  SaleSpiderStorage.txPutPages(id, HEAPU32.slice(pages >> 2, (pages >> 2) + 3 * count), () => HEAPU8);
});
EM_JS(void, js_tx_commit, (unsigned id), { SaleSpiderStorage.txCommit(id); });
EM_JS(int, js_error_length, (unsigned id), { return SaleSpiderStorage.errorLength(id); });
EM_JS(void, js_error_copy, (unsigned id, char* out), { SaleSpiderStorage.errorCopy(id, HEAPU8, out); });

EM_JS(void, js_export_pending_ops, (), { SaleSpiderStorage.exportPendingOps({ download: true }); });
EM_JS(int, js_automation_enabled, (), { return SaleSpiderStorage.automation ? 1 : 0; });
EM_JS(double, js_flush_delay_override, (), { return SaleSpiderStorage.flushDelayOverride; });
EM_JS(int, js_fail_migration, (), { return SaleSpiderStorage.failMigration ? 1 : 0; });
EM_JS(double, js_wall_clock_ms, (), { return Date.now(); });
EM_JS(double, js_monotonic_ms, (), { return performance.now(); });
EM_JS(double, js_random_u32, (), { return crypto.getRandomValues(new Uint32Array(1))[0]; });
// clang-format on

namespace salespider::platform::storage {

namespace {

enum MetaField { kPageSize = 0, kPageCount = 1, kJournalHwm = 2, kSchemaVersion = 3 };

class IndexedDbBackend final : public store::StorageBackend {
 public:
  void submit(std::uint32_t id, const store::StorageWrite& w) override {
    js_tx_begin(id, w.strict ? 1 : 0);
    for (const auto& [op_id, json] : w.journal_puts) js_tx_put_journal(id, op_id.c_str(), json.c_str());
    for (const std::string& op_id : w.journal_deletes) js_tx_delete_journal(id, op_id.c_str());
    if (w.snapshot) {
      const store::StorageWrite::Snapshot& s = *w.snapshot;
      js_tx_snapshot(id, s.db_name.c_str(), s.meta.page_size, s.meta.page_count,
                     static_cast<double>(s.meta.journal_hwm), s.meta.schema_version, s.replace_all ? 1 : 0,
                     s.drop_from);
      std::vector<std::uint32_t> pages;
      pages.reserve(3 * s.pages.size());
      for (const store::StorageWrite::Page& p : s.pages) {
        pages.push_back(p.index);
        pages.push_back(static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p.bytes.data())));
        pages.push_back(static_cast<std::uint32_t>(p.bytes.size()));
      }
      js_tx_put_pages(id, pages.data(), static_cast<int>(s.pages.size()));
    }
    js_tx_commit(id);
  }
};

}  // namespace

Loaded take_loaded(const std::string& db_name) {
  (void)db_name;  // www/storage.js reads the one database the till has ("till")
  Loaded out;
  out.available = js_loaded_available() != 0;
  out.read_only = js_loaded_read_only() != 0;
  out.load_ms = js_loaded_load_ms();
  if (const int n = js_loaded_error_length(); n > 0) {
    out.error.resize(static_cast<std::size_t>(n));
    js_loaded_error_copy(out.error.data());
  }
  const double page_count = js_loaded_meta(kPageCount);
  if (out.available && page_count >= 0) {
    store::PersistedImage image;
    image.meta.page_size = static_cast<std::uint32_t>(js_loaded_meta(kPageSize));
    image.meta.page_count = static_cast<std::uint32_t>(page_count);
    image.meta.journal_hwm = static_cast<std::int64_t>(js_loaded_meta(kJournalHwm));
    image.meta.schema_version = static_cast<int>(js_loaded_meta(kSchemaVersion));
    image.pages.resize(image.meta.page_count);
    for (std::uint32_t i = 0; i < image.meta.page_count; ++i) {
      const int n = js_loaded_page_length(static_cast<int>(i));
      if (n <= 0) continue;  // missing: restore() sees a short page and calls it damage
      image.pages[i].resize(static_cast<std::size_t>(n));
      js_loaded_page_copy(static_cast<int>(i), image.pages[i].data());
    }
    out.image = std::move(image);
  }
  if (const int n = js_loaded_journal_length(); n > 0) {
    out.journal_json.resize(static_cast<std::size_t>(n));
    js_loaded_journal_copy(out.journal_json.data());
  }
  if (const int n = js_loaded_identity_length(); n > 0) {
    out.identity_json.resize(static_cast<std::size_t>(n));
    js_loaded_identity_copy(out.identity_json.data());
  }
  if (const int n = js_loaded_drafts_length(); n > 0) {
    out.drafts_json.resize(static_cast<std::size_t>(n));
    js_loaded_drafts_copy(out.drafts_json.data());
  }
  js_loaded_release();
  return out;
}

std::unique_ptr<store::StorageBackend> make_indexeddb_backend() {
  return std::make_unique<IndexedDbBackend>();
}

std::string take_error(std::uint32_t request_id) {
  std::string text;
  if (const int n = js_error_length(request_id); n > 0) {
    text.resize(static_cast<std::size_t>(n));
    js_error_copy(request_id, text.data());
  }
  return text;
}

void save_identity(const std::string& json) {
  js_save_identity(json.c_str());
}

void save_drafts(const std::string& json) {
  js_save_drafts(json.c_str());
}

void reset_all() {
  js_reset_all();
}

void export_pending_ops() {
  js_export_pending_ops();
}

std::optional<std::int64_t> flush_delay_override() {
  const double ms = js_flush_delay_override();
  if (ms < 0) return std::nullopt;
  return static_cast<std::int64_t>(ms);
}

bool fail_migration_for_test() {
  return js_fail_migration() != 0;
}

bool automation_enabled() {
  return js_automation_enabled() != 0;
}

std::int64_t wall_clock_ms() {
  return static_cast<std::int64_t>(js_wall_clock_ms());
}

double monotonic_ms() {
  return js_monotonic_ms();
}

std::uint64_t random_u64() {
  const auto hi = static_cast<std::uint64_t>(js_random_u32());
  const auto lo = static_cast<std::uint64_t>(js_random_u32());
  return (hi << 32) | lo;
}

}  // namespace salespider::platform::storage
