// Stock effects: local lookups for the stock screens, stock movements and
// count lines recorded as ops, the count kept in the drafts record, the
// server's stock lists, CSV import and exports. See stock_ops.hpp.
#include "effects/stock_ops.hpp"

#include <salespider/shared/i18n.hpp>

#include "answers/stock_answers.hpp"
#include "json/fields.hpp"
#include "platform/files.hpp"
#include "platform/platform.hpp"
#include "store/catalog.hpp"

#include <salespider/shared/payloads.hpp>

#include <type_traits>
#include <utility>

namespace salespider::effects {

namespace {

constexpr int kFoundLimit = 20;
constexpr int kMovementsPage = 50;

state::StockProduct stock_product(const store::CatalogProduct& p, std::string barcode) {
  state::StockProduct s;
  s.id = p.id;
  s.name = p.name;
  s.sku = p.sku;
  s.barcode = barcode.empty() ? p.barcode : std::move(barcode);
  s.unit = p.unit == "weighed" ? UnitKind::weighed : UnitKind::each;
  s.price_minor = p.price_minor;
  s.track_stock = p.track_stock;
  s.active = p.is_active;
  s.on_hand_milli = p.on_hand_milli;
  return s;
}

}  // namespace

void StockOps::handle(const state::Command& command, const state::AppState& s) {
  std::visit(
      [this, &s](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::StockSearch>) {
          search(c.text);
        } else if constexpr (std::is_same_v<C, state::SubmitStockOp>) {
          if (s.stock.recording && s.stock.submit_seq != recorded_submit_seq_) record_op(s);
        } else if constexpr (std::is_same_v<C, state::StartStockCount>) {
          if (s.stock.count && s.stock.count->count_id.empty())
            ctx_.app.apply(state::StockCountIdIssued{ctx_.ids.next().to_string()});
        } else if constexpr (std::is_same_v<C, state::ApplyStockCount>) {
          if (s.stock.count && s.stock.count->applying &&
              (s.stock.count->apply_seq != applied_count_seq_ || s.stock.count->count_id != applied_count_id_))
            apply_count(s);
        } else if constexpr (std::is_same_v<C, state::OpenStockLists>) {
          if (s.screen == state::Screen::StockLists) load_list(s, false);
        } else if constexpr (std::is_same_v<C, state::PickStockProduct>) {
          if (s.screen == state::Screen::StockLists && s.stock.lists.loading) load_list(s, false);
        } else if constexpr (std::is_same_v<C, state::ShowStockList>) {
          if (s.stock.lists.loading) load_list(s, c.more);
        } else if constexpr (std::is_same_v<C, state::PickCsvFile>) {
          if (s.stock.csv.picking)
            platform::files::pick_text_file(".csv,text/csv", [this](platform::files::Picked p) {
              ctx_.app.apply(state::CsvFileChosen{std::move(p.name), std::move(p.text), std::move(p.error)});
            });
        } else if constexpr (std::is_same_v<C, state::CheckCsv>) {
          if (s.stock.csv.checking) send_csv(s, true);
        } else if constexpr (std::is_same_v<C, state::ImportCsv>) {
          if (s.stock.csv.importing) send_csv(s, false);
        } else if constexpr (std::is_same_v<C, state::ExportCsv>) {
          if (s.stock.csv.exporting) export_csv(c.what, s);
        }
      },
      command);
}

// --- the picker -------------------------------------------------------------------

void StockOps::search(const std::string& text) {
  store::Store* st = ctx_.store();
  if (!st) {
    ctx_.app.apply(state::StockSearchResults{text, {}, i18n::tr("The local store is not open.")});
    return;
  }
  if (text.empty()) {
    ctx_.app.apply(state::StockSearchResults{text, {}, ""});
    return;
  }
  // A scanned code picks its product at once.
  auto exact = store::find_product_by_barcode(st->db(), text);
  std::string barcode = text;
  if (exact && !exact.value()) {
    exact = store::find_product_by_sku(st->db(), text);
    barcode.clear();
  }
  if (exact && exact.value()) {
    state::StockProduct p = stock_product(*exact.value(), barcode);
    ctx_.app.apply(state::StockSearchResults{text, {p}, ""});
    ctx_.app.apply(state::PickStockProduct{std::move(p)});
    return;
  }
  auto found = store::search_products(st->db(), text, kFoundLimit);
  state::StockSearchResults r{text, {}, ""};
  if (!found) {
    r.error = i18n::trf("Searching the products on this till failed: {problem}", {{"problem", found.error().context}});
  } else {
    for (const store::CatalogProduct& p : found.value()) r.products.push_back(stock_product(p, ""));
  }
  ctx_.app.apply(std::move(r));
}

