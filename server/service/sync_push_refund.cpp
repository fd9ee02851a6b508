// The refund and void appliers (sync_push_chunk.hpp). A refund is checked
// against its sale as the server recorded it and the refunds before it
// (shared/'s refund ledger); a void is only for a sale the till never
// completed. Both need the permission or a manager's approval (flagged).
#include "service/sync_push_chunk.hpp"

#include <algorithm>

#include "salespider/shared/money.hpp"
#include "salespider/shared/payloads.hpp"

namespace salespider::service::sync {

using nlohmann::json;

namespace {

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

}  // namespace

OpResult apply_refund(Chunk& c, const Op& op, const OpChecks& checks) {
  auto payload = decode_refund_payload(op.payload);
  if (!payload) return c.reject_op(op, reject_with(op.op_id, payload.error()));
  if (auto bad = c.check_user(op)) return c.reject_op(op, *bad);
  auto target = c.tx().sale_for_refund(c.till().store_id, payload->sale_op_id);
  if (!target) {
    return c.reject_op(op, rejected(op.op_id, "unknown_sale",
                                  "sale " + payload->sale_op_id +
                                      " is not on the server (yet): retry once its till has synced"));
  }
  if (target->status != "completed")
    return c.reject_op(op, rejected(op.op_id, "cannot_refund", "the sale was voided"));
  auto sale_payload = decode_sale_payload(target->sale_payload);
  if (!sale_payload) return c.reject_op(op, rejected(op.op_id, "invalid_value", "the sale's record is unreadable"));
  auto sale = compute_sale(sale_payload->cart);
  if (!sale) return c.reject_op(op, reject_with(op.op_id, sale.error()));
  TenderSettings tenders;
  tenders.cash_rounding_step = c.tender_facts().cash_rounding;
  auto settlement = settle(sale->totals.total, sale_payload->payments, tenders);
  if (!settlement) return c.reject_op(op, reject_with(op.op_id, settlement.error()));
  RefundLedger ledger = RefundLedger::for_sale(*sale);
  for (const auto& earlier : target->refund_payloads) {
    auto p = decode_refund_payload(earlier);
    if (!p) continue;
    auto r = compute_refund(*sale, *settlement, ledger, p->lines);
    if (r) ledger = record_refund(std::move(ledger), *r);
  }
  auto refund = compute_refund(*sale, *settlement, ledger, payload->lines);
  if (!refund) return c.reject_op(op, reject_with(op.op_id, refund.error()));
  if (refund->total <= 0) return c.reject_op(op, rejected(op.op_id, "nothing_to_refund", "the refund is worth nothing"));

  std::vector<Flag> flags = c.common_flags(op, checks);
  if (payload->total != refund->total) {
    flags.push_back({"total_mismatch", json{{"claimed_total", payload->total}, {"computed_total", refund->total}}});
  }
  const auto approver = c.authorise(op, checks, auth::Permission::refund, flags);
  // The till's tenders are what happened at the counter: recorded, and
  // flagged when they do not give back exactly the money owed.
  const TenderTotals back = refund_tenders(*payload, *refund);
  if (!payload->tenders.empty()) {
    if (sum_of(back) != sum_of(refund->tenders))
      flags.push_back({"tender_mismatch", json{{"claimed", sum_of(back)}, {"computed", sum_of(refund->tenders)}}});
    const auto& enabled = c.tender_facts().enabled;
    for (auto k : kAllTenderKinds) {
      if (back[static_cast<std::size_t>(k)] > 0 &&
          std::find(enabled.begin(), enabled.end(), tender_name(k)) == enabled.end())
        flags.push_back({"tender_disabled", json{{"tender", tender_name(k)}}});
    }
  }
  db::RefundRow row;
  row.id = op.op_id;
  row.store_id = c.till().store_id;
  row.sale_id = target->sale_id;
  row.till_id = c.till().till_id;
  row.user_id = op.user_id;
  row.shift_id = c.shift_for(payload->shift_id, flags);
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
      return c.reject_op(op, rejected(op.op_id, "unknown_line", "the sale has no line " + std::to_string(l.line)));
    db::RefundLineRow lr;
    lr.sale_line_id = target->line_ids[l.line];
    if (target->line_moves_stock[l.line] && target->line_products[l.line]) {
      lr.product_id = target->line_products[l.line];
      moves.push_back(Move{c.op_index(), op.op_id, std::nullopt, *lr.product_id, l.quantity.thousandths, false});
    }
    lr.quantity_milli = l.quantity.thousandths;
    lr.amount_minor = l.total;
    lr.tax_minor = l.tax;
    row.lines.push_back(std::move(lr));
  }
  if (!c.claim_applied(op, flags, op.payload, target->sale_id)) return c.duplicate(op);
  c.tx().insert_refund(row);
  c.add_moves(moves);
  return c.applied(op, flags);
}

OpResult apply_void(Chunk& c, const Op& op, const OpChecks& checks) {
  auto payload = decode_void_payload(op.payload);
  if (!payload) return c.reject_op(op, reject_with(op.op_id, payload.error()));
  if (auto bad = c.check_user(op)) return c.reject_op(op, *bad);
  // Only a sale the till never completed can be voided; a recorded one is refunded.
  if (c.tx().sale_exists(c.till().store_id, payload->sale_id)) {
    return c.reject_op(op, rejected(op.op_id, "cannot_void", "sale " + payload->sale_id +
                                                               " was completed: refund it instead"));
  }
  auto flags = c.common_flags(op, checks);
  const auto approver = c.authorise(op, checks, auth::Permission::void_sale, flags);
  if (!c.claim_applied(op, flags, std::nullopt, std::nullopt)) return c.duplicate(op);
  json detail{{"reason", payload->reason}, {"op_id", op.op_id}};
  if (approver) detail["approved_by"] = *approver;
  c.tx().audit(db::SyncAuditRow{c.till().store_id, op.user_id, c.till().till_id, "sale.voided", "sale", payload->sale_id,
                             detail.dump()});
  return c.applied(op, flags);
}

}  // namespace salespider::service::sync
