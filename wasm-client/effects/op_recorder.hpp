// OpRecorder: the one place a fact the till did (a sale, refund, void,
// shift open or close, cash movement) becomes an op in the store's journal,
// on behalf of the signed-in person on the enrolled till: the op id fixed
// when its cart or dialog started (Options::op_id; a fresh one otherwise),
// the till id, the person and the offline grant they signed in under. When
// the op is durable in IndexedDB (or its transaction failed) `done` runs;
// then sync is nudged and the storage status republished.
//
// Kinds are typed (shared/'s OpKind); the journal keeps the wire name.
// Deliberately not here: the payloads (shared/payloads.hpp, built by
// selling.cpp and day.cpp) and whether the person may do it (state/).
#pragma once

#include "effects/context.hpp"
#include "state/app_state.hpp"
#include "store/store.hpp"

#include <salespider/shared/protocol.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace salespider::effects {

class OpRecorder {
 public:
  explicit OpRecorder(Context& ctx) : ctx_(ctx) {}

  struct Options {
    bool takes_receipt = false;   // the store issues the next receipt sequence with it
    std::int64_t created_at = 0;  // the till clock; 0: now
    // The op id: a sale's is its cart's sale id, so the store refuses the
    // same sale twice ("already recorded"). Empty: a fresh UUIDv7.
    std::string op_id;
  };
  using RecordedFn = std::function<void(const store::Status&)>;

  // An error when nobody is signed in on an enrolled till, or the store
  // refused the op at once (StoreErrc::duplicate_op: that id is already
  // recorded); `done` runs only when the op was accepted.
  store::Status record(OpKind kind, std::string payload, const state::AppState& s, RecordedFn done);
  store::Status record(OpKind kind, std::string payload, const state::AppState& s, RecordedFn done,
                       Options options);

 private:
  Context& ctx_;
};

}  // namespace salespider::effects
