// Context and the request helpers; see context.hpp.
#include "effects/context.hpp"

#include "platform/platform.hpp"
#include "platform/storage.hpp"
#include "state/language.hpp"

#include <salespider/shared/i18n.hpp>

#include <utility>

namespace salespider::effects {

Context::Context(App& app_in, TillStorage& storage_in, sync::HttpClient& http_in)
    : app(app_in),
      storage(storage_in),
      http(http_in),
      ids([] { return platform::storage::wall_clock_ms(); }, [] { return platform::storage::random_u64(); }) {
}

std::int64_t Context::now_ms() const {
  return platform::storage::wall_clock_ms();
}

std::vector<auth::LocalAccount> load_accounts(store::Store* s) {
  std::vector<auth::LocalAccount> out;
  if (!s) return out;
  auto q = s->db().prepare("SELECT v FROM settings WHERE k >= ?1 AND k < ?2 ORDER BY k");
  if (!q) return out;
  store::Statement& st = q.value();
  st.bind(1, std::string(auth::kAccountKeyPrefix)).bind(2, std::string("account;"));
  while (true) {
    auto row = st.step();
    if (!row || !row.value()) break;
    if (std::optional<auth::LocalAccount> a = auth::decode_account(st.text(0))) out.push_back(std::move(*a));
  }
  return out;
}

std::string display_name_of(store::Store* s, const std::string& user_id) {
  for (const auth::LocalAccount& a : load_accounts(s))
    if (a.user.id == user_id) return a.user.display_name;
  return std::string();
}

std::string local_time(const state::AppState& s, std::int64_t wall_ms, const std::string& time_zone) {
  return state::format_store_time(platform::format_local_time(wall_ms, time_zone), state::date_pattern_of(s),
                                  s.store.time_format);
}

sync::HttpRequest json_post(std::string url, std::string body) {
  sync::HttpRequest r;
  r.method = "POST";
  r.url = std::move(url);
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

sync::HttpRequest bearer_get(std::string url, const std::string& token) {
  sync::HttpRequest r;
  r.method = "GET";
  r.url = std::move(url);
  r.headers.emplace_back("Authorization", "Bearer " + token);
  return r;
}

const char* offline_text() { return i18n::tr("Needs the store server — you are offline."); }

std::string refusal_text(const sync::HttpResponse& r) {
  return no_answer(r) ? std::string(offline_text()) : auth::error_message(r.body, r.status);
}

bool no_answer(const sync::HttpResponse& r) {
  return r.status == 0 || r.status == 502 || r.status == 503 || r.status == 504;
}

}  // namespace salespider::effects
