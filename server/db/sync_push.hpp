// The push side of the sync engine in SQL: one PushTx is one PostgreSQL
// transaction in which service/sync_push.cpp records a chunk of a till's ops.
// Every op's applied_ops row is inserted in the same transaction as its
// effects (invariant 3); the row's primary key is what makes a replay a
// duplicate.
//
// [x] claim an op id (INSERT ... ON CONFLICT DO NOTHING), read the stored
//     result of a duplicate
// [x] facts for the re-checks: users, products with the price in force at a
//     time, receipt numbers taken, the sale a refund refers to
// [x] sales (lines, payments, stock movements, audit row) in one statement;
//     refunds (with their tenders), stock movements, shifts, cash movements,
//     audit rows
// [x] what a shift's report is computed from, at its close (db/shifts.hpp)
// [x] stock levels updated once per transaction, rows locked in product order,
//     with the till's receipt sequence in the same statement
// [x] the till's contact (last push, outbox report) in the push's last
//     transaction
// [x] flags (op_flags) and the flags/message of ops and sales
// [x] a chunk's sales in one statement (claims, sales, lines, payments,
//     movements, audit rows), and the facts they are checked against read
//     for the whole chunk in one query each (prices in force, receipt holders)
// [ ] savepoints: a failing op makes the caller roll the whole transaction
//     back and re-run its ops one per transaction (cheaper on the happy path)
//
// No pqxx types in this header: service/ uses it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace salespider::db {

class Pool;

// What the store's settings say about tenders.
struct TenderFacts {
  std::int64_t cash_rounding = 0;     // settings.cash_rounding_minor
  std::vector<std::string> enabled;  // settings.enabled_tenders
};

struct UserFact {
  std::string id;
  std::string role;
  std::string status;
};

struct ProductFact {
  std::string id;
  std::string unit;  // "each" | "weighed"
  bool track_stock = true;
  bool deleted = false;
  std::int64_t price_in_force = 0;  // the price_history price at the time asked, else the current one
  std::string currency;
};

// The applied_ops row of an op: its envelope and its result.
struct OpRow {
  std::string op_id;
  std::string store_id;
  std::string till_id;
  std::optional<std::string> user_id;  // only when it names a user of the store
  std::string op_user_id;              // as sent
  std::string kind;
  std::string status;  // "applied" | "rejected"
  std::string reject_code;
  std::string reject_message;
  std::optional<std::string> payload;  // JSON text; kept for rejected ops and for sales and refunds
  std::string grant;
  std::int64_t created_at_ms = 0;
  std::string result_message;
  std::vector<std::string> flags;
};

struct StoredResult {
  std::string till_id;
  std::string status;
  std::string reject_code;
  std::string reject_message;
  std::string result_message;
};

struct FlagRow {
  std::string op_id;
  std::optional<std::string> sale_id;
  std::string kind;
  std::string detail;  // JSON object text
};

struct SaleLineRow {
  int line_no = 0;
  std::optional<std::string> product_id;
  bool move_stock = false;  // a known product that tracks stock
  std::string name;
  std::string barcode;
  std::string unit;
  std::int64_t quantity_milli = 0;
  std::int64_t unit_price_minor = 0;
  std::int64_t discount_minor = 0;
  std::string tax_code;
  std::string tax_kind;
  std::int64_t tax_rate_ppm = 0;
  std::int64_t tax_minor = 0;
  std::int64_t total_minor = 0;
};

struct PaymentRow {
  std::string tender;
  std::int64_t amount_minor = 0;
  std::string reference;
};

struct SaleRow {
  std::string id;  // = op id
  std::string store_id;
  std::string till_id;
  std::string user_id;
  std::string shift_id;     // "" = the till's shift open at the sale's time, if any
  std::string approved_by;  // "" = no (valid) approval
  std::int64_t receipt_seq = 0;
  std::string receipt_number;
  bool receipt_collision = false;
  std::string price_mode;
  std::string currency;
  std::int64_t subtotal_minor = 0;
  std::int64_t discount_minor = 0;
  std::int64_t tax_minor = 0;
  std::int64_t total_minor = 0;
  std::int64_t rounding_minor = 0;
  std::int64_t paid_minor = 0;
  std::int64_t change_minor = 0;
  std::vector<std::string> flags;
  std::int64_t occurred_at_ms = 0;
  std::vector<SaleLineRow> lines;
  std::vector<PaymentRow> payments;
};

// What a refund needs to know about its sale (row locked until commit, so
// two refunds of one sale are recorded one after the other).
struct SaleForRefund {
  std::string sale_id;
  std::string status;
  std::string sale_payload;                  // the sale op's payload (JSON)
  std::vector<std::string> refund_payloads;  // earlier refunds' payloads, in order
  std::vector<std::string> line_ids;         // sale_lines.id by line_no - 1
  std::vector<std::optional<std::string>> line_products;
  std::vector<bool> line_moves_stock;
};

