// The store server's answers the rest-of-the-day screens read: a page of
// GET /api/v1/sales, one sale of GET /api/v1/sales/{id} (rebuilt into the
// cart shared/ computes, so a refund of another till's sale is computed the
// same way as a local one), and GET /api/v1/ops (needs attention).
// docs/api.md has the shapes. Forgiving about fields it does not need,
// strict about the ones it uses: a malformed answer is nullopt, never a
// half-filled value. Times come back as ms since the epoch; the caller
// formats them in the store's time zone. No I/O.
#pragma once

#include "state/app_state.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::answers {

// "2024-05-01T10:15:02.120Z" (UTC, optional fraction) -> ms; nullopt if not that shape.
std::optional<std::int64_t> parse_utc_ms(std::string_view text);

struct SalesPage {
  struct Item {
    state::HistoryItem item;
    std::int64_t created_ms = 0;
  };
  std::vector<Item> items;
  std::string next_cursor;
  std::int64_t count = 0;
  std::int64_t sum = 0;
  std::int64_t refunded = 0;  // totals.refunded
};
std::optional<SalesPage> parse_sales_page(std::string_view body);

struct ServerSale {
  state::SaleDetail detail;  // time_text left empty
  std::int64_t created_ms = 0;
};
// `currency` is the store's (the answer says it too; they must agree).
std::optional<ServerSale> parse_sale_detail(std::string_view body, const TenderSettings& tenders);

struct AttentionPage {
  struct Item {
    state::AttentionItem item;
    std::int64_t received_ms = 0;
  };
  std::vector<Item> items;
};
std::optional<AttentionPage> parse_attention(std::string_view body);

}  // namespace salespider::answers
