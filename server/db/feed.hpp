// The pull feed in SQL (design A of ../shared/design/sync-feed.md; why in
// docs/sync-protocol.md).
//
// read_feed: change_feed rows after a (txid, seq) position whose transaction
// id is below the oldest transaction still running, joined to the rows'
// current state (sync_rows), in ONE statement, so the cutoff and the rows
// share a snapshot and a late commit is never skipped: it is below the cutoff
// only once it is visible.
//
// read_bootstrap: the current state of every synced entity, keyset-paged by
// (entity, id), each page in a REPEATABLE READ READ ONLY transaction, plus
// the cutoff a new till continues from (the snapshot's xmin at its first page).
//
// No pqxx types in this header.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "salespider/shared/protocol.hpp"

namespace salespider::db {

class Pool;

struct FeedPosition {
  std::uint64_t txid = 0;  // xid8
  std::int64_t seq = 0;
};

struct SyncRow {
  std::string entity;  // to_string(Entity) as the feed stores it (wire text)
  std::string id;
  std::int64_t row_version = 0;
  bool deleted = false;
  std::string data;  // JSON object text; "" for a tombstone
  std::int64_t seq = 0;  // change_feed.seq (feed pages only; 0 in a bootstrap)
};

struct FeedPage {
  std::vector<SyncRow> rows;  // in feed order; a row may repeat when it changed twice
  FeedPosition last;          // the position after the page (= the input when empty)
  std::int64_t remaining = 0;
};

FeedPage read_feed(Pool& pool, const std::string& store_id, const std::string& till_id, FeedPosition after,
                   int limit);

// The order in which bootstrap sends entities (dependencies first).
std::span<const Entity> bootstrap_entities();

struct BootstrapPage {
  std::vector<SyncRow> rows;
  std::uint64_t cutoff_txid = 0;  // the given one, or this page's snapshot xmin on the first page
  std::size_t entity_index = 0;   // where the next page starts
  std::string after_id;           // "" = at the start of entity_index
  bool done = false;              // every entity sent: continue with the feed from (cutoff, 0)
  // Rows of the snapshot after this page, for a progress bar: counted on the
  // first page, then carried by the caller (remaining_before) and reduced by
  // what each page sent, so later pages count nothing.
  std::int64_t remaining = 0;
};

// `cutoff_txid` 0 = first page (the cutoff is taken from this page's snapshot).
BootstrapPage read_bootstrap(Pool& pool, const std::string& store_id, const std::string& till_id,
                             std::uint64_t cutoff_txid, std::size_t entity_index, const std::string& after_id,
                             std::optional<std::int64_t> remaining_before,
                             int limit);

}  // namespace salespider::db
