// See sync_push.hpp. The flow of one chunk:
//   open a transaction -> for each op: decode its payload, gather facts,
//   recompute and check (flags) -> claim the op id (duplicate? stop) ->
//   write its effects -> after the last op: stock levels once (rows locked in
//   product order, so chunks never deadlock on them), oversell flags, the
//   till's receipt sequence, flag rows -> commit.
#include "service/sync_push.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "db/errors.hpp"
#include "log/log.hpp"
#include "salespider/shared/codec.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/money.hpp"
#include "salespider/shared/payloads.hpp"
#include "service/shift_reports.hpp"

namespace salespider::service::sync {
namespace {

using nlohmann::json;

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

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

struct Flag {
  std::string kind;
  json detail = json::object();
};

std::string flagged_message(const std::vector<std::string>& kinds) {
  if (kinds.empty()) return "";
  std::string m = "flagged:";
  for (std::size_t i = 0; i < kinds.size(); ++i) m += (i ? ", " : " ") + kinds[i];
  return m;
}

std::vector<std::string> kinds_of(const std::vector<Flag>& flags) {
  std::set<std::string> set;
  for (const auto& f : flags) set.insert(f.kind);
  return {set.begin(), set.end()};
}

OpResult rejected(const std::string& op_id, std::string code, std::string message) {
  return OpResult{op_id, OpStatus::rejected, clip(std::move(code), kMaxResultCodeBytes),
                  clip(std::move(message), kMaxResultMessageBytes)};
}

OpResult reject_with(const std::string& op_id, const Error& e) {
  return rejected(op_id, std::string(to_string(e.code)), e.context);
}

// The stored result of an op, as the answer to a replay.
OpResult duplicate_of(const std::string& op_id, const db::StoredResult& s) {
  std::string message = "original: " + s.status;
  if (s.status == "rejected") message += " (" + s.reject_code + "): " + s.reject_message;
  if (!s.result_message.empty()) message += "; " + s.result_message;
  return OpResult{op_id, OpStatus::duplicate, "", clip(message, kMaxResultMessageBytes)};
}

std::string tender_name(TenderKind k) { return std::string(to_string(k)); }

// What was verified of an op before its transaction opened: its own grant
// and, when it carries a manager's approval, that manager's grant.
struct OpChecks {
  GrantVerdict grant;
  std::optional<Approval> approval;
  GrantVerdict approver;
};

// The approval an op carries (sales, refunds and voids may), read before the
// transaction so the approver's grant can be checked outside it.
std::optional<Approval> approval_of(const Op& op) {
  if (op.payload.find("\"approval\"") == std::string::npos) return std::nullopt;
  switch (op.kind) {
    case OpKind::sale:
      if (auto p = decode_sale_payload(op.payload)) return p->approval;
      break;
    case OpKind::refund:
      if (auto p = decode_refund_payload(op.payload)) return p->approval;
      break;
    case OpKind::void_sale:
      if (auto p = decode_void_payload(op.payload)) return p->approval;
      break;
    default:
      break;
  }
  return std::nullopt;
}

OpChecks check_op(const GrantCheckFn& grants, const Op& op, const std::string& till_id, std::int64_t now_ms) {
  OpChecks c;
  c.grant = grants(GrantQuery{op.grant, till_id, op.user_id, op.created_at, now_ms});
  c.approval = approval_of(op);
  if (c.approval)
    c.approver = grants(GrantQuery{c.approval->grant, till_id, c.approval->user_id, op.created_at, now_ms});
  return c;
}

bool contains(const std::vector<auth::Permission>& list, auth::Permission p) {
  return std::find(list.begin(), list.end(), p) != list.end();
}

TenderKind largest(const TenderTotals& t) {
  std::size_t best = 0;
  for (std::size_t k = 1; k < t.size(); ++k)
    if (t[k] > t[best]) best = k;
  return kAllTenderKinds[best];
}

std::int64_t sum_of(const TenderTotals& t) {
  std::int64_t total = 0;
  for (auto v : t) total += v;
  return total;
}

// One op in a chunk's stock walk, in op order.
struct Move {
  std::size_t result_index = 0;
  std::string op_id;
  std::optional<std::string> sale_id;
  std::string product_id;
  std::int64_t delta = 0;
  bool from_sale = false;
};

enum class Mode { claim_new, reclaim_rejected };

class Chunk {
 public:
  Chunk(db::PushTx& tx, const auth::TillPrincipal& till, const PushContext& ctx, const SyncOptions& options,
        std::vector<OpResult>& results, Mode mode, std::optional<std::string> retried_by = std::nullopt)
      : tx_(tx),
        till_(till),
        ctx_(ctx),
        options_(options),
        results_(results),
        mode_(mode),
        retried_by_(std::move(retried_by)) {}

  void apply(const Op& op, const OpChecks& checks, std::size_t result_index) {
    index_ = result_index;
    results_[index_] = apply_op(op, checks);
  }

  // `kind`: the op's kind as stored ("" = op.kind); "unknown" when unreadable.
  void store_rejected(const Op& op, std::string code, std::string message, std::size_t result_index,
                      const std::string& kind = {}) {
    index_ = result_index;
    results_[index_] = reject_op(op, rejected(op.op_id, std::move(code), std::move(message)), kind);
  }

