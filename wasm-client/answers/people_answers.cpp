// Parsing the Staff and Tills screens' answers; see people_answers.hpp.
#include "answers/people_answers.hpp"

#include "json/fields.hpp"

#include <algorithm>
#include <utility>

namespace salespider::answers {

namespace {

using jsonio::Json;

constexpr std::size_t kMaxAnswerBytes = 4 * 1024 * 1024;

std::optional<state::StaffMember> member_of(const Json& o) {
  if (!o.is_object()) return std::nullopt;
  state::StaffMember m;
  m.id = jsonio::text(o, "id");
  m.username = jsonio::text(o, "username");
  m.role = jsonio::text(o, "role");
  m.status = jsonio::text(o, "status");
  if (m.id.empty() || m.username.empty() || m.role.empty() || m.status.empty()) return std::nullopt;
  m.email = jsonio::text(o, "email");
  m.display_name = jsonio::text(o, "display_name");
  m.has_pin = jsonio::flag(o, "has_pin");
  m.locked_until = jsonio::text(o, "locked_until");
  return m;
}

}  // namespace

std::optional<std::vector<state::StaffMember>> parse_staff(std::string_view body) {
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return std::nullopt;
  const Json* items = jsonio::array(*doc, "users");
  if (!items) return std::nullopt;
  std::vector<state::StaffMember> out;
  for (const Json& it : *items) {
    std::optional<state::StaffMember> m = member_of(it);
    if (!m) return std::nullopt;
    out.push_back(std::move(*m));
  }
  return out;
}

std::string parse_user_id(std::string_view body) {
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  return doc ? jsonio::text(*doc, "id") : std::string();
}

std::optional<std::vector<state::StaffSession>> parse_staff_sessions(std::string_view body) {
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return std::nullopt;
  const Json* items = jsonio::array(*doc, "sessions");
  if (!items) return std::nullopt;
  std::vector<state::StaffSession> out;
  for (const Json& it : *items) {
    if (!it.is_object()) return std::nullopt;
    state::StaffSession s;
    s.id = jsonio::text(it, "id");
    if (s.id.empty()) return std::nullopt;
    s.till_id = jsonio::text(it, "till_id");
    s.created_at = jsonio::text(it, "created_at");
    s.last_seen_at = jsonio::text(it, "last_seen_at");
    s.client_ip = jsonio::text(it, "client_ip");
    s.active = jsonio::flag(it, "active");
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<std::vector<state::StoreTill>> parse_store_tills(std::string_view tills_body,
                                                               std::string_view health_body) {
  std::optional<Json> doc = jsonio::parse_object(tills_body, kMaxAnswerBytes);
  if (!doc) return std::nullopt;
  const Json* items = jsonio::array(*doc, "tills");
  if (!items) return std::nullopt;
  std::optional<Json> health = jsonio::parse_object(health_body, kMaxAnswerBytes);
  const Json* healths = health ? jsonio::array(*health, "tills") : nullptr;
  std::vector<state::StoreTill> out;
  for (const Json& it : *items) {
    if (!it.is_object()) return std::nullopt;
    state::StoreTill t;
    t.id = jsonio::text(it, "id");
    t.name = jsonio::text(it, "name");
    t.code = jsonio::text(it, "code");
    t.status = jsonio::text(it, "status");
    if (t.id.empty() || t.code.empty() || t.status.empty()) return std::nullopt;
    t.enrolled_at = jsonio::text(it, "enrolled_at");
    t.retired_at = jsonio::text(it, "retired_at");
    t.last_seen_at = jsonio::text(it, "last_seen_at");
    if (healths) {
      for (const Json& h : *healths) {
        if (!h.is_object() || jsonio::text(h, "till_id") != t.id) continue;
        state::TillHealth th;
        const std::string push = jsonio::text(h, "last_push_at");
        const std::string pull = jsonio::text(h, "last_pull_at");
        th.last_sync_at = std::max(push, pull);  // ISO 8601 UTC: text order is time order
        th.seconds_since_sync = jsonio::optional_integer(h, "seconds_since_sync");
        th.outbox_depth = jsonio::optional_integer(h, "outbox_depth");
        th.app_version = jsonio::text(h, "app_version");
        th.clock_skew_ms = jsonio::optional_integer(h, "clock_skew_ms");
        th.open_attention = jsonio::integer(h, "open_attention");
        t.health = std::move(th);
      }
    }
    out.push_back(std::move(t));
  }
  std::stable_partition(out.begin(), out.end(), [](const state::StoreTill& t) { return t.status == "active"; });
  return out;
}

std::optional<state::EnrolCodeShown> parse_enrol_code(std::string_view body) {
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return std::nullopt;
  state::EnrolCodeShown c;
  c.code = jsonio::text(*doc, "code");
  c.expires_at = jsonio::text(*doc, "expires_at");
  if (c.code.empty() || c.expires_at.empty()) return std::nullopt;
  return c;
}

}  // namespace salespider::answers
