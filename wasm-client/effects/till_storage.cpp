// TillStorage: startup (take what JS loaded, open, report), the flush policy
// hooks, and the test-only helpers behind window.salespider.debug.
#include "effects/till_storage.hpp"

#include "platform/storage.hpp"
#include "store/catalog.hpp"
#include "store/migrations.hpp"

#include <salespider/shared/protocol.hpp>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace salespider::effects {

namespace {

constexpr const char* kDbName = "till";
// Until enrolment exists (a later issue), test ops carry nil ids and a test
// till code.
constexpr const char* kNilUuid = "00000000-0000-0000-0000-000000000000";
constexpr const char* kTestTillCode = "TEST";

}  // namespace

TillStorage::TillStorage(StatusSink sink)
    : sink_(std::move(sink)),
      backend_(platform::storage::make_indexeddb_backend()),
      ids_([] { return platform::storage::wall_clock_ms(); },
           [] { return platform::storage::random_u64(); }) {}

std::unique_ptr<TillStorage> TillStorage::start(StatusSink sink) {
  std::unique_ptr<TillStorage> ts(new TillStorage(std::move(sink)));
  ts->automation_ = platform::storage::automation_enabled();
  const double t0 = platform::storage::monotonic_ms();

  platform::storage::Loaded loaded = platform::storage::take_loaded(kDbName);
  ts->available_ = loaded.available;
  ts->error_ = loaded.error;
  ts->identity_json_ = std::move(loaded.identity_json);
  ts->drafts_json_ = std::move(loaded.drafts_json);

  store::OpenInput in;
  in.db_name = kDbName;
  in.image = std::move(loaded.image);
  store::DecodedJournal journal =
      store::decode_journal(loaded.journal_json.empty() ? "[]" : loaded.journal_json);
  in.journal = std::move(journal.records);
  in.unreadable_records = journal.unreadable.size();
  in.read_only = loaded.read_only || !loaded.available;
  in.now_ms = [] { return static_cast<std::int64_t>(platform::storage::monotonic_ms()); };
  in.wall_ms = [] { return platform::storage::wall_clock_ms(); };
  if (std::optional<std::int64_t> delay = platform::storage::flush_delay_override()) in.policy.max_delay_ms = *delay;
  in.fail_migration = platform::storage::fail_migration_for_test();

  store::Result<std::unique_ptr<store::Store>> opened = store::Store::open(std::move(in), *ts->backend_);
  if (opened) {
    ts->store_ = std::move(opened).value();
  } else {
    ts->error_ = "the local store could not open: " + opened.error().context;
  }
  ts->open_ms_ = platform::storage::monotonic_ms() - t0;

  if (ts->store_) {
    const store::OpenReport& r = ts->store_->report();
    std::printf(
        "salespider: store %s (schema %d -> %d), %zu journal ops (%zu unreadable), %zu replayed, "
        "read from IndexedDB in %.0f ms, opened in %.0f ms%s%s\n",
        store::to_string(r.origin), r.schema_from, r.schema_to, r.journal_records, r.unreadable_records,
        r.replayed, loaded.load_ms, ts->open_ms_,
        r.damage.empty() ? "" : "; image not used: ", r.damage.c_str());
  } else {
    std::fprintf(stderr, "salespider: %s\n", ts->error_.c_str());
  }
  return ts;
}

void TillStorage::publish() {
  if (sink_) sink_(status());
}

state::StorageStatus TillStorage::status() const {
  state::StorageStatus s;
  s.available = available_;
  s.persisted = persisted_;
  s.usage = usage_;
  s.quota = quota_;
  s.open_ms = open_ms_;
  s.error = error_;
  if (!store_) {
    s.read_only = true;
    return s;
  }
  s.opened = true;
  s.read_only = store_->read_only();
  s.db = store::to_string(store_->report().origin);
  s.db_damage = store_->report().damage;
  s.pending_ops = static_cast<int>(store_->pending_count());
  s.needs_attention = static_cast<int>(store_->rejected_ops().size());
  s.last_receipt = store_->last_receipt_sequence();
  const std::string& last = store_->stats().last_error;
  if (!last.empty()) s.error = last;
  return s;
}