  // Stock levels, oversell, receipt sequence, flags; then the caller commits.
  void finish() {
    if (!moves_.empty()) {
      std::map<std::string, std::int64_t> totals;
      for (const auto& m : moves_) totals[m.product_id] += m.delta;
      std::vector<std::pair<std::string, std::int64_t>> deltas(totals.begin(), totals.end());
      const auto levels = tx_.apply_stock(till_.store_id, deltas);
      std::map<std::string, std::int64_t> running;
      for (const auto& [product, after] : levels) running[product] = after - totals[product];
      std::set<std::pair<std::string, std::string>> seen;
      for (const auto& m : moves_) {
        auto& level = running[m.product_id];
        level += m.delta;
        if (m.from_sale && level < 0 && seen.emplace(m.op_id, m.product_id).second) {
          add_flag(m.result_index, m.op_id, m.sale_id,
                   Flag{"oversold", json{{"product_id", m.product_id}, {"on_hand_milli", level}}});
        }
      }
    }
    if (max_receipt_seq_ > 0) tx_.raise_receipt_seq(till_.till_id, max_receipt_seq_);
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

 private:
  void add_flag(std::size_t index, const std::string& op_id, const std::optional<std::string>& sale_id,
                const Flag& f) {
    flag_rows_.push_back(db::FlagRow{op_id, sale_id, f.kind, f.detail.dump()});
    op_flags_[index].insert(f.kind);
  }

  // Flags every op gets checked for: clock skew and the grant.
  std::vector<Flag> common_flags(const Op& op, const GrantVerdict& grant) const {
    std::vector<Flag> flags;
    const auto threshold = options_.clock_skew_threshold_ms;
    if (ctx_.till_clock_ms && std::llabs(*ctx_.till_clock_ms - ctx_.now_ms) > threshold) {
      flags.push_back({"clock_skew", json{{"till_clock_ms", *ctx_.till_clock_ms},
                                          {"server_clock_ms", ctx_.now_ms},
                                          {"skew_ms", *ctx_.till_clock_ms - ctx_.now_ms}}});
    } else if (op.created_at > ctx_.now_ms + threshold) {
      flags.push_back({"clock_skew", json{{"created_at_ms", op.created_at},
                                          {"server_clock_ms", ctx_.now_ms},
                                          {"skew_ms", op.created_at - ctx_.now_ms}}});
    }
    if (!grant.problems.empty()) flags.push_back({"grant_problem", json{{"problems", grant.problems}}});
    if (!grant.user_id.empty() && grant.user_id != op.user_id)
      flags.push_back({"user_mismatch", json{{"op_user_id", op.user_id}, {"grant_user_id", grant.user_id}}});
    return flags;
  }

  db::OpRow row_for(const Op& op) const {
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
  bool record(db::OpRow& row) {
    if (mode_ == Mode::reclaim_rejected) {
      tx_.reclaim(row, retried_by_);
      return true;
    }
    return tx_.claim(row);
  }

  OpResult duplicate(const Op& op) {
    auto s = tx_.stored(op.op_id);
    if (!s) throw db::Unavailable("an op vanished while it was being read");
    if (s->till_id != till_.till_id) return rejected(op.op_id, "invalid_value", "op id already used by another till");
    return duplicate_of(op.op_id, *s);
  }

  OpResult reject_op(const Op& op, OpResult result, const std::string& kind = {}) {
    auto row = row_for(op);
    if (!kind.empty()) row.kind = kind;
    row.status = "rejected";
    row.reject_code = result.code;
    row.reject_message = result.message;
    row.payload = op.payload.empty() ? std::string("{}") : op.payload;
    if (!record(row)) return duplicate(op);
    return result;
  }

  // Claims an applied op whose effects follow; flags go in with the claim.
  bool claim_applied(const Op& op, const std::vector<Flag>& flags, std::optional<std::string> payload,
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

  OpResult applied(const Op& op, const std::vector<Flag>& flags) {
    return OpResult{op.op_id, OpStatus::applied, "", clip(flagged_message(kinds_of(flags)), kMaxResultMessageBytes)};
  }

  // The op's user must be a user of this store (the rows reference it).
  std::optional<OpResult> check_user(const Op& op) {
    if (!user_fact(op.user_id))
      return rejected(op.op_id, "unknown_user", "user " + op.user_id + " is not a user of this store");
    return std::nullopt;
  }

  std::optional<db::UserFact> user_fact(const std::string& user_id) {
    auto it = users_.find(user_id);
    if (it == users_.end())
      it = users_.emplace(user_id, is_uuid(user_id) ? tx_.user(till_.store_id, user_id) : std::nullopt).first;
    return it->second;
  }

  // What a person may do: what their grant was signed with, else (online,
  // or a grant that does not verify) their role in this store now.
  std::optional<auth::Role> role_of(const std::string& user_id, const GrantVerdict& v) {
    if (v.role) return v.role;
    const auto user = user_fact(user_id);
    return user ? auth::role_from_string(user->role) : std::nullopt;
  }

  bool may(const std::string& user_id, const GrantVerdict& v, auth::Permission p) {
    if (v.role) return contains(v.permissions, p);
    const auto role = role_of(user_id, v);
    return role && auth::role_has(*role, p);
  }

  // The approver's id when the op carries an approval that holds: the
  // approver's grant verifies, names the approver, and is a manager's or
  // owner's with `needed`. An approval that does not hold is flagged.
  std::optional<std::string> approved_by(const OpChecks& c, auth::Permission needed, std::vector<Flag>& flags) {
    if (!c.approval) return std::nullopt;
    std::vector<std::string> problems = c.approver.problems;
    if (!c.approver.user_id.empty() && c.approver.user_id != c.approval->user_id) problems.emplace_back("another_person");
    const auto role = role_of(c.approval->user_id, c.approver);
    if (!role)
      problems.emplace_back("unknown_user");
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

  // A refund or a void needs the permission, or a manager's approval.
  std::optional<std::string> authorise(const Op& op, const OpChecks& c, auth::Permission needed,
                                       std::vector<Flag>& flags) {
    auto approver = approved_by(c, needed, flags);
    if (!approver && !may(op.user_id, c.grant, needed)) {
      flags.push_back({"needs_approval", json{{"permission", std::string(auth::to_string(needed))},
                                              {"user_id", op.user_id}}});
    }
    return approver;
  }

  // The shift the till named for a sale or refund, if it is one of this
  // till's; "" (and an unknown_shift flag for a name that is not) lets the
  // database take the till's shift open at the op's time.
  std::string shift_for(const std::string& claimed, std::vector<Flag>& flags) {
    if (claimed.empty()) return {};
    if (tx_.shift_till(claimed) == till_.till_id) return claimed;
    flags.push_back({"unknown_shift", json{{"shift_id", claimed}}});
    return {};
  }

  const db::TenderFacts& tender_facts() {
    if (!tender_facts_) tender_facts_ = tx_.tender_facts(till_.store_id);
    return *tender_facts_;
  }

  OpResult apply_op(const Op& op, const OpChecks& checks) {
    switch (op.kind) {
      case OpKind::sale:
        return apply_sale(op, checks);
      case OpKind::refund:
        return apply_refund(op, checks);
      case OpKind::void_sale:
        return apply_void(op, checks);
      case OpKind::stock_movement:
        return apply_stock_movement(op, checks.grant);
      case OpKind::shift_open:
        return apply_shift_open(op, checks.grant);
      case OpKind::shift_close:
        return apply_shift_close(op, checks.grant);
      case OpKind::cash_movement:
        return apply_cash_movement(op, checks.grant);
    }
    return reject_op(op, rejected(op.op_id, "unknown_op_kind", "unknown op kind"));
  }

  OpResult apply_sale(const Op& op, const OpChecks& checks) {
    auto payload = decode_sale_payload(op.payload);
    if (!payload) return reject_op(op, reject_with(op.op_id, payload.error()));
    auto computed = compute_sale(payload->cart);
    if (!computed) return reject_op(op, reject_with(op.op_id, computed.error()));
    const Sale& sale = *computed;
    if (auto bad = check_user(op)) return reject_op(op, *bad);

    TenderSettings tenders;
    tenders.cash_rounding_step = tender_facts().cash_rounding;
    auto settled = settle(sale.totals.total, payload->payments, tenders);
    if (!settled) return reject_op(op, reject_with(op.op_id, settled.error()));

    std::vector<Flag> flags = common_flags(op, checks.grant);
    if (payload->total != sale.totals.total) {
      flags.push_back({"total_mismatch", json{{"claimed_total", payload->total},
                                              {"computed_total", sale.totals.total},
                                              {"computed_tax", sale.totals.tax}}});
    }
    if (!settled->complete) flags.push_back({"underpaid", json{{"remaining", settled->remaining}}});
    // A manager's approval on the till lifts the limit to the manager's.
    const auto approver = approved_by(checks, auth::Permission::discount, flags);
    const std::int64_t limit =
        approver ? std::max(checks.grant.max_discount_bp, checks.approver.max_discount_bp) : checks.grant.max_discount_bp;
    if (auto s = check_discount_limits(sale, DiscountLimit{limit, limit}); !s) {
      flags.push_back({"discount_over_limit", json{{"limit_bp", limit}, {"detail", s.error().context}}});
    }
    const std::string shift_id = shift_for(payload->shift_id, flags);

    // Receipt number: the till's own code, never one already taken.
    auto number = parse_receipt_number(payload->receipt_number);
    const std::int64_t seq = number ? number->sequence : 0;
    if (number && number->till_code != till_.till_code) {
      flags.push_back({"receipt_foreign_code", json{{"receipt_number", payload->receipt_number},
                                                    {"till_code", till_.till_code}}});
    }
    bool collision = false;
    if (auto holder = tx_.receipt_holder(till_.store_id, till_.till_id, seq, payload->receipt_number);
        holder && *holder != op.op_id) {
      collision = true;
      flags.push_back({"receipt_collision", json{{"receipt_number", payload->receipt_number},
                                                 {"other_sale_op_id", *holder}}});
    }

    // Prices in force at the op's time, and which lines move stock.
    std::vector<std::string> ids;
    for (const auto& l : payload->cart.lines)
      if (is_uuid(l.product_id)) ids.push_back(l.product_id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::map<std::string, db::ProductFact> facts;
    for (auto& f : tx_.products(till_.store_id, ids, op.created_at)) facts.emplace(f.id, std::move(f));

    db::SaleRow row;
    row.id = op.op_id;
    row.store_id = till_.store_id;
    row.till_id = till_.till_id;
    row.user_id = op.user_id;
    row.shift_id = shift_id;
    row.approved_by = approver.value_or("");
    row.receipt_seq = seq;
    row.receipt_number = payload->receipt_number;
    row.receipt_collision = collision;
    row.price_mode = std::string(to_string(sale.price_mode));
    row.currency = std::string(sale.currency.code());
    row.subtotal_minor = sale.totals.subtotal;
    row.discount_minor = sale.totals.line_discounts + sale.totals.cart_discounts;
    row.tax_minor = sale.totals.tax;
    row.total_minor = sale.totals.total;
    row.rounding_minor = settled->rounding;
    row.change_minor = settled->change;
    for (const auto& p : payload->payments) row.paid_minor += p.amount;
    row.occurred_at_ms = op.created_at;
    std::vector<Move> moves;
    for (std::size_t i = 0; i < sale.lines.size(); ++i) {
      const SaleLine& l = sale.lines[i];
      db::SaleLineRow lr;
      lr.line_no = static_cast<int>(i + 1);
      auto fact = facts.find(l.item.product_id);
      if (fact == facts.end()) {
        flags.push_back({"unknown_product", json{{"line", i}, {"product_id", l.item.product_id}}});
      } else {
        lr.product_id = fact->first;
        lr.move_stock = fact->second.track_stock;
        if (l.item.unit_price != fact->second.price_in_force) {
          flags.push_back({"price_override", json{{"line", i},
                                                  {"product_id", fact->first},
                                                  {"unit_price", l.item.unit_price},
                                                  {"price_in_force", fact->second.price_in_force}}});
        }
        if (lr.move_stock)
          moves.push_back(Move{index_, op.op_id, op.op_id, fact->first, -l.item.quantity.thousandths, true});
      }
      lr.name = l.item.name;
      lr.barcode = l.item.barcode;
      lr.unit = l.item.unit == UnitKind::each ? "each" : "weighed";
      lr.quantity_milli = l.item.quantity.thousandths;
      lr.unit_price_minor = l.item.unit_price;
      lr.discount_minor = l.line_discount + l.cart_discount;
      lr.tax_code = l.item.tax.code;
      lr.tax_kind = std::string(to_string(l.item.tax.kind));
      lr.tax_rate_ppm = l.item.tax.rate_ppm;
      lr.tax_minor = l.tax;
      lr.total_minor = l.total;
      row.lines.push_back(std::move(lr));
    }
    for (const auto& p : payload->payments) row.payments.push_back({tender_name(p.kind), p.amount, p.reference});
    row.flags = kinds_of(flags);

    if (!claim_applied(op, flags, op.payload, op.op_id)) return duplicate(op);
    tx_.insert_sale(row);
    moves_.insert(moves_.end(), moves.begin(), moves.end());
    if (!collision && number && number->till_code == till_.till_code)
      max_receipt_seq_ = std::max(max_receipt_seq_, seq);
    return applied(op, flags);
  }

  OpResult apply_refund(const Op& op, const OpChecks& checks) {
    auto payload = decode_refund_payload(op.payload);
    if (!payload) return reject_op(op, reject_with(op.op_id, payload.error()));
    if (auto bad = check_user(op)) return reject_op(op, *bad);
    auto target = tx_.sale_for_refund(till_.store_id, payload->sale_op_id);
    if (!target) {
      return reject_op(op, rejected(op.op_id, "unknown_sale",
                                    "sale " + payload->sale_op_id +
                                        " is not on the server (yet): retry once its till has synced"));
    }
    if (target->status != "completed")
      return reject_op(op, rejected(op.op_id, "cannot_refund", "the sale was voided"));
    auto sale_payload = decode_sale_payload(target->sale_payload);
    if (!sale_payload) return reject_op(op, rejected(op.op_id, "invalid_value", "the sale's record is unreadable"));
    auto sale = compute_sale(sale_payload->cart);
    if (!sale) return reject_op(op, reject_with(op.op_id, sale.error()));
    TenderSettings tenders;
    tenders.cash_rounding_step = tender_facts().cash_rounding;
    auto settlement = settle(sale->totals.total, sale_payload->payments, tenders);
    if (!settlement) return reject_op(op, reject_with(op.op_id, settlement.error()));
    RefundLedger ledger = RefundLedger::for_sale(*sale);
    for (const auto& earlier : target->refund_payloads) {
      auto p = decode_refund_payload(earlier);
      if (!p) continue;
      auto r = compute_refund(*sale, *settlement, ledger, p->lines);
      if (r) ledger = record_refund(std::move(ledger), *r);
    }
    auto refund = compute_refund(*sale, *settlement, ledger, payload->lines);
    if (!refund) return reject_op(op, reject_with(op.op_id, refund.error()));
    if (refund->total <= 0) return reject_op(op, rejected(op.op_id, "nothing_to_refund", "the refund is worth nothing"));

    std::vector<Flag> flags = common_flags(op, checks.grant);
    if (payload->total != refund->total) {
      flags.push_back({"total_mismatch", json{{"claimed_total", payload->total}, {"computed_total", refund->total}}});
    }
    const auto approver = authorise(op, checks, auth::Permission::refund, flags);
    // The till's tenders are what happened at the counter: recorded, and
    // flagged when they do not give back exactly the money owed.
    const TenderTotals back = refund_tenders(*payload, *refund);
    if (!payload->tenders.empty()) {
      if (sum_of(back) != sum_of(refund->tenders))
        flags.push_back({"tender_mismatch", json{{"claimed", sum_of(back)}, {"computed", sum_of(refund->tenders)}}});
      const auto& enabled = tender_facts().enabled;
      for (auto k : kAllTenderKinds) {
        if (back[static_cast<std::size_t>(k)] > 0 &&
            std::find(enabled.begin(), enabled.end(), tender_name(k)) == enabled.end())
          flags.push_back({"tender_disabled", json{{"tender", tender_name(k)}}});
      }
    }
    db::RefundRow row;
    row.id = op.op_id;
    row.store_id = till_.store_id;
    row.sale_id = target->sale_id;
    row.till_id = till_.till_id;
    row.user_id = op.user_id;
    row.shift_id = shift_for(payload->shift_id, flags);
    row.approved_by = approver.value_or("");
    row.reason = payload->reason.empty() ? std::string("unspecified") : payload->reason;
    row.tender = tender_name(largest(back));
    for (auto k : kAllTenderKinds)
      if (const auto amount = back[static_cast<std::size_t>(k)]; amount > 0)
        row.tenders.push_back({tender_name(k), amount, ""});
    row.currency = std::string(sale->currency.code());
    row.tax_minor = refund->tax;
    row.total_minor = refund->total;
    row.flags = kinds_of(flags);
    row.occurred_at_ms = op.created_at;
    std::vector<Move> moves;
    for (const auto& l : refund->lines) {
      if (l.line >= target->line_ids.size())
        return reject_op(op, rejected(op.op_id, "unknown_line", "the sale has no line " + std::to_string(l.line)));
      db::RefundLineRow lr;
      lr.sale_line_id = target->line_ids[l.line];
      if (target->line_moves_stock[l.line] && target->line_products[l.line]) {
        lr.product_id = target->line_products[l.line];
        moves.push_back(Move{index_, op.op_id, std::nullopt, *lr.product_id, l.quantity.thousandths, false});
      }
      lr.quantity_milli = l.quantity.thousandths;
      lr.amount_minor = l.total;
      lr.tax_minor = l.tax;
      row.lines.push_back(std::move(lr));
    }
    if (!claim_applied(op, flags, op.payload, target->sale_id)) return duplicate(op);
    tx_.insert_refund(row);
    moves_.insert(moves_.end(), moves.begin(), moves.end());
    return applied(op, flags);
  }

  OpResult apply_void(const Op& op, const OpChecks& checks) {
    auto payload = decode_void_payload(op.payload);
    if (!payload) return reject_op(op, reject_with(op.op_id, payload.error()));
    if (auto bad = check_user(op)) return reject_op(op, *bad);
    // Only a sale the till never completed can be voided; a recorded one is refunded.
    if (tx_.sale_exists(till_.store_id, payload->sale_id)) {
      return reject_op(op, rejected(op.op_id, "cannot_void", "sale " + payload->sale_id +
                                                                 " was completed: refund it instead"));
    }
    auto flags = common_flags(op, checks.grant);
    const auto approver = authorise(op, checks, auth::Permission::void_sale, flags);
    if (!claim_applied(op, flags, std::nullopt, std::nullopt)) return duplicate(op);
    json detail{{"reason", payload->reason}, {"op_id", op.op_id}};
    if (approver) detail["approved_by"] = *approver;
    tx_.audit(db::SyncAuditRow{till_.store_id, op.user_id, till_.till_id, "sale.voided", "sale", payload->sale_id,
                               detail.dump()});
    return applied(op, flags);
  }

  OpResult apply_stock_movement(const Op& op, const GrantVerdict& grant) {
    auto m = decode_stock_movement_payload(op.payload);
    if (!m) return reject_op(op, reject_with(op.op_id, m.error()));
    if (m->kind == StockMovementKind::sale || m->kind == StockMovementKind::refund) {
      return reject_op(op, rejected(op.op_id, "invalid_stock_movement",
                                    "sale and refund movements come with their sales and refunds"));
    }
    if (auto bad = check_user(op)) return reject_op(op, *bad);
    if (!is_uuid(m->product_id) || tx_.products(till_.store_id, {m->product_id}, op.created_at).empty()) {
      return reject_op(op, rejected(op.op_id, "unknown_product", "product " + m->product_id + " is not in the catalog"));
    }
    if (m->delta_thousandths == 0 && m->kind != StockMovementKind::count) {
      return reject_op(op, rejected(op.op_id, "invalid_stock_movement", "a movement of nothing"));
    }
    const auto flags = common_flags(op, grant);
    if (!claim_applied(op, flags, std::nullopt, std::nullopt)) return duplicate(op);
    db::StockMovementRow row;
    row.store_id = till_.store_id;
    row.product_id = m->product_id;
    row.kind = std::string(to_string(m->kind));
    row.quantity_milli = m->delta_thousandths;
    if (m->reason) row.reason = std::string(to_string(*m->reason));
    row.note = m->note;
    row.user_id = op.user_id;
    row.till_id = till_.till_id;
    row.op_id = op.op_id;
    row.occurred_at_ms = op.created_at;
    tx_.insert_stock_movement(row);
    if (m->delta_thousandths != 0)
      moves_.push_back(Move{index_, op.op_id, std::nullopt, m->product_id, m->delta_thousandths, false});
    tx_.audit(db::SyncAuditRow{till_.store_id, op.user_id, till_.till_id, "stock." + row.kind, "product", m->product_id,
                           json{{"quantity_milli", row.quantity_milli},
                                {"reason", row.reason ? json(*row.reason) : json(nullptr)},
                                {"op_id", op.op_id}}
                               .dump()});
    return applied(op, flags);
  }

  OpResult apply_shift_open(const Op& op, const GrantVerdict& grant) {
    auto p = decode_shift_open_payload(op.payload);
    if (!p) return reject_op(op, reject_with(op.op_id, p.error()));
    if (auto bad = check_user(op)) return reject_op(op, *bad);
    if (tx_.shift_exists(p->shift_id)) return reject_op(op, rejected(op.op_id, "conflict", "shift already opened"));
    const auto flags = common_flags(op, grant);
    if (!claim_applied(op, flags, std::nullopt, std::nullopt)) return duplicate(op);
    const std::string currency(p->currency.code());
    tx_.insert_shift(p->shift_id, till_.store_id, till_.till_id, op.user_id, currency, p->opening_float,
                     op.created_at);
    tx_.audit(db::SyncAuditRow{till_.store_id, op.user_id, till_.till_id, "shift.opened", "shift", p->shift_id,
                               json{{"opening_float_minor", p->opening_float}, {"op_id", op.op_id}}.dump()});
    return applied(op, flags);
  }

  // The expected cash is the shift report's (shared/), computed from what
  // this transaction sees of the shift, with the count just made.
  OpResult apply_shift_close(const Op& op, const GrantVerdict& grant) {
    auto p = decode_shift_close_payload(op.payload);
    if (!p) return reject_op(op, reject_with(op.op_id, p.error()));
    if (auto bad = check_user(op)) return reject_op(op, *bad);
    const auto flags = common_flags(op, grant);
    if (!claim_applied(op, flags, std::nullopt, std::nullopt)) return duplicate(op);
    const auto state = tx_.lock_shift(p->shift_id, till_.till_id);
    if (!state) throw_rejection("unknown_shift", "no shift " + p->shift_id + " on this till");
    if (*state != "open") throw_rejection("conflict", "shift " + p->shift_id + " is already closed");
    auto inputs = tx_.shift_inputs(p->shift_id);
    inputs.shift.counted_cash = p->counted_cash;
    const auto report = shift_report_of(inputs);
    std::optional<std::int64_t> expected;
    if (report) {
      expected = report->expected_cash;
    } else {
      log::warn("no shift report at close: the expected cash is left empty",
                {{"shift_id", p->shift_id}, {"what", report.error().context}});
    }
    tx_.close_shift(p->shift_id, op.user_id, p->counted_cash, op.created_at, expected);
    json detail{{"counted_cash_minor", p->counted_cash}, {"note", p->note}, {"op_id", op.op_id}};
    detail["expected_cash_minor"] = expected ? json(*expected) : json(nullptr);
    detail["difference_minor"] = expected ? json(p->counted_cash - *expected) : json(nullptr);
    tx_.audit(db::SyncAuditRow{till_.store_id, op.user_id, till_.till_id, "shift.closed", "shift", p->shift_id,
                               detail.dump()});
    return applied(op, flags);
  }

  OpResult apply_cash_movement(const Op& op, const GrantVerdict& grant) {
    auto p = decode_cash_movement_payload(op.payload);
    if (!p) return reject_op(op, reject_with(op.op_id, p.error()));
    if (auto bad = check_user(op)) return reject_op(op, *bad);
    if (!tx_.shift_exists(p->shift_id))
      return reject_op(op, rejected(op.op_id, "unknown_shift", "no shift " + p->shift_id + " (yet)"));
    const auto flags = common_flags(op, grant);
    if (!claim_applied(op, flags, std::nullopt, std::nullopt)) return duplicate(op);
    const std::string kind(to_string(p->kind));
    tx_.insert_cash_movement(till_.store_id, p->shift_id, till_.till_id, op.user_id, kind, p->amount,
                             std::string(p->currency.code()), p->reason, op.op_id, op.created_at);
    tx_.audit(db::SyncAuditRow{till_.store_id, op.user_id, till_.till_id, "cash." + kind, "shift", p->shift_id,
                               json{{"amount_minor", p->amount}, {"op_id", op.op_id}}.dump()});
    return applied(op, flags);
  }

 public:
  // A rejection found after the op was claimed: the chunk is redone with the
  // op rejected up front (RejectAfterClaim carries the reason).
  struct RejectAfterClaim {
    std::string code;
    std::string message;
  };

 private:
  [[noreturn]] static void throw_rejection(std::string code, std::string message) {
    throw RejectAfterClaim{std::move(code), std::move(message)};
  }

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
  std::int64_t max_receipt_seq_ = 0;
  std::vector<db::FlagRow> flag_rows_;
  std::map<std::size_t, std::set<std::string>> op_flags_;
};

// What to do with one op: apply it, or store a rejection decided earlier.
struct Work {
  const Op* op = nullptr;
  OpChecks checks;
  std::size_t result_index = 0;
  std::optional<std::pair<std::string, std::string>> reject;  // code, message
  std::string stored_kind;                                     // for ops the decoder refused
};

// A decoder-refused op, as an Op we can store (kind "unknown" when unreadable).
std::optional<Op> stored_form(const RejectedOp& r, const PushBatch& batch, const json* raw_ops, std::int64_t now_ms,
                              std::string& kind) {
  if (!is_uuid(r.op_id)) return std::nullopt;
  kind = "unknown";
  Op op;
  op.op_id = r.op_id;
  op.till_id = batch.till_id;
  op.kind = OpKind::sale;
  op.created_at = now_ms;
  op.payload = "{}";
  if (raw_ops && r.index < raw_ops->size()) {
    const json& raw = (*raw_ops)[r.index];
    op.payload = clip(json{{"op", raw}}.dump(), kMaxPayloadBytes);
    if (raw.is_object()) {
      if (auto u = raw.find("user_id"); u != raw.end() && u->is_string()) op.user_id = clip(u->get<std::string>(), 64);
      if (auto k = raw.find("kind"); k != raw.end() && k->is_string() && parse_op_kind(k->get<std::string>()))
        kind = k->get<std::string>();
      if (auto c = raw.find("created_at"); c != raw.end() && c->is_number_integer()) {
        const auto v = c->get<std::int64_t>();
        if (v >= 0 && v <= kMaxTimestampMs) op.created_at = v;
      }
    }
  }
  return op;
}

}  // namespace

PushService::PushService(db::Pool& pool, GrantCheckFn grants, SyncOptions options)
    : pool_(pool), grants_(std::move(grants)), options_(options) {}

namespace {

// Runs works[begin, end) as one transaction, taking no more ops once it is
// older than options.chunk_ms. Returns how many ops it committed, or nullopt
// (rolled back) when an op hit a data error, so the caller redoes them one by one.
std::optional<std::size_t> run_chunk(db::Pool& pool, const auth::TillPrincipal& till, const PushContext& ctx,
                                     const SyncOptions& options, std::vector<OpResult>& results,
                                     const std::vector<Work>& works, std::size_t begin, std::size_t end,
                                     std::string* first_error,
                                     std::optional<std::pair<std::string, std::string>>* late_reject) {
  db::PushTx tx(pool);
  Chunk chunk(tx, till, ctx, options, results, Mode::claim_new);
  const auto started = steady_ms();
  std::size_t i = begin;
  try {
    for (; i < end && (i == begin || steady_ms() - started < options.chunk_ms); ++i) {
      const auto& w = works[i];
      if (w.reject) {
        chunk.store_rejected(*w.op, w.reject->first, w.reject->second, w.result_index, w.stored_kind);
      } else {
        chunk.apply(*w.op, w.checks, w.result_index);
      }
    }
    chunk.finish();
    tx.commit();
    return i - begin;
  } catch (const Chunk::RejectAfterClaim& r) {
    if (late_reject) *late_reject = std::make_pair(r.code, r.message);
    return std::nullopt;
  } catch (const std::exception& e) {
    if (!db::is_data_error(e)) throw;
    if (first_error) *first_error = e.what();
    return std::nullopt;
  }
}

}  // namespace

PushResponse PushService::push(const auth::TillPrincipal& till, const PushBatch& batch, const PushContext& ctx,
                               const std::string& raw_body) {
  PushResponse response;
  const std::size_t total = batch.ops.size() + batch.rejected.size();
  response.results.resize(total);

  // Results keep the batch's order: decoded ops and refused ones interleave.
  json raw;
  const json* raw_ops = nullptr;
  if (!batch.rejected.empty() && !raw_body.empty()) {
    raw = json::parse(raw_body, nullptr, false);
    if (raw.is_object() && raw.contains("ops") && raw["ops"].is_array()) raw_ops = &raw["ops"];
  }
  std::vector<Op> refused_ops;
  refused_ops.reserve(batch.rejected.size());
  std::vector<Work> works;
  {
    std::size_t op = 0;
    for (std::size_t slot = 0, rej = 0; slot < total; ++slot) {
      if (rej < batch.rejected.size() && batch.rejected[rej].index == slot) {
        const auto& r = batch.rejected[rej++];
        response.results[slot] = reject_with(r.op_id, r.error);
        std::string kind;
        if (auto stored = stored_form(r, batch, raw_ops, ctx.now_ms, kind)) {
          refused_ops.push_back(std::move(*stored));
          Work w;
          w.stored_kind = kind;
          w.op = &refused_ops.back();
          w.result_index = slot;
          w.reject = std::make_pair(response.results[slot].code, response.results[slot].message);
          works.push_back(std::move(w));
        }
        continue;
      }
      const Op& o = batch.ops[op++];
      Work w;
      w.op = &o;
      w.result_index = slot;
      // Grants are checked before any transaction opens: the check may use a
      // connection of its own, and a push must never hold two.
      w.checks = check_op(grants_, o, till.till_id, ctx.now_ms);
      works.push_back(std::move(w));
    }
  }

  // Chunks: up to chunk_ops ops, closed early when a transaction grows old.
  std::size_t next = 0;
  while (next < works.size()) {
    const std::size_t end = std::min(works.size(), next + std::max<std::size_t>(1, options_.chunk_ops));
    std::string error;
    if (end - next > 1) {
      if (auto done = run_chunk(pool_, till, ctx, options_, response.results, works, next, end, &error, nullptr)) {
        next += *done;
        continue;
      }
    }
    // One op per transaction: a failing op is stored as rejected on its own.
    for (std::size_t i = next; i < end; ++i) {
      Work& w = works[i];
      for (int attempt = 0;; ++attempt) {
        std::optional<std::pair<std::string, std::string>> late;
        std::string op_error;
        if (run_chunk(pool_, till, ctx, options_, response.results, works, i, i + 1, &op_error, &late)) break;
        if (late) {
          w.reject = late;
          continue;
        }
        if (w.reject) throw db::Unavailable("cannot store a rejected op: " + op_error);
        log::warn("an op could not be recorded; storing it as rejected",
                  {{"op_id", w.op->op_id}, {"attempt", attempt}, {"what", op_error}});
        if (attempt + 1 < options_.conflict_retries &&
            (op_error.find("deadlock") != std::string::npos || op_error.find("serializ") != std::string::npos))
          continue;
        w.reject = std::make_pair(std::string("storage_error"),
                                  std::string("the server could not record this op; a manager can retry it"));
      }
    }
    next = end;
  }

  db::record_till_contact(pool_, till.store_id, till.till_id, true, ctx.report);
  return response;
}

namespace {
db::SyncAuditRow retry_audit(const std::string& store_id, const std::string& op_id, const std::optional<std::string>& by,
                         const std::string& via, const OpResult& result) {
  return db::SyncAuditRow{store_id, by, std::nullopt, "op.retried", "op", op_id,
                      json{{"status", std::string(to_string(result.status))},
                           {"code", result.code},
                           {"message", result.message},
                           {"via", via}}
                          .dump()};
}
}  // namespace

OpResult PushService::retry(const std::string& store_id, const std::string& op_id,
                            const std::optional<std::string>& by_user, std::int64_t now_ms, const std::string& via) {
  // Read the envelope, check the grant outside any transaction, then redo.
  std::optional<db::PushTx::StoredEnvelope> env;
  {
    db::PushTx tx(pool_);
    env = tx.envelope(store_id, op_id);
  }
  if (!env) return rejected(op_id, "not_found", "no such op");
  if (env->status != "rejected" || env->resolved)
    return rejected(op_id, "conflict", "only unresolved rejected ops can be retried");
  auto kind = parse_op_kind(env->kind);
  if (!kind) return rejected(op_id, "unknown_op_kind", "the op's kind is unknown: it cannot be retried");
  Op op;
  op.op_id = op_id;
  op.till_id = env->till_id;
  op.kind = *kind;
  op.created_at = env->created_at_ms;
  op.user_id = env->op_user_id;
  op.grant = env->grant;
  op.payload = env->payload;
  auth::TillPrincipal till{env->till_id, store_id, env->till_code, ""};
  const auto checks = check_op(grants_, op, op.till_id, now_ms);
  PushContext ctx;
  ctx.now_ms = now_ms;
  std::vector<OpResult> results(1);
  try {
    db::PushTx tx(pool_);
    if (!tx.envelope(store_id, op_id)) return rejected(op_id, "not_found", "no such op");
    Chunk chunk(tx, till, ctx, options_, results, Mode::reclaim_rejected, by_user);
    chunk.apply(op, checks, 0);
    chunk.finish();
    tx.audit(retry_audit(store_id, op_id, by_user, via, results[0]));
    tx.commit();
  } catch (const Chunk::RejectAfterClaim& r) {
    db::PushTx tx(pool_);
    if (!tx.envelope(store_id, op_id)) return rejected(op_id, "not_found", "no such op");
    Chunk chunk(tx, till, ctx, options_, results, Mode::reclaim_rejected, by_user);
    chunk.store_rejected(op, r.code, r.message, 0);
    tx.audit(retry_audit(store_id, op_id, by_user, via, results[0]));
    tx.commit();
  }
  return results[0];
}

}  // namespace salespider::service::sync
