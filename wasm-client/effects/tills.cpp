// The Tills screen's API calls; see tills.hpp.
#include "effects/tills.hpp"

#include "answers/catalog_answers.hpp"
#include "answers/people_answers.hpp"
#include "json/fields.hpp"
#include "platform/page.hpp"

#include <salespider/shared/i18n.hpp>

#include <type_traits>
#include <utility>

namespace salespider::effects {

namespace {

using i18n::tr;
using jsonio::Json;

}  // namespace

void TillsEffects::handle(const state::Command& command, const state::AppState& s) {
  std::visit(
      [this, &s](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::OpenTills>) {
          if (s.screen == state::Screen::Tills && s.tills.loading) load();
        } else if constexpr (std::is_same_v<C, state::TillAction>) {
          if (s.screen == state::Screen::Tills && s.tills.writing) send(c);
        } else if constexpr (std::is_same_v<C, state::TillActionDone>) {
          if (s.screen == state::Screen::Tills && s.tills.loading) load();
        }
      },
      command);
}

void TillsEffects::load() {
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::TillsLoaded{{}, tr("Needs the store server and an online sign-in.")});
    return;
  }
  ctx_.http.send(bearer_get("/api/v1/tills", token), [this, token](sync::HttpResponse tills) {
    if (tills.status != 200) {
      ctx_.app.apply(state::TillsLoaded{{}, refusal_text(tills)});
      return;
    }
    // The health is a second read; without it the list still shows.
    ctx_.http.send(bearer_get("/api/v1/sync/health", token), [this, tills](sync::HttpResponse health) {
      auto list = answers::parse_store_tills(tills.body, health.status == 200 ? health.body : std::string());
      if (!list)
        ctx_.app.apply(state::TillsLoaded{{}, tr("The store server's answer was not understood.")});
      else
        ctx_.app.apply(state::TillsLoaded{std::move(*list), ""});
    });
  });
}

void TillsEffects::send(const state::TillAction& a) {
  const std::string token = ctx_.session_token();
  const auto kind = a.kind;
  if (token.empty()) {
    ctx_.app.apply(state::TillActionDone{kind, tr("Needs the store server and an online sign-in."), "", std::nullopt});
    return;
  }
  sync::HttpRequest r;
  switch (kind) {
    case state::TillActionKind::rename:
      r = json_post("/api/v1/tills/" + sync::url_encode(a.till_id), Json{{"name", a.name}}.dump());
      r.method = "PATCH";
      break;
    case state::TillActionKind::retire:
      r = json_post("/api/v1/tills/" + sync::url_encode(a.till_id) + "/retire",
                    a.confirm ? Json{{"confirm", true}}.dump() : std::string("{}"));
      break;
    case state::TillActionKind::enrol_code: {
      Json body = Json::object();
      if (!a.name.empty()) body["name"] = a.name;
      r = json_post("/api/v1/tills/enrol-codes", body.dump());
      break;
    }
  }
  r.headers.emplace_back("Authorization", "Bearer " + token);
  ctx_.http.send(r, [this, kind](sync::HttpResponse answer) {
    state::TillActionDone done;
    done.kind = kind;
    if (answer.status < 200 || answer.status >= 300) {
      done.error = refusal_text(answer);
      if (auto refusal = answers::parse_write_refusal(answer.body)) done.field = refusal->field;
    } else if (kind == state::TillActionKind::enrol_code) {
      done.code = answers::parse_enrol_code(answer.body);
      if (!done.code)
        done.error = tr("The store server's answer was not understood.");
      else
        done.code->till_url = platform::page::origin() + "/";
    }
    ctx_.app.apply(std::move(done));
  });
}

}  // namespace salespider::effects
