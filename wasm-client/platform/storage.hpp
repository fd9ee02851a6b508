// What the till's store needs from the browser: the data www/storage.js read
// from IndexedDB before main() ran, an IndexedDB backend for the store's
// writes, and a few helpers (wall clock, randomness, the file export).
//
// Free of Emscripten so effects/till_storage.cpp stays portable; the implementation
// is storage_browser.cpp (EM_JS calls into window.SaleSpiderStorage).
// Implemented:
//  [X] IndexedDB `journal` / `pages` / `meta` stores, one transaction per
//      StorageWrite, durability 'strict' where asked and supported.
//  [X] Read-only detection (Web Lock 'salespider-till', BroadcastChannel
//      fallback), navigator.storage.persist() / estimate().
//  [X] Export of every non-acked op as a JSON download.
//  [X] The till's identity record (meta key 'identity'), read with the rest
//      before main and written in its own strict transaction.
//  [X] The drafts record (meta key 'drafts'): cart in progress, parked sales.
//  [X] "Reset local data": deletes the IndexedDB database and reloads, refused
//      by the JS side too while the journal holds a pending op.
//  [ ] A native implementation (store/ tests use their own fake backend).
#pragma once

#include "store/store.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace salespider::platform::storage {

struct Loaded {
  bool available = false;  // IndexedDB opened and was read
  bool read_only = false;  // another tab holds the till
  std::optional<store::PersistedImage> image;
  std::string journal_json;  // JSON array of journal records
  std::string identity_json;  // the enrolled till's identity record; empty when none
  std::string drafts_json;    // the cart in progress and parked sales; empty when none
  double load_ms = 0.0;      // reading IndexedDB before main
  std::string error;         // why storage is unavailable
};

// Moves what www/storage.js read into wasm memory and lets JS drop it.
// Call once, at startup.
Loaded take_loaded(const std::string& db_name);

std::unique_ptr<store::StorageBackend> make_indexeddb_backend();

// The text of a failed transaction's error (empty when none); call once per id.
std::string take_error(std::uint32_t request_id);

// Downloads every non-acked op as JSON, read straight from IndexedDB (so it
// works even when the database image is damaged).
void export_pending_ops();

// Writes the till's identity record (strict durability). The browser answers
// through salespider_identity_saved(ok) (main.cpp).
void save_identity(const std::string& json);

// Deletes every local record and reloads the page, unless IndexedDB still
// holds a pending op: then salespider_reset_refused() is called instead.
void reset_all();

// Writes the drafts record (meta key 'drafts'): the cart and parked sales.
void save_drafts(const std::string& json);

// True when the page was opened with ?automation=1: only then may test-only
// hooks (window.salespider.debug) do anything.
bool automation_enabled();

// TEST-ONLY: ?automation=1&flush_delay_ms=N replaces FlushPolicy's delay,
// so tests of background snapshots need not wait a minute.
std::optional<std::int64_t> flush_delay_override();

// TEST-ONLY: ?automation=1&fail_migration=1 makes migrating the saved
// database fail at this load (store::OpenInput::fail_migration).
bool fail_migration_for_test();

std::int64_t wall_clock_ms();  // Date.now()
double monotonic_ms();         // performance.now()
std::uint64_t random_u64();    // crypto.getRandomValues

}  // namespace salespider::platform::storage
