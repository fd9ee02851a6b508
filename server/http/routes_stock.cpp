// Stock in the back office (docs/api.md "Stock"):
//   GET /api/v1/products/{id}/movements   adjust_stock  one product's ledger
//   GET /api/v1/stock/movements           adjust_stock  the store's ledger, filtered
//   GET /api/v1/stock/movements.csv       export_data   the same as CSV, streamed, audited
//   GET /api/v1/stock/low                 adjust_stock  low and out, most short first
//   GET /api/v1/stock/value               adjust_stock  on hand at cost and at price
// Only the JSON and CSV mapping is here: no SQL, no business rules.
// The product object is written here with the contract's fields (the
// catalog routes write the same object; one of the two is to be folded into
// the other).
#include <httplib.h>

#include <memory>

#include "http/routes.hpp"
#include "log/log.hpp"
#include "salespider/shared/product_rules.hpp"
#include "service/services.hpp"

namespace salespider::http {
namespace {

using nlohmann::json;

json text_or_null(const std::string& v) {
  return v.empty() ? json(nullptr) : json(v);
}

json number_or_null(const std::optional<std::int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

json movement_json(const db::MovementRow& m, bool with_product) {
  json j{{"id", m.id},
         {"kind", m.kind},
         {"quantity_milli", m.quantity_milli},
         {"reason", text_or_null(m.reason)},
         {"note", m.note},
         {"user", text_or_null(m.user_name)},
         {"till_code", text_or_null(m.till_code)},
         {"op_id", text_or_null(m.op_id)},
         {"occurred_at", m.occurred_at},
         {"recorded_at", m.recorded_at},
         {"count_id", text_or_null(m.count_id)},
         {"counted_milli", number_or_null(m.counted_milli)},
         {"expected_milli", number_or_null(m.expected_milli)},
         {"unit_cost_minor", number_or_null(m.unit_cost_minor)},
         {"compensates_op_id", text_or_null(m.compensates_op_id)}};
  if (with_product) {
    j["product_id"] = m.product_id;
    j["product_name"] = m.product_name;
  }
  return j;
}

json movements_json(const service::MovementsAnswer& a, bool with_product) {
  json list = json::array();
  for (const auto& m : a.movements) list.push_back(movement_json(m, with_product));
  return {{"movements", list}, {"next", text_or_null(a.next)}};
}

service::MovementsRequest request_of(const Context& ctx) {
  return {ctx.query("product_id"), ctx.query("kind"),   ctx.query("from"),
          ctx.query("to"),         ctx.query("before"), ctx.query("limit")};
}

// An export being streamed: the page in hand is sent, the next one read
// (one short query each), so memory and connection use stay bounded.
struct ExportStream {
  db::MovementQuery query;
  std::string store_id;
  auth::Actor actor;
  std::string what;
  std::string lang;  // of the header line
  bool header_sent = false;
  bool recorded = false;
  std::int64_t rows = 0;
  service::StockService::ExportPage next;
};

// False cuts the connection: the client sees no final chunk, so a failed
// export never looks complete.
bool write_export_page(service::StockService& stock, ExportStream& x, httplib::DataSink& sink) {
  try {
    std::string chunk = x.header_sent ? std::string() : service::StockService::export_header(x.lang);
    x.header_sent = true;
    chunk += x.next.csv;
    x.rows += x.next.rows;
    if (!sink.write(chunk.data(), chunk.size())) return false;
    if (x.next.last) {
      x.recorded = true;
      stock.record_export(x.store_id, x.actor, x.what, x.rows);
      sink.done();
      return true;
    }
    x.next = stock.export_page(x.query, x.next.after);
    return true;
  } catch (const std::exception& e) {
    log::error("stock export failed part way", {{"request_id", x.actor.request_id}, {"what", e.what()}});
    return false;
  }
}

void record_cut_export(service::StockService& stock, ExportStream& x) {
  if (x.recorded) return;
  x.recorded = true;
  try {
    stock.record_export(x.store_id, x.actor, x.what, x.rows, false);
  } catch (const std::exception& e) {
    log::error("cannot audit a cut stock export", {{"request_id", x.actor.request_id}, {"what", e.what()}});
  }
}

}  // namespace

void register_stock_routes(RouteRegistry& r, service::Services& s) {
  const auto stock = Access::person(auth::Permission::adjust_stock);

  r.add("GET", "/api/v1/products/{id}/movements", stock,
        "A product's stock movements, newest first (before, limit), with its on hand", [&s](Context& ctx) {
          std::int64_t on_hand = 0;
          auto a = s.stock().product_movements(ctx.user->store_id, ctx.param("id"), ctx.query("before"),
                                               ctx.query("limit"), on_hand);
          if (!a) return ctx.send_failure(a.error());
          auto body = movements_json(*a, false);
          body["on_hand_milli"] = on_hand;
          ctx.send_json(200, body);
        });

  r.add("GET", "/api/v1/stock/movements", stock,
        "The store's stock movements, newest first (product_id, kind, from, to, before, limit)",
        [&s](Context& ctx) {
          auto a = s.stock().movements(ctx.user->store_id, request_of(ctx));
          if (!a) return ctx.send_failure(a.error());
          ctx.send_json(200, movements_json(*a, true));
        });

  r.add("GET", "/api/v1/stock/movements.csv", Access::person(auth::Permission::export_data),
        "Every matching stock movement as CSV (same filters), streamed, audited", [&s](Context& ctx) {
          auto q = s.stock().export_query(ctx.user->store_id, request_of(ctx));
          if (!q) return ctx.send_failure(q.error());
          auto state = std::make_shared<ExportStream>();
          state->query = *q;
          state->store_id = ctx.user->store_id;
          state->actor = ctx.actor();
          state->what = ctx.req.target;
          state->lang = ctx.language();
          // The first page is read here, so a database failure is still a 503.
          state->next = s.stock().export_page(state->query, std::nullopt);
          ctx.res.status = 200;
          ctx.res.set_header("Content-Disposition", "attachment; filename=\"stock-movements.csv\"");
          ctx.res.set_chunked_content_provider(
              "text/csv; charset=utf-8",
              [&s, state](std::size_t, httplib::DataSink& sink) {
                return write_export_page(s.stock(), *state, sink);
              },
              [&s, state](bool) { record_cut_export(s.stock(), *state); });
        });

  r.add("GET", "/api/v1/stock/low", stock, "Tracked products low or out of stock, the most short first",
        [&s](Context& ctx) {
          json list = json::array();
          for (const auto& p : s.stock().low(ctx.user->store_id)) list.push_back(service::product_json(p));
          ctx.send_json(200, {{"products", list}});
        });

  r.add("GET", "/api/v1/stock/value", stock,
        "The stock on hand valued at cost and at price (sums as decimal text)", [&s](Context& ctx) {
          const auto v = s.stock().value(ctx.user->store_id);
          ctx.send_json(200, {{"currency", v.currency},
                              {"at_cost_minor", v.at_cost.decimal},
                              {"at_price_minor", v.at_price.decimal},
                              {"products", v.products},
                              {"products_without_cost", v.products_without_cost},
                              {"products_below_zero", v.products_below_zero}});
        });
}

}  // namespace salespider::http
