// state_json(): {ready, screen, version, tills_opened, error, storage: {...},
// read_only, pending_ops, needs_attention, last_receipt, last_receipt_number,
// till, store, user, online, sync: {...}, busy, message, cart: {lines, total},
// completed, back_office: {...}}. The shape is documented in www/app.js.
#include "automation/state_json.hpp"

#include "automation/json_writer.hpp"
#include "automation/settings_json.hpp"
#include "automation/people_json.hpp"
#include "automation/stock_json.hpp"
#include "automation/audit_json.hpp"
#include "automation/shifts_json.hpp"
#include "automation/reports_json.hpp"

#include <salespider/shared/ids.hpp>
#include <salespider/shared/shift_report.hpp>

#include <string>

namespace salespider::automation {

namespace {

void optional_text(JsonWriter& json, const std::string& text) {
  if (text.empty())
    json.null();
  else
    json.value(text);
}


void product_json(JsonWriter& json, const state::CatalogProduct& p) {
  json.begin_object();
  json.key("id").value(p.id);
  json.key("name").value(p.name);
  json.key("sku").value(p.sku);
  json.key("barcodes").begin_array();
  for (const std::string& b : p.barcodes) json.value(b);
  json.end_array();
  json.key("price_minor").value(p.price_minor);
  json.key("on_hand_milli").value(p.on_hand_milli);
  json.key("stock_status").value(p.stock_status);
  json.key("category").value(p.category_name);
  json.key("archived").value(p.archived);
  json.key("row_version").value(p.row_version);
  json.end_object();
}

void draft_json(JsonWriter& json, const state::ProductDraft& d) {
  json.begin_object();
  json.key("name").value(d.name);
  json.key("sku").value(d.sku);
  json.key("barcodes").begin_array();
  for (const std::string& b : d.barcodes) json.value(b);
  json.end_array();
  json.key("price").value(d.price);
  json.key("cost").value(d.cost);
  json.key("row_version").value(d.row_version);
  json.end_object();
}

// back_office: {products: [...], total, offset, loading, error, offline,
// editing: {id, loading, error, error_field, product, draft, price_history,
// conflict: {mine, theirs} | null} | null, categories: [...], tax_rates: [...],
// price_mode, writing}.
void back_office_json(JsonWriter& json, const state::AppState& state) {
  const state::BackOffice& bo = state.back_office;
  json.key("back_office").begin_object();
  json.key("products").begin_array();
  for (const state::CatalogProduct& p : bo.list.products) product_json(json, p);
  json.end_array();
  json.key("total").value(bo.list.total);
  json.key("offset").value(bo.list.filter.offset);
  json.key("loading").value(bo.list.loading);
  json.key("error");
  optional_text(json, bo.list.error);
  json.key("offline").value(bo.list.offline);
  json.key("editing");
  if (bo.editing) {
    const state::ProductEditor& e = *bo.editing;
    json.begin_object();
    json.key("id").value(e.draft.id);
    json.key("loading").value(e.loading);
    json.key("error");
    optional_text(json, e.error);
    json.key("error_field");
    optional_text(json, e.error_field);
    json.key("product");
    if (e.product)
      product_json(json, *e.product);
    else
      json.null();
    json.key("draft");
    draft_json(json, e.draft);
    json.key("price_history").value(static_cast<int>(e.price_history.size()));
    json.key("conflict");
    if (e.conflict) {
      json.begin_object();
      json.key("mine");
      draft_json(json, e.draft);
      json.key("theirs");
      product_json(json, *e.conflict);
      json.end_object();
    } else {
      json.null();
    }
    json.end_object();
  } else {
    json.null();
  }
  json.key("categories").begin_array();
  for (const state::CatalogCategory& c : bo.categories) {
    json.begin_object();
    json.key("id").value(c.id);
    json.key("name").value(c.name);
    json.key("path").value(c.path);
    json.key("parent_id").value(c.parent_id);
    json.key("archived").value(c.archived);
    json.key("product_count").value(c.product_count);
    json.end_object();
  }
  json.end_array();
  json.key("categories_error");
  optional_text(json, bo.categories_error);
  json.key("tax_rates").begin_array();
  for (const state::CatalogTaxRate& t : bo.tax_rates) {
    json.begin_object();
    json.key("id").value(t.id);
    json.key("code").value(t.code);
    json.key("kind").value(t.kind);
    json.key("rate_ppm").value(t.rate_ppm);
    json.key("is_active").value(t.is_active);
    json.key("products_using").value(t.products_using);
    json.end_object();
  }
  json.end_array();
  json.key("tax_rates_error");
  optional_text(json, bo.tax_rates_error);
  json.key("price_mode").value(bo.price_mode);
  json.key("writing").value(bo.writing);
  json.end_object();
}
}  // namespace

std::string state_json(const state::AppState& state, std::string_view version, bool text_input) {
  JsonWriter json;
  json.begin_object();
  json.key("ready").value(state.ready);
  json.key("text_input").value(text_input);
  json.key("screen").value(state::screen_name(state.screen));
  json.key("version").value(version);
  json.key("tills_opened").value(state.tills_opened);
  // The language the till speaks, and the device's own pick ("" = none).
  json.key("language").value(state.language);
  json.key("device_language").value(state.device_language);
  json.key("error");
  if (state.startup_error.empty())
    json.null();
  else
    json.value(state.startup_error);

  const state::StorageStatus& st = state.storage;
  json.key("storage").begin_object();
  json.key("opened").value(st.opened);
  json.key("available").value(st.available);
  json.key("persisted");
  if (st.persisted)
    json.value(*st.persisted);
  else
    json.null();
  json.key("usage");
  if (st.usage >= 0.0)
    json.value(static_cast<std::int64_t>(st.usage));
  else
    json.null();
  json.key("quota");
  if (st.quota >= 0.0)
    json.value(static_cast<std::int64_t>(st.quota));
  else
    json.null();
  json.key("db").value(st.db);
  json.key("needs_attention").value(st.needs_attention);
  json.key("open_ms").value(st.open_ms);
  json.key("error");
  if (st.error.empty())
    json.null();
  else
    json.value(st.error);
  json.end_object();
  json.key("read_only").value(st.read_only);
  json.key("pending_ops").value(st.pending_ops);
  json.key("needs_attention").value(st.needs_attention);
  json.key("last_receipt");
  if (st.last_receipt > 0)
    json.value(st.last_receipt);
  else
    json.null();
  json.key("last_receipt_number");
  // After a reload the page has completed nothing yet: the store's sequence
  // and the till code still name the last receipt handed out.
  if (state.last_receipt_number.empty() && state.till.enrolled && st.last_receipt > 0) {
    Result<std::string> n = format_receipt_number(ReceiptNumber{state.till.code, st.last_receipt});
    optional_text(json, n ? n.value() : std::string());
  } else {
    optional_text(json, state.last_receipt_number);
  }

  json.key("till").begin_object();
  json.key("enrolled").value(state.till.enrolled);
  json.key("id").value(state.till.till_id);
  json.key("code").value(state.till.code);
  json.key("name").value(state.till.name);
  json.end_object();
  json.key("store").begin_object();
  json.key("known").value(state.store.known);
  json.key("name").value(state.store.name);
  json.key("currency").value(state.store.currency);
  store_settings_fields(json, state.store);
  json.end_object();

  json.key("user");
  if (state.user) {
    const state::User& u = *state.user;
    json.begin_object();
    json.key("id").value(u.id);
    json.key("username").value(u.username);
    json.key("display_name").value(u.display_name);
    json.key("role").value(u.role);
    json.key("offline").value(u.offline);
    json.end_object();
  } else {
    json.null();
  }
  // Who can sign in here offline, and with what: a verifier is kept a moment
  // after an online sign-in (PBKDF2 runs after the person is in).
  json.key("known_users").begin_array();
  for (const state::KnownUser& k : state.known_users) {
    json.begin_object();
    json.key("id").value(k.id);
    json.key("username").value(k.username);
    json.key("password").value(k.has_password);
    json.key("pin").value(k.has_pin);
    json.end_object();
  }
  json.end_array();

  const state::SyncView& sy = state.sync;
  json.key("online").value(sy.online);
  json.key("sync").begin_object();
  json.key("configured").value(sy.configured);
  json.key("browser_online").value(sy.browser_online);
  json.key("busy").value(sy.busy);
  json.key("bootstrapping").value(sy.bootstrapping);
  json.key("bootstrap_done").value(sy.bootstrap_done);
  json.key("bootstrap_total").value(sy.bootstrap_total);
  json.key("last_sync_ms").value(sy.last_sync_ms);
  json.key("clock_skew_ms");
  if (sy.clock_skew_ms)
    json.value(*sy.clock_skew_ms);
  else
    json.null();
  json.key("retry_in_ms").value(sy.retry_in_ms);
  json.key("last_error");
  optional_text(json, sy.last_error);
  json.key("protocol_too_old").value(sy.protocol_too_old);
  json.key("credential_refused").value(sy.credential_refused);
  json.key("deferred_changes").value(sy.deferred_changes);
  json.end_object();

  json.key("busy").value(state.busy);
  json.key("message");
  if (state.message) {
    json.begin_object();
    json.key("kind").value(state.message->kind == state::MessageKind::error ? "error" : "info");
    json.key("text").value(state.message->text);
    json.end_object();
  } else {
    json.null();
  }

  json.key("cart").begin_object();
  json.key("lines").begin_array();
  for (std::size_t i = 0; i < state.cart.lines.size(); ++i) {
    const CartLine& line = state.cart.lines[i];
    json.begin_object();
    json.key("product_id").value(line.product_id);
    json.key("name").value(line.name);
    json.key("quantity_milli").value(line.quantity.thousandths);
    json.key("unit_price").value(line.unit_price);
    json.key("unit").value(line.unit == UnitKind::weighed ? "weighed" : "each");
    json.key("discounts").value(static_cast<int>(line.discounts.size()));
    json.key("total");
    if (state.cart.sale && i < state.cart.sale->lines.size())
      json.value(state.cart.sale->lines[i].total);
    else
      json.null();
    json.end_object();
  }
  json.end_array();
  json.key("sale_id").value(state.cart.sale_id);
  json.key("selected").value(state.cart.selected);
  json.key("discounts").value(static_cast<int>(state.cart.discounts.size()));
  json.key("discount_total").value(
      state.cart.sale ? state.cart.sale->totals.line_discounts + state.cart.sale->totals.cart_discounts : std::int64_t{0});
  json.key("tax").value(state.cart.sale ? state.cart.sale->totals.tax : std::int64_t{0});
  json.key("approved_by");
  optional_text(json, state.cart.approver ? state.cart.approver->display_name : std::string());
  json.key("total").value(state.cart.sale ? state.cart.sale->totals.total : std::int64_t{0});
  json.key("cash_due").value(state::cash_due(state));
  json.key("error");
  optional_text(json, state.cart.error);
  json.end_object();

  json.key("browse").begin_object();
  json.key("text").value(state.browse.text);
  json.key("category_id").value(state.browse.category_id);
  json.key("products").value(static_cast<int>(state.browse.products.size()));
  json.key("more").value(state.browse.more);
  json.key("error").value(state.browse.error);
  json.key("categories").value(static_cast<int>(state.browse.categories.size()));
  json.key("first");
  optional_text(json, state.browse.products.empty() ? std::string() : state.browse.products.front().name);
  json.end_object();

  json.key("parked").begin_array();
  for (const state::ParkedSale& p : state.parked) {
    json.begin_object();
    json.key("sale_id").value(p.sale_id);
    json.key("lines").value(static_cast<int>(p.lines.size()));
    json.key("total").value(p.total);
    json.end_object();
  }
  json.end_array();

  json.key("pay").begin_object();
  json.key("payments").begin_array();
  for (const Payment& p : state.pay.payments) {
    json.begin_object();
    json.key("kind").value(std::string(to_string(p.kind)));
    json.key("amount").value(p.amount);
    json.end_object();
  }
  json.end_array();
  json.key("remaining").value(state::remaining_due(state));
  json.key("error");
  optional_text(json, state.pay.error);
  json.end_object();

  json.key("approval");
  if (state.approval) {
    json.begin_object();
    json.key("reason").value(state.approval->reason);
    json.end_object();
  } else {
    json.null();
  }
  json.key("drafts_restored").value(state.drafts_restored);

  json.key("shift");
  if (state.shift) {
    json.begin_object();
    json.key("id").value(state.shift->shift_id);
    json.key("opening_float").value(state.shift->opening_float);
    json.end_object();
  } else {
    json.null();
  }
  json.key("shift_required").value(state.shift_required);
  json.key("report");
  if (state.report) {
    Result<std::string> r = encode_shift_report_json(state.report->report);
    json.begin_object();
    json.key("shift_id").value(state.report->shift_id);
    json.key("closed").value(state.report->report.closed);
    json.key("json");
    optional_text(json, r ? r.value() : std::string());
    json.end_object();
  } else {
    json.null();
  }
  json.key("history").begin_object();
  json.key("server").value(state.history.filter.server);
  json.key("loading").value(state.history.loading);
  json.key("count").value(state.history.count);
  json.key("total").value(state.history.sum);
  json.key("refunded").value(state.history.refunded);
  json.key("error");
  optional_text(json, state.history.error);
  json.key("items").begin_array();
  for (const state::HistoryItem& it : state.history.items) {
    json.begin_object();
    json.key("sale_id").value(it.sale_id);
    json.key("receipt_number").value(it.receipt_number);
    json.key("total").value(it.total);
    json.key("refunded").value(it.refunded);
    json.key("cashier").value(it.cashier);
    json.key("till").value(it.till_code);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.key("sale_detail");
  if (state.sale_detail) {
    json.begin_object();
    json.key("sale_op_id").value(state.sale_detail->sale_op_id);
    json.key("receipt_number").value(state.sale_detail->receipt_number);
    json.key("local").value(state.sale_detail->local);
    json.key("total").value(state.sale_detail->sale.totals.total);
    json.key("lines").value(static_cast<int>(state.sale_detail->sale.lines.size()));
    json.end_object();
  } else {
    json.null();
  }
  json.key("refund");
  if (state.refund) {
    json.begin_object();
    json.key("total").value(state.refund->computed ? state.refund->computed->total : std::int64_t{0});
    json.key("error");
    optional_text(json, state.refund->error);
    json.key("approved_by");
    optional_text(json, state.refund->approver ? state.refund->approver->display_name : std::string());
    json.end_object();
  } else {
    json.null();
  }
  json.key("attention").value(static_cast<int>(state.attention.size()));
  back_office_json(json, state);
  json.key("stock");
  stock_json(json, state.stock);
  settings_json(json, state.settings);
  json.key("staff");
  staff_json(json, state);
  json.key("tills");
  tills_json(json, state.tills);
  oversight_json(json, state);
  sales_reports_json(json, state);
  reports_json(json, state);
  // The server's alerts as this till last fetched them (managers; cashiers get visible=false).
  json.key("server_alerts").begin_object();
  json.key("visible").value(state::alerts_visible(state));
  json.key("known").value(state.server_alerts.known);
  json.key("loading").value(state.server_alerts.loading);
  json.key("error").value(state.server_alerts.error);
  json.key("fetched_at_ms").value(state.server_alerts.fetched_at_ms);
  json.key("fetched_text").value(state.server_alerts.fetched_text);
  json.key("marker").value(state::alerts_marker(state));
  json.key("alerts").begin_array();
  for (const state::ServerAlert& a : state.server_alerts.alerts) {
    json.begin_object();
    json.key("code").value(a.code);
    json.key("since").value(a.since);
    json.key("since_text").value(a.since_text);
    json.key("message").value(a.message);
    json.key("detail").value(a.detail);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  // This till's receipt printer and its newest job (state/printer.hpp).
  {
    const state::ReceiptPrinterState& pr = state.printer;
    json.key("printer").begin_object();
    json.key("link").value(state::printer_link_name(pr.setup.link));
    json.key("device").value(pr.setup.device);
    json.key("baud").value(static_cast<std::int64_t>(pr.setup.baud));
    json.key("network_id").value(pr.setup.network_id);
    json.key("code_page").value(pr.setup.code_page);
    json.key("qr").value(pr.setup.qr);
    json.key("cut").value(pr.setup.cut);
    json.key("drawer").value(pr.setup.drawer);
    json.key("auto_print").value(pr.setup.auto_print);
    json.key("escpos").value(state::prints_escpos(pr.setup));
    json.key("has_serial").value(pr.has_serial);
    json.key("has_usb").value(pr.has_usb);
    json.key("choosing").value(pr.choosing);
    json.key("choose_error").value(pr.choose_error);
    json.key("network").begin_array();
    for (const state::NetworkPrinter& n : pr.network) {
      json.begin_object();
      json.key("id").value(n.id);
      json.key("name").value(n.name);
      json.key("enabled").value(n.enabled);
      json.end_object();
    }
    json.end_array();
    json.key("network_error").value(pr.network_error);
    json.key("queued").value(static_cast<std::int64_t>(pr.queued));
    json.key("may_open_drawer").value(state::may_open_drawer(state));
    json.key("camera").begin_object();
    json.key("supported").value(state.camera.supported);
    json.key("open").value(state.camera.open);
    json.end_object();
    json.key("job");
    if (pr.job) {
      json.begin_object();
      json.key("id").value(static_cast<std::int64_t>(pr.job->id));
      json.key("what").value(pr.job->what);
      json.key("state").value(pr.job->state == state::PrintState::sending   ? "sending"
                              : pr.job->state == state::PrintState::printed ? "printed"
                                                                            : "failed");
      json.key("error").value(pr.job->error);
      json.key("receipt").value(pr.job->receipt);
      json.end_object();
    } else {
      json.null();
    }
    json.end_object();
  }

  json.key("completed");
  if (state.completed) {
    const state::Completed& c = *state.completed;
    json.begin_object();
    json.key("receipt_number").value(c.receipt_number);
    json.key("total").value(c.total);
    json.key("tendered").value(c.tendered);
    json.key("change").value(c.change);
    json.key("offline").value(c.offline);
    json.key("persist_ms").value(c.persist_ms);
    json.key("time").value(c.time_text);
    json.key("prints").value(c.prints);
    json.key("payments").value(static_cast<int>(c.payments.size()));
    json.end_object();
  } else {
    json.null();
  }
  json.end_object();
  return json.str();
}

}  // namespace salespider::automation
