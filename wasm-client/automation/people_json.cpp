// See people_json.hpp.
#include "automation/people_json.hpp"

namespace salespider::automation {

namespace {

void optional_int(JsonWriter& json, const std::optional<std::int64_t>& v) {
  if (v)
    json.value(*v);
  else
    json.null();
}

}  // namespace

void staff_json(JsonWriter& json, const state::AppState& s) {
  const state::StaffState& st = s.staff;
  json.begin_object();
  json.key("loading").value(st.loading);
  json.key("error").value(st.error);
  json.key("search").value(st.search);
  json.key("people").begin_array();
  for (const state::StaffMember& m : st.people) {
    json.begin_object();
    json.key("id").value(m.id);
    json.key("username").value(m.username);
    json.key("display_name").value(m.display_name);
    json.key("email").value(m.email);
    json.key("role").value(m.role);
    json.key("status").value(state::staff_status(m));
    json.key("has_pin").value(m.has_pin);
    json.key("refusal").value(state::staff_refusal(s, m));
    json.end_object();
  }
  json.end_array();
  json.key("open_id").value(st.open_id);
  json.key("adding").value(st.adding);
  json.key("sessions").begin_array();
  for (const state::StaffSession& x : st.sessions) {
    json.begin_object();
    json.key("id").value(x.id);
    json.key("till_id").value(x.till_id);
    json.key("active").value(x.active);
    json.end_object();
  }
  json.end_array();
  json.key("writing").value(st.writing);
  json.key("write_error").value(st.write_error);
  json.key("write_field").value(st.write_field);
  json.end_object();
}

void tills_json(JsonWriter& json, const state::TillsState& t) {
  json.begin_object();
  json.key("loading").value(t.loading);
  json.key("error").value(t.error);
  json.key("tills").begin_array();
  for (const state::StoreTill& till : t.tills) {
    json.begin_object();
    json.key("id").value(till.id);
    json.key("name").value(till.name);
    json.key("code").value(till.code);
    json.key("status").value(till.status);
    json.key("health");
    if (till.health) {
      json.begin_object();
      json.key("last_sync_at").value(till.health->last_sync_at);
      json.key("outbox_depth");
      optional_int(json, till.health->outbox_depth);
      json.key("app_version").value(till.health->app_version);
      json.key("clock_skew_ms");
      optional_int(json, till.health->clock_skew_ms);
      json.key("open_attention").value(till.health->open_attention);
      json.end_object();
    } else {
      json.null();
    }
    json.end_object();
  }
  json.end_array();
  json.key("writing").value(t.writing);
  json.key("write_error").value(t.write_error);
  json.key("write_field").value(t.write_field);
  json.key("code");
  if (t.code) {
    json.begin_object();
    json.key("code").value(t.code->code);
    json.key("expires_at").value(t.code->expires_at);
    json.key("till_url").value(t.code->till_url);
    json.end_object();
  } else {
    json.null();
  }
  json.end_object();
}

}  // namespace salespider::automation
