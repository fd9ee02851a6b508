// Oversight effects: the audit log's and the attention actions' API calls;
// see audit.hpp.
#include "effects/audit.hpp"

#include "answers/audit_answers.hpp"
#include "answers/server_answers.hpp"
#include "automation/json_writer.hpp"
#include "platform/files.hpp"
#include "platform/platform.hpp"

#include <salespider/shared/i18n.hpp>

#include <algorithm>
#include <cctype>
#include <type_traits>
#include <utility>

namespace salespider::effects {

using i18n::tr;
using i18n::trf;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

// "YYYY-MM-DD HH:MM" (platform::format_local_time) read as if it were UTC.
std::optional<std::int64_t> wall_ms(const std::string& local) {
  if (local.size() < 16) return std::nullopt;
  std::string iso = local.substr(0, 16);
  iso[10] = 'T';
  return answers::parse_utc_ms(iso + ":00Z");
}

bool same_login(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

struct Query {
  std::string text;   // "action=...&..." without the leading '?'
  std::string error;  // a filter that cannot be sent, in words
};

Query filter_query(const state::AppState& s) {
  const state::AuditFilter& f = s.audit.filter;
  Query q;
  auto add = [&q](const char* name, const std::string& value) {
    if (value.empty()) return;
    if (!q.text.empty()) q.text += '&';
    q.text += std::string(name) + "=" + sync::url_encode(value);
  };
  std::string user_id = f.actor_user_id;
  if (user_id.empty() && !f.actor_login.empty()) {
    for (const state::KnownUser& u : s.known_users)
      if (same_login(u.username, f.actor_login)) user_id = u.id;
    for (const state::AuditPerson& p : s.audit.people)
      if (same_login(p.username, f.actor_login)) user_id = p.id;
    if (user_id.empty()) {
      q.error = trf("Nobody called {login} is known on this till.", {{"login", f.actor_login}});
      return q;
    }
  }
  add("user_id", user_id);
  add("action", f.action);
  add("entity", f.entity);
  for (auto [name, date, days] : {std::tuple{"from", &f.from, 0}, std::tuple{"to", &f.to, 1}}) {
    if (date->empty()) continue;
    std::optional<std::string> at = day_start_utc(*date, days, s.store.time_zone);
    if (!at) {
      q.error = trf("{field}: a date such as 2026-12-31.", {{"field", name}});
      return q;
    }
    add(name, *at);
  }
  return q;
}

std::string actor_name(const state::AppState& s, const std::string& id) {
  if (id.empty()) return {};
  for (const state::AuditPerson& p : s.audit.people)
    if (p.id == id) return p.name;
  for (const state::KnownUser& u : s.known_users)
    if (u.id == id) return u.display_name;
  return {};
}

std::string note_body(const std::string& note) {
  automation::JsonWriter json;
  json.begin_object().key("note").value(note).end_object();
  return json.str();
}

}  // namespace

std::optional<std::string> day_start_utc(const std::string& date, int days, const std::string& time_zone) {
  if (date.size() != 10) return std::nullopt;
  std::optional<std::int64_t> midnight = answers::parse_utc_ms(date + "T00:00:00Z");
  if (!midnight) return std::nullopt;
  const std::int64_t wall = *midnight + days * kDayMs;
  // The zone's offset at that wall time, found twice (the second guess is
  // right across a daylight-saving change).
  std::int64_t utc = wall;
  for (int i = 0; i < 2; ++i) {
    std::optional<std::int64_t> local = wall_ms(platform::format_local_time(utc, time_zone));
    if (!local) return std::nullopt;
    utc = wall - (*local - utc);
  }
  std::string at = platform::format_local_time(utc, "UTC");
  if (at.size() < 16) return std::nullopt;
  at = at.substr(0, 16);
  at[10] = 'T';
  return at + ":00Z";
}

void AuditEffects::handle(const state::Command& command, const state::AppState& s) {
  std::visit(
      [this, &s](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::OpenAudit>) {
          if (s.screen != state::Screen::Audit) return;
          const bool people = s.audit.people_allowed;
          load_page(s);
          if (people) load_people();
        } else if constexpr (std::is_same_v<C, state::QueryAudit> || std::is_same_v<C, state::AuditPage>) {
          if (s.screen == state::Screen::Audit && s.audit.loading) load_page(s);
        } else if constexpr (std::is_same_v<C, state::VerifyAudit>) {
          if (s.audit.verifying) verify();
        } else if constexpr (std::is_same_v<C, state::ExportAudit>) {
          if (s.audit.exporting) export_csv(s);
        } else if constexpr (std::is_same_v<C, state::ActOnAttention>) {
          if (s.attention_desk.acting_on == c.op_id) act(c);
        }
      },
      command);
}

