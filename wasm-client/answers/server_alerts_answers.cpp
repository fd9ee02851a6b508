// See server_alerts_answers.hpp.
#include "answers/server_alerts_answers.hpp"

#include "json/fields.hpp"

#include <utility>

namespace salespider::answers {

std::optional<std::vector<state::ServerAlert>> parse_server_alerts(std::string_view body) {
  std::optional<jsonio::Json> doc = jsonio::parse_object(body, 256 * 1024);
  if (!doc) return std::nullopt;
  const jsonio::Json* alerts = jsonio::array(*doc, "alerts");
  if (alerts == nullptr) return std::nullopt;
  std::vector<state::ServerAlert> out;
  for (const jsonio::Json& a : *alerts) {
    if (!a.is_object()) return std::nullopt;
    state::ServerAlert alert;
    alert.code = jsonio::text(a, "code");
    alert.since = jsonio::text(a, "since");
    alert.message = jsonio::text(a, "message");
    alert.detail = jsonio::text(a, "detail");
    if (alert.code.empty()) return std::nullopt;
    out.push_back(std::move(alert));
  }
  return out;
}

}  // namespace salespider::answers
