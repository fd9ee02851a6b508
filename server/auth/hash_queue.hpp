// Admission to password hashing. Argon2id at 64 MiB costs real memory and
// a fraction of a second of a core, and it runs on the HTTP worker that
// asked for it: without a bound, a flood of logins would queue every worker
// behind the hashes and the server would stop answering anything.
//
// At most max_concurrent hashes run at once (memory), at most max_waiting
// more wait for a slot (workers), and none waits longer than max_wait (the
// worker's time). A request that finds the queue full, or waits too long,
// gets HashingBusy, which the HTTP front answers with 503 and Retry-After.
// Not here: who may try how often (login lockouts, service/auth.cpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>

namespace salespider::auth {

struct HashQueueLimits {
  std::uint32_t max_concurrent = 4;
  std::uint32_t max_waiting = 4;
  std::chrono::milliseconds max_wait{2000};
};

// The hashing queue was full, or the wait for a slot ran out.
class HashingBusy : public std::runtime_error {
 public:
  HashingBusy() : std::runtime_error("password hashing is at capacity") {}
  // What a client should wait before trying again.
  static constexpr std::chrono::seconds retry_after{1};
};

// Holds one hashing slot for its lifetime; the constructor waits for one
// within the limits or throws HashingBusy. One queue per process.
class HashSlot {
 public:
  explicit HashSlot(const HashQueueLimits& limits);
  ~HashSlot();
  HashSlot(const HashSlot&) = delete;
  HashSlot& operator=(const HashSlot&) = delete;
};

}  // namespace salespider::auth