struct RefundLineRow {
  std::string sale_line_id;
  std::optional<std::string> product_id;  // set when the product tracks stock (restocked)
  std::int64_t quantity_milli = 0;
  std::int64_t amount_minor = 0;
  std::int64_t tax_minor = 0;
};

struct RefundRow {
  std::string id;  // = op id
  std::string store_id;
  std::string sale_id;
  std::string till_id;
  std::string user_id;
  std::string shift_id;     // "" = the till's shift open at the refund's time, if any
  std::string approved_by;  // "" = no (valid) approval
  std::string reason;
  std::string tender;  // the tender that got most of the money back
  std::vector<PaymentRow> tenders;  // how the money went back (reference unused)
  std::string currency;
  std::int64_t tax_minor = 0;
  std::int64_t total_minor = 0;
  std::vector<std::string> flags;
  std::int64_t occurred_at_ms = 0;
  std::vector<RefundLineRow> lines;
};

struct StockMovementRow {
  std::string store_id;
  std::string product_id;
  std::string kind;
  std::int64_t quantity_milli = 0;
  std::optional<std::string> reason;
  std::string note;
  std::string user_id;
  std::string till_id;
  std::string op_id;  // "" = none (a compensation the server adds)
  std::int64_t occurred_at_ms = 0;
  // Migration 0009: a count's lines and figures, a receipt's unit cost, the
  // op a compensating count undoes ("" / nullopt = not set).
  std::string count_id;
  std::optional<std::int64_t> counted_milli;
  std::optional<std::int64_t> expected_milli;
  std::optional<std::int64_t> till_delta_milli;
  std::optional<std::int64_t> unit_cost_minor;
  std::string compensates_op_id;
};

// The latest count of a product computed against the ledger.
struct LedgerCount {
  std::int64_t occurred_at_ms = 0;
  std::string count_id;
};

struct SyncAuditRow {
  std::string store_id;
  std::optional<std::string> actor_user_id;
  std::optional<std::string> actor_till_id;
  std::string action;
  std::string entity;
  std::optional<std::string> entity_id;
  std::string detail = "{}";  // JSON object text
};

// Till health: the till's last push or pull and what it reported.
struct TillReport {
  std::optional<int> outbox_depth;
  std::optional<std::int64_t> oldest_op_age_ms;
  std::string app_version;
  std::optional<std::int64_t> clock_skew_ms;
  // Set on a push that left the till's outbox empty: its arrival (server
  // clock). The till's acked_until only ever moves forward.
  std::optional<std::int64_t> acked_until_ms;
};

struct ShiftReportInputs;

class PushTx {
 public:
  explicit PushTx(Pool& pool);
  ~PushTx();  // rolls back unless committed
  PushTx(const PushTx&) = delete;
  PushTx& operator=(const PushTx&) = delete;

  // Facts.
  TenderFacts tender_facts(const std::string& store_id);
  std::optional<UserFact> user(const std::string& store_id, const std::string& user_id);
  std::vector<ProductFact> products(const std::string& store_id, const std::vector<std::string>& ids,
                                    std::int64_t at_ms);
  // The op id of a sale already holding this receipt number, if any.
  std::optional<std::string> receipt_holder(const std::string& store_id, const std::string& till_id,
                                            std::int64_t seq, const std::string& receipt_number);
  // Chunk-wide forms of products() and receipt_holder(): one query for many
  // ops. products_at: the facts of each (product id, time) asked (unknown
  // products are left out); receipt_holders: per (seq, number) asked, the
  // op id holding it, or nullopt.
  std::map<std::pair<std::string, std::int64_t>, ProductFact> products_at(
      const std::string& store_id, const std::vector<std::pair<std::string, std::int64_t>>& wanted);
  std::vector<std::optional<std::string>> receipt_holders(
      const std::string& store_id, const std::string& till_id,
      const std::vector<std::pair<std::int64_t, std::string>>& receipts);
  // All of a chunk's facts in one round trip: the store's tender settings,
  // the users asked (those found), products_at and receipt_holders.
  struct ChunkFacts {
    TenderFacts tenders;
    std::map<std::string, UserFact> users;
    std::map<std::pair<std::string, std::int64_t>, ProductFact> products;
    std::vector<std::optional<std::string>> holders;
  };
  ChunkFacts chunk_facts(const std::string& store_id, const std::string& till_id,
                         const std::vector<std::string>& user_ids,
                         const std::vector<std::pair<std::string, std::int64_t>>& products,
                         const std::vector<std::pair<std::int64_t, std::string>>& receipts);
  std::optional<SaleForRefund> sale_for_refund(const std::string& store_id, const std::string& sale_id);
  bool sale_exists(const std::string& store_id, const std::string& sale_id);
  bool shift_exists(const std::string& shift_id);
  // The till a shift belongs to, if the shift exists.
  std::optional<std::string> shift_till(const std::string& shift_id);
  // Locks this till's shift and says its status ("open" | "closed"), if it exists.
  std::optional<std::string> lock_shift(const std::string& shift_id, const std::string& till_id);
  // What the shift's report is computed from, as this transaction sees it.
  ShiftReportInputs shift_inputs(const std::string& shift_id);

