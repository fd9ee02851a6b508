// Outcome<T>: the value of a server use case, or why not, in words the HTTP
// layer maps to a status (http/routes.cpp send_failure -> http/errors.cpp).
// shared/'s Result<T> carries domain codes (money, carts, the codec); the
// server's use cases also need "not found", "conflict", "forbidden" and
// "locked", which are not domain facts the till computes, so they get this
// error type of their own over shared/'s one BasicResult template instead
// of widening shared/'s wire codes.
// Expected outcomes only: infrastructure failures stay exceptions
// (db::Unavailable -> 503).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "salespider/shared/i18n.hpp"
#include "salespider/shared/result.hpp"

namespace salespider::service {

enum class Problem {
  invalid,          // 422: well-formed but not acceptable (weak password, bad role name)
  bad_request,      // 400: missing or mistyped fields
  not_found,        // 404
  conflict,         // 409: e-mail or username taken, already retired
  forbidden,        // 403: the table allows the action but not on this target
  unauthenticated,  // 401: wrong password, expired or revoked token
  rate_limited,     // 429: account locked or too many attempts from an address
  // A network printer the server relays to (service/printers.hpp): the
  // wire codes are these names, so a till can tell them apart.
  printer_disabled,     // 409: switched off in the settings
  printer_unreachable,  // 502: no connection (refused, timed out, unknown name, dropped)
  printer_timeout,      // 504: connected, but it stopped taking data
};

struct Failure {
  Problem problem = Problem::invalid;
  std::string message;  // for the client: never SQL, never a secret
  std::string field;    // the request field at fault, "" when none
  // More for the client, merged into the error object: a stale write's
  // {"current": <the row as it is now>}, a taken barcode's
  // {"other_product": {id, name}}. Null when there is nothing more.
  nlohmann::json detail;
  // Values of the message's {name} placeholders: the message is English text
  // with placeholders, translated per request by http/ (i18n.hpp).
  std::vector<i18n::Arg> args;
  // The message in English with its placeholders filled (logs, the CLI).
  std::string text() const { return i18n::format(message, args); }
};

inline Failure fail(Problem p, std::string message, std::string field = {}) {
  return Failure{p, std::move(message), std::move(field), nullptr, {}};
}
// The same with {name} placeholders: fail(Problem::conflict, "barcode {barcode} is used by {product}",
// "barcodes", {{"barcode", b}, {"product", name}}) — the message stays one catalogue entry.
inline Failure fail(Problem p, std::string message, std::string field, std::initializer_list<i18n::Arg> args) {
  return Failure{p, std::move(message), std::move(field), nullptr, std::vector<i18n::Arg>(args)};
}
// A write carried a row_version older than the row's: 409 with the row as it
// is now, so the screen can show both.
inline Failure stale(nlohmann::json current) {
  return Failure{Problem::conflict, i18n::N_("someone else changed this since you read it"), "row_version",
                 nlohmann::json{{"current", std::move(current)}}, {}};
}

template <class T>
using Outcome = BasicResult<T, Failure>;

struct Done {};
using Completion = Outcome<Done>;

}  // namespace salespider::service
