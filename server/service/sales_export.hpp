// The sales CSV export (GET /api/v1/sales/export, docs/api.md "Sales export
// and over/short"): the rows of the list's filtered set written a keyset
// page at a time, one line per sale, and the audit row of an export.
//
// Columns (fixed; the header is in the reader's language, English by
// default): receipt_number, occurred_at, recorded_at (ISO 8601 UTC, as in
// the API), till (code), cashier (name), status (completed,
// partially_refunded, refunded, voided), total, tax, discount, refunded,
// cash (kept: handed over less change), card, bank_transfer, mobile_money,
// other (vouchers included), currency, flags (space-separated). Amounts are
// major units with the currency's minor digits and a point (12.50).
// Text is formula-guarded (service/csv.hpp); numbers are the server's own.
//
// Deliberately no HTTP (the stream is http/routes_history.cpp's) and no
// validation (HistoryService::sales_export).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "db/history.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service::sales_export {

inline constexpr int kPageRows = 1000;

// The rows per page read from now on (tests make it small to cross pages
// with few sales); kPageRows unless changed.
int page_rows();
void set_page_rows_for_tests(int rows);

// The header line (CRLF-terminated) in `lang`.
std::string header(std::string_view lang = "en");

// One line (CRLF-terminated) of a sale.
std::string line(const db::SaleExportRow& row);

struct Page {
  std::string csv;  // the lines, no header
  std::int64_t rows = 0;
  bool last = true;
};

// Reads the page after query.after (page_rows() rows) and moves query.after
// past it. Throws what the database throws.
Page next_page(db::Pool& pool, db::SaleQuery& query);

// The `sales.export` audit row: the filters, the rows sent, and
// complete = false when the stream was cut before its end.
void record(db::Pool& pool, const std::string& store_id, const auth::Actor& actor, const nlohmann::json& filters,
            std::int64_t rows, bool complete);

}  // namespace salespider::service::sales_export
