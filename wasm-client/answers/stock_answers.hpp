// The store server's answers the Back office's stock screens read: GET
// /api/v1/stock/low, a page of GET /api/v1/stock/movements, GET
// /api/v1/stock/value and the summary and rows of POST
// /api/v1/products/import (docs/api.md, "Stock" and "Catalog"). Forgiving
// about fields they do not need, strict about the ones they use: a
// malformed answer is nullopt, never half a list. Times come back as ms; the
// caller formats them in the store's time zone. No I/O.
#pragma once

#include "state/stock_ops.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::answers {

std::optional<std::vector<state::StockListProduct>> parse_low_stock(std::string_view body);

struct MovementsPage {
  struct Item {
    state::StockListMovement movement;
    std::int64_t occurred_ms = 0;
  };
  std::vector<Item> items;
  std::string next;
};
std::optional<MovementsPage> parse_movements(std::string_view body);

std::optional<state::StockValue> parse_stock_value(std::string_view body);

// The import's answer (200 or the 422 of a refused apply): the summary and
// one error row per (line, column) problem.
std::optional<state::CsvCheck> parse_csv_import(std::string_view body);

}  // namespace salespider::answers
