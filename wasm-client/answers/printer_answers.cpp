// See printer_answers.hpp.
#include "answers/printer_answers.hpp"

#include "json/fields.hpp"

#include <utility>

namespace salespider::answers {

std::optional<std::vector<state::NetworkPrinter>> parse_printers(std::string_view body) {
  std::optional<jsonio::Json> doc = jsonio::parse_object(body, 1024 * 1024);
  if (!doc) return std::nullopt;
  const jsonio::Json* printers = jsonio::array(*doc, "printers");
  if (printers == nullptr) return std::nullopt;
  std::vector<state::NetworkPrinter> out;
  for (const jsonio::Json& p : *printers) {
    if (!p.is_object()) return std::nullopt;
    state::NetworkPrinter n;
    n.id = jsonio::text(p, "id");
    n.name = jsonio::text(p, "name");
    n.paper_mm = static_cast<int>(jsonio::integer(p, "paper_mm"));
    n.code_page = jsonio::text(p, "code_page");
    n.enabled = jsonio::flag(p, "enabled", true);
    if (n.id.empty() || n.name.empty() || (n.paper_mm != 58 && n.paper_mm != 80)) return std::nullopt;
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace salespider::answers
