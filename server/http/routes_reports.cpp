// The dashboard (docs/api.md "Reports"):
//   GET /api/v1/reports/dashboard?from=YYYY-MM-DD&to=YYYY-MM-DD   permission view_dashboard
// Only the JSON mapping is here: no SQL, no business rules (service/reports.hpp).
#include <httplib.h>

#include "http/routes.hpp"
#include "service/reports.hpp"
#include "service/services.hpp"

namespace salespider::http {
namespace {

using nlohmann::json;

json optional_amount(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

json figures_json(const service::DashboardFigures& f) {
  return {{"revenue", f.revenue},
          {"tax", f.tax},
          {"discounts", f.discounts},
          {"refunds", f.refunds},
          {"net", f.net},
          {"sales", f.sales},
          {"average_basket", f.average_basket},
          {"items_sold_milli", f.items_sold_milli},
          {"cost", optional_amount(f.cost)},
          {"gross_margin", optional_amount(f.gross_margin)},
          {"margin_coverage_ppm", f.margin_coverage_ppm},
          {"voids", f.voids}};
}

json parties_json(const std::vector<db::reports::PartyRow>& rows, const char* label) {
  json out = json::array();
  for (const auto& r : rows) out.push_back({{"id", r.id}, {label, r.label}, {"revenue", r.revenue}, {"sales", r.sales}});
  return out;
}

json products_json(const std::vector<db::reports::ProductRow>& rows, bool with_stock) {
  json out = json::array();
  for (const auto& r : rows) {
    json p{{"id", r.id}, {"name", r.name}, {"quantity_milli", r.quantity_milli}, {"revenue", r.revenue}};
    if (with_stock) p["on_hand_milli"] = r.on_hand_milli;
    out.push_back(std::move(p));
  }
  return out;
}

json dashboard_json(const service::Dashboard& d) {
  const auto& b = d.breakdowns;
  json figures = figures_json(d.figures);
  figures["low_stock"] = d.low_stock;
  json previous = figures_json(d.previous);
  previous["from"] = d.previous_from;
  previous["to"] = d.previous_to;
  json by_day = json::array(), by_hour = json::array(), by_tender = json::array(), by_category = json::array();
  for (const auto& r : b.by_day)
    by_day.push_back({{"date", r.date}, {"revenue", r.revenue}, {"sales", r.sales}, {"refunds", r.refunds}});
  for (const auto& r : b.by_hour) by_hour.push_back({{"hour", r.hour}, {"revenue", r.revenue}, {"sales", r.sales}});
  for (const auto& r : b.by_tender) by_tender.push_back({{"kind", r.kind}, {"amount", r.amount}});
  for (const auto& r : b.by_category)
    by_category.push_back({{"id", r.id ? json(*r.id) : json(nullptr)}, {"name", r.name}, {"revenue", r.revenue}});
  return {{"from", d.from},
          {"to", d.to},
          {"time_zone", d.time_zone},
          {"currency", d.currency},
          {"figures", figures},
          {"previous", previous},
          {"by_day", by_day},
          {"by_hour", by_hour},
          {"by_tender", by_tender},
          {"by_cashier", parties_json(b.by_cashier, "name")},
          {"by_till", parties_json(b.by_till, "code")},
          {"by_category", by_category},
          {"top_products", products_json(b.top_products, false)},
          {"slow_products", products_json(b.slow_products, true)}};
}

}  // namespace

void register_reports_routes(RouteRegistry& r, service::Services& s) {
  auto reports = std::make_shared<service::ReportsService>(s.pool());
  r.add("GET", "/api/v1/reports/dashboard", Access::person(auth::Permission::view_dashboard),
        "The dashboard of whole days in the store's time zone: ?from, to (YYYY-MM-DD, absent = today, at most 366 "
        "days apart): figures, the previous period's, by day, hour, tender, cashier, till, category, top and slow "
        "products",
        [reports](Context& ctx) {
          auto answer = reports->dashboard(*ctx.user, ctx.query("from"), ctx.query("to"));
          if (!answer) return ctx.send_failure(answer.error());
          ctx.send_json(200, dashboard_json(*answer));
        });
}

}  // namespace salespider::http
