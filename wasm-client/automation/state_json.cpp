// state_json(): {ready, screen, version, tills_opened, error, storage: {...},
// read_only, pending_ops, needs_attention, last_receipt, last_receipt_number,
// till, store, user, online, sync: {...}, busy, message, cart: {lines, total},
// completed}. The shape is documented in www/app.js.
#include "automation/state_json.hpp"

#include "automation/json_writer.hpp"

#include <salespider/shared/ids.hpp>

#include <string>

namespace salespider::automation {

namespace {

void optional_text(JsonWriter& json, const std::string& text) {
  if (text.empty())
    json.null();
  else
    json.value(text);
}

}  // namespace

std::string state_json(const state::AppState& state, std::string_view version) {
  JsonWriter json;
  json.begin_object();
  json.key("ready").value(state.ready);
  json.key("screen").value(state::screen_name(state.screen));
  json.key("version").value(version);
  json.key("tills_opened").value(state.tills_opened);
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
  json.key("known_users").value(static_cast<int>(state.known_users.size()));

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
    json.key("total");
    if (state.cart.sale && i < state.cart.sale->lines.size())
      json.value(state.cart.sale->lines[i].total);
    else
      json.null();
    json.end_object();
  }
  json.end_array();
  json.key("total").value(state.cart.sale ? state.cart.sale->totals.total : std::int64_t{0});
  json.key("cash_due").value(state::cash_due(state));
  json.key("error");
  optional_text(json, state.cart.error);
  json.end_object();

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
    json.end_object();
  } else {
    json.null();
  }
  json.end_object();
  return json.str();
}

}  // namespace salespider::automation
