// Sales history and shifts in SQL, for GET /api/v1/sales, /sales/{id},
// /shifts and /shifts/{id}/report (service/history.hpp), and what a shift
// report is computed from (also read at a shift's close, inside the push
// transaction: PushTx::shift_inputs).
//
// [x] sales filtered by time (store time zone for dates and local times),
//     cashier, till, tender, refunded or not, receipt-number prefix or a
//     line's name / product SKU; newest first, keyset pages; totals of the
//     whole filtered set
// [x] one sale with lines, payments, refunds (lines and tenders) and flags
// [x] shifts filtered by till, status, person and opening time, keyset pages
// [x] the same filtered set a page at a time for the CSV export, with each
//     sale's tax, discount and flags (export_sales)
// [x] over/short of closed shifts per person over a closing-time range
// [ ] full-text search (a LIKE on the lines of each candidate sale is enough
//     for a store's history; pg_trgm would need the extension)
//
// No pqxx types in this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace salespider::db {

class Pool;

// One bound of a time filter: either an instant with its offset ("zoned",
// passed to timestamptz as is) or a wall-clock time in the store's time zone.
struct TimeBound {
  std::string text;        // ISO 8601, already checked by the caller
  bool zoned = false;      // false: a local time in the store's time zone
  bool inclusive = false;  // an upper bound that includes its instant (a timestamp, not a date)
};

// [from, to), both optional; `days_back` > 0 also cuts everything older
// than that many days before now (the cashier's window).
struct TimeRange {
  std::optional<TimeBound> from;
  std::optional<TimeBound> to;  // exclusive
  int days_back = 0;
};

// Keyset position: the last row of the previous page.
struct PageAfter {
  std::int64_t at_us = 0;  // its time, µs since the epoch
  std::string id;
};

// What every list takes: the store, a time range, whose rows, a page.
struct ListQuery {
  std::string store_id;
  TimeRange range;
  std::string user_id;  // "" = everyone's
  std::optional<PageAfter> after;
  int limit = 50;
};

struct SaleQuery : ListQuery {
  std::string till_id;  // "" = every till
  std::string tender;   // "" = any tender
  std::optional<bool> refunded;
  std::string text;  // "" = no text filter; else receipt prefix or line name / SKU substring
};

struct TenderSum {
  std::string tender;
  std::int64_t amount = 0;
};

// A sum of amounts, exact. PostgreSQL adds bigint columns as numeric, so the
// sum of many rows can go beyond int64 where each row fits (only hostile or
// corrupt data gets there); it is carried as text, never wrapped or cut.
struct AmountSum {
  std::string decimal = "0";  // as PostgreSQL prints a numeric: -?[0-9]+
  // The value when it fits in int64; nullopt beyond.
  std::optional<std::int64_t> value() const;
  bool negative() const { return !decimal.empty() && decimal.front() == '-'; }
};

struct TenderTotal {
  std::string tender;
  AmountSum amount;
};

struct SaleSummary {
  std::string id;
  std::string receipt_number;
  std::string created_at;   // the till's clock (ISO 8601 UTC)
  std::string recorded_at;  // the server's
  std::string till_id;
  std::string till_code;
  std::string user_id;
  std::string cashier_name;
  std::string shift_id;  // "" = none
  std::int64_t total = 0;
  std::string currency;
  std::int64_t change = 0;
  std::vector<TenderTotal> tenders;  // as handed over, per tender (cash before change)
  AmountSum refunded_total;
  std::string status;  // completed | voided
  std::int64_t flag_count = 0;
  std::int64_t at_us = 0;  // for the next page's PageAfter
};

struct SalePage {
  std::vector<SaleSummary> items;
  bool more = false;
  std::int64_t count = 0;  // the whole filtered set
  AmountSum total;
  AmountSum refunded;
};

SalePage list_sales(Pool& pool, const SaleQuery& query);

struct SaleLineInfo {
  int line_no = 0;
  std::string product_id;  // "" = not a catalog product
  std::string name;
  std::string barcode;
  std::string unit;
  std::int64_t quantity_milli = 0;
  std::int64_t unit_price = 0;
  std::int64_t discount = 0;
  std::string tax_code;
  std::string tax_kind;
  std::int64_t tax_rate_ppm = 0;
  std::int64_t tax = 0;
  std::int64_t total = 0;
  std::int64_t refunded_milli = 0;
};

struct PaymentInfo {
  std::string tender;
  std::int64_t amount = 0;
  std::string reference;
};

struct RefundLineInfo {
  int line_no = 0;
  std::int64_t quantity_milli = 0;
  std::int64_t amount = 0;
  std::int64_t tax = 0;
};

