// See push_unstorable.hpp.
#include "service/push_unstorable.hpp"

#include <nlohmann/json.hpp>

#include "auth/crypto.hpp"

namespace salespider::service::sync {

namespace {
constexpr std::size_t kHeadBytes = 1024;

// Cut `text` at `max` bytes without leaving half a UTF-8 sequence.
std::string utf8_head(std::string_view text, std::size_t max) {
  std::string out(text.substr(0, max));
  if (out.size() < text.size()) {
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80) != 0) out.pop_back();
  }
  return out;
}
}  // namespace

bool holds_nul(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return true;
  // \u0000 is an escape only after an odd number of backslashes ("\\u0000"
  // is a backslash followed by the text u0000).
  for (std::size_t at = text.find("u0000"); at != std::string_view::npos; at = text.find("u0000", at + 1)) {
    std::size_t slashes = 0;
    while (slashes < at && text[at - 1 - slashes] == '\\') ++slashes;
    if (slashes % 2 == 1) return true;
  }
  return false;
}

std::optional<std::string> unstorable_part(const Op& op) {
  if (holds_nul(op.payload)) return std::string("payload");
  if (op.user_id.find('\0') != std::string::npos) return std::string("user_id");
  if (op.grant.find('\0') != std::string::npos) return std::string("grant");
  return std::nullopt;
}

std::string without_nul(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\0')
      out += "\\0";
    else
      out += c;
  }
  return out;
}

std::string safe_payload(std::string_view original, const std::string& reason, std::size_t max_bytes) {
  nlohmann::json u = {{"reason", reason},
                      {"bytes", original.size()},
                      {"sha256", auth::sha256_hex(original)},
                      {"head", without_nul(utf8_head(original, kHeadBytes))}};
  // The whole original when it fits: a manager (or a later fix) can read it.
  if (original.size() / 3 * 4 + 512 < max_bytes) u["base64url"] = auth::base64url_encode(original);
  // Invalid UTF-8 in the head is replaced, never thrown on.
  return nlohmann::json{{"unstorable", u}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Op safe_form(const Op& op, const std::string& reason) {
  Op safe = op;
  safe.payload = safe_payload(op.payload, reason, kMaxPayloadBytes);
  safe.user_id = without_nul(op.user_id);
  safe.grant = without_nul(op.grant);
  return safe;
}

std::string unstorable_message(const std::string& part) {
  return "the op's " + part +
         " holds something the server cannot store (a NUL character or too much data); it is kept for a manager";
}

}  // namespace salespider::service::sync
