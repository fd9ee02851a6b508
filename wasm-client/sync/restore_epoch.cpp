// See restore_epoch.hpp.
#include "sync/restore_epoch.hpp"

namespace salespider::sync {
namespace {

constexpr const char* kSweepSetting = "sync_epoch_sweep";

// Tables filled by the pull. Their row versions are forgotten at an epoch
// change, so whatever the restored server sends wins.
constexpr const char* kForgetVersions =
    "UPDATE tax_rates SET row_version = 0; UPDATE categories SET row_version = 0; "
    "UPDATE products SET row_version = 0; UPDATE stock_levels SET row_version = 0; "
    "UPDATE users SET row_version = 0; UPDATE revoked_grants SET row_version = 0; "
    "UPDATE store_settings SET row_version = 0; UPDATE tills SET row_version = 0; "
    "DELETE FROM sync_state WHERE feed = 'main';";

// Rows still at version 0 after the bootstrap were not sent: the restored
// server does not have them. Revoked grants stay (a revocation the restore
// lost is safer kept: grants expire anyway), and so do this till's own row
// and the settings, which every bootstrap sends.
constexpr const char* kSweep =
    "DELETE FROM barcodes WHERE product_id IN (SELECT id FROM products WHERE row_version = 0 AND deleted = 0); "
    "UPDATE products SET deleted = 1, barcodes = '[]' WHERE row_version = 0 AND deleted = 0; "
    "UPDATE tax_rates SET deleted = 1 WHERE row_version = 0 AND deleted = 0; "
    "UPDATE categories SET deleted = 1 WHERE row_version = 0 AND deleted = 0; "
    "UPDATE stock_levels SET deleted = 1 WHERE row_version = 0 AND deleted = 0; "
    "UPDATE users SET deleted = 1 WHERE row_version = 0 AND deleted = 0; "
    "DELETE FROM settings WHERE k = 'sync_epoch_sweep';";

}  // namespace

store::Result<EpochNote> note_restore_epoch(store::Store& store, const std::string& epoch) {
  store::Result<std::optional<std::string>> stored = store.setting(kRestoreEpochSetting);
  if (!stored) return stored.error();
  EpochNote note;
  if (stored.value() && *stored.value() == epoch) return note;
  if (!stored.value() || stored.value()->empty()) {
    note.seen = EpochSeen::first;
    if (store::Status s = store.set_setting(kRestoreEpochSetting, epoch); !s) return s.error();
    return note;
  }
  note.seen = EpochSeen::changed;
  // The ops first: if the till stops between the two steps it sees the
  // change again at its next pull (and re-queues again, harmlessly); the
  // other way round it could store the new epoch and lose the re-queue.
  store::Result<std::size_t> requeued = store.requeue_acked_ops();
  if (!requeued) return requeued.error();
  note.requeued = requeued.value();
  store::Status s = store.transaction([&](store::Database& db) -> store::Status {
    if (store::Status w = db.exec(kForgetVersions); !w) return w;
    if (store::Status w = store.set_setting(kSweepSetting, "1"); !w) return w;
    return store.set_setting(kRestoreEpochSetting, epoch);
  });
  if (!s) return s.error();
  return note;
}

store::Status sweep_after_epoch_change(store::Store& store, store::Database& db) {
  store::Result<std::optional<std::string>> flag = store.setting(kSweepSetting);
  if (!flag) return flag.error();
  if (!flag.value() || *flag.value() != "1") return {};
  return db.exec(kSweep);
}

}  // namespace salespider::sync
