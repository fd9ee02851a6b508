// state().audit, attention_ops, attention_desk and setup; see audit_json.hpp.
#include "automation/audit_json.hpp"

#include <string>

namespace salespider::automation {

namespace {

const char* step_name(state::SetupStep step) {
  switch (step) {
    case state::SetupStep::store:
      return "store";
    case state::SetupStep::money:
      return "money";
    case state::SetupStep::time:
      return "time";
    case state::SetupStep::tax:
      return "tax";
    case state::SetupStep::tenders:
      return "tenders";
    case state::SetupStep::products:
      return "products";
    case state::SetupStep::till:
      return "till";
  }
  return "store";
}

void audit_json(JsonWriter& json, const state::AuditLog& a) {
  json.key("audit").begin_object();
  json.key("filter").begin_object();
  json.key("user_id").value(a.filter.actor_user_id);
  json.key("login").value(a.filter.actor_login);
  json.key("action").value(a.filter.action);
  json.key("entity").value(a.filter.entity);
  json.key("from").value(a.filter.from);
  json.key("to").value(a.filter.to);
  json.end_object();
  json.key("rows").begin_array();
  for (const state::AuditRow& r : a.rows) {
    json.begin_object();
    json.key("id").value(r.id);
    json.key("chain_pos");
    if (r.chain_pos)
      json.value(*r.chain_pos);
    else
      json.null();
    json.key("time").value(r.time_text);
    json.key("action").value(r.action);
    json.key("entity").value(r.entity);
    json.key("entity_id").value(r.entity_id);
    json.key("actor").value(r.actor_name);
    json.key("actor_user_id").value(r.actor_user_id);
    json.key("till_id").value(r.actor_till_id);
    json.key("request_id").value(r.request_id);
    json.key("hash").value(r.hash);
    json.key("changes").begin_array();
    for (const state::AuditRow::Change& c : r.changes) {
      json.begin_object();
      json.key("field").value(c.field);
      json.key("old").value(c.before);
      json.key("new").value(c.after);
      json.end_object();
    }
    json.end_array();
    json.end_object();
  }
  json.end_array();
  json.key("selected").value(a.selected);
  json.key("before").value(a.before);
  json.key("older").value(a.older);
  json.key("newer").value(!a.newer.empty());
  json.key("loading").value(a.loading);
  json.key("error").value(a.error);
  json.key("people").value(static_cast<int>(a.people.size()));
  json.key("verifying").value(a.verifying);
  json.key("verdict");
  if (a.verdict) {
    json.begin_object();
    json.key("ok").value(a.verdict->ok);
    json.key("checked").value(a.verdict->checked);
    json.key("anchors_checked").value(a.verdict->anchors_checked);
    json.key("text").value(state::verdict_text(*a.verdict));
    json.end_object();
  } else {
    json.null();
  }
  json.key("verify_error").value(a.verify_error);
  json.key("exporting").value(a.exporting);
  json.key("exported").value(a.exported);
  json.end_object();
}

void setup_json(JsonWriter& json, const state::SetupWizard& w) {
  json.key("setup").begin_object();
  json.key("checked").value(w.checked);
  json.key("active").value(w.active);
  json.key("step").value(step_name(w.step));
  json.key("saving").value(w.saving);
  json.key("error").value(w.error);
  json.key("error_field").value(w.error_field);
  json.key("done").value(w.done);
  json.key("setup_url").value(w.setup_url);
  json.key("settings").begin_object();
  json.key("store_name").value(w.settings.store_name);
  json.key("currency").value(w.settings.currency);
  json.key("price_mode").value(w.settings.price_mode);
  json.key("time_zone").value(w.settings.time_zone);
  json.key("default_tax_rate_id").value(w.settings.default_tax_rate_id);
  json.key("enabled_tenders").begin_array();
  for (const std::string& t : w.settings.enabled_tenders) json.value(t);
  json.end_array();
  json.key("setup_completed").value(w.settings.setup_completed);
  json.key("row_version").value(w.settings.row_version);
  json.end_object();
  json.end_object();
}

}  // namespace

void oversight_json(JsonWriter& json, const state::AppState& s) {
  audit_json(json, s.audit);
  json.key("attention_ops").begin_array();
  for (const state::AttentionItem& a : s.attention) {
    json.begin_object();
    json.key("op_id").value(a.op_id);
    json.key("kind").value(a.kind);
    json.key("status").value(a.status);
    json.key("code").value(a.code);
    json.end_object();
  }
  json.end_array();
  json.key("attention_desk").begin_object();
  json.key("acting_on").value(s.attention_desk.acting_on);
  json.key("answer").value(s.attention_desk.answer);
  json.key("answer_error").value(s.attention_desk.answer_error);
  json.key("may_act").value(state::may_act_on_attention(s));
  json.end_object();
  setup_json(json, s.setup);
}

}  // namespace salespider::automation
