// See sync_push_chunk.hpp: the context the op-kind appliers share, and the
// effects a chunk writes once at its end.
#include "service/sync_push_chunk.hpp"

#include <cstdlib>

#include "db/errors.hpp"
#include "salespider/shared/ids.hpp"

namespace salespider::service::sync {
namespace {

using nlohmann::json;

std::string flagged_message(const std::vector<std::string>& kinds) {
  if (kinds.empty()) return "";
  std::string m = "flagged:";
  for (std::size_t i = 0; i < kinds.size(); ++i) m += (i ? ", " : " ") + kinds[i];
  return m;
}

// The stored result of an op, as the answer to a replay.
OpResult duplicate_of(const std::string& op_id, const db::StoredResult& s) {
  std::string message = "original: " + s.status;
  if (s.status == "rejected") message += " (" + s.reject_code + "): " + s.reject_message;
  if (!s.result_message.empty()) message += "; " + s.result_message;
  return OpResult{op_id, OpStatus::duplicate, "", clip(message, kMaxResultMessageBytes)};
}

bool contains(const std::vector<auth::Permission>& list, auth::Permission p) {
  return std::find(list.begin(), list.end(), p) != list.end();
}

using Applier = OpResult (*)(Chunk&, const Op&, const OpChecks&);

Applier applier_for(OpKind kind) {
  switch (kind) {
    case OpKind::sale: return apply_sale;
    case OpKind::refund: return apply_refund;
    case OpKind::void_sale: return apply_void;
    case OpKind::stock_movement: return apply_stock_movement;
    case OpKind::shift_open: return apply_shift_open;
    case OpKind::shift_close: return apply_shift_close;
    case OpKind::cash_movement: return apply_cash_movement;
  }
  return nullptr;
}

}  // namespace

bool is_uuid(const std::string& text) {
  auto u = parse_uuid(text);
  return u && u->to_string() == text;
}

std::string clip(std::string text, std::size_t max) {
  if (text.size() <= max) return text;
  text.resize(max);
  // Do not leave half a UTF-8 sequence at the end.
  while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
  if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0x80) != 0) text.pop_back();
  return text;
}

OpResult rejected(const std::string& op_id, std::string code, std::string message) {
  return OpResult{op_id, OpStatus::rejected, clip(std::move(code), kMaxResultCodeBytes),
                  clip(std::move(message), kMaxResultMessageBytes)};
}

OpResult reject_with(const std::string& op_id, const Error& e) {
  return rejected(op_id, std::string(to_string(e.code)), e.context);
}

std::string tender_name(TenderKind k) { return std::string(to_string(k)); }

std::vector<std::string> kinds_of(const std::vector<Flag>& flags) {
  std::set<std::string> set;
  for (const auto& f : flags) set.insert(f.kind);
  return {set.begin(), set.end()};
}

void throw_rejection(std::string code, std::string message) {
  throw RejectAfterClaim{std::move(code), std::move(message)};
}

Chunk::Chunk(db::PushTx& tx, const auth::TillPrincipal& till, const PushContext& ctx, const SyncOptions& options,
             std::vector<OpResult>& results, Mode mode, std::optional<std::string> retried_by)
    : tx_(tx),
      till_(till),
      ctx_(ctx),
      options_(options),
      results_(results),
      mode_(mode),
      retried_by_(std::move(retried_by)) {}

void Chunk::apply(const Op& op, const OpChecks& checks, std::size_t result_index) {
  // Pending sales go in before any other op (it may read them) and before a
  // second op with one of their ids (it is their duplicate).
  if (op.kind != OpKind::sale || pending_ids_.count(op.op_id)) flush_sales();
  index_ = result_index;
  op_times_[op.op_id] = op.created_at;
  const Applier applier = applier_for(op.kind);
  results_[index_] =
      applier ? applier(*this, op, checks) : reject_op(op, rejected(op.op_id, "unknown_op_kind", "unknown op kind"));
}

void Chunk::store_rejected(const Op& op, std::string code, std::string message, std::size_t result_index,
                           const std::string& kind) {
  flush_sales();
  index_ = result_index;
  results_[index_] = reject_op(op, rejected(op.op_id, std::move(code), std::move(message)), kind);
}

