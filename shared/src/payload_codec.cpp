// Op payloads <-> JSON. Same approach as codec.cpp: the decoders hold the
// rules, the encoders decode what they wrote. Deliberately checks shape and
// ranges only: whether a sale adds up is compute_sale's job on the server.
// Optional fields are omitted when empty, so an op written before they
// existed encodes to exactly the text it had.
#include "salespider/shared/payloads.hpp"

#include "json_util.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/money.hpp"
#include "salespider/shared/protocol.hpp"

namespace salespider {

using detail::Fields;
using detail::json;

namespace {

Error at(const std::string& path, Error e) {
  e.context = path + ": " + e.context;
  return e;
}

Result<Discount> decode_discount(const json& v, const std::string& path) {
  SALESPIDER_TRY(f, Fields::of(v, path));
  SALESPIDER_CHECK(f.only({"kind", "value"}));
  SALESPIDER_TRY(kind_text, f.string("kind", 16));
  SALESPIDER_TRY(kind, parse_discount_kind(kind_text));
  SALESPIDER_TRY(value, f.integer("value", 0, kMaxMoneyMinor));
  Discount d{kind, value};
  if (auto s = validate(d); !s) return at(path, std::move(s).error());
  return d;
}

Result<std::vector<Discount>> decode_discounts(const Fields& f, std::string_view key, std::size_t max) {
  SALESPIDER_TRY(arr, f.array(key, max));
  std::vector<Discount> out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    SALESPIDER_TRY(d, decode_discount((*arr)[i], f.path(key) + "[" + std::to_string(i) + "]"));
    out.push_back(d);
  }
  return out;
}

json discounts_json(const std::vector<Discount>& ds) {
  json arr = json::array();
  for (const auto& d : ds) arr.push_back(json{{"kind", std::string(to_string(d.kind))}, {"value", d.value}});
  return arr;
}

Result<TaxRate> decode_tax(const json& v, const std::string& path) {
  SALESPIDER_TRY(f, Fields::of(v, path));
  SALESPIDER_CHECK(f.only({"code", "kind", "rate_ppm"}));
  TaxRate t;
  SALESPIDER_TRY(code, f.string("code", kMaxTaxCodeBytes, 1));
  t.code = std::move(code);
  SALESPIDER_TRY(kind_text, f.string("kind", 16));
  SALESPIDER_TRY(kind, parse_tax_kind(kind_text));
  t.kind = kind;
  SALESPIDER_TRY(rate, f.integer("rate_ppm", 0, kMaxTaxRatePpm));
  t.rate_ppm = rate;
  if (auto s = validate(t); !s) return at(path, std::move(s).error());
  return t;
}

Result<CartLine> decode_line(const json& v, const std::string& path) {
  SALESPIDER_TRY(f, Fields::of(v, path));
  SALESPIDER_CHECK(
      f.only({"product_id", "name", "barcode", "unit_price", "quantity", "unit", "tax", "discounts"}));
  CartLine l;
  SALESPIDER_TRY(product_id, f.string("product_id", kMaxProductIdBytes, 1));
  l.product_id = std::move(product_id);
  SALESPIDER_TRY(name, f.string("name", kMaxProductNameBytes, 1));
  l.name = std::move(name);
  SALESPIDER_TRY(barcode, f.string("barcode", kMaxBarcodeBytes));
  l.barcode = std::move(barcode);
  SALESPIDER_TRY(price, f.integer("unit_price", 0, kMaxMoneyMinor));
  l.unit_price = price;
  SALESPIDER_TRY(qty, f.integer("quantity", 1, kMaxQuantityThousandths));
  l.quantity = Quantity{qty};
  SALESPIDER_TRY(unit, f.string("unit", 16));
  if (unit == "each") {
    l.unit = UnitKind::each;
  } else if (unit == "weighed") {
    l.unit = UnitKind::weighed;
  } else {
    return make_error(Errc::invalid_value, f.path("unit") + ": must be each or weighed");
  }
  if (auto s = validate_quantity(l.quantity, l.unit); !s) return at(f.path("quantity"), std::move(s).error());
  SALESPIDER_TRY(tax_json, f.object("tax"));
  SALESPIDER_TRY(tax, decode_tax(*tax_json, f.path("tax")));
  l.tax = std::move(tax);
  SALESPIDER_TRY(discounts, decode_discounts(f, "discounts", kMaxDiscountsPerLine));
  l.discounts = std::move(discounts);
  return l;
}

json line_json(const CartLine& l) {
  return json{{"product_id", l.product_id},
              {"name", l.name},
              {"barcode", l.barcode},
              {"unit_price", l.unit_price},
              {"quantity", l.quantity.thousandths},
              {"unit", l.unit == UnitKind::each ? "each" : "weighed"},
              {"tax", json{{"code", l.tax.code},
                           {"kind", std::string(to_string(l.tax.kind))},
                           {"rate_ppm", l.tax.rate_ppm}}},
              {"discounts", discounts_json(l.discounts)}};
}

Result<Payment> decode_payment(const json& v, const std::string& path) {
  SALESPIDER_TRY(f, Fields::of(v, path));
  SALESPIDER_CHECK(f.only({"kind", "amount", "reference"}));
  Payment p;
  SALESPIDER_TRY(kind_text, f.string("kind", 32));
  SALESPIDER_TRY(kind, parse_tender_kind(kind_text));
  p.kind = kind;
  SALESPIDER_TRY(amount, f.integer("amount", 1, kMaxMoneyMinor));
  p.amount = amount;
  SALESPIDER_TRY(reference, f.string("reference", kMaxPaymentReferenceBytes));
  p.reference = std::move(reference);
  return p;
}

Result<std::vector<Payment>> decode_payments(const Fields& f, std::string_view key) {
  SALESPIDER_TRY(arr, f.array(key, kMaxPayments));
  std::vector<Payment> out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    SALESPIDER_TRY(pay, decode_payment((*arr)[i], f.path(key) + "[" + std::to_string(i) + "]"));
    out.push_back(std::move(pay));
  }
  return out;
}

