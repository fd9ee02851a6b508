// Inside the push service (sync_push.hpp): one chunk of ops in one
// transaction. Chunk is the context every op-kind applier shares: the
// transaction, the till, the facts already read in this chunk (users,
// tender settings), the checks every op gets (arrival, grant, approvals,
// the op's user), claiming the op id, and what is written once at the end
// (stock levels, oversell flags, the receipt sequence, flag rows).
//
// The appliers, one per op kind, decode, check and write one op:
//   sync_push_sale.cpp    sale
//   sync_push_refund.cpp  refund, void
//   sync_push_stock.cpp   stock movement (receive, adjust, count, write-off)
//   sync_push_shift.cpp   shift open, shift close, cash movement
// They read and write only through the chunk's transaction and caches, so
// splitting them adds no database round trip.
//
// Sales, the op a till sends most, cost a chunk a few statements rather than
// a few per sale: prefetch_sales() reads every sale's facts (prices in force
// at each op's time, receipt holders) in one query each, and record_sale()
// defers the claim and the rows to flush_sales(), which writes every pending
// sale with one statement. Pending sales are flushed before any other op is
// applied or stored (a refund may name a sale of the same chunk) and before
// the chunk's end; receipts taken by this chunk's own sales are tracked here,
// so the receipt check sees them as it did when each sale was inserted at once.
//
// Internal to service/: only sync_push*.cpp include this header.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "salespider/shared/payloads.hpp"
#include "service/sync_push.hpp"

namespace salespider::service::sync {

bool is_uuid(const std::string& text);
// `text` cut to at most `max` bytes, never in the middle of a UTF-8 sequence.
std::string clip(std::string text, std::size_t max);
OpResult rejected(const std::string& op_id, std::string code, std::string message);
OpResult reject_with(const std::string& op_id, const Error& e);
std::string tender_name(TenderKind k);

struct Flag {
  std::string kind;
  nlohmann::json detail = nlohmann::json::object();
};
// The distinct kinds of `flags`, sorted (the op row's flags).
std::vector<std::string> kinds_of(const std::vector<Flag>& flags);

// What was verified of an op before its transaction opened: its own grant
// and, when it carries a manager's approval, that manager's grant.
struct OpChecks {
  GrantVerdict grant;
  std::optional<Approval> approval;
  GrantVerdict approver;
  std::vector<Flag> arrival;  // judged against the till's push history (backdated, future_dated)
  // The op's time on the server's clock: created_at corrected by the skew
  // measured for its till. Grants, approvals and the price in force are
  // judged at this time, never at the till's raw clock.
  std::int64_t judged_at_ms = 0;
};

// One op in a chunk's stock walk, in op order.
struct Move {
  std::size_t result_index = 0;
  std::string op_id;
  std::optional<std::string> sale_id;
  std::string product_id;
  std::int64_t delta = 0;
  bool from_sale = false;
};

// A count against the ledger (payload `counted`), computed in finish() once
// its product's level row is locked: quantity = counted - the ledger at the
// count's time.
struct PendingCount {
  std::size_t result_index = 0;
  db::StockMovementRow row;  // quantity_milli and expected_milli filled in finish()
  std::int64_t counted = 0;
};

enum class Mode { claim_new, reclaim_rejected };

// A rejection found after the op was claimed: the chunk is redone with the
// op rejected up front.
struct RejectAfterClaim {
  std::string code;
  std::string message;
};
[[noreturn]] void throw_rejection(std::string code, std::string message);

class Chunk {
 public:
  Chunk(db::PushTx& tx, const auth::TillPrincipal& till, const PushContext& ctx, const SyncOptions& options,
        std::vector<OpResult>& results, Mode mode, std::optional<std::string> retried_by = std::nullopt);

  // Applies `op` with the applier of its kind; its result goes to results[result_index].
  void apply(const Op& op, const OpChecks& checks, std::size_t result_index);
  // `kind`: the op's kind as stored ("" = op.kind); "unknown" when unreadable.
  void store_rejected(const Op& op, std::string code, std::string message, std::size_t result_index,
                      const std::string& kind = {});
  // Stock levels, oversell, receipt sequence, flags; then the caller commits.
  void finish();
  // Reads, for the sales among `ops` (each with the time its prices are
  // judged at), their decoded payloads, product facts and receipt holders.
  void prefetch_sales(const std::vector<std::pair<const Op*, std::int64_t>>& ops);

  // ---- for the appliers ----
  db::PushTx& tx() { return tx_; }
  const auth::TillPrincipal& till() const { return till_; }
  std::size_t op_index() const { return index_; }

