// state_json(): {ready, screen, version, tills_opened, error, storage: {...},
// read_only, pending_ops, last_receipt}.
#include "automation/state_json.hpp"

#include "automation/json_writer.hpp"

namespace salespider::automation {

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
  json.key("last_receipt");
  if (st.last_receipt > 0)
    json.value(st.last_receipt);
  else
    json.null();
  json.end_object();
  return json.str();
}

}  // namespace salespider::automation
