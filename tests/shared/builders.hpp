// Test helpers: short ways to build tax rates, lines and carts. Not a fixture
// loader (fixtures.hpp) and not a random generator (random_sales.hpp).
#pragma once

#include "salespider/shared/cart.hpp"

#include <string>
#include <utility>
#include <vector>

namespace salespider::test {

inline TaxRate vat(std::int64_t ppm = 75'000, std::string code = "VAT") {
  return TaxRate{std::move(code), ppm == 0 ? TaxKind::zero : TaxKind::standard, ppm};
}
inline TaxRate exempt() {
  return TaxRate{"EXEMPT", TaxKind::exempt, 0};
}

inline CartLine line(std::int64_t unit_price, std::int64_t units, TaxRate tax = vat(),
                     std::vector<Discount> discounts = {}) {
  CartLine l;
  l.product_id = "p-" + std::to_string(unit_price);
  l.name = "Item " + std::to_string(unit_price);
  l.unit_price = unit_price;
  l.quantity = Quantity::units(units);
  l.tax = std::move(tax);
  l.discounts = std::move(discounts);
  return l;
}

inline CartLine weighed(std::int64_t unit_price, std::int64_t thousandths, TaxRate tax = vat()) {
  CartLine l = line(unit_price, 1, std::move(tax));
  l.unit = UnitKind::weighed;
  l.quantity = Quantity{thousandths};
  return l;
}

inline Cart cart(std::vector<CartLine> lines, PriceMode mode = PriceMode::tax_inclusive,
                 std::vector<Discount> discounts = {}, const char* currency = "NGN") {
  Cart c;
  c.currency = *find_currency(currency);
  c.price_mode = mode;
  c.lines = std::move(lines);
  c.discounts = std::move(discounts);
  return c;
}

inline Discount percent(std::int64_t bp) {
  return Discount{DiscountKind::percent, bp};
}
inline Discount fixed(std::int64_t minor) {
  return Discount{DiscountKind::fixed, minor};
}

}  // namespace salespider::test