void Chunk::finish() {
  flush_sales();
  // The receipt sequence rides on the first stock-level statement when
  // there is one (the same lock order: levels, then the till's row).
  if (!moves_.empty() || !counts_.empty())
    settle_stock();
  else if (max_receipt_seq_ > 0)
    tx_.raise_receipt_seq(till_.till_id, max_receipt_seq_);
  if (!flag_rows_.empty()) {
    std::vector<std::pair<std::string, std::string>> messages;
    for (auto& [index, kinds] : op_flags_) {
      std::vector<std::string> list(kinds.begin(), kinds.end());
      results_[index].message = clip(flagged_message(list), kMaxResultMessageBytes);
      messages.emplace_back(results_[index].op_id, results_[index].message);
    }
    tx_.add_flags(till_.store_id, flag_rows_, messages);
  }
}

// The chunk's stock, in an order that keeps the ledger right whatever order
// ops arrive in (docs/sync-protocol.md "Stock counts"):
//  1. every product's level row is locked (in product order, by
//     apply_stock) and moved by the chunk's ordinary movements; the same
//     statement raises the till's receipt sequence;
//  2. each ledger count is computed against the ledger at its time, which now
//     holds everything committed and this chunk's own movements;
//  3. a movement that occurred at or before the latest ledger count of its
//     product made by another push was already on the shelf when that count
//     was made: a compensating count movement undoes it, and the op is
//     flagged counted_before_arrival;
//  4. the levels move by 2 and 3 (a second apply_stock, on rows this
//     transaction already holds: no new lock order); oversell is judged on
//     the final levels.
void Chunk::settle_stock() {
  std::map<std::string, std::int64_t> first;
  for (const auto& m : moves_) first[m.product_id] += m.delta;
  for (const auto& c : counts_) first.emplace(c.row.product_id, 0);
  std::map<std::string, std::int64_t> level;
  for (const auto& [product, after] :
       tx_.apply_stock(till_.store_id, {first.begin(), first.end()}, till_.till_id, max_receipt_seq_))
    level[product] = after;

  std::map<std::string, std::int64_t> later;
  for (auto& c : counts_) {
    const auto expected = tx_.ledger_at(c.row.product_id, c.row.occurred_at_ms);
    c.row.expected_milli = expected;
    c.row.quantity_milli = c.counted - expected;
    tx_.insert_stock_movement(c.row);
    tx_.audit(db::SyncAuditRow{till_.store_id, c.row.user_id, till_.till_id, "stock.count", "product",
                               c.row.product_id,
                               json{{"quantity_milli", c.row.quantity_milli},
                                    {"counted_milli", c.counted},
                                    {"expected_milli", expected},
                                    {"till_delta_milli", c.row.till_delta_milli.value_or(0)},
                                    {"count_id", c.row.count_id},
                                    {"op_id", c.row.op_id}}
                                   .dump()});
    moves_.push_back(Move{c.result_index, c.row.op_id, std::nullopt, c.row.product_id, c.row.quantity_milli, false});
    later[c.row.product_id] += c.row.quantity_milli;
  }
  std::set<std::string> products;
  for (const auto& [product, d] : first) products.insert(product);
  const auto compensations = compensate_counted(products, later);
  moves_.insert(moves_.end(), compensations.begin(), compensations.end());

  std::vector<std::pair<std::string, std::int64_t>> deltas;
  for (const auto& [product, d] : later)
    if (d != 0) deltas.emplace_back(product, d);
  for (const auto& [product, after] : tx_.apply_stock(till_.store_id, deltas)) level[product] = after;

  // Oversell: walk the movements in op order from the level before the chunk.
  std::stable_sort(moves_.begin(), moves_.end(),
                   [](const Move& a, const Move& b) { return a.result_index < b.result_index; });
  std::map<std::string, std::int64_t> running = level;
  for (const auto& m : moves_) running[m.product_id] -= m.delta;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& m : moves_) {
    auto& at = running[m.product_id];
    at += m.delta;
    if (m.from_sale && at < 0 && seen.emplace(m.op_id, m.product_id).second) {
      add_flag(m.result_index, m.op_id, m.sale_id,
               Flag{"oversold", json{{"product_id", m.product_id}, {"on_hand_milli", at}}});
    }
  }
}