struct RefundInfo {
  std::string id;
  std::string created_at;
  std::string till_id;
  std::string user_id;
  std::string user_name;
  std::string approved_by;  // "" = none
  std::string shift_id;
  std::string reason;
  std::int64_t total = 0;
  std::int64_t tax = 0;
  std::vector<std::string> flags;
  std::vector<RefundLineInfo> lines;
  std::vector<TenderSum> tenders;
};

struct FlagInfo {
  std::string op_id;
  std::string kind;
  std::string detail;  // JSON object text
  std::string created_at;
  bool resolved = false;  // a manager resolved or dismissed the op
};

struct SaleDetail {
  SaleSummary summary;
  std::string price_mode;
  std::int64_t subtotal = 0;
  std::int64_t discount = 0;
  std::int64_t tax = 0;
  std::int64_t rounding = 0;
  std::int64_t paid = 0;
  std::string voided_at;  // "" = not voided
  std::string approved_by;
  bool receipt_collision = false;
  std::vector<std::string> flags;
  std::vector<SaleLineInfo> lines;
  std::vector<PaymentInfo> payments;
  std::vector<RefundInfo> refunds;
  std::vector<FlagInfo> flag_rows;
};

// `own_user_id` / `days_back`: the cashier's scope (nullopt when not theirs).
std::optional<SaleDetail> get_sale(Pool& pool, const std::string& store_id, const std::string& sale_id,
                                   const std::string& own_user_id, int days_back);

struct ShiftQuery : ListQuery {  // range: on the opening time
  std::string till_id;           // "" = every till
  std::string status;            // "" | open | closed
};

struct ShiftRow {
  std::string id;
  std::string store_id;
  std::string till_id;
  std::string till_code;
  std::string user_id;
  std::string user_name;
  std::string status;  // open | closed
  std::string currency;
  std::int64_t opening_float = 0;
  std::optional<std::int64_t> expected_cash;  // stored at the close
  std::optional<std::int64_t> counted_cash;
  std::string opened_at;
  std::string closed_at;  // "" while open
  std::string closed_by;
  std::int64_t sale_count = 0;
  AmountSum sales_total;
  std::int64_t at_us = 0;
};

struct ShiftPage {
  std::vector<ShiftRow> items;
  bool more = false;
};

ShiftPage list_shifts(Pool& pool, const ShiftQuery& query);

struct ShiftRefundFact {
  std::int64_t tax = 0;
  std::vector<TenderSum> tenders;
};

struct ShiftCashFact {
  std::string kind;
  std::int64_t amount = 0;
  std::string currency;
  std::string reason;
};

// Everything a shift report is computed from: the shift, the store's cash
// rounding, its completed sales' payloads (as the till sent them), its
// refunds (tax and tenders as recorded), the voids its till recorded while it
// was open, its cash movements.
struct ShiftReportInputs {
  ShiftRow shift;
  std::int64_t cash_rounding = 0;
  std::vector<std::string> sale_payloads;
  std::vector<ShiftRefundFact> refunds;
  std::int64_t void_count = 0;
  std::vector<ShiftCashFact> cash_movements;
};

std::optional<ShiftReportInputs> shift_report_inputs(Pool& pool, const std::string& store_id,
                                                     const std::string& shift_id);

// One sale of the CSV export: the list's summary plus what the file adds.
struct SaleExportRow {
  SaleSummary summary;
  std::int64_t tax = 0;
  std::int64_t discount = 0;        // line and cart discounts
  std::vector<std::string> flags;   // the sale's flags and its ops' attention kinds, sorted, distinct
};

struct SaleExportPage {
  std::vector<SaleExportRow> rows;
  bool more = false;
};

// One keyset page of list_sales' filtered set (same filters, same order,
// `query.limit` rows after `query.after`), without the totals: the export
// reads the whole set this way, a short query per page.
SaleExportPage export_sales(Pool& pool, const SaleQuery& query);

// Over/short of closed shifts whose closed_at is in `range`, per person who
// ran the shift. Shifts without a stored expected cash (none closed by this
// server) are left out. Sums are exact (numeric as text).
struct OverShortQuery {
  std::string store_id;
  TimeRange range;        // on closed_at
  std::string till_id;    // "" = every till
};

struct OverShortRow {
  std::string user_id;    // "" on the total row
  std::string user_name;
  std::int64_t shifts = 0;
  AmountSum over;      // sum of the positive over/shorts
  AmountSum short_;    // sum of the negative ones (a negative number or 0)
  AmountSum net;       // over + short
  AmountSum expected;
  AmountSum counted;
};

struct OverShortReport {
  std::string currency;  // the store's
  std::vector<OverShortRow> people;  // by name
  OverShortRow total;
};

OverShortReport over_short(Pool& pool, const OverShortQuery& query);

}  // namespace salespider::db
