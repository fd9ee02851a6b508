// The till store's error type and Result<T>: what can go wrong with local
// storage, as values (em++ 3.1.6 aborts on any throw, so store/ never throws).
//
// Deliberately separate from shared/'s Result/Errc: those are domain and wire
// errors with stable protocol names; these are local infrastructure outcomes
// (a corrupt image, an IndexedDB transaction that aborted) that never travel.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace salespider::store {

enum class StoreErrc {
  sqlite,          // SQLite said no (context holds its message)
  corrupt_image,   // the persisted database image is unusable
  schema_too_new,  // the image was written by a newer build
  read_only,       // another tab owns the till, or there is no durable storage
  invalid_op,      // the op is malformed (empty id, payload not a JSON object ...)
  duplicate_op,    // an op with this op_id is already in the journal
  unknown_op,      // no op with this op_id in the journal
  storage_failed,  // the IndexedDB transaction aborted (quota, closed, evicted)
  busy,            // a snapshot is already being written
};

const char* to_string(StoreErrc code) noexcept;

struct StoreError {
  StoreErrc code = StoreErrc::sqlite;
  std::string context;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}           // NOLINT: implicit by design
  Result(StoreError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & {
    assert(ok() && "Result::value() on an error");
    return *std::get_if<0>(&v_);
  }
  const T& value() const& {
    assert(ok() && "Result::value() on an error");
    return *std::get_if<0>(&v_);
  }
  T&& value() && {
    assert(ok() && "Result::value() on an error");
    return std::move(*std::get_if<0>(&v_));
  }
  const StoreError& error() const {
    assert(!ok() && "Result::error() on a value");
    return *std::get_if<1>(&v_);
  }

 private:
  std::variant<T, StoreError> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(StoreError error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  const StoreError& error() const {
    assert(!ok() && "Result::error() on success");
    return *error_;
  }

 private:
  std::optional<StoreError> error_;
};

using Status = Result<void>;

inline StoreError store_error(StoreErrc code, std::string context) {
  return StoreError{code, std::move(context)};
}

}  // namespace salespider::store
