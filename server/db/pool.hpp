// A fixed-size pool of libpqxx connections. A connection is a single-thread
// "world" (libpqxx doc/thread-safety.md): a Lease gives one thread exclusive
// use of one connection until the Lease is destroyed.
//
// [x] connections are opened lazily, up to `size`, so the server can start
//     while the database is still down
// [x] acquire() blocks up to a timeout, then throws db::Unavailable
// [x] a broken connection is dropped on return and replaced on demand;
//     invalidate() drops every idle one (after PostgreSQL restarted)
// [x] each new connection runs the `on_connect` hook (prepared statements)
// [x] a statement over its timeout (set by the reads that need one,
//     db/read_limits.hpp) is thrown as db::QueryTimeout
//
// This header includes <pqxx/...>: only db/ and db tests include it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <vector>

namespace salespider::db {

struct PoolOptions {
  std::size_t size = 8;
  std::chrono::milliseconds acquire_timeout{5000};
  std::function<void(pqxx::connection&)> on_connect;  // e.g. prepare statements
};

class Pool {
 public:
  Pool(std::string conninfo, PoolOptions options = {});
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    pqxx::connection& operator*() const { return *conn_; }
    pqxx::connection* operator->() const { return conn_.get(); }
    // Do not return this connection to the pool (it is broken or its session
    // state is unknown).
    void discard() { discard_ = true; }

   private:
    friend class Pool;
    Lease(Pool* pool, std::unique_ptr<pqxx::connection> conn, std::uint64_t generation);
    Pool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
    std::uint64_t generation_;
    bool discard_ = false;
  };

  // Throws db::Unavailable when no connection frees up in time or a new one
  // cannot be opened (the message is for the log, not for clients).
  Lease acquire();
  Lease acquire(std::chrono::milliseconds timeout);

  // Runs fn with a leased connection; if the connection turns out to be
  // broken before anything was committed, retries once on a fresh one.
  template <class Fn>
  auto with_connection(Fn&& fn) -> decltype(fn(std::declval<pqxx::connection&>()));

  // Drops idle connections and marks leased ones stale (not reused).
  void invalidate();

  std::size_t size() const { return options_.size; }
  std::size_t open_connections() const;
  const std::string& conninfo() const { return conninfo_; }

 private:
  void release(std::unique_ptr<pqxx::connection> conn, std::uint64_t generation, bool discard);

  std::string conninfo_;
  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  std::size_t leased_ = 0;
  std::size_t opening_ = 0;
  std::uint64_t generation_ = 0;
};

// Declared here so the template below can catch it without including the
// whole of <pqxx/except>.
bool is_broken_connection(const std::exception& e);
bool is_in_doubt(const std::exception& e);
// Throws db::QueryTimeout when `e` is a statement cancelled by its
// statement_timeout (db/read_limits.hpp); returns otherwise.
void rethrow_if_timed_out(const std::exception& e);

template <class Fn>
auto Pool::with_connection(Fn&& fn) -> decltype(fn(std::declval<pqxx::connection&>())) {
  for (int attempt = 0;; ++attempt) {
    auto lease = acquire();
    try {
      return fn(*lease);
    } catch (const std::exception& e) {
      rethrow_if_timed_out(e);
      if (!is_broken_connection(e)) throw;
      lease.discard();
      // A commit whose outcome is unknown must not be replayed.
      if (attempt > 0 || is_in_doubt(e)) throw;
    }
  }
}

}  // namespace salespider::db