// --- ops ----------------------------------------------------------------------------

void StockOps::record_op(const state::AppState& s) {
  recorded_submit_seq_ = s.stock.submit_seq;
  if (!s.stock.pending || !s.stock.product) {
    ctx_.app.apply(state::StockOpRecorded{i18n::tr("Nothing to record."), ""});
    return;
  }
  const state::SubmitStockOp op = *s.stock.pending;
  Result<StockMovement> m = state::stock_movement_of(op, *s.stock.product);
  Result<std::string> json = m ? encode_stock_movement_payload(m.value()) : Result<std::string>(m.error());
  if (!json) {
    ctx_.app.apply(state::StockOpRecorded{i18n::trf("The stock movement could not be written down: {problem}", {{"problem", json.error().context}}), ""});
    return;
  }
  const std::string done = state::stock_op_done(op, *s.stock.product);
  store::Status st =
      recorder_.record(OpKind::stock_movement, std::move(json).value(), s, [this, done](const store::Status& status) {
        ctx_.app.apply(status ? state::StockOpRecorded{"", done}
                              : state::StockOpRecorded{i18n::trf("The stock movement could not be stored: {problem}", {{"problem", status.error().context}}), ""});
      });
  if (!st) ctx_.app.apply(state::StockOpRecorded{i18n::trf("The stock movement could not be recorded: {problem}", {{"problem", st.error().context}}), ""});
}

// One op per line not yet recorded; each line answers for itself, so a
// failure leaves exactly the lines whose ops are not in the journal for the
// next "Apply count".
void StockOps::apply_count(const state::AppState& s) {
  const state::StockCount count = *s.stock.count;
  applied_count_seq_ = count.apply_seq;
  applied_count_id_ = count.count_id;
  for (std::size_t i = 0; i < count.lines.size(); ++i) {
    const state::StockCountLine& line = count.lines[i];
    if (line.recorded) continue;
    const int index = static_cast<int>(i);
    Result<StockMovement> m = state::count_movement(count, line);
    Result<std::string> json = m ? encode_stock_movement_payload(m.value()) : Result<std::string>(m.error());
    if (!json) {
      ctx_.app.apply(state::CountLineRecorded{count.count_id, index, json.error().context});
      continue;
    }
    const std::string id = count.count_id;
    store::Status st = recorder_.record(OpKind::stock_movement, std::move(json).value(), ctx_.app.state(),
                                        [this, id, index](const store::Status& status) {
                                          ctx_.app.apply(state::CountLineRecorded{
                                              id, index, status ? std::string() : status.error().context});
                                        });
    if (!st) ctx_.app.apply(state::CountLineRecorded{count.count_id, index, st.error().context});
  }
}

// --- drafts -------------------------------------------------------------------------

std::string StockOps::with_count(std::string drafts_json, const state::AppState& s) {
  if (!s.stock.count_restored) return drafts_json;
  std::optional<jsonio::Json> doc = jsonio::parse_object(drafts_json, 8 * 1024 * 1024);
  if (!doc) return drafts_json;
  if (s.stock.count)
    (*doc)["stock_count"] = jsonio::Json::parse(state::encode_stock_count(*s.stock.count), nullptr, false);
  else
    doc->erase("stock_count");
  return doc->dump(-1, ' ', false, jsonio::Json::error_handler_t::replace);
}

std::optional<state::StockCount> StockOps::count_of(const std::string& drafts_json) {
  std::optional<jsonio::Json> doc = jsonio::parse_object(drafts_json, 8 * 1024 * 1024);
  if (!doc) return std::nullopt;
  const jsonio::Json* count = jsonio::object(*doc, "stock_count");
  if (!count) return std::nullopt;
  return state::decode_stock_count(count->dump(-1, ' ', false, jsonio::Json::error_handler_t::replace));
}

// --- the server's lists ---------------------------------------------------------------

