// The reorder view (docs/api.md "Reorder"):
//   GET /api/v1/reports/reorder   view_dashboard   forecast, cover, suggested orders
// Only the JSON mapping is here: the parameters are read and the numbers
// computed by service/reorder.hpp.
#include <httplib.h>

#include <memory>

#include "http/routes.hpp"
#include "service/reorder.hpp"
#include "service/services.hpp"

namespace salespider::http {
namespace {

using nlohmann::json;

constexpr const char* kWeekdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

json item_json(const service::ReorderItem& it) {
  return {{"product", {{"id", it.product_id}, {"name", it.name}, {"sku", it.sku.empty() ? json(nullptr) : json(it.sku)}}},
          {"unit", it.weighed ? "weighed" : "each"},
          {"on_hand_milli", it.on_hand_milli},
          {"forecast_daily_milli", it.forecast_daily_milli},
          {"forecast_lead_milli", it.forecast_lead_milli},
          {"safety_milli", it.safety_milli},
          {"days_of_cover", it.days_of_cover ? json(*it.days_of_cover) : json(nullptr)},
          {"suggested_order_milli", it.suggested_order_milli},
          {"class", it.klass},
          {"reason", it.reason},
          {"method", service::forecast::method_name(it.method)},
          {"days_sold", it.days_sold},
          {"sold_milli", it.sold_milli},
          {"busier_weekday", it.busier_weekday ? json(kWeekdays[*it.busier_weekday]) : json(nullptr)}};
}

}  // namespace

void register_reorder_routes(RouteRegistry& r, service::Services& s) {
  auto reorder = std::make_shared<service::ReorderService>(s.pool(), s.clock());
  r.add("GET", "/api/v1/reports/reorder", Access::person(auth::Permission::view_dashboard),
        "Reorder view: per product demand forecast, days of cover, suggested order and class (lead_days 1-90, "
        "safety_days 0-90, history_days 14-365)",
        [reorder](Context& ctx) {
          auto a = reorder->reorder(ctx.user->store_id,
                                    {ctx.query("lead_days"), ctx.query("safety_days"), ctx.query("history_days")});
          if (!a) return ctx.send_failure(a.error());
          json items = json::array();
          for (const auto& it : a->items) items.push_back(item_json(it));
          ctx.send_json(200, {{"as_of", a->as_of},
                              {"time_zone", a->time_zone},
                              {"lead_days", a->params.lead_days},
                              {"safety_days", a->params.safety_days},
                              {"history_days", a->params.history_days},
                              {"items", std::move(items)}});
        });
}

}  // namespace salespider::http