  // Flags every op gets checked for: arrival (backdated, future_dated),
  // the grant, and the op's user being disabled. A till's clock skew is not
  // one: it is a fact about the till (its health), not a problem with the op.
  std::vector<Flag> common_flags(const Op& op, const OpChecks& checks);
  // The op's user must be a user of this store (the rows reference it).
  std::optional<OpResult> check_user(const Op& op);
  // The approver's id when the op carries an approval that holds: the
  // approver's grant verifies, names the approver, and is a manager's or
  // owner's with `needed`. An approval that does not hold is flagged.
  std::optional<std::string> approved_by(const OpChecks& c, auth::Permission needed, std::vector<Flag>& flags);
  // Every op kind needs its permission (sell, refund, adjust_stock, ...),
  // from the op's own grant or a manager's approval; without either it is
  // flagged needs_approval.
  std::optional<std::string> authorise(const Op& op, const OpChecks& c, auth::Permission needed,
                                       std::vector<Flag>& flags);
  // The op's own grant must carry `needed` (ops that take no approval:
  // stock, shifts, cash); flagged needs_approval otherwise.
  void require(const Op& op, const OpChecks& c, auth::Permission needed, std::vector<Flag>& flags);
  // Whether the shift exists and is this till's (cash movements name one).
  bool is_this_tills_shift(const std::string& shift_id);
  // The shift the till named for a sale or refund, if it is one of this
  // till's; "" (and an unknown_shift flag for a name that is not) lets the
  // database take the till's shift open at the op's time.
  std::string shift_for(const std::string& claimed, std::vector<Flag>& flags);
  // The store's tender settings, read once per chunk.
  const db::TenderFacts& tender_facts();
  // The sale's payload, decoded once (by prefetch_sales or here).
  Result<SalePayload> sale_payload(const Op& op);
  // Facts of `ids` at `at_ms`: from the prefetch when it asked for all of
  // them, else read now.
  std::map<std::string, db::ProductFact> product_facts(const std::vector<std::string>& ids, std::int64_t at_ms);
  // The op id of a sale holding this receipt (this chunk's sales first).
  std::optional<std::string> receipt_holder(const Op& op, std::int64_t seq, const std::string& number);
  // Records an applied sale with its flags, stock moves and the receipt
  // sequence to note (0 = none): at once on a retry, else deferred to
  // flush_sales(). A result only for a duplicate found at once.
  std::optional<OpResult> record_sale(const Op& op, const std::vector<Flag>& flags, db::SaleRow row,
                                      std::vector<Move> moves, std::int64_t receipt_seq);
  // Claims and writes the pending sales in one statement.
  void flush_sales();

  // Stores the op as rejected with `result` (or answers a duplicate).
  OpResult reject_op(const Op& op, OpResult result, const std::string& kind = {});
  // Claims an applied op whose effects follow; flags go in with the claim.
  // False: the op id was already there (answer duplicate(op)).
  bool claim_applied(const Op& op, const std::vector<Flag>& flags, std::optional<std::string> payload,
                     const std::optional<std::string>& sale_id);
  OpResult duplicate(const Op& op);
  OpResult applied(const Op& op, const std::vector<Flag>& flags) const;

  // Effects written once, in finish().
  void add_moves(const std::vector<Move>& moves) { moves_.insert(moves_.end(), moves.begin(), moves.end()); }
  void note_receipt_seq(std::int64_t seq) { max_receipt_seq_ = std::max(max_receipt_seq_, seq); }
  void add_count(PendingCount count) { counts_.push_back(std::move(count)); }

 private:
  void add_flag(std::size_t index, const std::string& op_id, const std::optional<std::string>& sale_id,
                const Flag& f);
  db::OpRow row_for(const Op& op) const;
  // Levels, ledger counts and compensations, oversell flags (finish()).
  void settle_stock();
  std::vector<Move> compensate_counted(const std::set<std::string>& products, std::map<std::string, std::int64_t>& later);
  bool record(db::OpRow& row);
  std::optional<db::UserFact> user_fact(const std::string& user_id);
  std::optional<auth::Role> role_of(const std::string& user_id, const GrantVerdict& v);
  bool may(const std::string& user_id, const GrantVerdict& v, auth::Permission p);

  db::PushTx& tx_;
  const auth::TillPrincipal& till_;
  const PushContext& ctx_;
  const SyncOptions& options_;
  std::vector<OpResult>& results_;
  Mode mode_;
  std::optional<std::string> retried_by_;
  std::size_t index_ = 0;
  std::optional<db::TenderFacts> tender_facts_;
  std::map<std::string, std::optional<db::UserFact>> users_;
  std::vector<Move> moves_;
  std::vector<PendingCount> counts_;
  std::map<std::string, std::int64_t> op_times_;  // op id -> its created_at (the ledger's occurred_at)
  std::int64_t max_receipt_seq_ = 0;
  // Sales (see the top of this file).
  struct PendingSale {
    const Op* op = nullptr;
    std::size_t result_index = 0;
    std::vector<Flag> flags;
    db::OpRow claim;
    db::SaleRow row;
    std::vector<Move> moves;
    std::int64_t receipt_seq = 0;
  };
  std::vector<PendingSale> pending_;
  std::set<std::string> pending_ids_;
  std::map<const Op*, Result<SalePayload>> decoded_;
  std::map<std::pair<std::string, std::int64_t>, db::ProductFact> facts_;
  std::set<std::pair<std::string, std::int64_t>> facts_asked_;
  std::map<const Op*, std::optional<std::string>> holders_;
  std::map<std::int64_t, std::string> chunk_seqs_;     // receipt seq -> op id, this chunk's sales
  std::map<std::string, std::string> chunk_numbers_;  // receipt number -> op id
  std::vector<db::FlagRow> flag_rows_;
  std::map<std::size_t, std::set<std::string>> op_flags_;
};

// The appliers (one per op kind), over the chunk's shared context.
OpResult apply_sale(Chunk& c, const Op& op, const OpChecks& checks);
OpResult apply_refund(Chunk& c, const Op& op, const OpChecks& checks);
OpResult apply_void(Chunk& c, const Op& op, const OpChecks& checks);
OpResult apply_stock_movement(Chunk& c, const Op& op, const OpChecks& checks);
OpResult apply_shift_open(Chunk& c, const Op& op, const OpChecks& checks);
OpResult apply_shift_close(Chunk& c, const Op& op, const OpChecks& checks);
OpResult apply_cash_movement(Chunk& c, const Op& op, const OpChecks& checks);

}  // namespace salespider::service::sync