std::vector<Move> Chunk::compensate_counted(const std::set<std::string>& products,
                                            std::map<std::string, std::int64_t>& later) {
  // This chunk's own counts were computed with its movements in the ledger.
  std::vector<std::string> ops;
  for (const auto& c : counts_) ops.push_back(c.row.op_id);
  const auto last = tx_.last_ledger_counts({products.begin(), products.end()}, ops);
  std::vector<Move> out;
  if (last.empty()) return out;
  std::set<std::pair<std::string, std::string>> flagged;
  for (const auto& m : moves_) {
    const auto count = last.find(m.product_id);
    const auto at = op_times_.find(m.op_id);
    if (m.delta == 0 || count == last.end() || at == op_times_.end() || at->second > count->second.occurred_at_ms)
      continue;
    db::StockMovementRow row;
    row.store_id = till_.store_id;
    row.product_id = m.product_id;
    row.kind = "count";
    row.quantity_milli = -m.delta;
    row.note = "already on the shelf at a later count";
    row.occurred_at_ms = count->second.occurred_at_ms;
    row.count_id = count->second.count_id;
    row.compensates_op_id = m.op_id;
    tx_.insert_stock_movement(row);
    later[m.product_id] -= m.delta;
    out.push_back(Move{m.result_index, m.op_id, m.sale_id, m.product_id, -m.delta, false});
    if (flagged.emplace(m.op_id, m.product_id).second) {
      add_flag(m.result_index, m.op_id, m.sale_id,
               Flag{"counted_before_arrival", json{{"product_id", m.product_id},
                                                   {"count_id", count->second.count_id},
                                                   {"counted_at_ms", count->second.occurred_at_ms},
                                                   {"quantity_milli", m.delta}}});
    }
  }
  return out;
}

void Chunk::add_flag(std::size_t index, const std::string& op_id, const std::optional<std::string>& sale_id,
                     const Flag& f) {
  flag_rows_.push_back(db::FlagRow{op_id, sale_id, f.kind, f.detail.dump()});
  op_flags_[index].insert(f.kind);
}

std::vector<Flag> Chunk::common_flags(const Op& op, const OpChecks& checks) {
  const GrantVerdict& grant = checks.grant;
  std::vector<Flag> flags;
  flags.insert(flags.end(), checks.arrival.begin(), checks.arrival.end());
  // A disabled person's ops are kept (the money was taken) and flagged,
  // whether or not they carry a grant that says so.
  auto problems = grant.problems;
  if (const auto user = user_fact(op.user_id); user && user->status != "active" &&
      std::find(problems.begin(), problems.end(), "user_disabled") == problems.end())
    problems.emplace_back("user_disabled");
  if (!problems.empty()) flags.push_back({"grant_problem", json{{"problems", problems}}});
  if (!grant.user_id.empty() && grant.user_id != op.user_id)
    flags.push_back({"user_mismatch", json{{"op_user_id", op.user_id}, {"grant_user_id", grant.user_id}}});
  return flags;
}

db::OpRow Chunk::row_for(const Op& op) const {
  db::OpRow row;
  row.op_id = op.op_id;
  row.store_id = till_.store_id;
  row.till_id = till_.till_id;
  row.op_user_id = op.user_id;
  row.kind = std::string(to_string(op.kind));
  row.grant = op.grant;
  row.created_at_ms = op.created_at;
  return row;
}

// Claims (or, for a retry, re-records) the op. False: it was already there.
bool Chunk::record(db::OpRow& row) {
  if (mode_ == Mode::reclaim_rejected) {
    tx_.reclaim(row, retried_by_);
    return true;
  }
  return tx_.claim(row);
}

OpResult Chunk::duplicate(const Op& op) {
  auto s = tx_.stored(op.op_id);
  if (!s) throw db::Unavailable("an op vanished while it was being read");
  if (s->till_id != till_.till_id) return rejected(op.op_id, "invalid_value", "op id already used by another till");
  return duplicate_of(op.op_id, *s);
}

OpResult Chunk::reject_op(const Op& op, OpResult result, const std::string& kind) {
  auto row = row_for(op);
  if (!kind.empty()) row.kind = kind;
  row.status = "rejected";
  row.reject_code = result.code;
  row.reject_message = result.message;
  row.payload = op.payload.empty() ? std::string("{}") : op.payload;
  if (!record(row)) return duplicate(op);
  return result;
}

bool Chunk::claim_applied(const Op& op, const std::vector<Flag>& flags, std::optional<std::string> payload,
                          const std::optional<std::string>& sale_id) {
  auto row = row_for(op);
  row.status = "applied";
  row.user_id = op.user_id;
  row.payload = std::move(payload);
  row.flags = kinds_of(flags);
  row.result_message = flagged_message(row.flags);
  if (!record(row)) return false;
  for (const auto& f : flags) add_flag(index_, op.op_id, sale_id, f);
  return true;
}

OpResult Chunk::applied(const Op& op, const std::vector<Flag>& flags) const {
  return OpResult{op.op_id, OpStatus::applied, "", clip(flagged_message(kinds_of(flags)), kMaxResultMessageBytes)};
}

std::optional<OpResult> Chunk::check_user(const Op& op) {
  if (!user_fact(op.user_id))
    return rejected(op.op_id, "unknown_user", "user " + op.user_id + " is not a user of this store");
  return std::nullopt;
}

