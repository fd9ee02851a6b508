// Store: open (check, recover, migrate, replay), the journal's life cycle and
// snapshot flushing. Why things happen in this order is in docs/till-storage.md.
#include "store/store.hpp"

#include "store/catalog.hpp"
#include "store/product_search.hpp"

#include <salespider/shared/protocol.hpp>

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace salespider::store {

namespace {

// Pragmas for a database that lives in our page VFS: MEMORY journal because
// WAL needs shared memory we do not have (and a rollback journal file would
// only be another in-memory file); exclusive locking since one connection
// owns the file; no syncs, since durability is the snapshot's business.
constexpr const char* kConnectionPragmas =
    "PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA "
    "temp_store=MEMORY;";

Result<Database> open_connection(MemVfs& vfs, const std::string& name, bool fresh) {
  Result<Database> db = Database::open(name, vfs.name());
  if (!db) return db;
  if (fresh) {
    // Only takes effect before the first page is written; keeps SQLite
    // pages and our IndexedDB pages the same size.
    const std::string pragma = "PRAGMA page_size=" + std::to_string(kDefaultPageSize);
    if (Status s = db.value().exec(pragma.c_str()); !s) return s.error();
  }
  if (Status s = db.value().exec(kConnectionPragmas); !s) return s.error();
  return db;
}

// The persisted image as a connection, or why it cannot be used.
Result<Database> restore(MemVfs& vfs, const std::string& name, PersistedImage image) {
  if (image.meta.page_count == 0 || image.pages.size() != image.meta.page_count)
    return store_error(StoreErrc::corrupt_image, "the image has " + std::to_string(image.pages.size()) +
                                                     " pages, its meta record says " +
                                                     std::to_string(image.meta.page_count));
  PageImage pages{image.meta.page_size, std::move(image.pages)};
  Result<MemFile> file = MemFile::from_image(std::move(pages));
  if (!file) return file.error();
  vfs.put(name, std::move(file).value());
  Result<Database> db = open_connection(vfs, name, false);
  if (!db) return store_error(StoreErrc::corrupt_image, db.error().context);
  Result<Statement> check = db.value().prepare("PRAGMA quick_check");
  if (!check) return store_error(StoreErrc::corrupt_image, check.error().context);
  std::string verdict;
  for (;;) {
    Result<bool> row = check.value().step();
    if (!row) return store_error(StoreErrc::corrupt_image, row.error().context);
    if (!row.value()) break;
    if (!verdict.empty()) verdict += "; ";
    verdict += check.value().text(0);
  }
  if (verdict != "ok") return store_error(StoreErrc::corrupt_image, "quick_check: " + verdict);
  return db;
}

Result<Database> create_fresh(MemVfs& vfs, const std::string& name) {
  vfs.put(name, MemFile(kDefaultPageSize));
  return open_connection(vfs, name, true);
}

// The search indexes are derived data: missing outside a bootstrap (a
// database migrated from version 2, or one whose build was interrupted)
// they are built now, once. Mid-bootstrap (sync's setting `sync_bootstrap`)
// sync builds them when the load ends. Only for a schema that has them.
Status ensure_search_indexes(Database& db) {
  Result<std::optional<std::int64_t>> shaped =
      db.query_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'catalog_glyphs'");
  if (!shaped) return shaped.error();
  if (shaped.value().value_or(0) == 0) return {};
  Result<bool> built = product_search_built(db);
  if (!built) return built.error();
  if (built.value()) return {};
  Result<std::optional<std::int64_t>> loading =
      db.query_int("SELECT count(*) FROM settings WHERE k = 'sync_bootstrap' AND v = '1'");
  if (!loading) return loading.error();
  if (loading.value().value_or(0) > 0) return {};
  if (Status s = db.exec("BEGIN"); !s) return s;
  Status s = create_search_indexes(db);
  if (s) s = db.exec("COMMIT");
  if (!s) (void)db.exec("ROLLBACK");
  return s;
}

}  // namespace

const char* to_string(DbOrigin origin) noexcept {
  switch (origin) {
    case DbOrigin::restored:
      return "restored";
    case DbOrigin::created:
      return "created";
    case DbOrigin::recovered:
      return "recovered";
    case DbOrigin::too_new:
      return "too_new";
  }
  return "created";
}

Result<std::unique_ptr<Store>> Store::open(OpenInput input, StorageBackend& backend) {
  Result<std::unique_ptr<MemVfs>> vfs_result = MemVfs::create();
  if (!vfs_result) return vfs_result.error();
  std::unique_ptr<MemVfs> vfs = std::move(vfs_result).value();

  OpenReport report;
  report.journal_records = input.journal.size();
  report.unreadable_records = input.unreadable_records;
  std::optional<Database> db;
  std::int64_t replay_after = 0;
  const std::int64_t image_hwm = input.image ? input.image->meta.journal_hwm : 0;
  ImageMeta restored_meta;

  if (input.image) {
    const ImageMeta meta = input.image->meta;
    restored_meta = meta;
    Result<Database> restored = restore(*vfs, input.db_name, std::move(*input.image));
    if (restored) {
      db.emplace(std::move(restored).value());
      report.origin = DbOrigin::restored;
      replay_after = meta.journal_hwm;
    } else {
      // The journal is not touched: the new database is rebuilt from it.
      report.origin = DbOrigin::recovered;
      report.damage = restored.error().context;
    }
    input.image.reset();
  }
  if (!db) {
    Result<Database> fresh = create_fresh(*vfs, input.db_name);
    if (!fresh) return fresh.error();
    db.emplace(std::move(fresh).value());
  }

  Result<MigrationOutcome> migrated =
      input.fail_migration && report.origin == DbOrigin::restored
          ? Result<MigrationOutcome>(store_error(StoreErrc::sqlite, "a migration step failed (test hook)"))
          : migrate(*db, input.migrations);
  // Drops the image just opened for a new empty one, migrated; the journal
  // is replayed into it from the start.
  auto start_fresh = [&]() -> Status {
    replay_after = 0;
    db->close();
    Result<Database> fresh = create_fresh(*vfs, input.db_name);
    if (!fresh) return fresh.error();
    db.emplace(std::move(fresh).value());
    migrated = migrate(*db, input.migrations);
    return {};
  };
  if (!migrated && migrated.error().code == StoreErrc::schema_too_new) {
    // Never overwrite what a newer build wrote: work on a scratch
    // database that is not persisted; the journal still records ops.
    report.origin = DbOrigin::too_new;
    report.damage = migrated.error().context;
    if (Status fresh = start_fresh(); !fresh) return fresh.error();
  }
  Status indexed = migrated ? ensure_search_indexes(*db) : Status{};
  if ((!migrated || !indexed) && report.origin == DbOrigin::restored) {
    // A good image this build cannot upgrade or index is handled like a
    // damaged one: the till must keep selling. A fresh database is refilled
    // from the journal (replayed below) and the server (no sync cursor:
    // the next pull is a bootstrap); the journal itself is never touched.
    report.origin = DbOrigin::recovered;
    report.damage = !migrated ? "upgrading the database failed: " + migrated.error().context
                              : "building the search index failed: " + indexed.error().context;
    if (Status fresh = start_fresh(); !fresh) return fresh.error();
    indexed = migrated ? ensure_search_indexes(*db) : Status{};
  }
  if (!migrated) return migrated.error();
  if (!indexed) return indexed.error();
  report.schema_from = migrated.value().from;
  report.schema_to = migrated.value().to;

  std::unique_ptr<Store> store(new Store(std::move(vfs), std::move(*db), backend, input));
  Store& s = *store;
  s.report_ = std::move(report);
  for (JournalRecord& r : input.journal) s.journal_.add(std::move(r));

  Result<std::optional<std::int64_t>> db_seq = s.db_.query_int("SELECT max(local_seq) FROM ops_applied");
  if (!db_seq) return db_seq.error();
  s.next_local_seq_ = std::max({s.journal_.max_local_seq(), image_hwm, db_seq.value().value_or(0)}) + 1;
  s.applied_hwm_ = s.next_local_seq_ - 1;

  for (const JournalRecord* r : s.journal_.in_order()) {
    if (r->local_seq <= replay_after) continue;
    Result<bool> applied = s.apply_op(*r);
    if (!applied) {
      ++s.report_.replay_errors;
      s.unapplied_.insert(r->local_seq);
      s.stats_.last_error = applied.error().context;
    } else if (applied.value()) {
      ++s.report_.replayed;
    }
  }

  Result<std::optional<std::int64_t>> db_receipt = s.db_.query_int("SELECT max(receipt_seq) FROM sales");
  if (!db_receipt) return db_receipt.error();
  std::int64_t floor = 0;
  if (Result<std::optional<std::string>> f = s.setting("receipt_seq_floor"); f && f.value())
    floor = std::atoll(f.value()->c_str());
  s.last_receipt_ = std::max({s.journal_.max_receipt_seq(), db_receipt.value().value_or(0), floor});

  if (s.report_.origin == DbOrigin::restored) s.persisted_ = restored_meta;
  // Pages stored under this name belong to a discarded (or absent) image.
  s.replace_all_ = s.report_.origin != DbOrigin::restored;
  return store;
}

Store::Store(std::unique_ptr<MemVfs> vfs, Database db, StorageBackend& backend, OpenInput& input)
    : vfs_(std::move(vfs)),
      db_(std::move(db)),
      backend_(backend),
      db_name_(input.db_name),
      policy_(input.policy),
      retention_(input.retention),
      now_ms_(std::move(input.now_ms)),
      wall_ms_(std::move(input.wall_ms)),
      read_only_(input.read_only) {
  file_ = vfs_->find(db_name_);
}

Store::~Store() = default;

Result<bool> Store::apply_op(const JournalRecord& r) {
  // One savepoint per op: its effects and its ops_applied row together.
  if (Status s = db_.exec("SAVEPOINT apply_op"); !s) return s.error();
  auto fail = [this](StoreError e) -> Result<bool> {
    (void)db_.exec("ROLLBACK TO apply_op; RELEASE apply_op");
    e.context = "applying op: " + e.context;
    return e;
  };
  Result<Statement> mark = db_.prepare("INSERT OR IGNORE INTO ops_applied(op_id, local_seq) VALUES(?1, ?2)");
  if (!mark) return fail(mark.error());
  if (Status s = mark.value().bind(1, r.op_id).bind(2, r.local_seq).run(); !s) return fail(s.error());
  const bool fresh = db_.changes() == 1;
  // The journal keeps the wire name; a kind this build does not know only
  // marks the op applied.
  const salespider::Result<OpKind> kind = parse_op_kind(r.kind);
  // What the shift reports, the history and refunds read back (day_records.hpp).
  const bool day_record = kind && (kind.value() == OpKind::shift_open || kind.value() == OpKind::shift_close ||
                                   kind.value() == OpKind::cash_movement || kind.value() == OpKind::refund ||
                                   kind.value() == OpKind::void_sale);
  if (fresh && kind && kind.value() == OpKind::sale) {
    // The sale's shape comes with the selling screen; until then the
    // local history keeps what every sale has and the payload verbatim.
    Result<Statement> sale = db_.prepare(
        "INSERT OR IGNORE INTO sales(op_id, receipt_no, receipt_seq, created_at, total_minor, currency, "
        "payload, shift_id, user_id) "
        // A real SalePayload (shared/ payloads codec) says receipt_number and
        // total; ops recorded before it (and the automation test op) say
        // receipt_no and total_minor. Both shapes stay readable.
        "VALUES(?1, coalesce(json_extract(?2, '$.receipt_number'), json_extract(?2, '$.receipt_no')), "
        "nullif(?3, 0), ?4, "
        "coalesce(json_extract(?2, '$.total'), json_extract(?2, '$.total_minor'), 0), "
        "coalesce(json_extract(?2, '$.currency'), ''), ?2, json_extract(?2, '$.shift_id'), ?5)");
    if (!sale) return fail(sale.error());
    if (Status s = sale.value()
                       .bind(1, r.op_id)
                       .bind(2, r.payload)
                       .bind(3, r.receipt_seq)
                       .bind(4, r.created_at)
                       .bind(5, r.user_id)
                       .run();
        !s)
      return fail(s.error());
  } else if (fresh && day_record) {
    Result<Statement> op = db_.prepare(
        "INSERT OR IGNORE INTO local_ops(op_id, kind, created_at, user_id, shift_id, ref, payload) "
        "VALUES(?1, ?2, ?3, ?4, json_extract(?5, '$.shift_id'), "
        "coalesce(json_extract(?5, '$.sale_op_id'), json_extract(?5, '$.sale_id')), ?5)");
    if (!op) return fail(op.error());
    if (Status s = op.value()
                       .bind(1, r.op_id)
                       .bind(2, r.kind)
                       .bind(3, r.created_at)
                       .bind(4, r.user_id)
                       .bind(5, r.payload)
                       .run();
        !s)
      return fail(s.error());
  }
  if (Status s = db_.exec("RELEASE apply_op"); !s) return fail(s.error());
  if (fresh) note_change();
  return fresh;
}

void Store::note_change() {
  if (!dirty_since_ms_) dirty_since_ms_ = now_ms_();
}

std::uint32_t Store::submit(const StorageWrite& write, PendingRequest pending) {
  const std::uint32_t id = next_request_++;
  // Registered first: a backend may answer from inside submit().
  requests_.emplace(id, std::move(pending));
  backend_.submit(id, write);
  return id;
}

Result<RecordTicket> Store::record_op(OpInput op, OpCompletion done) {
  if (read_only_)
    return store_error(StoreErrc::read_only,
                       "this tab cannot record: the till is open in another tab or has no storage");
  if (op.op_id.empty() || op.kind.empty())
    return store_error(StoreErrc::invalid_op, "an op needs an op_id and a kind");
  if (has_op(op.op_id))
    return store_error(StoreErrc::duplicate_op, "already recorded: op " + op.op_id + " is in the journal");
  Result<std::string> payload = canonical_payload(op.payload);
  if (!payload) return payload.error();

  JournalRecord r;
  r.op_id = std::move(op.op_id);
  r.till_id = std::move(op.till_id);
  r.kind = std::move(op.kind);
  r.created_at = op.created_at;
  r.user_id = std::move(op.user_id);
  r.grant = std::move(op.grant);
  r.payload = std::move(payload).value();
  r.local_seq = next_local_seq_++;
  // Taken now, not at completion: a number handed out is never handed out
  // again in this session, even if this write fails.
  r.receipt_seq = op.takes_receipt ? ++last_receipt_ : 0;
  r.state = OpState::pending;

  StorageWrite write;
  write.strict = true;
  write.journal_puts.emplace_back(r.op_id, encode_record(r));
  RecordTicket ticket{0, r.op_id, r.local_seq, r.receipt_seq};
  unapplied_.insert(r.local_seq);
  journal_.add(std::move(r));
  ++stats_.journal_writes;
  ticket.request_id = submit(write, JournalPut{ticket.op_id, std::move(done)});
  return ticket;
}

bool Store::has_op(const std::string& op_id) {
  if (journal_.find(op_id) != nullptr) return true;
  Result<Statement> q = db_.prepare("SELECT 1 FROM ops_applied WHERE op_id = ?1");
  if (!q) return false;
  q.value().bind(1, op_id);
  Result<bool> row = q.value().step();
  return row && row.value();
}

std::string Store::recorded_receipt(const std::string& op_id) {
  Result<Statement> q = db_.prepare("SELECT coalesce(receipt_no, '') FROM sales WHERE op_id = ?1");
  if (!q) return {};
  q.value().bind(1, op_id);
  Result<bool> row = q.value().step();
  return row && row.value() ? q.value().text(0) : std::string();
}

bool Store::complete(std::uint32_t request_id, bool ok, std::string_view error) {
  auto it = requests_.find(request_id);
  if (it == requests_.end()) return false;
  PendingRequest pending = std::move(it->second);
  requests_.erase(it);

  if (auto* put = std::get_if<JournalPut>(&pending)) {
    JournalRecord* r = journal_.find(put->op_id);
    if (r == nullptr) return false;
    JournalRecord record = *r;
    if (ok) {
      // Durable: now the op counts, in the database too.
      Result<bool> applied = apply_op(record);
      applied_hwm_ = std::max(applied_hwm_, record.local_seq);
      if (applied) {
        unapplied_.erase(record.local_seq);
        ++ops_since_snapshot_;
      } else {
        // Still recorded (the journal is the truth); the next open
        // retries the effects.
        stats_.last_error = applied.error().context;
      }
      if (put->done) put->done(Status{}, record);
    } else {
      journal_.remove(put->op_id);
      unapplied_.erase(record.local_seq);
      stats_.last_error = "recording op failed: " + std::string(error);
      if (put->done) put->done(store_error(StoreErrc::storage_failed, stats_.last_error), record);
    }
    return true;
  } else if (auto* snap = std::get_if<SnapshotWrite>(&pending)) {
    snapshot_in_flight_ = false;
    file_->unpin();
    if (ok) {
      persisted_ = snap->meta;
      replace_all_ = false;
      ++stats_.snapshots_written;
      stats_.last_snapshot_pages = snap->pages.size();
      for (const std::string& id : snap->pruned) journal_.remove(id);
    } else {
      // Nothing of it happened (one transaction): write it all again.
      for (std::uint32_t page : snap->pages) file_->mark_dirty(page);
      ++stats_.snapshot_failures;
      stats_.last_error = "writing a snapshot failed: " + std::string(error);
      note_change();
    }
  } else if (!ok) {
    stats_.last_error = "updating op states failed: " + std::string(error);
  }
  return false;
}

std::vector<const JournalRecord*> Store::pending_records() const {
  std::vector<const JournalRecord*> out = journal_.with_state(OpState::pending);
  // Not yet durable: not recorded, so not to be pushed.
  if (!requests_.empty())
    out.erase(std::remove_if(out.begin(), out.end(),
                             [this](const JournalRecord* r) {
                               return std::any_of(requests_.begin(), requests_.end(), [r](const auto& req) {
                                 const auto* put = std::get_if<JournalPut>(&req.second);
                                 return put != nullptr && put->op_id == r->op_id;
                               });
                             }),
              out.end());
  return out;
}

std::size_t Store::pending_count() const { return pending_records().size(); }

std::vector<JournalRecord> Store::pending_ops() const {
  std::vector<JournalRecord> out;
  for (const JournalRecord* r : pending_records()) out.push_back(*r);
  return out;
}

std::vector<JournalRecord> Store::rejected_ops() const {
  std::vector<JournalRecord> out;
  for (const JournalRecord* r : journal_.with_state(OpState::rejected)) out.push_back(*r);
  return out;
}

Status Store::mark_acked(const std::vector<std::string>& op_ids) {
  if (read_only_) return store_error(StoreErrc::read_only, "this tab cannot change op states");
  StorageWrite write;
  for (const std::string& id : op_ids) {
    JournalRecord* r = journal_.find(id);
    if (r == nullptr) return store_error(StoreErrc::unknown_op, "op " + id + " is not in the journal");
    if (r->state == OpState::acked) continue;
    r->state = OpState::acked;
    r->reason.clear();
    write.journal_puts.emplace_back(r->op_id, encode_record(*r));
  }
  if (write.journal_puts.empty()) return {};
  // Relaxed: losing an ack only means pushing again and hearing "duplicate".
  submit(write, StateUpdate{});
  note_change();
  return {};
}

Status Store::mark_rejected(const std::string& op_id, std::string reason) {
  if (read_only_) return store_error(StoreErrc::read_only, "this tab cannot change op states");
  JournalRecord* r = journal_.find(op_id);
  if (r == nullptr) return store_error(StoreErrc::unknown_op, "op " + op_id + " is not in the journal");
  r->state = OpState::rejected;
  r->reason = std::move(reason);
  StorageWrite write;
  write.journal_puts.emplace_back(r->op_id, encode_record(*r));
  submit(write, StateUpdate{});
  return {};
}

Result<std::size_t> Store::requeue_acked_ops() {
  if (read_only_) return store_error(StoreErrc::read_only, "this tab cannot change op states");
  StorageWrite write;
  write.strict = true;
  for (const JournalRecord* r : journal_.requeue_acked()) write.journal_puts.emplace_back(r->op_id, encode_record(*r));
  if (write.journal_puts.empty()) return std::size_t{0};
  const std::size_t n = write.journal_puts.size();
  submit(write, StateUpdate{});
  return n;
}

std::int64_t Store::covered_hwm() const {
  std::int64_t hwm = applied_hwm_;
  if (!unapplied_.empty()) hwm = std::min(hwm, *unapplied_.begin() - 1);
  // Ops recorded in this session raise the mark as they are applied.
  return std::max<std::int64_t>(0, std::min(hwm, next_local_seq_ - 1));
}

bool Store::flush_due() const {
  if (!persists_snapshots() || snapshot_in_flight_ || snapshots_held_) return false;
  if (flush_requested_) return true;
  if (ops_since_snapshot_ >= policy_.max_ops) return true;
  return dirty_since_ms_ && now_ms_() - *dirty_since_ms_ >= policy_.max_delay_ms;
}

Result<std::uint32_t> Store::flush() {
  if (!persists_snapshots()) return std::uint32_t{0};
  if (snapshot_in_flight_) return store_error(StoreErrc::busy, "a snapshot is being written");
  if (!db_.in_autocommit()) return store_error(StoreErrc::busy, "a database transaction is open");

  const std::int64_t hwm = covered_hwm();
  std::vector<std::string> pruned = journal_.prunable(hwm, wall_ms_(), retention_);
  if (file_->dirty().empty() && !replace_all_ && pruned.empty() && hwm == persisted_.journal_hwm) {
    dirty_since_ms_.reset();
    ops_since_snapshot_ = 0;
    flush_requested_ = false;
    return std::uint32_t{0};
  }

  StorageWrite::Snapshot snap;
  snap.db_name = db_name_;
  snap.meta = ImageMeta{file_->page_size(), file_->page_count(), hwm, report_.schema_to};
  snap.replace_all = replace_all_;
  std::vector<std::uint32_t> pages;
  if (replace_all_) {
    for (std::uint32_t i = 0; i < file_->page_count(); ++i) pages.push_back(i);
  } else {
    pages.assign(file_->dirty().begin(), file_->dirty().end());
    if (file_->page_count() < persisted_.page_count) snap.drop_from = file_->page_count();
  }
  snap.pages.reserve(pages.size());
  for (std::uint32_t i : pages) snap.pages.push_back(StorageWrite::Page{i, file_->page(i)});

  StorageWrite write;
  write.snapshot = std::move(snap);
  write.journal_deletes = pruned;
  const ImageMeta meta = write.snapshot->meta;

  file_->clear_dirty();
  ops_since_snapshot_ = 0;
  dirty_since_ms_.reset();
  flush_requested_ = false;
  snapshot_in_flight_ = true;
  file_->pin(pages);  // until complete(): the backend reads them later
  return submit(write, SnapshotWrite{std::move(pages), meta, std::move(pruned)});
}

Status Store::upsert_products(std::span<const ProductRow> rows) {
  if (read_only_) return store_error(StoreErrc::read_only, "this tab cannot change the catalog");
  if (Status s = db_.exec("BEGIN"); !s) return s;
  Result<Statement> stmt = db_.prepare(
      "INSERT INTO products(id, name, price_minor, currency, tax_rate_id, row_version, deleted) "
      "VALUES(?1, ?2, ?3, ?4, nullif(?5, ''), ?6, ?7) "
      "ON CONFLICT(id) DO UPDATE SET name=excluded.name, price_minor=excluded.price_minor, "
      "currency=excluded.currency, tax_rate_id=excluded.tax_rate_id, row_version=excluded.row_version, "
      "deleted=excluded.deleted");
  if (!stmt) {
    (void)db_.exec("ROLLBACK");
    return stmt.error();
  }
  for (const ProductRow& p : rows) {
    Status s = stmt.value()
                   .bind(1, p.id)
                   .bind(2, p.name)
                   .bind(3, p.price_minor)
                   .bind(4, p.currency)
                   .bind(5, p.tax_rate_id)
                   .bind(6, p.row_version)
                   .bind(7, std::int64_t{p.deleted ? 1 : 0})
                   .run();
    if (s) s = stmt.value().reset();
    if (!s) {
      (void)db_.exec("ROLLBACK");
      return s;
    }
  }
  // Test seeding is a bulk load: the search index is rebuilt once (not
  // while a bootstrap has it dropped).
  Result<bool> built = product_search_built(db_);
  Status indexed = built ? Status{} : Status{built.error()};
  if (indexed && built.value()) indexed = rebuild_product_search(db_);
  if (!indexed) {
    (void)db_.exec("ROLLBACK");
    return indexed;
  }
  if (Status s = db_.exec("COMMIT"); !s) {
    (void)db_.exec("ROLLBACK");
    return s;
  }
  note_change();
  return {};
}

Result<std::int64_t> Store::product_count() {
  Result<std::optional<std::int64_t>> n = db_.query_int("SELECT count(*) FROM products WHERE deleted = 0");
  if (!n) return n.error();
  return n.value().value_or(0);
}

Result<std::int64_t> Store::sales_count() {
  Result<std::optional<std::int64_t>> n = db_.query_int("SELECT count(*) FROM sales");
  if (!n) return n.error();
  return n.value().value_or(0);
}

Result<std::optional<std::string>> Store::setting(std::string_view key) {
  Result<Statement> stmt = db_.prepare("SELECT v FROM settings WHERE k = ?1");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, key);
  Result<bool> row = stmt.value().step();
  if (!row) return row.error();
  if (!row.value()) return std::optional<std::string>{};
  return std::optional<std::string>{stmt.value().text(0)};
}

