// compute_sale and its invariants. Deliberately one pass per step, in the
// order cart.hpp lists, so the code reads like docs/domain.md.
#include "salespider/shared/cart.hpp"

#include "salespider/shared/money.hpp"
#include "salespider/shared/rounding.hpp"

#include <string>

namespace salespider {
namespace {

std::string where(std::size_t i) {
  return "line " + std::to_string(i + 1) + ": ";
}

Status validate_line(const CartLine& l, std::size_t i) {
  if (l.product_id.empty() || l.product_id.size() > kMaxProductIdBytes)
    return make_error(Errc::invalid_argument, where(i) + "product id must be 1-64 bytes");
  if (l.name.empty() || l.name.size() > kMaxProductNameBytes)
    return make_error(Errc::invalid_argument, where(i) + "name must be 1-200 bytes");
  if (l.barcode.size() > kMaxBarcodeBytes)
    return make_error(Errc::invalid_argument, where(i) + "barcode too long");
  if (l.unit_price < 0) return make_error(Errc::negative_amount, where(i) + "unit price is negative");
  if (l.unit_price > kMaxMoneyMinor) return make_error(Errc::overflow, where(i) + "unit price too large");
  if (auto s = validate_quantity(l.quantity, l.unit); !s) {
    Error e = std::move(s).error();
    e.context = where(i) + e.context;
    return e;
  }
  if (auto s = validate(l.tax); !s) {
    Error e = std::move(s).error();
    e.context = where(i) + e.context;
    return e;
  }
  if (l.discounts.size() > kMaxDiscountsPerLine)
    return make_error(Errc::invalid_discount, where(i) + "at most 4 discounts per line");
  for (const auto& d : l.discounts) {
    if (auto s = validate(d); !s) {
      Error e = std::move(s).error();
      e.context = where(i) + e.context;
      return e;
    }
  }
  return {};
}

}  // namespace

Result<Sale> compute_sale(const Cart& cart) {
  if (!cart.currency.valid()) return make_error(Errc::unknown_currency, "cart has no currency");
  if (cart.lines.size() > kMaxCartLines)
    return make_error(Errc::too_many_lines, "at most 1000 lines per sale");
  if (cart.discounts.size() > kMaxCartDiscounts)
    return make_error(Errc::invalid_discount, "at most 4 cart discounts");
  for (const auto& d : cart.discounts)
    if (auto s = validate(d); !s) return std::move(s).error();

  Sale sale;
  sale.currency = cart.currency;
  sale.price_mode = cart.price_mode;
  sale.lines.reserve(cart.lines.size());

  // Steps 1 and 2: gross and line discounts.
  std::vector<std::int64_t> after_line;
  after_line.reserve(cart.lines.size());
  std::int64_t sum_after_line = 0;
  for (std::size_t i = 0; i < cart.lines.size(); ++i) {
    const CartLine& in = cart.lines[i];
    if (auto s = validate_line(in, i); !s) return std::move(s).error();
    SaleLine line;
    line.item = in;
    auto gross = extend_price(in.unit_price, in.quantity);
    if (!gross || *gross > kMaxMoneyMinor)
      return make_error(Errc::overflow, where(i) + "line amount too large");
    line.gross = *gross;
    line.line_discount = apply_discounts(line.gross, in.discounts);
    after_line.push_back(line.gross - line.line_discount);
    sum_after_line += after_line.back();
    sale.lines.push_back(std::move(line));
  }
  if (sum_after_line > kMaxMoneyMinor) return make_error(Errc::overflow, "sale total too large");

  // Step 3: cart discounts, spread by largest remainder.
  const std::int64_t cart_off = apply_discounts(sum_after_line, cart.discounts);
  const auto shares = allocate_largest_remainder(cart_off, after_line);
  for (std::size_t i = 0; i < sale.lines.size(); ++i) {
    sale.lines[i].cart_discount = shares[i];
    sale.lines[i].amount = after_line[i] - shares[i];
  }

  // Step 4: tax per rate on the sum of its lines, spread back to the lines.
  std::vector<std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < sale.lines.size(); ++i) {
    const TaxRate& r = sale.lines[i].item.tax;
    std::size_t k = 0;
    for (; k < sale.totals.taxes.size(); ++k) {
      if (sale.totals.taxes[k].rate.code != r.code) continue;
      if (sale.totals.taxes[k].rate != r) {
        return make_error(Errc::invalid_tax_rate, where(i) + "tax code '" + r.code + "' used with two rates");
      }
      break;
    }
    if (k == sale.totals.taxes.size()) {
      sale.totals.taxes.push_back(TaxLine{r, 0, 0, 0});
      members.emplace_back();
    }
    members[k].push_back(i);
  }
  for (std::size_t k = 0; k < members.size(); ++k) {
    TaxLine& t = sale.totals.taxes[k];
    std::vector<std::int64_t> weights;
    std::int64_t base = 0;
    for (auto i : members[k]) {
      weights.push_back(sale.lines[i].amount);
      base += sale.lines[i].amount;
    }
    const std::int64_t tax = tax_on(base, t.rate.rate_ppm, cart.price_mode);
    const auto tax_shares = allocate_largest_remainder(tax, weights);
    for (std::size_t j = 0; j < members[k].size(); ++j) {
      SaleLine& l = sale.lines[members[k][j]];
      l.tax = tax_shares[j];
      l.net = cart.price_mode == PriceMode::tax_inclusive ? l.amount - l.tax : l.amount;
      l.total = l.net + l.tax;
    }
    t.tax = tax;
    t.net = cart.price_mode == PriceMode::tax_inclusive ? base - tax : base;
    t.gross = t.net + t.tax;
  }