std::optional<db::UserFact> Chunk::user_fact(const std::string& user_id) {
  auto it = users_.find(user_id);
  if (it == users_.end())
    it = users_.emplace(user_id, is_uuid(user_id) ? tx_.user(till_.store_id, user_id) : std::nullopt).first;
  return it->second;
}

// What a person may do is what their own grant was signed with, and only
// when it verifies and fits (sync_grants.hpp). Never their role in the
// database: that would give an op with no grant, or someone else's, the
// authority of whoever it names.
std::optional<auth::Role> Chunk::role_of(const std::string& user_id, const GrantVerdict& v) {
  if (!v.role || v.user_id != user_id) return std::nullopt;
  return v.role;
}

bool Chunk::may(const std::string& user_id, const GrantVerdict& v, auth::Permission p) {
  return role_of(user_id, v) && contains(v.permissions, p);
}

std::optional<std::string> Chunk::approved_by(const OpChecks& c, auth::Permission needed, std::vector<Flag>& flags) {
  if (!c.approval) return std::nullopt;
  std::vector<std::string> problems = c.approver.problems;
  if (!c.approver.user_id.empty() && c.approver.user_id != c.approval->user_id) problems.emplace_back("another_person");
  const auto role = role_of(c.approval->user_id, c.approver);
  if (!role) {
    if (problems.empty()) problems.emplace_back("unknown_user");
  }
  else if (*role != auth::Role::manager && *role != auth::Role::super_admin)
    problems.emplace_back("not_a_manager");
  else if (!may(c.approval->user_id, c.approver, needed))
    problems.emplace_back("lacks_permission");
  if (problems.empty()) return c.approval->user_id;
  flags.push_back({"approval_invalid", json{{"approver_user_id", c.approval->user_id},
                                            {"permission", std::string(auth::to_string(needed))},
                                            {"problems", problems}}});
  return std::nullopt;
}

std::optional<std::string> Chunk::authorise(const Op& op, const OpChecks& c, auth::Permission needed,
                                            std::vector<Flag>& flags) {
  auto approver = approved_by(c, needed, flags);
  if (!approver) require(op, c, needed, flags);
  return approver;
}

void Chunk::require(const Op& op, const OpChecks& c, auth::Permission needed, std::vector<Flag>& flags) {
  if (may(op.user_id, c.grant, needed)) return;
  flags.push_back({"needs_approval", json{{"permission", std::string(auth::to_string(needed))},
                                          {"user_id", op.user_id}}});
}

bool Chunk::is_this_tills_shift(const std::string& shift_id) {
  return tx_.shift_till(shift_id) == till_.till_id;
}

std::string Chunk::shift_for(const std::string& claimed, std::vector<Flag>& flags) {
  if (claimed.empty()) return {};
  if (is_this_tills_shift(claimed)) return claimed;
  flags.push_back({"unknown_shift", json{{"shift_id", claimed}}});
  return {};
}

void Chunk::prefetch_sales(const std::vector<std::pair<const Op*, std::int64_t>>& ops) {
  std::vector<std::pair<std::string, std::int64_t>> wanted;
  std::vector<std::string> users;
  std::vector<const Op*> with_receipt;
  std::vector<std::pair<std::int64_t, std::string>> receipts;
  for (const auto& [op, at] : ops) {
    if (op->kind != OpKind::sale) continue;
    if (is_uuid(op->user_id) && !users_.count(op->user_id) &&
        std::find(users.begin(), users.end(), op->user_id) == users.end())
      users.push_back(op->user_id);
    auto payload = decode_sale_payload(op->payload);
    if (payload) {
      for (const auto& l : payload->cart.lines)
        if (is_uuid(l.product_id) && facts_asked_.emplace(l.product_id, at).second) wanted.emplace_back(l.product_id, at);
      const auto number = parse_receipt_number(payload->receipt_number);
      with_receipt.push_back(op);
      receipts.emplace_back(number ? number->sequence : 0, payload->receipt_number);
    }
    decoded_.insert_or_assign(op, std::move(payload));
  }
  // One round trip for every fact the chunk's sales are checked against.
  auto facts = tx_.chunk_facts(till_.store_id, till_.till_id, users, wanted, receipts);
  if (!tender_facts_) tender_facts_ = std::move(facts.tenders);
  for (const auto& id : users) {
    auto u = facts.users.find(id);
    users_.emplace(id, u == facts.users.end() ? std::nullopt : std::optional<db::UserFact>(u->second));
  }
  facts_ = std::move(facts.products);
  const auto& holders = facts.holders;
  for (std::size_t i = 0; i < with_receipt.size() && i < holders.size(); ++i) holders_[with_receipt[i]] = holders[i];
}

