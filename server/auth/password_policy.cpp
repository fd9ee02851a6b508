// See password_policy.hpp.
#include "auth/password_policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "auth/crypto.hpp"

namespace salespider::auth {
namespace {

using i18n::N_;

// The most common passwords in public breach lists that are 8+ characters.
constexpr std::array<std::string_view, 24> kCommon{
    "password", "password1", "password123", "12345678", "123456789", "1234567890", "qwertyuiop", "qwerty123",
    "iloveyou", "11111111",  "00000000",    "abc12345", "abcd1234",  "passw0rd",   "sunshine",   "princess",
    "football", "baseball",  "welcome1",    "admin123", "letmein1",  "superman",   "salespider", "changeme",
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Length in code points, so "pässwörd" counts 8, not 10.
std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

std::vector<i18n::Arg> password_limit_args() {
  return {{"min", std::to_string(kMinPasswordLength)}, {"max", std::to_string(kMaxPasswordLength)}};
}

std::optional<std::string> password_problem(std::string_view password, std::string_view username,
                                            std::string_view email) {
  if (code_points(password) < kMinPasswordLength) {
    return N_("the password must be at least {min} characters");
  }
  if (password.size() > kMaxPasswordLength) {
    return N_("the password must be at most {max} bytes");
  }
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password.front(); })) {
    return N_("the password must not be one character repeated");
  }
  const auto l = lower(password);
  for (auto common : kCommon) {
    if (l == common) return N_("the password is one of the most common passwords; choose another");
  }
  const auto u = lower(username);
  if (!u.empty() && l.find(u) != std::string::npos && u.size() >= 3) {
    return N_("the password must not contain the username");
  }
  const auto at = email.find('@');
  const auto local = lower(email.substr(0, at == std::string_view::npos ? email.size() : at));
  if (local.size() >= 3 && l.find(local) != std::string::npos) {
    return N_("the password must not contain the e-mail address");
  }
  return std::nullopt;
}

std::optional<std::string> pin_problem(std::string_view pin) {
  if (pin.size() < 4 || pin.size() > 8 ||
      !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return N_("the PIN must be 4 to 8 digits");
  }
  if (std::all_of(pin.begin(), pin.end(), [&](char c) { return c == pin.front(); })) {
    return N_("the PIN must not be one digit repeated");
  }
  bool up = true;
  bool down = true;
  for (std::size_t i = 1; i < pin.size(); ++i) {
    up = up && pin[i] == pin[i - 1] + 1;
    down = down && pin[i] == pin[i - 1] - 1;
  }
  if (up || down) return N_("the PIN must not be a straight run such as 1234");
  return std::nullopt;
}

std::string generate_password() {
  // 16 characters from an alphabet without look-alikes (0/O, 1/l/I): ~92 bits.
  static constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  while (out.size() < 16) {
    for (char ch : random_bytes(32)) {
      const auto b = static_cast<unsigned char>(ch);
      // Rejection sampling keeps every character equally likely.
      if (b >= 256 - 256 % kAlphabet.size()) continue;
      out.push_back(kAlphabet[b % kAlphabet.size()]);
      if (out.size() == 16) break;
    }
  }
  // Groups of four are easier to read off a screen and type.
  return out.substr(0, 4) + "-" + out.substr(4, 4) + "-" + out.substr(8, 4) + "-" + out.substr(12, 4);
}

}  // namespace salespider::auth
