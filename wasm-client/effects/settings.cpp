// The Settings screen's server calls and logo file; see settings.hpp.
#include "effects/settings.hpp"

#include "answers/settings_answers.hpp"
#include "auth/accounts.hpp"
#include "platform/files.hpp"

#include <salespider/shared/i18n.hpp>

#include <type_traits>
#include <utility>

namespace salespider::effects {

namespace {

using i18n::tr;

// 64 KiB of image is about 87,400 characters of base64.
constexpr std::size_t kMaxLogoDataUrl = 87'400 + 32;

sync::HttpRequest bearer(std::string method, std::string url, const std::string& token, std::string body = {}) {
  sync::HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers.emplace_back("Authorization", "Bearer " + token);
  if (!body.empty()) r.headers.emplace_back("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

}  // namespace

void SettingsEffects::handle(const state::Command& command, const state::AppState& s) {
  std::visit(
      [this, &s](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::OpenSettings>) {
          if (s.screen == state::Screen::Settings && s.settings.loading) load(s);
        } else if constexpr (std::is_same_v<C, state::SaveSettings> ||
                             std::is_same_v<C, state::SettingsKeepMine>) {
          if (s.busy && s.screen == state::Screen::Settings) save(s);
        } else if constexpr (std::is_same_v<C, state::PickLogo>) {
          if (s.screen == state::Screen::Settings && !s.settings.offline) pick_logo();
        }
      },
      command);
}

void SettingsEffects::load(const state::AppState& s) {
  const std::string token = ctx_.session_token();
  const state::StoreSettings local = state::settings_of(s.store);
  auto offline = [this, local] { ctx_.app.apply(state::SettingsLoaded{local, {}, "", true}); };
  if (token.empty() || (s.user && s.user->offline)) {
    offline();
    return;
  }
  ctx_.http.send(bearer("GET", "/api/v1/settings", token), [this, token, offline](sync::HttpResponse r) {
    if (no_answer(r)) {
      offline();
      return;
    }
    if (r.status != 200) {
      ctx_.app.apply(state::SettingsLoaded{std::nullopt, {}, auth::error_message(r.body, r.status), false});
      return;
    }
    std::optional<state::StoreSettings> got = answers::parse_settings(r.body);
    if (!got) {
      ctx_.app.apply(
          state::SettingsLoaded{std::nullopt, {}, tr("The store server's answer was not understood."), false});
      return;
    }
    // The default tax rate picker's choices; without them the picker shows the id.
    ctx_.http.send(bearer("GET", "/api/v1/tax-rates", token), [this, settings = *got](sync::HttpResponse t) {
      std::vector<state::TaxChoice> rates;
      if (t.status == 200) rates = answers::parse_tax_choices(t.body);
      ctx_.app.apply(state::SettingsLoaded{settings, std::move(rates), "", false});
    });
  });
}

void SettingsEffects::save(const state::AppState& s) {
  const std::string token = ctx_.session_token();
  if (token.empty() || !s.settings.server) {
    ctx_.app.apply(state::SettingsSaved{std::nullopt, tr("Needs the store server and an online sign-in."), "", {}});
    return;
  }
  const std::string body = answers::settings_patch_body(*s.settings.server, s.settings.draft);
  ctx_.http.send(bearer("PATCH", "/api/v1/settings", token, body), [this](sync::HttpResponse r) {
    if (r.status == 200) {
      std::optional<state::StoreSettings> saved = answers::parse_settings(r.body);
      if (saved) {
        ctx_.app.apply(state::SettingsSaved{std::move(saved), "", "", {}});
        // The till applies the change when the pull feed brings it: ask now.
        ctx_.app.apply(state::SyncNow{});
      } else
        ctx_.app.apply(state::SettingsSaved{std::nullopt, tr("The store server's answer was not understood."), "", {}});
      return;
    }
    const std::string why = refusal_text(r);
    answers::SettingsRefusal refusal = answers::parse_settings_refusal(r.body);
    ctx_.app.apply(state::SettingsSaved{std::nullopt, why, refusal.field, std::move(refusal.current)});
  });
}

void SettingsEffects::pick_logo() {
  platform::files::pick_data_url_file(".png,.jpg,.jpeg,image/png,image/jpeg", [this](platform::files::Picked p) {
    if (!p.error.empty()) {
      ctx_.app.apply(state::LogoChosen{"", p.error});
      return;
    }
    if (p.name.empty()) return;  // cancelled
    const bool image = p.text.rfind("data:image/png;base64,", 0) == 0 || p.text.rfind("data:image/jpeg;base64,", 0) == 0;
    if (!image) {
      ctx_.app.apply(state::LogoChosen{"", tr("Choose a PNG or JPEG image.")});
      return;
    }
    if (p.text.size() > kMaxLogoDataUrl) {
      ctx_.app.apply(state::LogoChosen{"", tr("The image is larger than 64 KiB: choose a smaller one.")});
      return;
    }
    ctx_.app.apply(state::LogoChosen{std::move(p.text), ""});
  });
}

}  // namespace salespider::effects
