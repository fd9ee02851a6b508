// Outcome<T>: the value of a server use case, or why not, in words the HTTP
// layer maps to a status (http/routes.cpp send_failure -> http/errors.cpp).
// shared/'s Result<T> carries domain codes (money, carts, the codec); the
// server's use cases also need "not found", "conflict", "forbidden" and
// "locked", which are not domain facts the till computes, so they get this
// small sibling type instead of widening shared/'s wire codes.
// Expected outcomes only: infrastructure failures stay exceptions
// (db::Unavailable -> 503).
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace salespider::service {

enum class Problem {
  invalid,          // 422: well-formed but not acceptable (weak password, bad role name)
  bad_request,      // 400: missing or mistyped fields
  not_found,        // 404
  conflict,         // 409: e-mail or username taken, already retired
  forbidden,        // 403: the table allows the action but not on this target
  unauthenticated,  // 401: wrong password, expired or revoked token
  rate_limited,     // 429: account locked or too many attempts from an address
};

struct Failure {
  Problem problem = Problem::invalid;
  std::string message;  // for the client: never SQL, never a secret
  std::string field;    // the request field at fault, "" when none
};

inline Failure fail(Problem p, std::string message, std::string field = {}) {
  return Failure{p, std::move(message), std::move(field)};
}

template <class T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : v_(std::in_place_index<0>, std::move(value)) {}            // NOLINT: implicit by design
  Outcome(Failure failure) : v_(std::in_place_index<1>, std::move(failure)) {}  // NOLINT: implicit by design
  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  const T& value() const& {
    assert(ok());
    return *std::get_if<0>(&v_);
  }
  T& value() & {
    assert(ok());
    return *std::get_if<0>(&v_);
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const Failure& failure() const& {
    assert(!ok());
    return *std::get_if<1>(&v_);
  }

 private:
  std::variant<T, Failure> v_;
};

struct Done {};
using Completion = Outcome<Done>;

}  // namespace salespider::service
