// The language effects; see language.hpp.
#include "effects/language.hpp"

#include "auth/accounts.hpp"
#include "automation/json_writer.hpp"
#include "store/store.hpp"

#include <salespider/shared/i18n.hpp>

#include <variant>

namespace salespider::effects {

namespace {
constexpr const char* kDeviceLanguageSetting = "device_language";
}  // namespace

void Language::start() {
  store::Store* s = ctx_.store();
  if (!s) return;
  if (auto kept = s->setting(kDeviceLanguageSetting); kept && kept.value() && !kept.value()->empty())
    ctx_.app.apply(state::DeviceLanguageLoaded{*kept.value()});
}

void Language::follow(const state::AppState& s) {
  if (i18n::active_language() != s.language) i18n::set_active_language(s.language);
}

void Language::handle(const state::Command& command, const state::AppState& s) {
  const auto* c = std::get_if<state::SetLanguage>(&command);
  if (!c) return;
  if (!s.user) {
    if (ctx_.writable()) (void)ctx_.store()->set_setting(kDeviceLanguageSetting, s.device_language);
    return;
  }
  save_person(*s.user);
  if (!ctx_.session || ctx_.session->token.empty()) return;  // offline sign-in: kept locally only
  automation::JsonWriter body;
  body.begin_object();
  body.key("language");
  if (s.user->language.empty())
    body.null();
  else
    body.value(s.user->language);
  body.end_object();
  sync::HttpRequest r = json_post("/api/v1/me/language", body.str());
  r.method = "PUT";
  r.headers.emplace_back("Authorization", "Bearer " + ctx_.session->token);
  // Kept locally whatever the answer: the next online sign-in brings the server's.
  ctx_.http.send(r, [](sync::HttpResponse) {});
}

// The person's language goes with their local account, so an offline
// sign-in (and the PIN switch) speaks it.
void Language::save_person(const state::User& user) {
  store::Store* s = ctx_.store();
  if (!s || !ctx_.writable()) return;
  auto kept = s->setting(auth::account_key(user.id));
  if (!kept || !kept.value()) return;
  std::optional<auth::LocalAccount> account = auth::decode_account(*kept.value());
  if (!account) return;
  account->user.language = user.language;
  (void)s->set_setting(auth::account_key(user.id), auth::encode_account(*account));
}

}  // namespace salespider::effects