bool TillStorage::complete(std::uint32_t request_id, bool ok) {
  if (!store_) return false;
  const std::string error = ok ? std::string() : platform::storage::take_error(request_id);
  const bool op = store_->complete(request_id, ok, error);
  publish();
  return op;
}

void TillStorage::tick() {
  if (store_ && store_->flush_due()) {
    (void)store_->flush();
    publish();
  }
}

void TillStorage::page_hidden() {
  // The tab may be killed any moment now; a busy result means a snapshot
  // is already on its way.
  if (store_) (void)store_->flush();
}

void TillStorage::lost_till() {
  if (store_) store_->become_read_only();
  publish();
}

void TillStorage::storage_info(int persisted, double usage, double quota) {
  if (persisted >= 0) persisted_ = persisted != 0;
  usage_ = usage;
  quota_ = quota;
  publish();
}

void TillStorage::export_pending_ops() {
  platform::storage::export_pending_ops();
}

store::Result<store::RecordTicket> TillStorage::record_test_op() {
  if (!automation_) return store::store_error(store::StoreErrc::read_only, "test hooks need ?automation=1");
  if (!store_) return store::store_error(store::StoreErrc::read_only, error_);
  const std::int64_t seq = store_->next_receipt_sequence();
  Result<std::string> receipt = format_receipt_number(ReceiptNumber{kTestTillCode, seq});
  store::OpInput op;
  op.op_id = ids_.next().to_string();
  op.till_id = kNilUuid;
  op.kind = std::string(to_string(OpKind::sale));
  op.created_at = platform::storage::wall_clock_ms();
  op.user_id = kNilUuid;
  op.payload = std::string(R"({"test":true,"currency":"NGN","total_minor":150000,"receipt_no":")") +
               (receipt ? receipt.value() : std::string()) +
               R"(","lines":[{"product_id":"test","qty":1,"unit_minor":150000}]})";
  op.takes_receipt = true;
  store::Result<store::RecordTicket> ticket = store_->record_op(std::move(op), nullptr);
  if (ticket) publish();
  return ticket;
}

store::Status TillStorage::seed_test_products(int n) {
  if (!automation_) return store::store_error(store::StoreErrc::read_only, "test hooks need ?automation=1");
  if (!store_) return store::store_error(store::StoreErrc::read_only, error_);
  std::vector<store::ProductRow> rows;
  rows.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const std::string id = ids_.next().to_string();
    rows.push_back(store::ProductRow{id, "Test product " + std::to_string(i) + " 500 g pack",
                                     100 + (i % 9000) * 50, "NGN", "vat-standard", 1, false});
  }
  return store_->upsert_products(rows);
}

