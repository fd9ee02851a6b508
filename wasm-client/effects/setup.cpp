// First-run setup effects: the settings, tax-rate and till calls of the
// wizard; see setup.hpp.
#include "effects/setup.hpp"

#include "answers/audit_answers.hpp"
#include "automation/json_writer.hpp"
#include "platform/page.hpp"

#include <salespider/shared/i18n.hpp>

#include <type_traits>
#include <utility>

namespace salespider::effects {

using i18n::tr;

namespace {

sync::HttpRequest bearer_json(std::string method, std::string url, const std::string& token, std::string body) {
  sync::HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers.emplace_back("Authorization", "Bearer " + token);
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

std::string patch_body(const state::SetupPatch& p, std::int64_t row_version) {
  automation::JsonWriter json;
  json.begin_object();
  json.key("row_version").value(row_version);
  auto text = [&json](const char* key, const std::optional<std::string>& v) {
    if (v) json.key(key).value(*v);
  };
  text("store_name", p.store_name);
  text("address", p.address);
  text("phone", p.phone);
  text("currency", p.currency);
  text("price_mode", p.price_mode);
  text("time_zone", p.time_zone);
  text("date_format", p.date_format);
  if (p.default_tax_rate_id) {
    json.key("default_tax_rate_id");
    if (p.default_tax_rate_id->empty())
      json.null();
    else
      json.value(*p.default_tax_rate_id);
  }
  if (p.enabled_tenders) {
    json.key("enabled_tenders").begin_array();
    for (const std::string& t : *p.enabled_tenders) json.value(t);
    json.end_array();
  }
  if (p.complete) json.key("setup_completed").value(true);
  json.end_object();
  return json.str();
}

}  // namespace

void SetupEffects::handle(const state::Command& command, const state::AppState& s) {
  std::visit(
      [this, &s](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::LoginFinished>) {
          // Only the owner, only signed in online: the wizard is never
          // shown to anyone else, nor offline.
          if (c.user && !c.user->offline && (c.user->role == "owner" || c.user->role == "super_admin"))
            check_needed();
        } else if constexpr (std::is_same_v<C, state::SaveSetup>) {
          if (s.setup.saving)
            save(c.patch, s.setup.settings.row_version, c.next,
                 c.patch.complete ? std::string() : std::string(tr("Saved.")));
        } else if constexpr (std::is_same_v<C, state::SetupTaxRate>) {
          if (s.setup.saving) create_tax_rate(c, s.setup.settings.row_version);
        } else if constexpr (std::is_same_v<C, state::RenameThisTill>) {
          if (s.setup.saving) rename_till(c.name);
        } else if constexpr (std::is_same_v<C, state::SetupOpenProducts>) {
          if (s.screen != state::Screen::BackOffice || !s.setup.active) return;
          if (c.csv)
            ctx_.app.apply(state::OpenCsv{});
          else
            ctx_.app.apply(state::OpenProducts{});
        }
      },
      command);
}

void SetupEffects::check_needed() {
  const std::string token = ctx_.session_token();
  if (token.empty()) return;
  ctx_.http.send(bearer_get("/api/v1/settings", token), [this](sync::HttpResponse r) {
    std::optional<state::SetupSettings> settings;
    if (r.status == 200) settings = answers::parse_setup_settings(r.body);
    ctx_.app.apply(state::SetupNeeded{std::move(settings), platform::page::origin() + "/setup"});
  });
}

void SetupEffects::save(const state::SetupPatch& patch, std::int64_t row_version, state::SetupStep next,
                        std::string done) {
  const std::string token = ctx_.session_token();
  const bool complete = patch.complete;
  if (token.empty()) {
    state::SetupSaved out;
    out.error = tr("Needs the store server and an online sign-in.");
    ctx_.app.apply(std::move(out));
    return;
  }
  ctx_.http.send(bearer_json("PATCH", "/api/v1/settings", token, patch_body(patch, row_version)),
                 [this, next, complete, done](sync::HttpResponse r) {
                   state::SetupSaved out;
                   out.next = next;
                   out.complete = complete;
                   if (r.status == 200) {
                     out.settings = answers::parse_setup_settings(r.body);
                     if (!out.settings) out.error = tr("The store server's answer was not understood.");
                     out.done = done;
                   } else {
                     answers::SetupRefusal why = answers::parse_setup_refusal(r.body);
                     out.error = refusal_text(r);
                     out.field = why.field;
                     out.settings = std::move(why.current);
                   }
                   ctx_.app.apply(std::move(out));
                 });
}

void SetupEffects::create_tax_rate(const state::SetupTaxRate& c, std::int64_t row_version) {
  const std::string token = ctx_.session_token();
  const std::int64_t ppm = state::parse_percent_ppm(c.rate).value_or(0);
  automation::JsonWriter json;
  json.begin_object();
  json.key("code").value(c.code);
  json.key("name").value(c.name.empty() ? c.code : c.name);
  json.key("kind").value(ppm == 0 ? "zero" : "standard");
  json.key("rate_ppm").value(ppm);
  json.end_object();
  const state::SetupStep next = c.next;
  const std::string code = c.code;
  ctx_.http.send(
      bearer_json("POST", "/api/v1/tax-rates", token, json.str()),
      [this, next, row_version, code](sync::HttpResponse r) {
        std::optional<std::string> id = r.status == 201 || r.status == 200 ? answers::created_id(r.body) : std::nullopt;
        if (!id) {
          state::SetupSaved out;
          out.error = r.status == 201 || r.status == 200 ? tr("The store server's answer was not understood.")
                                                         : refusal_text(r);
          out.field = answers::parse_setup_refusal(r.body).field;
          ctx_.app.apply(std::move(out));
          return;
        }
        // The rate exists: make it the store's default (the settings' row_version as read).
        state::SetupPatch patch;
        patch.default_tax_rate_id = *id;
        save(patch, row_version, next, i18n::trf("Tax rate {code} added and made the default.", {{"code", code}}));
      });
}

void SetupEffects::rename_till(const std::string& name) {
  const std::string token = ctx_.session_token();
  if (token.empty() || !ctx_.identity) {
    ctx_.app.apply(state::TillRenamed{name, tr("Needs the store server and an online sign-in.")});
    return;
  }
  automation::JsonWriter json;
  json.begin_object().key("name").value(name).end_object();
  ctx_.http.send(
      bearer_json("PATCH", "/api/v1/tills/" + sync::url_encode(ctx_.identity->till_id), token, json.str()),
      [this, name](sync::HttpResponse r) {
        ctx_.app.apply(state::TillRenamed{name, r.status == 200 ? std::string() : refusal_text(r)});
      });
}

}  // namespace salespider::effects
