// Cart -> Sale: the computation of every line amount, discount share, tax
// figure and total of a sale, identical on the server and in the till.
//
// The steps, each rounding at most once (docs/domain.md):
//   1. line gross = unit price x quantity            (rounded half away)
//   2. line discounts, in order, on what is left      (percentages rounded)
//   3. cart discounts on the sum of lines, spread over lines by largest
//      remainder in proportion to each line's amount
//   4. per tax rate: tax on the sum of that rate's line amounts (tax_on),
//      spread back over its lines by largest remainder
// Invariants (check_invariants): lines sum to the totals, per-rate taxes sum
// to the tax, nothing is negative. Deliberately no stock, no payments and no
// persistence: payment.hpp settles, refund.hpp refunds, the callers store.
#pragma once

#include "salespider/shared/currency.hpp"
#include "salespider/shared/discount.hpp"
#include "salespider/shared/quantity.hpp"
#include "salespider/shared/result.hpp"
#include "salespider/shared/tax.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace salespider {

inline constexpr std::size_t kMaxCartLines = 1000;
inline constexpr std::size_t kMaxProductIdBytes = 64;
inline constexpr std::size_t kMaxProductNameBytes = 200;
inline constexpr std::size_t kMaxBarcodeBytes = 64;

struct CartLine {
  std::string product_id;
  std::string name;             // snapshot at the time of sale
  std::string barcode;          // the one scanned, or empty
  std::int64_t unit_price = 0;  // minor units, in the cart's PriceMode (snapshot)
  Quantity quantity;
  UnitKind unit = UnitKind::each;
  TaxRate tax;  // snapshot
  std::vector<Discount> discounts;

  friend bool operator==(const CartLine& a, const CartLine& b) {
    return a.product_id == b.product_id && a.name == b.name && a.barcode == b.barcode &&
           a.unit_price == b.unit_price && a.quantity == b.quantity && a.unit == b.unit && a.tax == b.tax &&
           a.discounts == b.discounts;
  }
};

struct Cart {
  Currency currency;
  PriceMode price_mode = PriceMode::tax_inclusive;
  std::vector<CartLine> lines;
  std::vector<Discount> discounts;  // on the whole cart

  friend bool operator==(const Cart& a, const Cart& b) {
    return a.currency == b.currency && a.price_mode == b.price_mode && a.lines == b.lines &&
           a.discounts == b.discounts;
  }
};

// All amounts in minor units of the sale's currency.
struct SaleLine {
  CartLine item;
  std::int64_t gross = 0;          // unit price x quantity, rounded once
  std::int64_t line_discount = 0;  // from the line's own discounts
  std::int64_t cart_discount = 0;  // this line's share of the cart discounts
  std::int64_t amount = 0;         // gross - discounts, in the cart's PriceMode
  std::int64_t tax = 0;            // this line's share of its rate's tax
  std::int64_t net = 0;            // without tax
  std::int64_t total = 0;          // with tax: what the customer pays for it
};

struct TaxLine {
  TaxRate rate;
  std::int64_t net = 0;  // taxable amount (without tax)
  std::int64_t tax = 0;
  std::int64_t gross = 0;  // net + tax
};

struct SaleTotals {
  std::int64_t subtotal = 0;  // sum of line gross, in the cart's PriceMode
  std::int64_t line_discounts = 0;
  std::int64_t cart_discounts = 0;
  std::int64_t net = 0;  // without tax
  std::int64_t tax = 0;
  std::int64_t total = 0;      // with tax: what the customer pays
  std::vector<TaxLine> taxes;  // one per rate, in order of first use
};

struct Sale {
  Currency currency;
  PriceMode price_mode = PriceMode::tax_inclusive;
  std::vector<SaleLine> lines;
  SaleTotals totals;
};

// Validates the cart and computes the sale. Typed errors: unknown_currency,
// too_many_lines, invalid_quantity, fractional_quantity, negative_amount
// (a negative price), overflow (an amount above kMaxMoneyMinor),
// invalid_tax_rate (also: one code used with two different rates),
// invalid_discount, invalid_argument (oversized id, name or barcode).
Result<Sale> compute_sale(const Cart& cart);

// Every invariant a computed sale must satisfy; a failure is a bug in shared/
// (tests and the fuzzer call it), reported as Errc::invalid_value with the
// broken rule.
Status check_invariants(const Sale& sale);

// Whether the cart's discounts are within what a role may give
// (Errc::discount_over_limit says which line or the cart).
Status check_discount_limits(const Sale& sale, const DiscountLimit& limit);

}  // namespace salespider
