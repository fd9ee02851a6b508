// The store server's catalog answers the back office reads (docs/api.md
// "Catalog"): a product, a page of products, a product with its price
// history, categories, tax rates, and the error object of a refused write
// (its field, and for a stale write the row as it is now). Forgiving about
// fields it does not need, strict about the ones it uses: a malformed
// answer is nullopt, never a half-filled value. No I/O.
#pragma once

#include "state/back_office.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::answers {

std::optional<state::CatalogProduct> parse_product(std::string_view body);

struct ProductPage {
  std::vector<state::CatalogProduct> products;
  std::int64_t total = 0;
};
std::optional<ProductPage> parse_product_page(std::string_view body);

struct ProductDetail {
  state::CatalogProduct product;
  std::vector<state::PriceChange> price_history;
};
std::optional<ProductDetail> parse_product_detail(std::string_view body);

std::optional<std::vector<state::CatalogCategory>> parse_categories(std::string_view body);

struct TaxRates {
  std::vector<state::CatalogTaxRate> tax_rates;
  std::string price_mode;
};
std::optional<TaxRates> parse_tax_rates(std::string_view body);

// {"error":{code, field, message, current?}}: what a refused write said.
struct WriteRefusal {
  std::string code;
  std::string field;
  std::string message;
  std::optional<state::CatalogProduct> current;  // a stale product write: the row now
};
std::optional<WriteRefusal> parse_write_refusal(std::string_view body);

}  // namespace salespider::answers
