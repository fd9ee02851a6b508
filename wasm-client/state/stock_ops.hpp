// The Back office's stock screens in the till's state: stock operations
// (receive, adjust, write off one product), the stock count in progress,
// the server's stock lists (low stock, movements, inventory value) and the
// CSV import/export screen. Plain values and the commands that change them;
// app_state.hpp holds a StockState in AppState and lists the commands in its
// Command variant, reduce_stock() (stock_ops.cpp) applies them.
//
// Receive, adjust, write-off and each line of an applied count are facts
// the till records as stock_movement ops through the outbox (effects/
// stock_ops.cpp), offline too; the lists and CSV need the server. The
// arithmetic of a count (variance, its value, the totals) is here so it is
// unit-tested natively. Deliberately not here: I/O, the clock, ids (the
// controller issues the count id), and the server's ledger: the till's
// expected on hand is its local copy, the server recomputes a count against
// its own ledger at the count's time.
#pragma once

#include <salespider/shared/quantity.hpp>
#include <salespider/shared/stock.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::state {

// A product as the stock screens show it (from the local catalog).
struct StockProduct {
  std::string id;
  std::string name;
  std::string sku;
  std::string barcode;
  UnitKind unit = UnitKind::each;
  std::int64_t price_minor = 0;
  bool track_stock = false;
  bool active = true;
  std::optional<std::int64_t> on_hand_milli;  // local; none: no stock level pulled yet
};

// The product picker both stock screens use: scan or search the local catalog.
struct StockPicker {
  std::string text;
  std::vector<StockProduct> found;
  std::string error;  // the last lookup failed or found nothing
};

enum class StockOpKind { receive, adjust, write_off };
std::string_view stock_op_name(StockOpKind kind);  // "receive" | "adjust" | "write_off"

struct StockCountLine {
  StockProduct product;
  std::int64_t expected_milli = 0;          // local on hand when the line was added
  std::optional<std::int64_t> counted_milli;  // none: not counted yet
  bool recorded = false;                    // its op is in the journal (Apply went through for it)
};

struct StockCount {
  std::string count_id;  // UUIDv7 from the controller; empty until issued
  std::int64_t started_ms = 0;
  std::vector<StockCountLine> lines;
  bool applying = false;
  int awaiting = 0;       // lines whose op is on its way into the journal
  int apply_seq = 0;      // bumps with each accepted "Apply count"
  std::string apply_error;
};

inline constexpr std::size_t kMaxCountLines = 500;

// counted - expected (0 while the line is not counted).
std::int64_t variance_milli(const StockCountLine& line);
// The variance at the product's price, rounded half away from zero; signed.
std::int64_t variance_value_minor(const StockCountLine& line);
struct CountTotals {
  int lines = 0;
  int counted = 0;
  std::int64_t expected_milli = 0;
  std::int64_t counted_milli = 0;
  std::int64_t variance_milli = 0;
  std::int64_t variance_value_minor = 0;
};
CountTotals count_totals(const StockCount& count);

// The op of one count line (kind count, counted and the till's expected
// delta, the count id). Errors when the line is not counted.
Result<StockMovement> count_movement(const StockCount& count, const StockCountLine& line);

// The count in progress as JSON (kept in the drafts record, so it survives a
// reload) and back; nullopt for "" or a damaged text.
std::string encode_stock_count(const StockCount& count);
std::optional<StockCount> decode_stock_count(std::string_view json);

// --- the server's lists -------------------------------------------------------
enum class StockListTab { low, movements, value };

struct StockListProduct {
  std::string id, name, sku;
  std::int64_t on_hand_milli = 0;
  std::optional<std::int64_t> low_stock_milli;
  std::string stock_status;
};
struct StockListMovement {
  std::string id, product_id, product_name, kind, reason, note, user, till_code;
  std::int64_t quantity_milli = 0;
  std::string time_text;  // occurred_at in the store's time zone
};
struct StockValue {
  std::string currency;
  std::string at_cost_minor, at_price_minor;  // decimal strings: sums may pass int64
  std::int64_t products = 0, without_cost = 0, below_zero = 0;
};
struct MovementFilter {
  std::string product_id;  // empty: all
  std::string product_name;
  std::string kind;        // empty: all
};

