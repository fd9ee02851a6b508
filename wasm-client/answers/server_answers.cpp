// Parsing the server's history and attention answers; see server_answers.hpp.
#include "answers/server_answers.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <utility>

namespace salespider::answers {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxAnswerBytes = 16 * 1024 * 1024;

std::string str(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t num(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::string nested(const json& o, const char* key, const char* field) {
  auto it = o.find(key);
  return it != o.end() && it->is_object() ? str(*it, field) : std::string();
}

std::optional<json> parse(std::string_view body) {
  if (body.size() > kMaxAnswerBytes) return std::nullopt;
  json doc = json::parse(body.begin(), body.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
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
  std::optional<json> doc = parse(body);
  if (!doc) return std::nullopt;
  auto items = doc->find("items");
  if (items == doc->end() || !items->is_array()) return std::nullopt;
  SalesPage page;
  for (const json& it : *items) {
    if (!it.is_object()) return std::nullopt;
    SalesPage::Item out;
    out.item.sale_id = str(it, "id");
    out.item.receipt_number = str(it, "receipt_number");
    out.item.till_code = nested(it, "till", "code");
    out.item.cashier = nested(it, "cashier", "name");
    out.item.total = num(it, "total");
    out.item.refunded = num(it, "refunded_total");
    out.item.voided = str(it, "status") == "voided";
    out.created_ms = parse_utc_ms(str(it, "created_at")).value_or(0);
    if (out.item.sale_id.empty()) return std::nullopt;
    page.items.push_back(std::move(out));
  }
  page.next_cursor = str(*doc, "next_cursor");
  if (auto t = doc->find("totals"); t != doc->end() && t->is_object()) {
    page.count = num(*t, "count");
    page.sum = num(*t, "total");
  }
  return page;
}

std::optional<ServerSale> parse_sale_detail(std::string_view body, const TenderSettings& tenders) {
  std::optional<json> doc = parse(body);
  if (!doc) return std::nullopt;
  const json& d = *doc;
  ServerSale out;
  state::SaleDetail& s = out.detail;
  s.local = false;
  s.sale_op_id = str(d, "id");
  s.receipt_number = str(d, "receipt_number");
  s.till_code = nested(d, "till", "code");
  s.cashier = nested(d, "cashier", "name");
  s.voided = str(d, "status") == "voided";
  out.created_ms = parse_utc_ms(str(d, "created_at")).value_or(0);
  Result<Currency> currency = find_currency(str(d, "currency"));
  Result<PriceMode> mode = parse_price_mode(str(d, "price_mode"));
  auto lines = d.find("lines");
  if (s.sale_op_id.empty() || !currency || !mode || lines == d.end() || !lines->is_array()) return std::nullopt;
  Cart cart;
  cart.currency = currency.value();
  cart.price_mode = mode.value();
  for (const json& l : *lines) {
    if (!l.is_object()) return std::nullopt;
    CartLine line;
    line.product_id = str(l, "product_id");
    if (line.product_id.empty()) line.product_id = "unknown";
    line.name = str(l, "name");
    line.barcode = str(l, "barcode");
    line.unit = str(l, "unit") == "weighed" ? UnitKind::weighed : UnitKind::each;
    line.quantity = Quantity{num(l, "quantity_milli")};
    line.unit_price = num(l, "unit_price");
    auto tax = l.find("tax");
    if (tax == l.end() || !tax->is_object()) return std::nullopt;
    line.tax.code = str(*tax, "code");
    Result<TaxKind> kind = parse_tax_kind(str(*tax, "kind"));
    if (!kind) return std::nullopt;
    line.tax.kind = kind.value();
    line.tax.rate_ppm = num(*tax, "rate_ppm");
    // The line's discount as an amount: what the server stored.
    if (const std::int64_t off = num(l, "discount"); off > 0) line.discounts.push_back(Discount{DiscountKind::fixed, off});
    cart.lines.push_back(std::move(line));
  }
  Result<Sale> sale = compute_sale(cart);
  if (!sale) return std::nullopt;
  // Whatever the lines do not explain (a cart discount) is one fixed cart discount.
  const std::int64_t total = num(d, "total");
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
      Result<TenderKind> k = parse_tender_kind(str(p, "kind"));
      if (!k) return std::nullopt;
      s.payload.payments.push_back(Payment{k.value(), num(p, "amount"), str(p, "reference")});
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
        const std::int64_t i = num(l, "line");
        if (i < 0 || static_cast<std::size_t>(i) >= s.ledger.quantity.size()) return std::nullopt;
        const auto at = static_cast<std::size_t>(i);
        s.ledger.quantity[at].thousandths += num(l, "quantity_milli");
        s.ledger.tax[at] += num(l, "tax");
        s.ledger.net[at] += num(l, "amount") - num(l, "tax");
      }
      if (auto ts = r.find("tenders"); ts != r.end() && ts->is_array())
        for (const json& t : *ts)
          if (Result<TenderKind> k = parse_tender_kind(str(t, "kind")))
            s.ledger.tenders[static_cast<std::size_t>(k.value())] += num(t, "amount");
    }
  }
  if (auto flags = d.find("flags"); flags != d.end() && flags->is_array())
    for (const json& f : *flags)
      if (f.is_string()) s.flags.push_back(f.get<std::string>());
  return out;
}

std::optional<AttentionPage> parse_attention(std::string_view body) {
  std::optional<json> doc = parse(body);
  if (!doc) return std::nullopt;
  auto ops = doc->find("ops");
  if (ops == doc->end() || !ops->is_array()) return std::nullopt;
  AttentionPage page;
  for (const json& o : *ops) {
    if (!o.is_object()) return std::nullopt;
    AttentionPage::Item out;
    out.item.op_id = str(o, "op_id");
    out.item.kind = str(o, "kind");
    out.item.status = str(o, "status");
    out.item.till_code = str(o, "till_code");
    out.item.code = str(o, "reject_code");
    out.item.message = str(o, "reject_message");
    if (auto flags = o.find("flags"); out.item.code.empty() && flags != o.end() && flags->is_array()) {
      for (const json& f : *flags)
        if (f.is_string()) out.item.code += (out.item.code.empty() ? "" : ", ") + f.get<std::string>();
      out.item.status = "flagged";
    }
    out.received_ms = parse_utc_ms(str(o, "received_at")).value_or(0);
    page.items.push_back(std::move(out));
  }
  return page;
}

}  // namespace salespider::answers
