// The till's local store: the op journal (source of truth for what the
// cashier recorded) plus an in-memory SQLite database (catalog, local sales
// history, settings, sync cursor) persisted as page snapshots. docs/till-storage.md
// describes the design; in short:
//
//  - record_op() writes the op's journal record in its own strict IndexedDB
//    transaction; the op is complete (and applied to the database) only when
//    that transaction completed.
//  - flush() writes the database pages dirtied since the last snapshot, the
//    meta record and the pruning of covered acked ops in ONE transaction, so
//    the persisted image is always a consistent snapshot. It runs when
//    flush_due() says so (every few seconds / N ops) or when the page hides.
//  - open() takes what www/storage.js read from IndexedDB before main: it
//    checks the image (PRAGMA quick_check), starts an empty database when the
//    image is missing or damaged (never touching the journal), migrates it,
//    then replays journal ops newer than the snapshot, idempotently.
//
// Free of Emscripten and ImGui: the IndexedDB side is a StorageBackend the
// platform provides, so everything here runs in unit tests under node.
// Not here: sync (push/pull), the catalog's real shape, login.
#pragma once

#include "store/journal.hpp"
#include "store/mem_vfs.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_db.hpp"
#include "store/store_result.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace salespider::store {

// The `meta` record: describes the persisted snapshot of one database.
struct ImageMeta {
  std::uint32_t page_size = kDefaultPageSize;
  std::uint32_t page_count = 0;
  // Every journal op with local_seq <= journal_hwm is in this snapshot.
  std::int64_t journal_hwm = 0;
  int schema_version = 0;
};

struct PersistedImage {
  ImageMeta meta;
  // Page i of the file, as read from the `pages` store; a missing page is
  // an empty vector (and makes the image unusable).
  std::vector<std::vector<std::uint8_t>> pages;
};

// One IndexedDB transaction's worth of work. The page spans point into the
// live file, which keeps them unchanged (MemFile::pin) until the store hears
// Store::complete() for this request: the backend may read them until then,
// not after.
struct StorageWrite {
  struct Page {
    std::uint32_t index;
    std::span<const std::uint8_t> bytes;
  };
  struct Snapshot {
    std::string db_name;
    ImageMeta meta;
    bool replace_all = false;  // delete every stored page of db_name first
    // Delete stored pages from this index on (the file shrank); none if 0.
    std::uint32_t drop_from = 0;
    std::vector<Page> pages;
  };
  // durability: 'strict' where the browser offers it.
  bool strict = false;
  std::vector<std::pair<std::string, std::string>> journal_puts;  // op_id, record JSON
  std::vector<std::string> journal_deletes;
  std::optional<Snapshot> snapshot;
};

// IndexedDB as the store sees it. The platform answers every submit() later
// with Store::complete(request_id, ...), once the transaction completed or
// aborted.
class StorageBackend {
 public:
  virtual ~StorageBackend() = default;
  virtual void submit(std::uint32_t request_id, const StorageWrite& write) = 0;
};

// When the database image is written in the background. The op journal is
// what makes a sale durable, so this trades only bytes written (each
// snapshot rewrites the ~5 pages a sale touches: page 1, the sales table and
// its two indexes, ops_applied) against ops replayed at the next start:
// with one snapshot a minute a till selling every 20 s writes ~2 KB of pages
// per sale instead of ~20 KB.
struct FlushPolicy {
  int max_ops = 50;                   // ops applied since the last snapshot
  std::int64_t max_delay_ms = 60000;  // since the first unsnapshotted change
};

enum class DbOrigin {
  restored,   // the persisted image was good
  created,    // nothing was persisted yet
  recovered,  // the image was damaged, or migrating it or building its search
              // index failed: a new empty database replaced it
  too_new,    // a newer build wrote it: running on a scratch copy, not persisted
};
const char* to_string(DbOrigin origin) noexcept;

struct OpenReport {
  DbOrigin origin = DbOrigin::created;
  std::string damage;  // why the image was not used (recovered / too_new)
  int schema_from = 0;
  int schema_to = 0;
  std::size_t journal_records = 0;
  std::size_t unreadable_records = 0;
  std::size_t replayed = 0;       // ops applied to the database at open
  std::size_t replay_errors = 0;  // ops whose effects could not be applied (kept in the journal)
};