Result<SalePayload> Chunk::sale_payload(const Op& op) {
  auto it = decoded_.find(&op);
  if (it == decoded_.end()) return decode_sale_payload(op.payload);
  auto payload = std::move(it->second);
  decoded_.erase(it);
  return payload;
}

std::map<std::string, db::ProductFact> Chunk::product_facts(const std::vector<std::string>& ids, std::int64_t at_ms) {
  std::map<std::string, db::ProductFact> out;
  const bool asked = std::all_of(ids.begin(), ids.end(),
                                 [&](const std::string& id) { return facts_asked_.count({id, at_ms}) > 0; });
  if (!asked) {
    for (auto& f : tx_.products(till_.store_id, ids, at_ms)) out.emplace(f.id, std::move(f));
    return out;
  }
  for (const auto& id : ids)
    if (auto f = facts_.find({id, at_ms}); f != facts_.end()) out.emplace(id, f->second);
  return out;
}

std::optional<std::string> Chunk::receipt_holder(const Op& op, std::int64_t seq, const std::string& number) {
  // The query's own condition (db "sync_receipt_holder"), over this chunk's sales.
  if (auto it = chunk_seqs_.find(seq); it != chunk_seqs_.end()) return it->second;
  if (auto it = chunk_numbers_.find(number); it != chunk_numbers_.end()) return it->second;
  if (auto it = holders_.find(&op); it != holders_.end()) {
    auto holder = it->second;
    holders_.erase(it);
    return holder;
  }
  return tx_.receipt_holder(till_.store_id, till_.till_id, seq, number);
}

std::optional<OpResult> Chunk::record_sale(const Op& op, const std::vector<Flag>& flags, db::SaleRow row,
                                           std::vector<Move> moves, std::int64_t receipt_seq) {
  if (mode_ != Mode::claim_new) {
    if (!claim_applied(op, flags, op.payload, op.op_id)) return duplicate(op);
    tx_.insert_sale(row);
    add_moves(moves);
    if (receipt_seq > 0) note_receipt_seq(receipt_seq);
    return std::nullopt;
  }
  PendingSale p;
  p.op = &op;
  p.result_index = index_;
  p.flags = flags;
  p.claim = row_for(op);
  p.claim.status = "applied";
  p.claim.user_id = op.user_id;
  p.claim.payload = op.payload;
  p.claim.flags = kinds_of(flags);
  p.claim.result_message = flagged_message(p.claim.flags);
  if (!row.receipt_collision) {
    chunk_seqs_.emplace(row.receipt_seq, op.op_id);
    chunk_numbers_.emplace(row.receipt_number, op.op_id);
  }
  p.row = std::move(row);
  p.moves = std::move(moves);
  p.receipt_seq = receipt_seq;
  pending_ids_.insert(op.op_id);
  pending_.push_back(std::move(p));
  return std::nullopt;
}

void Chunk::flush_sales() {
  if (pending_.empty()) return;
  std::vector<db::OpRow> claims;
  std::vector<db::SaleRow> rows;
  for (const auto& p : pending_) {
    claims.push_back(p.claim);
    rows.push_back(p.row);
  }
  const auto list = tx_.claim_and_insert_sales(claims, rows);
  const std::set<std::string> claimed(list.begin(), list.end());
  auto pending = std::move(pending_);
  pending_.clear();
  pending_ids_.clear();
  for (auto& p : pending) {
    if (claimed.count(p.op->op_id)) {
      for (const auto& f : p.flags) add_flag(p.result_index, p.op->op_id, p.op->op_id, f);
      add_moves(p.moves);
      if (p.receipt_seq > 0) note_receipt_seq(p.receipt_seq);
      continue;
    }
    // Already recorded (by an earlier push): nothing of it was written.
    if (!p.row.receipt_collision) {
      if (auto it = chunk_seqs_.find(p.row.receipt_seq); it != chunk_seqs_.end() && it->second == p.op->op_id)
        chunk_seqs_.erase(it);
      if (auto it = chunk_numbers_.find(p.row.receipt_number); it != chunk_numbers_.end() && it->second == p.op->op_id)
        chunk_numbers_.erase(it);
    }
    results_[p.result_index] = duplicate(*p.op);
  }
}

const db::TenderFacts& Chunk::tender_facts() {
  if (!tender_facts_) tender_facts_ = tx_.tender_facts(till_.store_id);
  return *tender_facts_;
}

}  // namespace salespider::service::sync