  // True when this transaction inserted the op; false when it was already there.
  bool claim(const OpRow& op);
  std::optional<StoredResult> stored(const std::string& op_id);
  // Needs attention "retry": the envelope of a stored op (row locked), and
  // turning a rejected op into `op` (applied, or rejected for a new reason).
  struct StoredEnvelope {
    std::string till_id;
    std::string till_code;
    std::string kind;
    std::string op_user_id;
    std::string grant;
    std::int64_t created_at_ms = 0;
    std::string payload;
    std::string status;
    bool resolved = false;
  };
  std::optional<StoredEnvelope> envelope(const std::string& store_id, const std::string& op_id);
  void reclaim(const OpRow& op, const std::optional<std::string>& by_user);

  // Effects.
  void insert_sale(const SaleRow& sale);
  // Claims each op (ON CONFLICT DO NOTHING) and writes the sales of the ops
  // it claimed, all in one statement. `ops[i]` is the claim of `sales[i]`
  // (op ids unique within the call). Returns the op ids claimed; an op left
  // out was already there (a duplicate) and nothing of its sale was written.
  std::vector<std::string> claim_and_insert_sales(const std::vector<OpRow>& ops, const std::vector<SaleRow>& sales);
  void insert_refund(const RefundRow& refund);
  void insert_stock_movement(const StockMovementRow& m);
  void insert_shift(const std::string& shift_id, const std::string& store_id, const std::string& till_id,
                    const std::string& user_id, const std::string& currency, std::int64_t opening_float_minor,
                    std::int64_t opened_at_ms);
  // Closes a shift lock_shift found open; expected: from its report (nullopt: none could be made).
  void close_shift(const std::string& shift_id, const std::string& user_id, std::int64_t counted_cash_minor,
                   std::int64_t closed_at_ms, std::optional<std::int64_t> expected_cash_minor);
  void insert_cash_movement(const std::string& store_id, const std::string& shift_id, const std::string& till_id,
                            const std::string& user_id, const std::string& kind, std::int64_t amount_minor,
                            const std::string& currency, const std::string& reason, const std::string& op_id,
                            std::int64_t occurred_at_ms);
  void audit(const SyncAuditRow& row);

  // Adds the deltas to stock_levels (rows locked in product order) and
  // returns the new on-hand per product. With receipt_seq > 0 the same
  // statement then raises the till's highest receipt sequence (as
  // raise_receipt_seq does), after the level rows are locked: one round trip
  // where a chunk used two, in the lock order it always had.
  std::vector<std::pair<std::string, std::int64_t>> apply_stock(
      const std::string& store_id, const std::vector<std::pair<std::string, std::int64_t>>& deltas,
      const std::string& till_id = {}, std::int64_t receipt_seq = 0);
  // On hand in the ledger at `at_ms` (movements that occurred then or
  // before); call with the product's level row locked.
  std::int64_t ledger_at(const std::string& product_id, std::int64_t at_ms);
  // Per product, the latest count computed against the ledger, leaving out
  // the counts of `except_ops` (uuids).
  std::map<std::string, LedgerCount> last_ledger_counts(const std::vector<std::string>& product_ids,
                                                        const std::vector<std::string>& except_ops);
  void raise_receipt_seq(const std::string& till_id, std::int64_t seq);
  // Inserts the flag rows and appends their kinds to the ops' (and sales')
  // flags; `messages` are the ops' new result messages.
  void add_flags(const std::string& store_id, const std::vector<FlagRow>& flags,
                 const std::vector<std::pair<std::string, std::string>>& messages);

  // What record_till_contact() writes for a push, inside this transaction:
  // the push that commits its last op records the contact with it, one
  // commit (and one WAL flush) rather than two.
  void till_contact(const std::string& store_id, const std::string& till_id, const TillReport& report);

  void commit();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether an exception from PushTx is about this op's data (a constraint, a
// bad value, a deadlock or serialization failure worth one more try) rather
// than the database being unreachable.
bool is_data_error(const std::exception& e);
bool is_retryable_conflict(const std::exception& e);

// True when the till's contact row already says what a pull would write
// (the same outbox depth, app version and clock skew within a second) and
// was written less than `within_s` seconds ago: one read, no commit.
bool till_contact_fresh(Pool& pool, const std::string& till_id, const TillReport& report, int within_s);
void record_till_contact(Pool& pool, const std::string& store_id, const std::string& till_id, bool push,
                         const TillReport& report);

// What the server knows of a till's pushes before the one arriving: its
// clock skew as last measured and when it last acknowledged an empty outbox.
struct TillArrival {
  std::optional<std::int64_t> clock_skew_ms;
  std::optional<std::int64_t> acked_until_ms;
};
TillArrival till_arrival(Pool& pool, const std::string& till_id);

// The till's clock skew measured outside a push or pull (an online sign-in
// on the till); its push and pull times are left as they were.
void record_till_clock(Pool& pool, const std::string& store_id, const std::string& till_id, std::int64_t skew_ms);

}  // namespace salespider::db
