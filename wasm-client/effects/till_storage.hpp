// TillStorage: the till's local store wired to the browser. Opens the Store
// from what www/storage.js read before main, runs the flush policy, turns
// JS callbacks (transaction done, page hidden, storage estimate) into store
// calls, and reports a state::StorageStatus after every change.
//
// Free of Emscripten (platform/storage.hpp is the browser). ui/ never sees
// this class; it only reads state.storage. Sync and selling use store()
// through the effects (effects/context.hpp). Deliberately not here: what is
// recorded (effects/op_recorder.hpp) and when sync runs (till_controller.hpp).
#pragma once

#include "state/app_state.hpp"
#include "store/store.hpp"

#include <salespider/shared/ids.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace salespider::effects {

class TillStorage {
 public:
  using StatusSink = std::function<void(const state::StorageStatus&)>;

  // Never fails: without IndexedDB (or with a broken one) the till runs
  // read-only on an empty database and the status says why.
  static std::unique_ptr<TillStorage> start(StatusSink sink);

  // --- from www/storage.js ------------------------------------------------
  // True when it answered an op's recording (Store::complete).
  bool complete(std::uint32_t request_id, bool ok);
  void tick();         // about once a second: snapshot when the policy says so
  void page_hidden();  // visibilitychange -> hidden, pagehide: snapshot now
  void storage_info(int persisted, double usage, double quota);
  // The lease-guarded till (no Web Locks) was taken by another tab: this
  // tab turns read-only at once; its writes are refused in JS as well.
  void lost_till();

  // Downloads every non-acked op (the C++ entry point for a later button).
  void export_pending_ops();

  // --- test-only (window.salespider.debug, ?automation=1) -------------------
  // Records a dummy sale with a receipt number; completes asynchronously.
  store::Result<store::RecordTicket> record_test_op();
  // Fills the catalog with n generated products (a big image for tests).
  store::Status seed_test_products(int n);
  // TEST-ONLY (debug.bulkInsertLimit, the bootstrap bench's limit): n
  // products with one barcode and a stock level each, from memory, into a
  // scratch in-memory SQLite with the till's schema (its migrations), one
  // transaction of plain prepared INSERTs, then the same search indexes a
  // bootstrap builds. The live store is not touched. JSON with the times.
  store::Result<std::string> bulk_insert_limit(int n);
  // Fills the local sales history with n generated sales (a long history
  // for the bytes-per-sale benchmark).
  store::Status seed_test_sales(int n);
  // Starts a snapshot now; 0 when there was nothing to write.
  store::Result<std::uint32_t> flush_now();

  state::StorageStatus status() const;
  bool automation() const { return automation_; }
  // Reports status() to the sink (after sync acknowledged or rejected ops).
  void publish();

  // The open store; null when it could not open (the status says why).
  store::Store* store() { return store_.get(); }
  // The identity record www/storage.js read at start (empty: not enrolled).
  const std::string& identity_json() const { return identity_json_; }
  // The drafts record www/storage.js read at start (empty: none).
  const std::string& drafts_json() const { return drafts_json_; }

 private:
  TillStorage(StatusSink sink);

  StatusSink sink_;
  std::unique_ptr<store::StorageBackend> backend_;
  std::unique_ptr<store::Store> store_;
  UuidV7Generator ids_;
  bool available_ = false;
  bool automation_ = false;
  std::optional<bool> persisted_;
  double usage_ = -1.0;
  double quota_ = -1.0;
  double open_ms_ = 0.0;
  std::string error_;
  std::string identity_json_;
  std::string drafts_json_;
};

}  // namespace salespider::effects