struct OpenInput {
  std::string db_name = "till";
  std::optional<PersistedImage> image;
  std::vector<JournalRecord> journal;
  std::size_t unreadable_records = 0;
  // Another tab owns the till, or there is no durable storage: nothing is
  // written, record_op refuses.
  bool read_only = false;
  FlushPolicy policy;
  JournalRetention retention;  // acked ops kept for pushing again after a server restore
  std::function<std::int64_t()> now_ms = [] { return std::int64_t{0}; };
  // ms since the Unix epoch, the clock ops' created_at is on (the journal's
  // retention by age); the default keeps acked ops by count only.
  std::function<std::int64_t()> wall_ms = [] { return std::int64_t{0}; };
  std::span<const Migration> migrations = store::migrations();
  // Test hook (automation only): the migration of the restored image fails
  // as if a step had, so the fallback to a fresh image can be proven.
  bool fail_migration = false;
};

// What the caller records; the store adds local_seq, receipt_seq and state.
struct OpInput {
  std::string op_id;
  std::string till_id;
  std::string kind;
  std::int64_t created_at = 0;
  std::string user_id;
  std::string grant;
  std::string payload;  // a JSON object
  bool takes_receipt = false;
};

struct RecordTicket {
  std::uint32_t request_id = 0;
  std::string op_id;
  std::int64_t local_seq = 0;
  std::int64_t receipt_seq = 0;  // 0 if !takes_receipt
};

// Called once the op's journal record is durable (ok) or its transaction
// aborted (the op was not recorded; show the cashier, do not print).
using OpCompletion = std::function<void(const Status& status, const JournalRecord& record)>;

struct StoreStats {
  std::uint64_t snapshots_written = 0;
  std::uint64_t snapshot_failures = 0;
  std::uint64_t journal_writes = 0;
  std::size_t last_snapshot_pages = 0;
  std::size_t dirty_pages = 0;
  int ops_since_snapshot = 0;
  bool snapshot_in_flight = false;
  std::string last_error;
};

struct ProductRow {
  std::string id;
  std::string name;
  std::int64_t price_minor = 0;
  std::string currency;
  std::string tax_rate_id;
  std::int64_t row_version = 0;
  bool deleted = false;
};

class Store {
 public:
  static Result<std::unique_ptr<Store>> open(OpenInput input, StorageBackend& backend);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // --- the journal -----------------------------------------------------------
  // Refuses (StoreErrc::duplicate_op, "already recorded") an op whose id the
  // journal holds or the database applied (an acked op pruned from the
  // journal): one cart, one sale, whatever asks twice.
  Result<RecordTicket> record_op(OpInput op, OpCompletion done);
  // Whether an op with this id was recorded on this till (the journal, or
  // the database's ops_applied for an op pruned since).
  bool has_op(const std::string& op_id);
  // The receipt number a recorded sale printed ("" when unknown).
  std::string recorded_receipt(const std::string& op_id);
  // The backend's answer to submit(request_id). True when it answered an
  // op's recording (record_op's completion ran: someone may be waiting on
  // the screen for it).
  bool complete(std::uint32_t request_id, bool ok, std::string_view error);

  // Recorded (durable) ops the server has not acknowledged, oldest first.
  std::vector<JournalRecord> pending_ops() const;
  // The same records without copying their payloads (valid until the journal
  // changes), and their number: a push round and the status bar read these
  // with thousands of ops waiting after days offline.
  std::vector<const JournalRecord*> pending_records() const;
  std::size_t pending_count() const;
  // Rejected ops waiting for a manager ("needs attention").
  std::vector<JournalRecord> rejected_ops() const;
  const Journal& journal() const { return journal_; }
  // The server committed these (applied or duplicate).
  Status mark_acked(const std::vector<std::string>& op_ids);
  // The server stored the op for a manager with this reason.
  Status mark_rejected(const std::string& op_id, std::string reason);
  // The server was restored from a backup (its restore epoch changed): every
  // acked op the journal still keeps (JournalRetention) is pending again, to
  // be pushed once more; the server answers "duplicate" for those it still
  // has. Returns how many. Written strictly: it must not be lost behind the
  // new epoch the caller stores next.
  Result<std::size_t> requeue_acked_ops();

