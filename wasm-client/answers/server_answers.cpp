// Parsing the server's history and attention answers; see server_answers.hpp.
#include "answers/server_answers.hpp"

#include "json/fields.hpp"

#include <cctype>
#include <utility>

namespace salespider::answers {

namespace {

using jsonio::Json;
using json = Json;

constexpr std::size_t kMaxAnswerBytes = 16 * 1024 * 1024;

std::optional<json> parse_answer(std::string_view body) {
  return jsonio::parse_object(body, kMaxAnswerBytes);
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's algorithm.
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = m > 2 ? m - 3 : m + 9;
  const unsigned doy = (153 * mp + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<std::int64_t> parse_utc_ms(std::string_view t) {
  auto digits = [&](std::size_t at, std::size_t n, std::int64_t& out) {
    if (at + n > t.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(t[i]))) return false;
      out = out * 10 + (t[i] - '0');
    }
    return true;
  };
  std::int64_t y, mo, d, h, mi, s;
  if (t.size() < 20 || !digits(0, 4, y) || t[4] != '-' || !digits(5, 2, mo) || t[7] != '-' || !digits(8, 2, d) ||
      t[10] != 'T' || !digits(11, 2, h) || t[13] != ':' || !digits(14, 2, mi) || t[16] != ':' || !digits(17, 2, s))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::size_t i = 19;
  std::int64_t ms = 0;
  if (i < t.size() && t[i] == '.') {
    int n = 0;
    for (++i; i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])); ++i, ++n)
      if (n < 3) ms = ms * 10 + (t[i] - '0');
    for (; n < 3; ++n) ms *= 10;
  }
  if (i + 1 != t.size() || t[i] != 'Z') return std::nullopt;
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi) * 60000 + s * 1000 + ms;
}

std::optional<SalesPage> parse_sales_page(std::string_view body) {
  std::optional<json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  auto items = doc->find("items");
  if (items == doc->end() || !items->is_array()) return std::nullopt;
  SalesPage page;
  for (const json& it : *items) {
    if (!it.is_object()) return std::nullopt;
    SalesPage::Item out;
    out.item.sale_id = jsonio::text(it, "id");
    out.item.receipt_number = jsonio::text(it, "receipt_number");
    out.item.till_code = jsonio::nested_text(it, "till", "code");
    out.item.cashier = jsonio::nested_text(it, "cashier", "name");
    out.item.till_id = jsonio::nested_text(it, "till", "id");
    out.item.cashier_id = jsonio::nested_text(it, "cashier", "id");
    out.item.total = jsonio::integer(it, "total");
    out.item.refunded = jsonio::integer(it, "refunded_total");
    out.item.voided = jsonio::text(it, "status") == "voided";
    out.created_ms = parse_utc_ms(jsonio::text(it, "created_at")).value_or(0);
    if (out.item.sale_id.empty()) return std::nullopt;
    page.items.push_back(std::move(out));
  }
  page.next_cursor = jsonio::text(*doc, "next_cursor");
  if (auto t = doc->find("totals"); t != doc->end() && t->is_object()) {
    page.count = jsonio::integer(*t, "count");
    page.sum = jsonio::integer(*t, "total");
    page.refunded = jsonio::integer(*t, "refunded");
  }
  return page;
}

