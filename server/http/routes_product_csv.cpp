// The product CSV endpoints (docs/csv.md, docs/api.md "CSV import and
// export"): POST /api/v1/products/import takes a text/csv body of up to
// 32 MiB (the only route allowed more than the server's body limit) and
// answers every row's outcome; GET /api/v1/products/export.csv streams the
// product list as filtered. Deliberately no parsing here: service/product_csv.
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "http/routes.hpp"
#include "log/log.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/product_rules.hpp"
#include "service/csv.hpp"
#include "service/product_csv.hpp"
#include "service/services.hpp"

namespace salespider::http {
namespace {

namespace pc = service::product_csv;

// Above this many rows the answer lists only the rows with errors (and the
// counts), unless the request asks ?rows=all.
constexpr std::size_t kMaxListedRows = 1000;

bool is_csv_content_type(std::string type) {
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto semicolon = type.find(';');
  auto media = type.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.pop_back();
  if (media != "text/csv") return false;
  // A charset other than UTF-8 is refused here rather than misread.
  const auto charset = type.find("charset=", semicolon == std::string::npos ? type.size() : semicolon);
  if (charset == std::string::npos) return true;
  auto value = type.substr(charset + 8);
  value.erase(std::remove(value.begin(), value.end(), '"'), value.end());
  return value.rfind("utf-8", 0) == 0;
}

nlohmann::json import_json(const pc::ImportResult& r, bool all_rows) {
  const auto& s = r.analysis.summary;
  const bool list_all = all_rows || r.analysis.rows.size() <= kMaxListedRows;
  auto rows = nlohmann::json::array();
  for (const auto& row : r.analysis.rows) {
    if (!list_all && row.outcome != pc::Outcome::error) continue;
    auto errors = nlohmann::json::array();
    for (const auto& e : row.errors) errors.push_back({{"column", e.column}, {"message", e.message}});
    rows.push_back({{"line", row.line},
                    {"outcome", pc::to_string(row.outcome)},
                    {"sku", row.sku},
                    {"name", row.name},
                    {"errors", std::move(errors)}});
  }
  return {{"dry_run", r.dry_run},
          {"applied", r.applied},
          {"file_sha256", r.file_sha256},
          {"summary",
           {{"created", s.created},
            {"updated", s.updated},
            {"unchanged", s.unchanged},
            {"errors", s.errors},
            {"categories_created", s.categories_created}}},
          {"rows_listed", list_all ? "all" : "errors"},
          {"rows", std::move(rows)}};
}

// The product list's filters from the query string (as GET /api/v1/products
// reads them); false when answered 400.
bool read_filter(Context& ctx, ProductFilter& f) {
  f.text = ctx.query("q");
  f.category_id = ctx.query("category_id");
  // "{field}: why", why a catalogue msgid.
  const auto bad = [&](const char* name, const char* why) {
    ctx.send_failure(service::fail(service::Problem::bad_request, why, name, {{"field", name}}));
    return false;
  };
  if (const auto stock = ctx.query("stock"); !stock.empty()) {
    const auto s = parse_stock_status(stock);
    if (!s) return bad("stock", "{field}: in_stock, low, out or not_tracked");
    f.stock = *s;
  }
  if (const auto archived = ctx.query("archived"); !archived.empty()) {
    const auto a = parse_archived_filter(archived);
    if (!a) return bad("archived", "{field}: no, only or all");
    f.archived = *a;
  }
  if (const auto sort = ctx.query("sort"); !sort.empty()) {
    const auto s = parse_product_sort(sort);
    if (!s) return bad("sort", "{field}: name, sku, price, on_hand or updated");
    f.sort = *s;
  }
  if (const auto order = ctx.query("order"); !order.empty()) {
    if (order != "asc" && order != "desc") return bad("order", "{field}: asc or desc");
    f.descending = order == "desc";
  }
  if (!f.category_id.empty() && !parse_uuid(f.category_id)) return bad("category_id", "{field}: not a category id");
  if (const auto s = validate(f); !s) {
    ctx.send_failure(service::fail(service::Problem::bad_request, s.error().context, "q"));
    return false;
  }
  return true;
}

}  // namespace

void register_product_csv_routes(RouteRegistry& r, service::Services& s) {
  r.add("POST", "/api/v1/products/import", Access::person(auth::Permission::manage_products),
        "Import products from CSV (text/csv, up to 32 MiB); ?dry_run=1 reports every row and writes nothing",
        [&s](Context& ctx) {
          if (!is_csv_content_type(ctx.req.get_header_value("Content-Type"))) {
            return ctx.send_error(ErrorCode::unsupported_media,
                                  N_("the body must be a CSV file (Content-Type: text/csv; charset=utf-8)"));
          }
          const auto dry = ctx.query("dry_run");
          if (dry != "" && dry != "0" && dry != "1") {
            return ctx.send_failure(service::fail(service::Problem::bad_request, "dry_run: 1 or 0", "dry_run"));
          }
          const auto rows = ctx.query("rows");
          if (rows != "" && rows != "all" && rows != "errors") {
            return ctx.send_failure(service::fail(service::Problem::bad_request, "rows: all or errors", "rows"));
          }
          // No dry_run parameter is a dry run: applying must be asked for.
          const bool dry_run = dry != "0";
          service::product_csv::AnalyseOptions options;
          options.may_change_prices = auth::role_has(ctx.user->role, auth::Permission::manage_prices);
          const auto result = pc::import_products(s.pool(), ctx.user->store_id, ctx.actor(), ctx.req.body,
                                                  dry_run, options);
          if (result.conflict) {
            return ctx.send_error(ErrorCode::conflict,
                                  N_("the catalog changed while the import ran (a SKU or barcode was taken); "
                                     "nothing was written: run it again"));
          }
          const bool refused = !dry_run && !result.applied;
          ctx.send_json(refused ? 422 : 200, import_json(result, rows == "all"));
        });
  r.allow_large_body("POST", "/api/v1/products/import", service::csv::kMaxFileBytes);

  r.add("GET", "/api/v1/products/export.csv", Access::person(auth::Permission::export_data),
        "The product list as CSV (the list's filters: q, category_id, stock, archived, sort, order), audited",
        [&s](Context& ctx) {
          ProductFilter filter;
          if (!read_filter(ctx, filter)) return;
          const auto store_id = ctx.user->store_id;
          const auto actor = ctx.actor();
          const auto lang = ctx.language();
          ctx.res.status = 200;
          ctx.res.set_header("Content-Disposition", "attachment; filename=\"products.csv\"");
          // One call writes the whole file from one database snapshot, a piece
          // at a time as the rows are read (memory stays flat); a client that
          // goes away stops the read. A failure part way cuts the stream (no
          // final chunk), so a broken export never looks complete.
          ctx.res.set_chunked_content_provider(
              "text/csv; charset=utf-8", [&s, store_id, actor, filter, lang](std::size_t, httplib::DataSink& sink) {
                try {
                  pc::export_products(
                      s.pool(), store_id, actor, filter,
                      [&sink](std::string_view piece) { return piece.empty() || sink.write(piece.data(), piece.size()); },
                      lang);
                  sink.done();
                  return true;
                } catch (const std::exception& e) {
                  log::error("product export failed part way",
                             {{"request_id", actor.request_id}, {"what", e.what()}});
                  return false;
                }
              });
        });
}

}  // namespace salespider::http