store::Result<std::string> TillStorage::bulk_insert_limit(int n) {
  if (!automation_) return store::store_error(store::StoreErrc::read_only, "test hooks need ?automation=1");
  const double t0 = platform::storage::monotonic_ms();
  store::Result<store::Database> opened = store::Database::open(":memory:", nullptr);
  if (!opened) return opened.error();
  store::Database& db = opened.value();
  if (auto m = store::migrate(db); !m) return m.error();
  if (store::Status s = store::drop_search_indexes(db); !s) return s.error();
  // The rows, as a decoded page would hold them, built before the clock starts.
  struct Row {
    std::string id, sku, name, barcode;
  };
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "0190a5b2-7c3d-7e4f-8a1b-%012d", i);
    rows.push_back(Row{id, "D" + std::to_string(10000 + i), "Golden Rice 5kg " + std::to_string(i / 88),
                       "20" + std::to_string(100000000000LL + i)});
  }
  const double t1 = platform::storage::monotonic_ms();
  if (store::Status s = db.exec("BEGIN"); !s) return s.error();
  auto product = db.prepare(
      "INSERT INTO products(id, sku, name, description, category_id, tax_rate_id, unit, price_minor, currency, "
      "track_stock, reorder_level_milli, is_active, barcodes, row_version, deleted) "
      "VALUES(?1, ?2, ?3, '', 'c', 't', 'each', ?4, 'NGN', 1, 10000, 1, ?5, 1, 0)");
  auto barcode = db.prepare("INSERT INTO barcodes(code, product_id) VALUES(?1, ?2)");
  auto stock = db.prepare("INSERT INTO stock_levels(product_id, on_hand_milli, row_version, deleted) VALUES(?1, 60000, 1, 0)");
  if (!product) return product.error();
  if (!barcode) return barcode.error();
  if (!stock) return stock.error();
  for (int i = 0; i < n; ++i) {
    const Row& r = rows[static_cast<std::size_t>(i)];
    const std::string codes = "[\"" + r.barcode + "\"]";
    store::Statement& p = product.value();
    p.bind(1, r.id).bind(2, r.sku).bind(3, r.name).bind(4, std::int64_t{500 + i % 200 * 100}).bind(5, codes);
    if (store::Status s = p.run(); !s) return s.error();
    (void)p.reset();
    store::Statement& b = barcode.value();
    b.bind(1, r.barcode).bind(2, r.id);
    if (store::Status s = b.run(); !s) return s.error();
    (void)b.reset();
    store::Statement& k = stock.value();
    k.bind(1, r.id);
    if (store::Status s = k.run(); !s) return s.error();
    (void)k.reset();
  }
  if (store::Status s = db.exec("COMMIT"); !s) return s.error();
  const double t2 = platform::storage::monotonic_ms();
  if (store::Status s = db.exec("BEGIN"); !s) return s.error();
  if (store::Status s = store::create_search_indexes(db); !s) return s.error();
  if (store::Status s = db.exec("COMMIT"); !s) return s.error();
  const double t3 = platform::storage::monotonic_ms();
  char out[256];
  std::snprintf(out, sizeof out,
                "{\"ok\":true,\"products\":%d,\"rows\":%d,\"insert_ms\":%.1f,\"index_ms\":%.1f,"
                "\"total_ms\":%.1f,\"setup_ms\":%.1f}",
                n, 3 * n, t2 - t1, t3 - t2, t3 - t1, t1 - t0);
  return std::string(out);
}

store::Status TillStorage::seed_test_sales(int n) {
  if (!automation_) return store::store_error(store::StoreErrc::read_only, "test hooks need ?automation=1");
  if (!store_) return store::store_error(store::StoreErrc::read_only, error_);
  store::Database& db = store_->db();
  if (store::Status s = db.exec("BEGIN"); !s) return s;
  auto insert = db.prepare(
      "INSERT INTO sales(op_id, receipt_no, receipt_seq, created_at, total_minor, currency, payload) "
      "VALUES(?1, NULL, NULL, ?2, 1500, 'NGN', '{\"test\":true,\"lines\":[{\"product_id\":\"x\",\"qty\":1}]}')");
  if (!insert) {
    (void)db.exec("ROLLBACK");
    return insert.error();
  }
  const std::int64_t now = platform::storage::wall_clock_ms();
  for (int i = 0; i < n; ++i) {
    store::Statement& st = insert.value();
    st.bind(1, ids_.next().to_string()).bind(2, now - static_cast<std::int64_t>(n - i) * 60000);
    if (store::Status s = st.run(); !s) {
      (void)db.exec("ROLLBACK");
      return s;
    }
    (void)st.reset();
  }
  return db.exec("COMMIT");
}

store::Result<std::uint32_t> TillStorage::flush_now() {
  if (!store_) return store::store_error(store::StoreErrc::read_only, error_);
  store::Result<std::uint32_t> id = store_->flush();
  publish();
  return id;
}

}  // namespace salespider::effects
