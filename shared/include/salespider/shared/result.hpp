// Result<T>: the value of a domain operation or a typed error saying why not.
//
// shared/ reports expected outcomes (bad input, unknown currency, refund too
// large, malformed payload) as values, never by throwing: em++ 3.1.6 aborts on
// any throw, and the server and the till must see the same outcome. Programmer
// errors (reading the value of a failed Result) are asserts, not Results.
//
// One template, BasicResult<T, E>, for every layer: shared/'s Result<T> pairs
// it with Error (stable wire codes); the till's store (store/store_result.hpp)
// and the server's use cases (service/outcome.hpp) pair it with error types of
// their own, as aliases. Deliberately small: no monadic chaining, no implicit
// conversions between error types.
#pragma once

#include "salespider/shared/errc.hpp"

#include <cassert>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace salespider {

// What went wrong (machine-readable, stable across versions) and the context a
// person needs to fix it (which field, which value).
struct Error {
  Errc code = Errc::invalid_argument;
  std::string context;
};

inline Error make_error(Errc code, std::string context) {
  return Error{code, std::move(context)};
}

template <class T, class E>
class [[nodiscard]] BasicResult {
 public:
  BasicResult(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  BasicResult(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  const T& value() const& {
    assert(ok() && "Result::value() on an error");
    return *std::get_if<0>(&v_);
  }
  T& value() & {
    assert(ok() && "Result::value() on an error");
    return *std::get_if<0>(&v_);
  }
  T&& value() && {
    assert(ok() && "Result::value() on an error");
    return std::move(*std::get_if<0>(&v_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const E& error() const& {
    assert(!ok() && "Result::error() on a value");
    return *std::get_if<1>(&v_);
  }
  E&& error() && {
    assert(!ok() && "Result::error() on a value");
    return std::move(*std::get_if<1>(&v_));
  }
  // The error code, or Errc::ok: handy in tests and switch statements.
  Errc code() const noexcept
    requires std::is_same_v<E, Error>
  {
    return ok() ? Errc::ok : std::get_if<1>(&v_)->code;
  }

 private:
  std::variant<T, E> v_;
};

// BasicResult<void, E>: success carries nothing.
template <class E>
class [[nodiscard]] BasicResult<void, E> {
 public:
  BasicResult() = default;
  BasicResult(E error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  const E& error() const& {
    assert(!ok() && "Result::error() on success");
    return *error_;
  }
  E&& error() && {
    assert(!ok() && "Result::error() on success");
    return std::move(*error_);
  }
  Errc code() const noexcept
    requires std::is_same_v<E, Error>
  {
    return ok() ? Errc::ok : error_->code;
  }

 private:
  std::optional<E> error_;
};

template <class T>
using Result = BasicResult<T, Error>;
using Status = Result<void>;

}  // namespace salespider
