// See hash_queue.hpp.
#include "auth/hash_queue.hpp"

#include <condition_variable>
#include <mutex>

namespace salespider::auth {
namespace {

struct HashQueue {
  std::mutex mutex;
  std::condition_variable slot_free;
  std::uint32_t running = 0;
  std::uint32_t waiting = 0;
};

HashQueue& queue() {
  static HashQueue q;
  return q;
}

}  // namespace

HashSlot::HashSlot(const HashQueueLimits& limits) {
  auto& q = queue();
  const auto concurrent = limits.max_concurrent == 0 ? 1 : limits.max_concurrent;
  std::unique_lock lock(q.mutex);
  if (q.running >= concurrent) {
    if (q.waiting >= limits.max_waiting) throw HashingBusy();
    ++q.waiting;
    const bool got = q.slot_free.wait_for(lock, limits.max_wait, [&] { return q.running < concurrent; });
    --q.waiting;
    if (!got) throw HashingBusy();
  }
  ++q.running;
}

HashSlot::~HashSlot() {
  auto& q = queue();
  {
    std::lock_guard lock(q.mutex);
    --q.running;
  }
  q.slot_free.notify_one();
}

}  // namespace salespider::auth
