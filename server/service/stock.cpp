// See stock.hpp.
#include "service/stock.hpp"

#include <array>

#include "service/csv.hpp"

#include <charconv>

#include "salespider/shared/ids.hpp"
#include "salespider/shared/quantity.hpp"
#include "salespider/shared/stock.hpp"
#include "salespider/shared/text.hpp"
#include "service/audit_entry.hpp"
#include "service/time_bounds.hpp"

namespace salespider::service {
namespace {

// "{field}: why" with the field's name as an argument: `why` is a catalogue
// msgid (http/ translates it per request), `more` its other placeholders.
Failure bad(const std::string& field, const char* why, std::initializer_list<i18n::Arg> more = {}) {
  auto f = fail(Problem::bad_request, why, field, {{"field", field}});
  f.args.insert(f.args.end(), more.begin(), more.end());
  return f;
}

// The cursor of the movement after `row` ("<µs>.<id>").
std::string cursor_of(const db::MovementRow& row) {
  return std::to_string(row.occurred_at_us) + "." + row.id;
}

std::optional<Failure> read_cursor(const std::string& text, std::optional<db::PageAfter>& out) {
  if (text.empty()) return std::nullopt;
  const auto dot = text.find('.');
  db::PageAfter a;
  const char* end = text.data() + (dot == std::string::npos ? text.size() : dot);
  auto [p, ec] = std::from_chars(text.data(), end, a.at_us);
  if (dot != std::string::npos) a.id = text.substr(dot + 1);
  if (ec != std::errc() || p != end || !parse_uuid(a.id)) return bad("before", "{field}: the next of a previous page");
  out = a;
  return std::nullopt;
}

std::optional<Failure> read_limit(const std::string& text, int& out) {
  out = kDefaultMovementPage;
  if (text.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || p != text.data() + text.size() || out < 1 || out > kMaxMovementPage)
    return bad("limit", "{field}: a whole number from 1 to {max}", {{"max", std::to_string(kMaxMovementPage)}});
  return std::nullopt;
}

std::optional<Failure> read_filter(const std::string& store_id, const MovementsRequest& r,
                                   db::MovementQuery& q) {
  q.store_id = store_id;
  if (!r.product_id.empty()) {
    if (!parse_uuid(r.product_id)) return bad("product_id", "{field}: a product id");
    q.product_id = r.product_id;
  }
  if (!r.kind.empty()) {
    if (!parse_stock_movement_kind(r.kind))
      return bad("kind", "{field}: one of sale, refund, receive, adjust, count, write_off");
    q.kind = r.kind;
  }
  if (!r.from.empty()) {
    q.range.from = parse_time_bound(r.from, false);
    if (!q.range.from)
      return bad("from", "{field}: an ISO 8601 date (2024-05-01) or timestamp (2024-05-01T08:00:00Z)");
  }
  if (!r.to.empty()) {
    q.range.to = parse_time_bound(r.to, true);
    if (!q.range.to) return bad("to", "{field}: an ISO 8601 date (2024-05-31) or timestamp (2024-05-31T18:00:00Z)");
  }
  if (q.range.from && q.range.to && range_is_backwards(*parse_iso_time(r.from), *parse_iso_time(r.to)))
    return bad("to", "{field}: must not be before from");
  return std::nullopt;
}

MovementsAnswer page_of(db::Pool& pool, db::MovementQuery q) {
  const int limit = q.limit;
  q.limit = limit + 1;  // one more says whether a next page exists
  MovementsAnswer a;
  a.movements = db::find_movements(pool, q);
  if (static_cast<int>(a.movements.size()) > limit) {
    a.movements.resize(static_cast<std::size_t>(limit));
    a.next = cursor_of(a.movements.back());
  }
  return a;
}

}  // namespace

std::string csv_cell(const std::string& text) {
  std::string cell = text;
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r'))
    cell.insert(cell.begin(), '\'');
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Outcome<MovementsAnswer> StockService::product_movements(const std::string& store_id,
                                                         const std::string& product_id,
                                                         const std::string& before, const std::string& limit,
                                                         std::int64_t& on_hand) {
  if (!parse_uuid(product_id)) return fail(Problem::not_found, "no such product");
  db::MovementQuery q;
  q.store_id = store_id;
  q.product_id = product_id;
  if (auto f = read_cursor(before, q.after)) return *f;
  if (auto f = read_limit(limit, q.limit)) return *f;
  const auto level = db::product_on_hand(pool_, store_id, product_id);
  if (!level) return fail(Problem::not_found, "no such product");
  on_hand = *level;
  return page_of(pool_, q);
}

Outcome<MovementsAnswer> StockService::movements(const std::string& store_id,
                                                 const MovementsRequest& request) {
  db::MovementQuery q;
  if (auto f = read_filter(store_id, request, q)) return *f;
  if (auto f = read_cursor(request.before, q.after)) return *f;
  if (auto f = read_limit(request.limit, q.limit)) return *f;
  return page_of(pool_, q);
}

Outcome<db::MovementQuery> StockService::export_query(const std::string& store_id,
                                                      const MovementsRequest& request) {
  db::MovementQuery q;
  if (auto f = read_filter(store_id, request, q)) return *f;
  q.limit = kMovementExportPage;
  return q;
}

std::string StockService::export_header(std::string_view lang) {
  using i18n::NC_;
  static constexpr std::array<const char*, 16> kColumns{
      NC_("csv column", "occurred_at"), NC_("csv column", "recorded_at"),     NC_("csv column", "product_id"),
      NC_("csv column", "product"),     NC_("csv column", "kind"),            NC_("csv column", "quantity"),
      NC_("csv column", "reason"),      NC_("csv column", "note"),            NC_("csv column", "user"),
      NC_("csv column", "till"),        NC_("csv column", "op_id"),           NC_("csv column", "count_id"),
      NC_("csv column", "counted"),     NC_("csv column", "expected"),        NC_("csv column", "unit_cost_minor"),
      NC_("csv column", "movement_id")};
  return csv::header_line(kColumns, lang);
}

StockService::ExportPage StockService::export_page(const db::MovementQuery& query,
                                                   const std::optional<db::PageAfter>& after) {
  db::MovementQuery q = query;
  q.after = after;
  auto page = page_of(pool_, q);
  ExportPage out;
  for (const auto& m : page.movements) {
    // Free text is guarded (csv_cell); the numbers are the server's own, so
    // a negative quantity stays a number a spreadsheet can add up.
    const auto number = [](const std::optional<std::int64_t>& v, bool quantity) {
      if (!v) return std::string();
      return quantity ? format_quantity(Quantity{*v}) : std::to_string(*v);
    };
    out.csv += csv_cell(m.occurred_at) + ',' + csv_cell(m.recorded_at) + ',' + csv_cell(m.product_id) + ',' +
               csv_cell(m.product_name) + ',' + csv_cell(m.kind) + ',' + number(m.quantity_milli, true) +
               ',' + csv_cell(m.reason) + ',' + csv_cell(m.note) + ',' + csv_cell(m.user_name) + ',' +
               csv_cell(m.till_code) + ',' + csv_cell(m.op_id) + ',' + csv_cell(m.count_id) + ',' +
               number(m.counted_milli, true) + ',' + number(m.expected_milli, true) + ',' +
               number(m.unit_cost_minor, false) + ',' + csv_cell(m.id) + "\r\n";
    ++out.rows;
  }
  out.last = page.next.empty();
  if (!out.last) out.after = db::PageAfter{page.movements.back().occurred_at_us, page.movements.back().id};
  return out;
}

void StockService::record_export(const std::string& store_id, const auth::Actor& actor,
                                 const std::string& what, std::int64_t rows, bool complete) {
  auto e = audit_entry(store_id, actor, "stock.export");
  e.detail = {{"request", what.substr(0, 500)}, {"rows", rows}};
  if (!complete) e.detail["complete"] = false;
  db::append_audit_now(pool_, e);
}

Outcome<db::RecordedMovement> StockService::record(const std::string& store_id, const StockWrite& w,
                                                   const auth::Actor& actor) {
  db::NewMovement m;
  m.store_id = store_id;
  m.kind = w.kind == "write-off" ? std::string("write_off") : w.kind;
  const auto kind = parse_stock_movement_kind(m.kind);
  if (!kind || *kind == StockMovementKind::sale || *kind == StockMovementKind::refund)
    return bad("kind", "{field}: one of receive, adjust, count, write-off");
  if (w.note.size() > kMaxStockNoteBytes || !is_clean_text(w.note))
    return bad("note", "{field}: text of at most {max} bytes", {{"max", std::to_string(kMaxStockNoteBytes)}});
  m.note = w.note;
  StockMovement check;  // the till's rules for one movement (shared/stock.hpp)
  check.product_id = "p";
  check.kind = *kind;
  check.note = w.note;
  check.unit_cost_minor = w.unit_cost_minor;
  if (*kind == StockMovementKind::write_off) {
    if (w.reason.empty())
      return bad("reason",
                 "{field}: a write-off needs one: damaged, expired, stolen, lost, returned_to_supplier, other");
    const auto reason = parse_write_off_reason(w.reason);
    if (!reason) return bad("reason", "{field}: one of damaged, expired, stolen, lost, returned_to_supplier, other");
    check.reason = *reason;
    m.reason = w.reason;
    // Given as the amount written off; the ledger takes it out.
    m.quantity_milli = w.quantity_milli > 0 ? -w.quantity_milli : w.quantity_milli;
  } else {
    if (!w.reason.empty()) return bad("reason", "{field}: only write-offs take a reason");
    m.quantity_milli = w.quantity_milli;
  }
  if (*kind == StockMovementKind::count) {
    check.counted_thousandths = m.quantity_milli;
  } else {
    check.delta_thousandths = m.quantity_milli;
  }
  if (w.unit_cost_minor && *kind != StockMovementKind::receive)
    return bad("cost", "{field}: only a receipt takes a cost");
  if (auto ok = validate(check); !ok) {
    const bool cost = ok.error().context.find("unit_cost") != std::string::npos;
    const std::string field = cost ? "cost" : "quantity";
    // shared/'s rule says why in English: a value here, not a catalogue entry.
    return fail(Problem::bad_request, "{field}: {detail}", field, {{"field", field}, {"detail", ok.error().context}});
  }
  m.unit_cost_minor = w.unit_cost_minor;
  const auto id = db::find_product_id(pool_, store_id, w.product_key);
  if (!id) return fail(Problem::not_found, "no product with that id, SKU or barcode", "product");
  m.product_id = *id;
  return db::record_movement(pool_, m, audit_entry(store_id, actor, "stock." + m.kind));
}

}  // namespace salespider::service