  for (const auto& l : sale.lines) {
    sale.totals.subtotal += l.gross;
    sale.totals.line_discounts += l.line_discount;
    sale.totals.cart_discounts += l.cart_discount;
    sale.totals.net += l.net;
    sale.totals.tax += l.tax;
    sale.totals.total += l.total;
  }
  if (sale.totals.total > kMaxMoneyMinor) return make_error(Errc::overflow, "sale total too large");
  return sale;
}

Status check_invariants(const Sale& s) {
  auto broken = [](const std::string& rule) {
    return make_error(Errc::invalid_value, "invariant broken: " + rule);
  };
  SaleTotals sum;
  for (const auto& l : s.lines) {
    if (l.gross < 0 || l.line_discount < 0 || l.cart_discount < 0 || l.amount < 0 || l.tax < 0 || l.net < 0)
      return broken("no negative line figure");
    if (l.amount != l.gross - l.line_discount - l.cart_discount) return broken("amount = gross - discounts");
    if (l.total != l.net + l.tax) return broken("line total = net + tax");
    const std::int64_t priced = s.price_mode == PriceMode::tax_inclusive ? l.total : l.net;
    if (priced != l.amount) return broken("line amount is the priced figure");
    sum.subtotal += l.gross;
    sum.line_discounts += l.line_discount;
    sum.cart_discounts += l.cart_discount;
    sum.net += l.net;
    sum.tax += l.tax;
    sum.total += l.total;
  }
  const SaleTotals& t = s.totals;
  if (sum.subtotal != t.subtotal || sum.line_discounts != t.line_discounts ||
      sum.cart_discounts != t.cart_discounts || sum.net != t.net || sum.tax != t.tax || sum.total != t.total)
    return broken("lines sum to the totals");
  std::int64_t rate_tax = 0;
  std::int64_t rate_net = 0;
  for (const auto& r : t.taxes) {
    if (r.gross != r.net + r.tax) return broken("rate gross = net + tax");
    rate_tax += r.tax;
    rate_net += r.net;
  }
  if (rate_tax != t.tax) return broken("per-rate taxes sum to the tax");
  if (rate_net != t.net) return broken("per-rate nets sum to the net");
  if (t.total != t.net + t.tax) return broken("total = net + tax");
  const std::int64_t priced_total = s.price_mode == PriceMode::tax_inclusive ? t.total : t.net;
  if (priced_total != t.subtotal - t.line_discounts - t.cart_discounts)
    return broken("priced total = subtotal - discounts");
  if (t.total < 0) return broken("total not negative");
  return {};
}

Status check_discount_limits(const Sale& s, const DiscountLimit& limit) {
  std::int64_t after_line = 0;
  for (std::size_t i = 0; i < s.lines.size(); ++i) {
    const SaleLine& l = s.lines[i];
    if (!within_limit(l.line_discount, l.gross, limit.max_line_bp)) {
      return make_error(Errc::discount_over_limit, where(i) + "discount above what this role may give");
    }
    after_line += l.gross - l.line_discount;
  }
  if (!within_limit(s.totals.cart_discounts, after_line, limit.max_cart_bp)) {
    return make_error(Errc::discount_over_limit, "cart discount above what this role may give");
  }
  return {};
}

}  // namespace salespider
