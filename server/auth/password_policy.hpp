// What a password and a PIN must be (docs/security.md "Passwords"). NIST SP
// 800-63B style: length matters, composition rules do not; refuse the
// passwords every attacker tries first and ones built from the account's
// own names. Pure: value in, value out.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace salespider::auth {

inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 1024;

// nullopt when acceptable, else a sentence for the person choosing it.
std::optional<std::string> password_problem(std::string_view password, std::string_view username,
                                            std::string_view email);
// A PIN is 4 to 8 digits, not all the same digit and not a straight run.
std::optional<std::string> pin_problem(std::string_view pin);

// A random password that passes password_problem (first owner, CLI).
std::string generate_password();

}  // namespace salespider::auth