struct StockLists {
  StockListTab tab = StockListTab::low;
  MovementFilter filter;
  std::vector<StockListProduct> low;
  std::vector<StockListMovement> movements;
  std::string next;  // movements cursor; empty: no more
  std::optional<StockValue> value;
  bool loading = false;
  std::string error;
};

// --- CSV ----------------------------------------------------------------------
struct CsvRowError {
  std::int64_t line = 0;
  std::string sku, name, column, message;
};
struct CsvCheck {
  bool dry_run = true;
  bool applied = false;
  std::int64_t created = 0, updated = 0, unchanged = 0, errors = 0;
  std::vector<CsvRowError> error_rows;  // one per (row, column) problem
};
struct CsvState {
  std::string file_name;
  std::string text;  // the chosen file's content
  bool picking = false;
  bool checking = false;
  bool importing = false;
  bool exporting = false;
  std::optional<CsvCheck> check;   // the dry run of `text`
  std::optional<CsvCheck> result;  // the import that was applied
  int error_page = 0;
  std::string error;
  std::string done;
};
inline constexpr int kCsvErrorsPerPage = 20;


// --- commands -----------------------------------------------------------------
// Opening the screens: OpenStock, OpenStockCount, OpenStockLists, OpenCsv
// (the Back office hub's buttons, declared in app_state.hpp).
// The picker.
struct StockSearch {
  std::string text;  // a barcode/SKU (exact first) or words of the name
};
struct StockSearchResults {
  std::string text;
  std::vector<StockProduct> products;
  std::string error;
};
struct PickStockProduct {  // a result tapped or an exact code scanned
  StockProduct product;
};
// Receive, adjust, write-off of the picked product.
struct SubmitStockOp {
  StockOpKind kind = StockOpKind::receive;
  std::int64_t quantity_milli = 0;  // adjust: signed; receive / write-off: positive
  std::optional<std::int64_t> unit_cost_minor;  // receive only
  std::optional<WriteOffReason> reason;       // write-off only
  std::string note;
};
struct StockOpRecorded {
  std::string error;
  std::string done;
};
// The count.
struct StartStockCount {};
struct StockCountIdIssued {
  std::string count_id;
};
struct SetCountedQuantity {
  int line = 0;
  std::optional<std::int64_t> counted_milli;
};
struct RemoveCountLine {
  int line = 0;
};
struct DiscardStockCount {};
struct ApplyStockCount {};
struct CountLineRecorded {
  std::string count_id;
  int line = 0;
  std::string error;
};
struct StockCountRestored {
  std::optional<StockCount> count;
};
// The lists.
struct ShowStockList {
  StockListTab tab = StockListTab::low;
  MovementFilter filter;
  bool more = false;  // the next page of movements
};
struct StockListLoaded {
  StockListTab tab = StockListTab::low;
  bool append = false;
  std::vector<StockListProduct> low;
  std::vector<StockListMovement> movements;
  std::string next;
  std::optional<StockValue> value;
  std::string error;
};
// CSV.
struct PickCsvFile {};
struct CsvFileChosen {
  std::string name;  // empty: nothing chosen
  std::string text;
  std::string error;
};
struct CheckCsv {};
struct ImportCsv {};
struct CsvAnswered {
  bool dry_run = true;
  std::optional<CsvCheck> check;
  std::string error;
};
struct CsvErrorPage {
  int page = 0;
};
enum class CsvExport { products, movements };
struct ExportCsv {
  CsvExport what = CsvExport::products;
};
struct CsvExported {
  std::string error;
  std::string done;
};

// What the stock screens keep in AppState::stock.
struct StockState {
  StockPicker picker;
  std::optional<StockProduct> product;  // Stock screen: the product chosen
  bool recording = false;
  std::optional<SubmitStockOp> pending;  // accepted, on its way into the journal
  int submit_seq = 0;                    // bumps with each accepted operation
  std::string done;  // what the last operation did, in words
  std::optional<StockCount> count;
  bool count_restored = false;  // the drafts record was read (only then is it written)
  StockLists lists;
  CsvState csv;
};

// The op of a receive (with its unit cost when given), adjust or write-off
// of `p`; an error in words when it is not allowed.
Result<StockMovement> stock_movement_of(const SubmitStockOp& c, const StockProduct& p);
// "Received 5 × Milk 1 L." and the like.
std::string stock_op_done(const SubmitStockOp& c, const StockProduct& p);

}  // namespace salespider::state
