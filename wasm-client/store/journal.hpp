// The op journal: the local source of truth for what the cashier recorded.
// One record per op (IndexedDB object store `journal`, key op_id), written
// before the till shows the op as complete and independent of the SQLite
// image, so ops survive a damaged or missing database and can be exported.
//
// This file holds the record, its JSON form (what IndexedDB stores and the
// export file contains) and the in-memory mirror the store keeps of the
// object store. Deliberately no I/O: store.cpp decides what to write and
// platform/ writes it.
#pragma once

#include "store/store_result.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::store {

enum class OpState { pending, acked, rejected };
const char* to_string(OpState state) noexcept;

struct JournalRecord {
  std::string op_id;  // UUIDv7 made by the till
  std::string till_id;
  std::string kind;             // "sale", "refund", ... (the protocol's op kinds)
  std::int64_t created_at = 0;  // till clock, ms since the Unix epoch
  std::string user_id;
  std::string grant;    // offline grant it was made under; may be empty
  std::string payload;  // a JSON object (canonical text: sorted keys, no spaces)
  // Order of recording on this till (1, 2, 3 ...). A snapshot's journal_hwm
  // says every op up to it is in that snapshot's database.
  std::int64_t local_seq = 0;
  // The receipt sequence this op took, 0 when it printed no receipt. Kept in
  // the journal so a reload never hands the same number out again.
  std::int64_t receipt_seq = 0;
  OpState state = OpState::pending;
  std::string reason;  // the server's reason when rejected

  friend bool operator==(const JournalRecord& a, const JournalRecord& b) {
    return a.op_id == b.op_id && a.till_id == b.till_id && a.kind == b.kind && a.created_at == b.created_at &&
           a.user_id == b.user_id && a.grant == b.grant && a.payload == b.payload &&
           a.local_seq == b.local_seq && a.receipt_seq == b.receipt_seq && a.state == b.state &&
           a.reason == b.reason;
  }
};

// Record format version, in every record as "v".
inline constexpr int kJournalRecordVersion = 1;

// {"v":1,"op_id":...,"payload":{...},"state":"pending",...}: the payload is
// embedded as an object, so an exported file is plain, readable JSON.
std::string encode_record(const JournalRecord& record);
Result<JournalRecord> decode_record(std::string_view json);
// Canonical text of a JSON object (sorted keys, no spaces); invalid_op when
// `json` is not an object.
Result<std::string> canonical_payload(std::string_view json);

struct DecodedJournal {
  std::vector<JournalRecord> records;
  // Records that could not be read (kept in IndexedDB untouched; reported).
  std::vector<std::string> unreadable;
};
// A JSON array of records, as www/storage.js reads them at startup.
DecodedJournal decode_journal(std::string_view json_array);

// How long acknowledged records stay in the journal after a snapshot covers
// them: so that, after the server was restored from a backup to an earlier
// point (a new restore epoch, docs/sync-protocol.md), the till can push
// again what the server lost. Bounded both ways (docs/till-storage.md):
// records older than max_age_ms (by created_at) go, and at most max_records
// acked records are kept (the newest by recording order).
struct JournalRetention {
  std::int64_t max_age_ms = 14LL * 24 * 60 * 60 * 1000;
  std::size_t max_records = 5000;
};

// The store's in-memory copy of the `journal` object store.
class Journal {
 public:
  void add(JournalRecord record);
  void remove(const std::string& op_id);
  JournalRecord* find(const std::string& op_id);
  const JournalRecord* find(const std::string& op_id) const;
  std::size_t size() const { return by_id_.size(); }

  std::int64_t max_local_seq() const;
  std::int64_t max_receipt_seq() const;
  // In recording order.
  std::vector<const JournalRecord*> in_order() const;
  std::vector<const JournalRecord*> with_state(OpState state) const;
  // Records a snapshot whose database holds every op up to `covered_hwm`
  // may delete: acked, covered and outside the retention (older than its
  // age at `now_ms`, or beyond its count). Never the record holding the
  // highest receipt sequence, so the next number survives even if the
  // database is later lost.
  std::vector<std::string> prunable(std::int64_t covered_hwm, std::int64_t now_ms,
                                    const JournalRetention& retention) const;
  // Acked records become pending again (after a restore epoch change);
  // returns them, in recording order.
  std::vector<const JournalRecord*> requeue_acked();

 private:
  std::map<std::string, JournalRecord> by_id_;
};

}  // namespace salespider::store
