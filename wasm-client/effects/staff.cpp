// The Staff screen's API calls; see staff.hpp.
#include "effects/staff.hpp"

#include "answers/catalog_answers.hpp"
#include "answers/people_answers.hpp"
#include "json/fields.hpp"

#include <salespider/shared/i18n.hpp>

#include <type_traits>
#include <utility>

namespace salespider::effects {

namespace {

using i18n::tr;
using jsonio::Json;

sync::HttpRequest with_token(std::string method, std::string url, const std::string& token, const Json& body) {
  sync::HttpRequest r = json_post(std::move(url), body.dump());
  r.method = std::move(method);
  r.headers.emplace_back("Authorization", "Bearer " + token);
  return r;
}

std::string user_url(const std::string& id, const char* tail = "") {
  return "/api/v1/users/" + sync::url_encode(id) + tail;
}

// The request for one change (the body holds only what the server reads).
sync::HttpRequest request_of(const state::StaffAction& a, const std::string& token) {
  using K = state::StaffActionKind;
  switch (a.kind) {
    case K::create: {
      Json body = {{"username", a.username}, {"display_name", a.display_name}, {"role", a.role},
                   {"password", a.password}};
      if (!a.email.empty()) body["email"] = a.email;
      if (!a.pin.empty()) body["pin"] = a.pin;
      return with_token("POST", "/api/v1/users", token, body);
    }
    case K::edit:
      return with_token("PATCH", user_url(a.user_id), token,
                        {{"username", a.username},
                         {"display_name", a.display_name},
                         {"email", a.email.empty() ? Json() : Json(a.email)}});
    case K::set_role:
      return with_token("POST", user_url(a.user_id, "/role"), token, {{"role", a.role}});
    case K::reset_password:
      return with_token("POST", user_url(a.user_id, "/reset-password"), token, {{"password", a.password}});
    case K::set_pin:
      return with_token("PUT", user_url(a.user_id, "/pin"), token, {{"pin", a.pin}});
    case K::remove_pin:
      return with_token("PUT", user_url(a.user_id, "/pin"), token, {{"pin", nullptr}});
    case K::disable:
      return with_token("POST", user_url(a.user_id, "/disable"), token, Json::object());
    case K::enable:
      return with_token("POST", user_url(a.user_id, "/enable"), token, Json::object());
    case K::unlock:
      return with_token("POST", user_url(a.user_id, "/unlock"), token, Json::object());
    case K::revoke_session:
      return with_token("POST", "/api/v1/sessions/" + sync::url_encode(a.session_id) + "/revoke", token,
                        Json::object());
  }
  return {};
}

}  // namespace

void StaffEffects::handle(const state::Command& command, const state::AppState& s) {
  std::visit(
      [this, &s](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::OpenStaff>) {
          if (s.screen == state::Screen::Staff && s.staff.loading) load_people();
        } else if constexpr (std::is_same_v<C, state::OpenStaffMember>) {
          if (s.screen == state::Screen::Staff && !c.id.empty() && s.staff.open_id == c.id) load_sessions(c.id);
        } else if constexpr (std::is_same_v<C, state::StaffAction>) {
          if (s.screen == state::Screen::Staff && s.staff.writing) send(c);
        } else if constexpr (std::is_same_v<C, state::StaffActionDone>) {
          if (s.screen != state::Screen::Staff || !c.error.empty()) return;
          const std::string open = s.staff.open_id;
          load_people();
          if (!open.empty()) load_sessions(open);
        }
      },
      command);
}

void StaffEffects::load_people() {
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::StaffLoaded{{}, tr("Needs the store server and an online sign-in.")});
    return;
  }
  ctx_.http.send(bearer_get("/api/v1/users", token), [this](sync::HttpResponse r) {
    if (r.status != 200) {
      ctx_.app.apply(state::StaffLoaded{{}, refusal_text(r)});
      return;
    }
    auto people = answers::parse_staff(r.body);
    if (!people)
      ctx_.app.apply(state::StaffLoaded{{}, tr("The store server's answer was not understood.")});
    else
      ctx_.app.apply(state::StaffLoaded{std::move(*people), ""});
  });
}

void StaffEffects::load_sessions(const std::string& user_id) {
  const std::string token = ctx_.session_token();
  if (token.empty()) return;
  ctx_.http.send(bearer_get("/api/v1/sessions?user_id=" + sync::url_encode(user_id), token),
                 [this, user_id](sync::HttpResponse r) {
                   if (r.status != 200) {
                     ctx_.app.apply(state::StaffSessionsLoaded{user_id, {}, refusal_text(r)});
                     return;
                   }
                   auto sessions = answers::parse_staff_sessions(r.body);
                   ctx_.app.apply(state::StaffSessionsLoaded{
                       user_id, sessions ? std::move(*sessions) : std::vector<state::StaffSession>{},
                       sessions ? std::string() : std::string(tr("The store server's answer was not understood."))});
                 });
}

void StaffEffects::send(const state::StaffAction& action) {
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::StaffActionDone{action.kind, tr("Needs the store server and an online sign-in."), "", ""});
    return;
  }
  const auto kind = action.kind;
  ctx_.http.send(request_of(action, token), [this, kind](sync::HttpResponse r) {
    state::StaffActionDone done;
    done.kind = kind;
    if (r.status >= 200 && r.status < 300) {
      if (kind == state::StaffActionKind::create) done.created_id = answers::parse_user_id(r.body);
    } else {
      done.error = refusal_text(r);
      if (auto refusal = answers::parse_write_refusal(r.body)) done.field = refusal->field;
    }
    ctx_.app.apply(std::move(done));
  });
}

}  // namespace salespider::effects
