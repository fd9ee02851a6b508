// The embedded PostgreSQL SIGKILLed (the postmaster, then a backend) while a
// till pushes batches of sales over HTTP to the real binary: the pushes in
// between are answered 503 with Retry-After (never a 500, never an ack),
// the server brings PostgreSQL back by itself, and the till, resending each
// batch until it is acknowledged, ends with every op it was told `applied`
// (or `duplicate`) stored exactly once.
// Not here: the server itself killed (restart_after_kill_test.cpp).
#include <atomic>
#include <iostream>
#include <csignal>
#include <map>
#include <mutex>
#include <thread>

#include "db/embedded_postgres.hpp"
#include "served_store.hpp"

namespace fs = std::filesystem;
using salespider::OpStatus;
using salespider::test::ServedStore;

namespace {

// Any postgres process of `cluster` that is not a postmaster: a backend.
pid_t some_backend(const fs::path& cluster, pid_t postmaster) {
  for (const auto& e : fs::directory_iterator("/proc")) {
    const auto name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmd(e.path() / "cmdline");
    std::string text((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
    // Backends name themselves "postgres: <user> <db> ..." (the app role).
    if (text.find("salespider_app") == std::string::npos) continue;
    std::ifstream stat(e.path() / "stat");
    std::string s((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = s.rfind(')');
    std::istringstream rest(s.substr(close + 4));
    pid_t ppid = 0;
    rest >> ppid;
    if (ppid == postmaster) return static_cast<pid_t>(std::stol(name));
  }
  (void)cluster;
  return 0;
}

}  // namespace

TEST(PostgresKill, AcknowledgedOpsSurvivePostgresKilledUnderPushes) {
  testpg::TempDir dir("sp-pgkill");
  ServedStore store(dir.path() / "data", dir.path());
  ASSERT_GT(store.start(), 0) << store.output();
  ASSERT_TRUE(store.seed_and_enrol());
  const fs::path cluster = salespider::db::describe_layout(store.data()).cluster_dir;

  std::mutex mutex;
  std::map<std::string, OpStatus> acked;  // op id -> what the server said
  std::map<int, int> statuses;            // HTTP status -> answers
  std::atomic<int> batches_done{0};
  std::atomic<bool> stop{false};
  std::thread till([&] {
    while (!stop) {
      std::vector<salespider::Op> ops{store.sale(), store.sale(), store.sale()};
      // The till resends the same batch until it gets results (as its outbox does).
      for (int attempt = 0; attempt < 600; ++attempt) {
        const auto a = store.push(ops, 20);
        {
          std::lock_guard lock(mutex);
          ++statuses[a.status];
        }
        if (a.status == 200 && a.results.size() == ops.size()) {
          std::lock_guard lock(mutex);
          for (const auto& r : a.results) acked[r.op_id] = r.status;
          break;
        }
        if (a.status == 503) {
          EXPECT_FALSE(a.retry_after.empty()) << a.body;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      ++batches_done;
    }
  });

  const auto wait_batches = [&](int n) {
    for (int i = 0; i < 1200 && batches_done < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  };
  wait_batches(3);
  auto masters = salespider::test::postmasters_of(cluster);
  ASSERT_EQ(masters.size(), 1u);
  const pid_t first = masters[0];
  ASSERT_EQ(kill(first, SIGKILL), 0);
  wait_batches(batches_done + 4);
  masters = salespider::test::postmasters_of(cluster);
  ASSERT_EQ(masters.size(), 1u) << "the server restarts one PostgreSQL";
  EXPECT_NE(masters[0], first);
  // A backend killed: PostgreSQL itself resets every session and recovers.
  if (const pid_t backend = some_backend(cluster, masters[0])) kill(backend, SIGKILL);
  wait_batches(batches_done + 4);
  stop = true;
  till.join();

  EXPECT_EQ(store.health_status(), 200);
  std::lock_guard lock(mutex);
  for (const auto& [status, n] : statuses) {
    std::cout << "answers with HTTP " << status << ": " << n << "\n";
    EXPECT_TRUE(status == 200 || status == 503) << status << " x" << n;
  }
  ASSERT_GE(acked.size(), 30u);
  for (const auto& [op, status] : acked) {
    EXPECT_TRUE(status == OpStatus::applied || status == OpStatus::duplicate) << op;
    EXPECT_EQ(store.stored(op), 1) << op;
  }
  EXPECT_EQ(store.sql("SELECT count(*) FROM sales WHERE till_id = '" + store.till_id() + "'"),
            std::to_string(acked.size()));
  EXPECT_EQ(store.stop(), 0) << store.output();
}
