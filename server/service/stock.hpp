// Stock for the back office and the CLI (docs/api.md "Stock"): the ledger's
// movements (per product, store-wide, CSV export), low stock, the stock's
// value, and a movement written from the server's shell. Query values are
// read strictly: a bad one is a bad_request naming its field.
//
// Movements from tills arrive as ops (service/sync_push_stock.cpp); this
// service writes only the CLI's. Deliberately no HTTP and no SQL here.
#pragma once

#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "db/catalog_admin.hpp"
#include "db/stock.hpp"
#include "service/auth_outcome.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service {

inline constexpr int kDefaultMovementPage = 50;
inline constexpr int kMaxMovementPage = 500;
inline constexpr int kMovementExportPage = 1000;

// The query string's values as sent ("" = absent).
struct MovementsRequest {
  std::string product_id, kind, from, to, before, limit;
};

struct MovementsAnswer {
  std::vector<db::MovementRow> movements;
  std::string next;  // "" = last page; else the `before` of the next page
};

// A movement written from the CLI. quantity: thousandths; for a count, what
// was counted (>= 0), else the change (receive > 0, write_off given > 0 and
// stored negative, adjust != 0).
struct StockWrite {
  std::string product_key;  // id, SKU or barcode
  std::string kind;         // receive | adjust | count | write_off (write-off also accepted)
  std::int64_t quantity_milli = 0;
  std::optional<std::int64_t> unit_cost_minor;
  std::string reason;
  std::string note;
};

class StockService {
 public:
  explicit StockService(db::Pool& pool) : pool_(pool) {}

  // One product's movements, newest first; the product's on hand with them.
  Outcome<MovementsAnswer> product_movements(const std::string& store_id, const std::string& product_id,
                                             const std::string& before, const std::string& limit,
                                             std::int64_t& on_hand);
  Outcome<MovementsAnswer> movements(const std::string& store_id, const MovementsRequest& request);
  // The export's filter (paging values ignored), checked like movements().
  Outcome<db::MovementQuery> export_query(const std::string& store_id, const MovementsRequest& request);
  struct ExportPage {
    std::string csv;
    std::int64_t rows = 0;
    bool last = true;
    std::optional<db::PageAfter> after;  // where the next page starts
  };
  // Page after `after` of the export as CSV rows (no header).
  ExportPage export_page(const db::MovementQuery& query, const std::optional<db::PageAfter>& after);
  // The header line in `lang` (column names are catalogue entries, context csv::kColumnContext).
  static std::string export_header(std::string_view lang = "en");
  // The export in the audit log (after its last page, or cut: complete = false).
  void record_export(const std::string& store_id, const auth::Actor& actor, const std::string& what,
                     std::int64_t rows, bool complete = true);

  std::vector<db::catalog::ProductRow> low(const std::string& store_id) {
    return db::catalog::find_products(pool_, store_id, db::low_stock(pool_, store_id));
  }
  db::StockValue value(const std::string& store_id) { return db::stock_value(pool_, store_id); }

  Outcome<db::RecordedMovement> record(const std::string& store_id, const StockWrite& write,
                                       const auth::Actor& actor);

 private:
  db::Pool& pool_;
};

// A CSV cell (RFC 4180 quoting), guarded against formula injection: a cell
// starting with = + - @ (or a tab or carriage return) gets a leading '.
std::string csv_cell(const std::string& text);

}  // namespace salespider::service
