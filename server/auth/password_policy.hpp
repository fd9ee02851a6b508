// What a password and a PIN must be (docs/security.md "Passwords"). NIST SP
// 800-63B style: length matters, composition rules do not; refuse the
// passwords every attacker tries first and ones built from the account's
// own names. Pure: value in, value out.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salespider/shared/i18n.hpp"

namespace salespider::auth {

inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 1024;

// nullopt when acceptable, else a sentence for the person choosing it: a
// catalogue msgid (i18n.hpp) whose {min} and {max} are the two limits above
// (password_limit_args()).
std::optional<std::string> password_problem(std::string_view password, std::string_view username,
                                            std::string_view email);
// The values of password_problem's placeholders.
std::vector<i18n::Arg> password_limit_args();
// A PIN is 4 to 8 digits, not all the same digit and not a straight run (a
// catalogue msgid without placeholders).
std::optional<std::string> pin_problem(std::string_view pin);

// A random password that passes password_problem (first owner, CLI).
std::string generate_password();

}  // namespace salespider::auth
