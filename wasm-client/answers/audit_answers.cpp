// Parsing the audit, staff, attention-action and settings answers; see
// audit_answers.hpp.
#include "answers/audit_answers.hpp"

#include "json/fields.hpp"

#include <salespider/shared/i18n.hpp>

#include <set>
#include <utility>

namespace salespider::answers {

namespace {

using jsonio::Json;

constexpr std::size_t kMaxAnswerBytes = 16 * 1024 * 1024;

std::optional<Json> parse_answer(std::string_view body) {
  return jsonio::parse_object(body, kMaxAnswerBytes);
}

// A value as a person reads it: strings without quotes, null as "—".
std::string shown(const Json* v) {
  if (v == nullptr || v->is_null()) return "—";
  if (v->is_string()) return v->get<std::string>();
  return v->dump(-1, ' ', false, Json::error_handler_t::replace);
}

void pair_changes(const Json& before, const Json& after, std::vector<state::AuditRow::Change>& out) {
  std::set<std::string> keys;
  for (auto it = before.begin(); it != before.end(); ++it) keys.insert(it.key());
  for (auto it = after.begin(); it != after.end(); ++it) keys.insert(it.key());
  for (const std::string& k : keys) {
    const Json* b = before.contains(k) ? &before.at(k) : nullptr;
    const Json* a = after.contains(k) ? &after.at(k) : nullptr;
    if (b != nullptr && a != nullptr && *b == *a) continue;
    out.push_back({k, shown(b), shown(a)});
  }
}

}  // namespace

std::vector<state::AuditRow::Change> detail_changes(std::string_view detail) {
  std::vector<state::AuditRow::Change> out;
  std::optional<Json> d = parse_answer(detail);
  if (!d) return out;
  for (auto [b, a] : {std::pair{"before", "after"}, std::pair{"old", "new"}}) {
    const Json* before = jsonio::object(*d, b);
    const Json* after = jsonio::object(*d, a);
    if (before != nullptr || after != nullptr) {
      pair_changes(before ? *before : Json::object(), after ? *after : Json::object(), out);
      return out;
    }
  }
  const Json* changes = jsonio::object(*d, "changed");
  if (changes == nullptr) changes = jsonio::object(*d, "changes");
  if (changes != nullptr) {
    for (auto it = changes->begin(); it != changes->end(); ++it) {
      if (!it->is_object()) continue;
      const Json* b = it->contains("old") ? &it->at("old") : (it->contains("before") ? &it->at("before") : nullptr);
      const Json* a = it->contains("new") ? &it->at("new") : (it->contains("after") ? &it->at("after") : nullptr);
      out.push_back({it.key(), shown(b), shown(a)});
    }
  }
  return out;
}

std::optional<std::vector<state::AuditRow>> parse_audit_rows(std::string_view body) {
  std::optional<Json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  const Json* rows = jsonio::array(*doc, "rows");
  if (rows == nullptr) return std::nullopt;
  std::vector<state::AuditRow> out;
  for (const Json& r : *rows) {
    if (!r.is_object()) return std::nullopt;
    state::AuditRow row;
    if (!jsonio::read_integer(r, "id", row.id)) return std::nullopt;
    row.chain_pos = jsonio::optional_integer(r, "chain_pos");
    row.occurred_at = jsonio::text(r, "occurred_at");
    row.action = jsonio::text(r, "action");
    row.actor_user_id = jsonio::text(r, "actor_user_id");
    row.actor_till_id = jsonio::text(r, "actor_till_id");
    row.entity = jsonio::text(r, "entity");
    row.entity_id = jsonio::text(r, "entity_id");
    row.request_id = jsonio::text(r, "request_id");
    row.client_ip = jsonio::text(r, "client_ip");
    row.hash = jsonio::text(r, "hash");
    if (auto d = r.find("detail"); d != r.end() && !d->is_null())
      row.detail = d->is_string() ? d->get<std::string>() : d->dump(-1, ' ', false, Json::error_handler_t::replace);
    row.changes = detail_changes(row.detail);
    out.push_back(std::move(row));
  }
  return out;
}

std::optional<state::AuditVerdict> parse_audit_verdict(std::string_view body) {
  std::optional<Json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  auto ok = doc->find("ok");
  if (ok == doc->end() || !ok->is_boolean()) return std::nullopt;
  state::AuditVerdict v;
  v.ok = ok->get<bool>();
  v.checked = jsonio::integer(*doc, "checked");
  v.unsealed = jsonio::integer(*doc, "unsealed");
  v.anchors_checked = jsonio::integer(*doc, "anchors_checked");
  if (const Json* head = jsonio::object(*doc, "head")) v.head_position = jsonio::integer(*head, "position");
  v.first_bad_position = jsonio::optional_integer(*doc, "first_bad_position");
  if (auto id = doc->find("first_bad_id"); id != doc->end() && !id->is_null()) v.first_bad_id = shown(&*id);
  v.problem = jsonio::text(*doc, "problem");
  return v;
}

std::optional<std::vector<state::AuditPerson>> parse_audit_people(std::string_view body) {
  std::optional<Json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  const Json* users = jsonio::array(*doc, "users");
  if (users == nullptr) return std::nullopt;
  std::vector<state::AuditPerson> out;
  for (const Json& u : *users) {
    if (!u.is_object()) return std::nullopt;
    state::AuditPerson p{jsonio::text(u, "id"), jsonio::text(u, "display_name"), jsonio::text(u, "username")};
    if (p.id.empty()) return std::nullopt;
    if (p.name.empty()) p.name = p.username;
    out.push_back(std::move(p));
  }
  return out;
}

std::optional<std::string> retry_outcome(std::string_view body) {
  std::optional<Json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  const std::string status = jsonio::text(*doc, "status");
  if (status.empty()) return std::nullopt;
  if (status == "applied") return std::string(i18n::tr("Retried: the store server applied it."));
  return i18n::trf("Retried: still {status} — {code} {message}", {{"status", status},
                                                                  {"code", jsonio::text(*doc, "code")},
                                                                  {"message", jsonio::text(*doc, "message")}});
}

std::optional<state::SetupSettings> parse_setup_settings(std::string_view body) {
  std::optional<Json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  state::SetupSettings s;
  if (!jsonio::read_integer(*doc, "row_version", s.row_version)) return std::nullopt;
  auto flag = [&](const char* key, bool& out) {
    auto it = doc->find(key);
    if (it == doc->end() || !it->is_boolean()) return false;
    out = it->get<bool>();
    return true;
  };
  if (!flag("setup_completed", s.setup_completed) || !flag("currency_locked", s.currency_locked))
    return std::nullopt;
  s.store_name = jsonio::text(*doc, "store_name");
  s.address = jsonio::text(*doc, "address");
  s.phone = jsonio::text(*doc, "phone");
  s.currency = jsonio::text(*doc, "currency");
  s.price_mode = jsonio::text(*doc, "price_mode");
  s.time_zone = jsonio::text(*doc, "time_zone");
  s.date_format = jsonio::text(*doc, "date_format");
  s.default_tax_rate_id = jsonio::text(*doc, "default_tax_rate_id");
  s.enabled_tenders = jsonio::strings(*doc, "enabled_tenders");
  return s;
}

SetupRefusal parse_setup_refusal(std::string_view body) {
  SetupRefusal out;
  if (std::optional<Json> doc = parse_answer(body))
    if (const Json* error = jsonio::object(*doc, "error")) {
      out.field = jsonio::text(*error, "field");
      if (const Json* current = jsonio::object(*error, "current"))
        out.current = parse_setup_settings(current->dump(-1, ' ', false, Json::error_handler_t::replace));
    }
  return out;
}

std::optional<std::string> created_id(std::string_view body) {
  std::optional<Json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  std::string id = jsonio::text(*doc, "id");
  if (id.empty()) return std::nullopt;
  return id;
}

}  // namespace salespider::answers