  // The number the next receipt gets: one past everything the journal,
  // the database and this session have handed out (invariant 7).
  std::int64_t next_receipt_sequence() const { return last_receipt_ + 1; }
  std::int64_t last_receipt_sequence() const { return last_receipt_; }
  // The server has acknowledged receipts up to `seq` for this till (pull
  // entity `till`): never hand out a number <= it. Raises the setting
  // receipt_seq_floor (so a reload keeps it) and this session's last number;
  // never lowers either.
  Status raise_receipt_floor(std::int64_t seq);

  // --- snapshots -----------------------------------------------------------
  bool flush_due() const;
  // While held, flush_due() is false: a bootstrap bulk-loads the catalog and
  // persists it once at the end instead of after every page. flush() itself
  // still works (page hide). Releasing makes a flush due at once. The op
  // journal is a separate IndexedDB store and is unaffected.
  void hold_snapshots(bool held);
  bool snapshots_held() const { return snapshots_held_; }
  // Writes a snapshot if there is anything to write. Returns its request id,
  // or 0 when there was nothing to do (or nothing may be written).
  Result<std::uint32_t> flush();

  // --- the database --------------------------------------------------------
  Status upsert_products(std::span<const ProductRow> rows);
  Result<std::int64_t> product_count();
  Result<std::int64_t> sales_count();
  Result<std::optional<std::string>> setting(std::string_view key);
  Status set_setting(std::string_view key, std::string_view value);
  // Runs `body` inside BEGIN ... COMMIT, or rolls it all back when body (or
  // COMMIT) fails; the changes count for the next snapshot. Refused in a
  // read-only tab and inside another transaction (no nesting).
  Status transaction(const std::function<Status(Database&)>& body);

  const OpenReport& report() const { return report_; }
  bool read_only() const { return read_only_; }
  // Another tab took the till mid-session (www/storage.js lease): from now
  // on this store records and changes nothing.
  void become_read_only() { read_only_ = true; }
  bool persists_snapshots() const { return !read_only_ && report_.origin != DbOrigin::too_new; }
  StoreStats stats() const;
  const ImageMeta& persisted_meta() const { return persisted_; }
  Database& db() { return db_; }
  MemFile& file() { return *file_; }

 private:
  struct JournalPut {
    std::string op_id;
    OpCompletion done;
  };
  struct SnapshotWrite {
    std::vector<std::uint32_t> pages;
    ImageMeta meta;
    std::vector<std::string> pruned;
  };
  struct StateUpdate {};
  using PendingRequest = std::variant<JournalPut, SnapshotWrite, StateUpdate>;

  Store(std::unique_ptr<MemVfs> vfs, Database db, StorageBackend& backend, OpenInput& input);

  // True when the op was new to the database, false when already applied.
  Result<bool> apply_op(const JournalRecord& record);
  std::int64_t covered_hwm() const;
  void note_change();
  std::uint32_t submit(const StorageWrite& write, PendingRequest pending);

  std::unique_ptr<MemVfs> vfs_;
  Database db_;
  MemFile* file_ = nullptr;  // owned by vfs_
  StorageBackend& backend_;
  std::string db_name_;
  FlushPolicy policy_;
  JournalRetention retention_;
  std::function<std::int64_t()> now_ms_;
  std::function<std::int64_t()> wall_ms_;
  bool read_only_ = false;
  OpenReport report_;

  Journal journal_;
  // local_seq of ops whose record is not durable yet, or whose effects
  // failed to apply: snapshots must not claim to cover them.
  std::set<std::int64_t> unapplied_;
  std::int64_t applied_hwm_ = 0;
  std::int64_t next_local_seq_ = 1;
  std::int64_t last_receipt_ = 0;

  ImageMeta persisted_;       // what IndexedDB holds now
  bool replace_all_ = false;  // the stored pages belong to a discarded image
  bool snapshot_in_flight_ = false;
  int ops_since_snapshot_ = 0;
  std::optional<std::int64_t> dirty_since_ms_;
  bool snapshots_held_ = false;
  bool flush_requested_ = false;  // hold released: snapshot at the next check

  std::uint32_t next_request_ = 1;
  std::map<std::uint32_t, PendingRequest> requests_;
  StoreStats stats_;
};

}  // namespace salespider::store
