// See pool.hpp.
#include "db/pool.hpp"

#include <pqxx/except>

#include "db/errors.hpp"

namespace salespider::db {

bool is_broken_connection(const std::exception& e) { return dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr; }
bool is_in_doubt(const std::exception& e) { return dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr; }

void rethrow_if_timed_out(const std::exception& e) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  if (sql != nullptr && sql->sqlstate() == "57014")
    throw QueryTimeout(std::string("a statement ran over its statement_timeout: ") + e.what());
}

Pool::Pool(std::string conninfo, PoolOptions options) : conninfo_(std::move(conninfo)), options_(std::move(options)) {
  if (options_.size == 0) options_.size = 1;
}

Pool::~Pool() = default;

Pool::Lease::Lease(Pool* pool, std::unique_ptr<pqxx::connection> conn, std::uint64_t generation)
    : pool_(pool), conn_(std::move(conn)), generation_(generation) {}

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), conn_(std::move(other.conn_)), generation_(other.generation_), discard_(other.discard_) {
  other.pool_ = nullptr;
}

Pool::Lease::~Lease() {
  if (pool_ && conn_) pool_->release(std::move(conn_), generation_, discard_);
}

Pool::Lease Pool::acquire() { return acquire(options_.acquire_timeout); }

Pool::Lease Pool::acquire(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const bool got = cv_.wait_for(lock, timeout, [&] {
    return !idle_.empty() || idle_.size() + leased_ + opening_ < options_.size;
  });
  if (!got) {
    throw Unavailable("no database connection free within " + std::to_string(timeout.count()) + " ms (pool of " +
                      std::to_string(options_.size) + ")");
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    ++leased_;
    return Lease(this, std::move(conn), generation_);
  }
  ++opening_;
  const auto generation = generation_;
  lock.unlock();
  std::unique_ptr<pqxx::connection> conn;
  try {
    conn = std::make_unique<pqxx::connection>(conninfo_);
    if (options_.on_connect) options_.on_connect(*conn);
  } catch (const std::exception& e) {
    lock.lock();
    --opening_;
    cv_.notify_one();
    throw Unavailable(std::string("cannot connect to the database: ") + e.what());
  }
  lock.lock();
  --opening_;
  ++leased_;
  return Lease(this, std::move(conn), generation);
}

void Pool::release(std::unique_ptr<pqxx::connection> conn, std::uint64_t generation, bool discard) {
  std::unique_lock lock(mutex_);
  --leased_;
  if (!discard && generation == generation_ && conn->is_open()) {
    idle_.push_back(std::move(conn));
  } else {
    lock.unlock();
    conn.reset();  // closing may touch the network: not under the lock
    lock.lock();
  }
  cv_.notify_one();
}

void Pool::invalidate() {
  std::vector<std::unique_ptr<pqxx::connection>> dropped;
  {
    std::lock_guard lock(mutex_);
    ++generation_;
    dropped.swap(idle_);
  }
  cv_.notify_all();
}

std::size_t Pool::open_connections() const {
  std::lock_guard lock(mutex_);
  return idle_.size() + leased_;
}

}  // namespace salespider::db