Status Store::set_setting(std::string_view key, std::string_view value) {
  if (read_only_) return store_error(StoreErrc::read_only, "this tab cannot change settings");
  Result<Statement> stmt =
      db_.prepare("INSERT INTO settings(k, v) VALUES(?1, ?2) ON CONFLICT(k) DO UPDATE SET v = excluded.v");
  if (!stmt) return stmt.error();
  if (Status s = stmt.value().bind(1, key).bind(2, value).run(); !s) return s;
  note_change();
  return {};
}

Status Store::raise_receipt_floor(std::int64_t seq) {
  // Memory first: even if the setting cannot be written, this session never
  // hands out a number the server already holds.
  last_receipt_ = std::max(last_receipt_, seq);
  Result<std::optional<std::string>> current = setting("receipt_seq_floor");
  if (!current) return current.error();
  const std::int64_t floor = current.value() ? std::atoll(current.value()->c_str()) : 0;
  if (seq <= floor) return {};
  return set_setting("receipt_seq_floor", std::to_string(seq));
}

void Store::hold_snapshots(bool held) {
  if (snapshots_held_ && !held) flush_requested_ = true;
  snapshots_held_ = held;
}

Status Store::transaction(const std::function<Status(Database&)>& body) {
  if (read_only_) return store_error(StoreErrc::read_only, "this tab cannot change the database");
  if (!db_.in_autocommit()) return store_error(StoreErrc::busy, "a database transaction is already open");
  if (Status s = db_.exec("BEGIN"); !s) return s;
  Status s = body(db_);
  if (s) s = db_.exec("COMMIT");
  if (!s) {
    (void)db_.exec("ROLLBACK");
    return s;
  }
  note_change();
  return {};
}

StoreStats Store::stats() const {
  StoreStats s = stats_;
  s.dirty_pages = file_->dirty().size();
  s.ops_since_snapshot = ops_since_snapshot_;
  s.snapshot_in_flight = snapshot_in_flight_;
  return s;
}

}  // namespace salespider::store