std::optional<ServerSale> parse_sale_detail(std::string_view body, const TenderSettings& tenders) {
  std::optional<json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  const json& d = *doc;
  ServerSale out;
  state::SaleDetail& s = out.detail;
  s.local = false;
  s.sale_op_id = jsonio::text(d, "id");
  s.receipt_number = jsonio::text(d, "receipt_number");
  s.till_code = jsonio::nested_text(d, "till", "code");
  s.cashier = jsonio::nested_text(d, "cashier", "name");
  s.voided = jsonio::text(d, "status") == "voided";
  out.created_ms = parse_utc_ms(jsonio::text(d, "created_at")).value_or(0);
  Result<Currency> currency = find_currency(jsonio::text(d, "currency"));
  Result<PriceMode> mode = parse_price_mode(jsonio::text(d, "price_mode"));
  auto lines = d.find("lines");
  if (s.sale_op_id.empty() || !currency || !mode || lines == d.end() || !lines->is_array()) return std::nullopt;
  Cart cart;
  cart.currency = currency.value();
  cart.price_mode = mode.value();
  for (const json& l : *lines) {
    if (!l.is_object()) return std::nullopt;
    CartLine line;
    line.product_id = jsonio::text(l, "product_id");
    if (line.product_id.empty()) line.product_id = "unknown";
    line.name = jsonio::text(l, "name");
    line.barcode = jsonio::text(l, "barcode");
    line.unit = jsonio::text(l, "unit") == "weighed" ? UnitKind::weighed : UnitKind::each;
    line.quantity = Quantity{jsonio::integer(l, "quantity_milli")};
    line.unit_price = jsonio::integer(l, "unit_price");
    auto tax = l.find("tax");
    if (tax == l.end() || !tax->is_object()) return std::nullopt;
    line.tax.code = jsonio::text(*tax, "code");
    Result<TaxKind> kind = parse_tax_kind(jsonio::text(*tax, "kind"));
    if (!kind) return std::nullopt;
    line.tax.kind = kind.value();
    line.tax.rate_ppm = jsonio::integer(*tax, "rate_ppm");
    // The line's discount as an amount: what the server stored.
    if (const std::int64_t off = jsonio::integer(l, "discount"); off > 0) line.discounts.push_back(Discount{DiscountKind::fixed, off});
    cart.lines.push_back(std::move(line));
  }
  Result<Sale> sale = compute_sale(cart);
  if (!sale) return std::nullopt;
  // Whatever the lines do not explain (a cart discount) is one fixed cart discount.
  const std::int64_t total = jsonio::integer(d, "total");
  if (sale.value().totals.total > total) {
    cart.discounts.push_back(Discount{DiscountKind::fixed, sale.value().totals.total - total});
    sale = compute_sale(cart);
    if (!sale) return std::nullopt;
  }
  s.sale = sale.value();
  s.payload.cart = cart;
  s.payload.receipt_number = s.receipt_number;
  s.payload.total = s.sale.totals.total;
  if (auto pays = d.find("payments"); pays != d.end() && pays->is_array()) {
    for (const json& p : *pays) {
      if (!p.is_object()) return std::nullopt;
      Result<TenderKind> k = parse_tender_kind(jsonio::text(p, "kind"));
      if (!k) return std::nullopt;
      s.payload.payments.push_back(Payment{k.value(), jsonio::integer(p, "amount"), jsonio::text(p, "reference")});
    }
  }
  TenderSettings all = tenders;
  all.enabled.fill(true);  // a tender disabled since still paid that sale
  Result<Settlement> settled = settle(s.sale.totals.total, s.payload.payments, all);
  if (!settled) return std::nullopt;
  s.settlement = settled.value();
  s.ledger = RefundLedger::for_sale(s.sale);
  if (auto refunds = d.find("refunds"); refunds != d.end() && refunds->is_array()) {
    for (const json& r : *refunds) {
      auto rl = r.find("lines");
      if (!r.is_object() || rl == r.end() || !rl->is_array()) return std::nullopt;
      for (const json& l : *rl) {
        const std::int64_t i = jsonio::integer(l, "line");
        if (i < 0 || static_cast<std::size_t>(i) >= s.ledger.quantity.size()) return std::nullopt;
        const auto at = static_cast<std::size_t>(i);
        s.ledger.quantity[at].thousandths += jsonio::integer(l, "quantity_milli");
        s.ledger.tax[at] += jsonio::integer(l, "tax");
        s.ledger.net[at] += jsonio::integer(l, "amount") - jsonio::integer(l, "tax");
      }
      if (auto ts = r.find("tenders"); ts != r.end() && ts->is_array())
        for (const json& t : *ts)
          if (Result<TenderKind> k = parse_tender_kind(jsonio::text(t, "kind")))
            s.ledger.tenders[static_cast<std::size_t>(k.value())] += jsonio::integer(t, "amount");
    }
  }
  if (auto flags = d.find("flags"); flags != d.end() && flags->is_array())
    for (const json& f : *flags)
      if (f.is_string()) s.flags.push_back(f.get<std::string>());
  return out;
}

std::optional<AttentionPage> parse_attention(std::string_view body) {
  std::optional<json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  auto ops = doc->find("ops");
  if (ops == doc->end() || !ops->is_array()) return std::nullopt;
  AttentionPage page;
  for (const json& o : *ops) {
    if (!o.is_object()) return std::nullopt;
    AttentionPage::Item out;
    out.item.op_id = jsonio::text(o, "op_id");
    out.item.kind = jsonio::text(o, "kind");
    out.item.status = jsonio::text(o, "status");
    out.item.till_code = jsonio::text(o, "till_code");
    out.item.code = jsonio::text(o, "reject_code");
    out.item.message = jsonio::text(o, "reject_message");
    if (auto flags = o.find("flags"); out.item.code.empty() && flags != o.end() && flags->is_array()) {
      for (const json& f : *flags)
        if (f.is_string()) out.item.code += (out.item.code.empty() ? "" : ", ") + f.get<std::string>();
      out.item.status = "flagged";
    }
    out.received_ms = parse_utc_ms(jsonio::text(o, "received_at")).value_or(0);
    page.items.push_back(std::move(out));
  }
  return page;
}

}  // namespace salespider::answers