json payments_json(const std::vector<Payment>& payments) {
  json arr = json::array();
  for (const auto& pay : payments)
    arr.push_back(
        json{{"kind", std::string(to_string(pay.kind))}, {"amount", pay.amount}, {"reference", pay.reference}});
  return arr;
}

Result<Fields> open_payload(const json& doc) {
  return Fields::of(doc, "");
}

Result<std::string> uuid_text(const Fields& f, std::string_view key) {
  SALESPIDER_TRY(text, f.string(key, 36));
  SALESPIDER_TRY(id, parse_uuid(text));
  if (id.to_string() != text) return make_error(Errc::malformed_uuid, f.path(key) + ": must be lower case");
  return text;
}

Result<Currency> decode_currency(const Fields& f) {
  SALESPIDER_TRY(code, f.string("currency", 3));
  return find_currency(code);
}

// An optional field: "" when absent (the encoders omit empty ones).
Result<std::string> optional_string(const Fields& f, std::string_view key, std::size_t max_bytes) {
  if (!f.has(key)) return std::string();
  return f.string(key, max_bytes);
}

Result<std::string> optional_uuid(const Fields& f, std::string_view key) {
  if (!f.has(key)) return std::string();
  return uuid_text(f, key);
}

Result<std::optional<Approval>> decode_approval(const Fields& f) {
  if (!f.has("approval")) return std::optional<Approval>();
  SALESPIDER_TRY(obj, f.object("approval"));
  SALESPIDER_TRY(a, Fields::of(*obj, f.path("approval")));
  SALESPIDER_CHECK(a.only({"user_id", "grant"}));
  Approval out;
  SALESPIDER_TRY(user, uuid_text(a, "user_id"));
  out.user_id = std::move(user);
  SALESPIDER_TRY(grant, a.string("grant", kMaxGrantBytes, 1));
  out.grant = std::move(grant);
  return std::optional<Approval>(std::move(out));
}

// The optional fields shared by sales, refunds and voids, added only when set.
void put_optional(json& doc, const std::string& shift_id, const std::optional<Approval>& approval) {
  if (!shift_id.empty()) doc["shift_id"] = shift_id;
  if (approval) doc["approval"] = json{{"user_id", approval->user_id}, {"grant", approval->grant}};
}

}  // namespace

std::string encode_cart_line(const CartLine& line) {
  return detail::dump(line_json(line));
}

Result<CartLine> decode_cart_line(std::string_view text) {
  SALESPIDER_TRY(doc, detail::parse(text, kMaxPayloadBytes, kMaxJsonDepth));
  return decode_line(doc, "line");
}

