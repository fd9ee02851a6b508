// The sale applier (sync_push_chunk.hpp): the sale recomputed with shared/,
// settled against the store's tenders, checked (totals, discounts over the
// limit, prices in force, receipt number, shift) and recorded with its lines,
// payments and stock moves. Flags, never refusals, for money already taken.
#include "service/sync_push_chunk.hpp"

#include <algorithm>

#include "salespider/shared/ids.hpp"
#include "salespider/shared/money.hpp"
#include "salespider/shared/payloads.hpp"

namespace salespider::service::sync {

using nlohmann::json;

OpResult apply_sale(Chunk& c, const Op& op, const OpChecks& checks) {
  auto payload = c.sale_payload(op);
  if (!payload) return c.reject_op(op, reject_with(op.op_id, payload.error()));
  auto computed = compute_sale(payload->cart);
  if (!computed) return c.reject_op(op, reject_with(op.op_id, computed.error()));
  const Sale& sale = *computed;
  if (auto bad = c.check_user(op)) return c.reject_op(op, *bad);

  TenderSettings tenders;
  tenders.cash_rounding_step = c.tender_facts().cash_rounding;
  auto settled = settle(sale.totals.total, payload->payments, tenders);
  if (!settled) return c.reject_op(op, reject_with(op.op_id, settled.error()));

  std::vector<Flag> flags = c.common_flags(op, checks);
  if (payload->total != sale.totals.total) {
    flags.push_back({"total_mismatch", json{{"claimed_total", payload->total},
                                            {"computed_total", sale.totals.total},
                                            {"computed_tax", sale.totals.tax}}});
  }
  if (!settled->complete) flags.push_back({"underpaid", json{{"remaining", settled->remaining}}});
  // A manager's approval on the till lifts the limit to the manager's.
  const auto approver = c.approved_by(checks, auth::Permission::discount, flags);
  if (!approver) c.require(op, checks, auth::Permission::sell, flags);
  const std::int64_t limit =
      approver ? std::max(checks.grant.max_discount_bp, checks.approver.max_discount_bp) : checks.grant.max_discount_bp;
  if (auto s = check_discount_limits(sale, DiscountLimit{limit, limit}); !s) {
    flags.push_back({"discount_over_limit", json{{"limit_bp", limit}, {"detail", s.error().context}}});
  }
  const std::string shift_id = c.shift_for(payload->shift_id, flags);

  // Receipt number: the till's own code, never one already taken.
  auto number = parse_receipt_number(payload->receipt_number);
  const std::int64_t seq = number ? number->sequence : 0;
  if (number && number->till_code != c.till().till_code) {
    flags.push_back({"receipt_foreign_code", json{{"receipt_number", payload->receipt_number},
                                                  {"till_code", c.till().till_code}}});
  }
  bool collision = false;
  if (auto holder = c.receipt_holder(op, seq, payload->receipt_number);
      holder && *holder != op.op_id) {
    collision = true;
    flags.push_back({"receipt_collision", json{{"receipt_number", payload->receipt_number},
                                               {"other_sale_op_id", *holder}}});
  }

  // Prices in force at the op's time on the server's clock (its created_at
  // corrected by the till's skew, as the till saw them), and which lines move stock.
  std::vector<std::string> ids;
  for (const auto& l : payload->cart.lines)
    if (is_uuid(l.product_id)) ids.push_back(l.product_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  const std::map<std::string, db::ProductFact> facts = c.product_facts(ids, checks.judged_at_ms);

  db::SaleRow row;
  row.id = op.op_id;
  row.store_id = c.till().store_id;
  row.till_id = c.till().till_id;
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
        moves.push_back(Move{c.op_index(), op.op_id, op.op_id, fact->first, -l.item.quantity.thousandths, true});
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

  const bool own_receipt = !collision && number && number->till_code == c.till().till_code;
  if (auto dup = c.record_sale(op, flags, std::move(row), std::move(moves), own_receipt ? seq : 0)) return *dup;
  return c.applied(op, flags);
}

}  // namespace salespider::service::sync
