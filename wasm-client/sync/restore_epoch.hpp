// The server's restore epoch as the till sees it (docs/sync-protocol.md
// "The restore epoch"): every pull answer carries one; when it differs from
// the one this till stored, the server was restored from a backup. Its
// cursors may then repeat and the ops it acknowledged since the backup may
// be gone, so the till
//   - marks every acked op it still keeps pending again (the server answers
//     "duplicate" for those it has and applies the others, once, by op id),
//   - forgets its cursor and the row versions it holds (the restored server's
//     may be lower) and pulls from the start (a bootstrap: upserts are
//     idempotent),
//   - at the end of that bootstrap, tombstones catalog rows the restored
//     server did not send (it no longer has them).
// Receipt floors never go down (Store::raise_receipt_floor). A first epoch
// (none stored yet) is only stored. Deliberately no HTTP or scheduling here:
// sync_engine.cpp calls these.
#pragma once

#include "store/store.hpp"

#include <cstddef>
#include <string>

namespace salespider::sync {

inline constexpr const char* kRestoreEpochSetting = "restore_epoch";

enum class EpochSeen { unchanged, first, changed };

struct EpochNote {
  EpochSeen seen = EpochSeen::unchanged;
  std::size_t requeued = 0;  // acked ops made pending again (changed only)
};

// Compares `epoch` (not empty) with the stored one and acts as above. After
// `changed` the caller restarts its pull from an empty cursor.
store::Result<EpochNote> note_restore_epoch(store::Store& store, const std::string& epoch);

// Inside end_bootstrap's transaction: when the bootstrap followed an epoch
// change, the rows it did not confirm are tombstoned. A no-op otherwise.
store::Status sweep_after_epoch_change(store::Store& store, store::Database& db);

}  // namespace salespider::sync