Result<SalePayload> decode_sale_payload(std::string_view text) {
  SALESPIDER_TRY(doc, detail::parse(text, kMaxPayloadBytes, kMaxJsonDepth));
  SALESPIDER_TRY(f, open_payload(doc));
  SALESPIDER_CHECK(f.only({"receipt_number", "currency", "price_mode", "lines", "discounts", "payments", "total",
                            "shift_id", "approval"}));
  SalePayload p;
  SALESPIDER_TRY(receipt, f.string("receipt_number", 32));
  if (auto r = parse_receipt_number(receipt); !r) return at("receipt_number", std::move(r).error());
  p.receipt_number = std::move(receipt);
  SALESPIDER_TRY(currency, decode_currency(f));
  p.cart.currency = currency;
  SALESPIDER_TRY(mode_text, f.string("price_mode", 16));
  SALESPIDER_TRY(mode, parse_price_mode(mode_text));
  p.cart.price_mode = mode;
  SALESPIDER_TRY(lines, f.array("lines", kMaxCartLines));
  for (std::size_t i = 0; i < lines->size(); ++i) {
    SALESPIDER_TRY(line, decode_line((*lines)[i], "lines[" + std::to_string(i) + "]"));
    p.cart.lines.push_back(std::move(line));
  }
  SALESPIDER_TRY(discounts, decode_discounts(f, "discounts", kMaxCartDiscounts));
  p.cart.discounts = std::move(discounts);
  SALESPIDER_TRY(payments, decode_payments(f, "payments"));
  p.payments = std::move(payments);
  SALESPIDER_TRY(total, f.integer("total", 0, kMaxMoneyMinor));
  p.total = total;
  SALESPIDER_TRY(shift, optional_uuid(f, "shift_id"));
  p.shift_id = std::move(shift);
  SALESPIDER_TRY(approval, decode_approval(f));
  p.approval = std::move(approval);
  return p;
}

Result<std::string> encode_sale_payload(const SalePayload& p) {
  if (!p.cart.currency.valid()) return make_error(Errc::unknown_currency, "currency: missing");
  json lines = json::array();
  for (const auto& l : p.cart.lines) lines.push_back(line_json(l));
  json doc{{"receipt_number", p.receipt_number},
           {"currency", std::string(p.cart.currency.code())},
           {"price_mode", std::string(to_string(p.cart.price_mode))},
           {"lines", std::move(lines)},
           {"discounts", discounts_json(p.cart.discounts)},
           {"payments", payments_json(p.payments)},
           {"total", p.total}};
  put_optional(doc, p.shift_id, p.approval);
  std::string text = detail::dump(doc);
  SALESPIDER_CHECK(decode_sale_payload(text));
  return text;
}

Result<RefundPayload> decode_refund_payload(std::string_view text) {
  SALESPIDER_TRY(doc, detail::parse(text, kMaxPayloadBytes, kMaxJsonDepth));
  SALESPIDER_TRY(f, open_payload(doc));
  SALESPIDER_CHECK(f.only({"sale_op_id", "lines", "reason", "total", "shift_id", "approval", "tenders"}));
  RefundPayload p;
  SALESPIDER_TRY(sale, uuid_text(f, "sale_op_id"));
  p.sale_op_id = std::move(sale);
  SALESPIDER_TRY(lines, f.array("lines", kMaxCartLines));
  if (lines->empty()) return make_error(Errc::nothing_to_refund, "lines: empty");
  for (std::size_t i = 0; i < lines->size(); ++i) {
    const std::string path = "lines[" + std::to_string(i) + "]";
    SALESPIDER_TRY(lf, Fields::of((*lines)[i], path));
    SALESPIDER_CHECK(lf.only({"line", "quantity"}));
    SALESPIDER_TRY(line, lf.integer("line", 0, static_cast<std::int64_t>(kMaxCartLines) - 1));
    SALESPIDER_TRY(qty, lf.integer("quantity", 1, kMaxQuantityThousandths));
    p.lines.push_back(RefundRequestLine{static_cast<std::size_t>(line), Quantity{qty}});
  }
  SALESPIDER_TRY(reason, f.string("reason", kMaxReasonBytes));
  p.reason = std::move(reason);
  SALESPIDER_TRY(total, f.integer("total", 0, kMaxMoneyMinor));
  p.total = total;
  SALESPIDER_TRY(shift, optional_uuid(f, "shift_id"));
  p.shift_id = std::move(shift);
  SALESPIDER_TRY(approval, decode_approval(f));
  p.approval = std::move(approval);
  if (f.has("tenders")) {
    SALESPIDER_TRY(tenders, decode_payments(f, "tenders"));
    p.tenders = std::move(tenders);
  }
  return p;
}