void StockOps::load_list(const state::AppState& s, bool more) {
  const state::StockLists lists = s.stock.lists;
  const state::StockListTab tab = lists.tab;
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    state::StockListLoaded out;
    out.tab = tab;
    out.error = i18n::tr("Needs the store server and an online sign-in.");
    ctx_.app.apply(std::move(out));
    return;
  }
  std::string url;
  switch (tab) {
    case state::StockListTab::low:
      url = "/api/v1/stock/low";
      break;
    case state::StockListTab::value:
      url = "/api/v1/stock/value";
      break;
    case state::StockListTab::movements:
      url = "/api/v1/stock/movements?limit=" + std::to_string(kMovementsPage);
      if (!lists.filter.product_id.empty()) url += "&product_id=" + sync::url_encode(lists.filter.product_id);
      if (!lists.filter.kind.empty()) url += "&kind=" + sync::url_encode(lists.filter.kind);
      if (more && !lists.next.empty()) url += "&before=" + sync::url_encode(lists.next);
      break;
  }
  const std::string tz = s.store.time_zone;
  ctx_.http.send(bearer_get(std::move(url), token), [this, tab, more, tz](sync::HttpResponse r) {
    state::StockListLoaded out;
    out.tab = tab;
    out.append = more;
    if (r.status != 200) {
      out.error = refusal_text(r);
    } else if (tab == state::StockListTab::low) {
      if (auto low = answers::parse_low_stock(r.body))
        out.low = std::move(*low);
      else
        out.error = i18n::tr("The store server's answer was not understood.");
    } else if (tab == state::StockListTab::value) {
      out.value = answers::parse_stock_value(r.body);
      if (!out.value) out.error = i18n::tr("The store server's answer was not understood.");
    } else if (std::optional<answers::MovementsPage> page = answers::parse_movements(r.body)) {
      for (answers::MovementsPage::Item& it : page->items) {
        it.movement.time_text = local_time(ctx_.app.state(), it.occurred_ms, tz);
        out.movements.push_back(std::move(it.movement));
      }
      out.next = page->next;
    } else {
      out.error = i18n::tr("The store server's answer was not understood.");
    }
    ctx_.app.apply(std::move(out));
  });
}

// --- CSV ------------------------------------------------------------------------------

void StockOps::send_csv(const state::AppState& s, bool dry_run) {
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::CsvAnswered{dry_run, std::nullopt, i18n::tr("Needs the store server and an online sign-in.")});
    return;
  }
  sync::HttpRequest r;
  r.method = "POST";
  r.url = std::string("/api/v1/products/import?dry_run=") + (dry_run ? "1" : "0");
  r.headers.emplace_back("Authorization", "Bearer " + token);
  r.headers.emplace_back("Content-Type", "text/csv; charset=utf-8");
  r.body = s.stock.csv.text;
  ctx_.http.send(r, [this, dry_run](sync::HttpResponse response) {
    state::CsvAnswered out;
    out.dry_run = dry_run;
    if (response.status == 200 || response.status == 422) out.check = answers::parse_csv_import(response.body);
    if (!out.check)
      out.error = response.status == 200 ? i18n::tr("The store server's answer was not understood.") : refusal_text(response);
    else if (response.status == 422)
      out.error = i18n::tr("Nothing was imported: the file has errors.");
    ctx_.app.apply(std::move(out));
  });
}

void StockOps::export_csv(state::CsvExport what, const state::AppState& s) {
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::CsvExported{i18n::tr("Needs the store server and an online sign-in."), ""});
    return;
  }
  const bool products = what == state::CsvExport::products;
  const std::string url = products ? "/api/v1/products/export.csv" : "/api/v1/stock/movements.csv";
  // The file name keeps ISO order whatever the date format.
  std::string day = platform::format_local_time(ctx_.now_ms(), s.store.time_zone).substr(0, 10);
  const std::string name = std::string(products ? "products-" : "stock-movements-") + day + ".csv";
  ctx_.http.send(bearer_get(url, token), [this, name](sync::HttpResponse r) {
    if (r.status != 200) {
      ctx_.app.apply(state::CsvExported{refusal_text(r), ""});
      return;
    }
    platform::files::download_text(name, "text/csv", r.body);
    ctx_.app.apply(state::CsvExported{"", i18n::trf("Downloaded {file}.", {{"file", name}})});
  });
}

}  // namespace salespider::effects