void AuditEffects::load_page(const state::AppState& s) {
  const std::int64_t before = s.audit.before;
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::AuditLoaded{before, {}, tr("Needs the store server and an online sign-in.")});
    return;
  }
  Query q = filter_query(s);
  if (!q.error.empty()) {
    ctx_.app.apply(state::AuditLoaded{before, {}, q.error});
    return;
  }
  std::string url = "/api/v1/audit?limit=" + std::to_string(state::kAuditPage);
  if (before > 0) url += "&before=" + std::to_string(before);
  if (!q.text.empty()) url += "&" + q.text;
  ctx_.http.send(bearer_get(std::move(url), token), [this, before](sync::HttpResponse r) {
    if (r.status != 200) {
      ctx_.app.apply(state::AuditLoaded{before, {}, refusal_text(r)});
      return;
    }
    std::optional<std::vector<state::AuditRow>> rows = answers::parse_audit_rows(r.body);
    if (!rows) {
      ctx_.app.apply(state::AuditLoaded{before, {}, tr("The store server's answer was not understood.")});
      return;
    }
    const state::AppState& now = ctx_.app.state();
    for (state::AuditRow& row : *rows) {
      row.time_text = platform::format_local_time(answers::parse_utc_ms(row.occurred_at).value_or(0),
                                                  now.store.time_zone);
      row.actor_name = actor_name(now, row.actor_user_id);
    }
    ctx_.app.apply(state::AuditLoaded{before, std::move(*rows), ""});
  });
}

void AuditEffects::load_people() {
  const std::string token = ctx_.session_token();
  if (token.empty()) return;
  ctx_.http.send(bearer_get("/api/v1/users", token), [this](sync::HttpResponse r) {
    if (r.status != 200) return;  // the actor filter falls back to a typed login
    if (std::optional<std::vector<state::AuditPerson>> people = answers::parse_audit_people(r.body))
      ctx_.app.apply(state::AuditPeopleLoaded{std::move(*people)});
  });
}

void AuditEffects::verify() {
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::AuditVerified{std::nullopt, tr("Needs the store server and an online sign-in.")});
    return;
  }
  ctx_.http.send(bearer_get("/api/v1/audit/verify", token), [this](sync::HttpResponse r) {
    if (r.status == 429) {
      ctx_.app.apply(state::AuditVerified{std::nullopt, tr("Another verification is running; try again shortly.")});
      return;
    }
    if (r.status != 200) {
      ctx_.app.apply(state::AuditVerified{std::nullopt, refusal_text(r)});
      return;
    }
    std::optional<state::AuditVerdict> v = answers::parse_audit_verdict(r.body);
    if (!v) {
      ctx_.app.apply(state::AuditVerified{std::nullopt, tr("The store server's answer was not understood.")});
      return;
    }
    ctx_.app.apply(state::AuditVerified{std::move(v), ""});
  });
}

void AuditEffects::export_csv(const state::AppState& s) {
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::AuditExported{tr("Needs the store server and an online sign-in."), ""});
    return;
  }
  Query q = filter_query(s);
  if (!q.error.empty()) {
    ctx_.app.apply(state::AuditExported{q.error, ""});
    return;
  }
  const std::string day = platform::format_local_time(ctx_.now_ms(), s.store.time_zone).substr(0, 10);
  const std::string name = "audit-log-" + day + ".csv";
  std::string url = "/api/v1/audit/export";
  if (!q.text.empty()) url += "?" + q.text;
  ctx_.http.send(bearer_get(std::move(url), token), [this, name](sync::HttpResponse r) {
    if (r.status != 200) {
      ctx_.app.apply(state::AuditExported{refusal_text(r), ""});
      return;
    }
    platform::files::download_text(name, "text/csv", r.body);
    ctx_.app.apply(state::AuditExported{"", trf("Downloaded {file}.", {{"file", name}})});
  });
}

void AuditEffects::act(const state::ActOnAttention& c) {
  const std::string token = ctx_.session_token();
  const std::string op_id = c.op_id;
  if (token.empty()) {
    ctx_.app.apply(state::AttentionAnswered{op_id, tr("Needs the store server and an online sign-in."), ""});
    return;
  }
  sync::HttpRequest r;
  r.method = "POST";
  r.url = "/api/v1/ops/" + sync::url_encode(op_id) + "/" + std::string(state::to_string(c.action));
  r.headers.emplace_back("Authorization", "Bearer " + token);
  r.headers.emplace_back("Content-Type", "application/json");
  // A retry takes no note: it records the op again; its result is the answer.
  r.body = c.action == state::AttentionAction::retry ? std::string("{}") : note_body(c.note);
  const state::AttentionAction action = c.action;
  ctx_.http.send(r, [this, op_id, action](sync::HttpResponse response) {
    state::AttentionAnswered out;
    out.op_id = op_id;
    if (response.status != 200) {
      out.error = refusal_text(response);
    } else if (action == state::AttentionAction::retry) {
      std::optional<std::string> said = answers::retry_outcome(response.body);
      if (said)
        out.said = *said;
      else
        out.error = tr("The store server's answer was not understood.");
    } else {
      out.said = action == state::AttentionAction::resolve ? tr("Resolved: the op leaves the open list.")
                                                           : tr("Dismissed: the op leaves the open list.");
    }
    const bool refresh = out.error.empty() || !no_answer(response);
    ctx_.app.apply(std::move(out));
    // The list as the server has it now (the op left it, or a retry changed it).
    if (refresh && ctx_.app.state().screen == state::Screen::Attention) ctx_.app.apply(state::OpenAttention{});
  });
}

}  // namespace salespider::effects