Result<std::string> encode_refund_payload(const RefundPayload& p) {
  json lines = json::array();
  for (const auto& l : p.lines)
    lines.push_back(json{{"line", static_cast<std::int64_t>(l.line)}, {"quantity", l.quantity.thousandths}});
  json doc{{"sale_op_id", p.sale_op_id}, {"lines", std::move(lines)}, {"reason", p.reason}, {"total", p.total}};
  put_optional(doc, p.shift_id, p.approval);
  if (!p.tenders.empty()) doc["tenders"] = payments_json(p.tenders);
  std::string text = detail::dump(doc);
  SALESPIDER_CHECK(decode_refund_payload(text));
  return text;
}

Result<VoidPayload> decode_void_payload(std::string_view text) {
  SALESPIDER_TRY(doc, detail::parse(text, kMaxPayloadBytes, kMaxJsonDepth));
  SALESPIDER_TRY(f, open_payload(doc));
  SALESPIDER_CHECK(f.only({"sale_id", "reason", "approval"}));
  VoidPayload p;
  SALESPIDER_TRY(sale, uuid_text(f, "sale_id"));
  p.sale_id = std::move(sale);
  SALESPIDER_TRY(reason, f.string("reason", kMaxReasonBytes));
  p.reason = std::move(reason);
  SALESPIDER_TRY(approval, decode_approval(f));
  p.approval = std::move(approval);
  return p;
}

Result<std::string> encode_void_payload(const VoidPayload& p) {
  json doc{{"sale_id", p.sale_id}, {"reason", p.reason}};
  put_optional(doc, {}, p.approval);
  std::string text = detail::dump(doc);
  SALESPIDER_CHECK(decode_void_payload(text));
  return text;
}

Result<StockMovement> decode_stock_movement_payload(std::string_view text) {
  SALESPIDER_TRY(doc, detail::parse(text, kMaxPayloadBytes, kMaxJsonDepth));
  SALESPIDER_TRY(f, open_payload(doc));
  SALESPIDER_CHECK(f.only({"product_id", "kind", "delta", "reason", "note", "counted", "count_id", "unit_cost"}));
  StockMovement m;
  SALESPIDER_TRY(product, f.string("product_id", kMaxProductIdBytes, 1));
  m.product_id = std::move(product);
  SALESPIDER_TRY(kind_text, f.string("kind", 32));
  SALESPIDER_TRY(kind, parse_stock_movement_kind(kind_text));
  m.kind = kind;
  SALESPIDER_TRY(delta, f.integer("delta", -kMaxQuantityThousandths, kMaxQuantityThousandths));
  m.delta_thousandths = delta;
  SALESPIDER_TRY(reason, f.any("reason"));
  if (!reason->is_null()) {
    SALESPIDER_TRY(reason_text, detail::as_string(*reason, "reason", 32, 1));
    SALESPIDER_TRY(r, parse_write_off_reason(reason_text));
    m.reason = r;
  }
  SALESPIDER_TRY(note, f.string("note", kMaxStockNoteBytes));
  m.note = std::move(note);
  if (f.has("counted")) {
    SALESPIDER_TRY(counted, f.integer("counted", 0, kMaxQuantityThousandths));
    m.counted_thousandths = counted;
  }
  if (f.has("count_id")) {
    SALESPIDER_TRY(count_id, f.string("count_id", 64, 1));
    m.count_id = std::move(count_id);
  }
  if (f.has("unit_cost")) {
    SALESPIDER_TRY(cost, f.integer("unit_cost", 0, kMaxUnitCostMinor));
    m.unit_cost_minor = cost;
  }
  SALESPIDER_CHECK(validate(m));
  return m;
}

Result<std::string> encode_stock_movement_payload(const StockMovement& m) {
  json reason = nullptr;
  if (m.reason) reason = std::string(to_string(*m.reason));
  json doc{{"product_id", m.product_id},
           {"kind", std::string(to_string(m.kind))},
           {"delta", m.delta_thousandths},
           {"reason", std::move(reason)},
           {"note", m.note}};
  // Absent unless set: tills of the previous build never send them.
  if (m.counted_thousandths) doc["counted"] = *m.counted_thousandths;
  if (!m.count_id.empty()) doc["count_id"] = m.count_id;
  if (m.unit_cost_minor) doc["unit_cost"] = *m.unit_cost_minor;
  std::string text = detail::dump(doc);
  SALESPIDER_CHECK(decode_stock_movement_payload(text));
  return text;
}

Result<ShiftOpenPayload> decode_shift_open_payload(std::string_view text) {
  SALESPIDER_TRY(doc, detail::parse(text, kMaxPayloadBytes, kMaxJsonDepth));
  SALESPIDER_TRY(f, open_payload(doc));
  SALESPIDER_CHECK(f.only({"shift_id", "currency", "opening_float"}));
  ShiftOpenPayload p;
  SALESPIDER_TRY(shift, uuid_text(f, "shift_id"));
  p.shift_id = std::move(shift);
  SALESPIDER_TRY(currency, decode_currency(f));
  p.currency = currency;
  SALESPIDER_TRY(opening, f.integer("opening_float", 0, kMaxMoneyMinor));
  p.opening_float = opening;
  return p;
}

