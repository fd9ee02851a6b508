// The till store's error type and Result<T>: what can go wrong with local
// storage, as values (em++ 3.1.6 aborts on any throw, so store/ never throws).
//
// shared/'s BasicResult with an error type of its own: shared/'s Errc are
// domain and wire errors with stable protocol names; these are local
// infrastructure outcomes (a corrupt image, an IndexedDB transaction that
// aborted) that never travel.
#pragma once

#include <string>
#include <utility>

#include "salespider/shared/result.hpp"

namespace salespider::store {

enum class StoreErrc {
  sqlite,          // SQLite said no (context holds its message)
  corrupt_image,   // the persisted database image is unusable
  schema_too_new,  // the image was written by a newer build
  read_only,       // another tab owns the till, or there is no durable storage
  invalid_op,      // the op is malformed (empty id, payload not a JSON object ...)
  duplicate_op,    // already recorded: an op with this op_id is in the journal or was applied
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
using Result = BasicResult<T, StoreError>;
using Status = Result<void>;

inline StoreError store_error(StoreErrc code, std::string context) {
  return StoreError{code, std::move(context)};
}

}  // namespace salespider::store