Result<std::string> encode_shift_open_payload(const ShiftOpenPayload& p) {
  if (!p.currency.valid()) return make_error(Errc::unknown_currency, "currency: missing");
  std::string text = detail::dump(json{
      {"shift_id", p.shift_id}, {"currency", std::string(p.currency.code())}, {"opening_float", p.opening_float}});
  SALESPIDER_CHECK(decode_shift_open_payload(text));
  return text;
}

Result<ShiftClosePayload> decode_shift_close_payload(std::string_view text) {
  SALESPIDER_TRY(doc, detail::parse(text, kMaxPayloadBytes, kMaxJsonDepth));
  SALESPIDER_TRY(f, open_payload(doc));
  SALESPIDER_CHECK(f.only({"shift_id", "counted_cash", "note"}));
  ShiftClosePayload p;
  SALESPIDER_TRY(shift, uuid_text(f, "shift_id"));
  p.shift_id = std::move(shift);
  SALESPIDER_TRY(counted, f.integer("counted_cash", 0, kMaxMoneyMinor));
  p.counted_cash = counted;
  SALESPIDER_TRY(note, optional_string(f, "note", kMaxReasonBytes));
  p.note = std::move(note);
  return p;
}

Result<std::string> encode_shift_close_payload(const ShiftClosePayload& p) {
  std::string text =
      detail::dump(json{{"shift_id", p.shift_id}, {"counted_cash", p.counted_cash}, {"note", p.note}});
  SALESPIDER_CHECK(decode_shift_close_payload(text));
  return text;
}

Result<CashMovementPayload> decode_cash_movement_payload(std::string_view text) {
  SALESPIDER_TRY(doc, detail::parse(text, kMaxPayloadBytes, kMaxJsonDepth));
  SALESPIDER_TRY(f, open_payload(doc));
  SALESPIDER_CHECK(f.only({"shift_id", "kind", "amount", "currency", "reason"}));
  CashMovementPayload p;
  SALESPIDER_TRY(shift, uuid_text(f, "shift_id"));
  p.shift_id = std::move(shift);
  SALESPIDER_TRY(kind_text, f.string("kind", 16));
  SALESPIDER_TRY(kind, parse_cash_movement_kind(kind_text));
  p.kind = kind;
  SALESPIDER_TRY(amount, f.integer("amount", 1, kMaxMoneyMinor));
  p.amount = amount;
  SALESPIDER_TRY(currency, decode_currency(f));
  p.currency = currency;
  SALESPIDER_TRY(reason, optional_string(f, "reason", kMaxReasonBytes));
  p.reason = std::move(reason);
  return p;
}

Result<std::string> encode_cash_movement_payload(const CashMovementPayload& p) {
  if (!p.currency.valid()) return make_error(Errc::unknown_currency, "currency: missing");
  std::string text = detail::dump(json{{"shift_id", p.shift_id},
                                       {"kind", std::string(to_string(p.kind))},
                                       {"amount", p.amount},
                                       {"currency", std::string(p.currency.code())},
                                       {"reason", p.reason}});
  SALESPIDER_CHECK(decode_cash_movement_payload(text));
  return text;
}

std::string_view to_string(CashMovementKind kind) noexcept {
  switch (kind) {
    case CashMovementKind::pay_in:
      return "pay_in";
    case CashMovementKind::pay_out:
      return "pay_out";
    case CashMovementKind::drop:
      return "drop";
    case CashMovementKind::float_top_up:
      return "float_top_up";
  }
  return "pay_in";
}

Result<CashMovementKind> parse_cash_movement_kind(std::string_view text) {
  for (auto k : kAllCashMovementKinds)
    if (to_string(k) == text) return k;
  return make_error(Errc::invalid_value, "kind: pay_in, pay_out, drop or float_top_up");
}

bool adds_cash(CashMovementKind kind) noexcept {
  return kind == CashMovementKind::pay_in || kind == CashMovementKind::float_top_up;
}

TenderTotals refund_tenders(const RefundPayload& payload, const Refund& refund) {
  if (payload.tenders.empty()) return refund.tenders;
  TenderTotals out{};
  for (const auto& t : payload.tenders) out[static_cast<std::size_t>(t.kind)] += t.amount;
  return out;
}

}  // namespace salespider
