// A server SIGKILLed and started again at once (what systemd's Restart= or
// an operator does) comes up: the previous server's embedded postmaster,
// orphaned and still shutting down, is waited for (or stopped) instead of
// failing on "lock file postmaster.pid already exists"; never two
// postmasters on one directory; a sale pushed before the kill is still
// there, once. Five times in a row, with the real binary.
// Not here: PostgreSQL itself killed under pushes (postgres_kill_test.cpp).
#include <thread>

#include "db/embedded_postgres.hpp"
#include "served_store.hpp"

namespace fs = std::filesystem;
using salespider::OpStatus;
using salespider::test::ServedStore;

TEST(RestartAfterKill, AServerKilledAndStartedAgainAtOnceComesUpWithItsData) {
  testpg::TempDir dir("sp-restart");
  ServedStore store(dir.path() / "data", dir.path());
  ASSERT_GT(store.start(), 0) << store.output();
  ASSERT_TRUE(store.seed_and_enrol());
  const fs::path cluster = salespider::db::describe_layout(store.data()).cluster_dir;

  std::vector<std::string> pushed;
  for (int round = 0; round < 5; ++round) {
    const auto op = store.sale();
    const auto answer = store.push({op});
    ASSERT_EQ(answer.status, 200) << answer.body;
    ASSERT_EQ(answer.results.at(0).status, OpStatus::applied) << answer.body;
    pushed.push_back(op.op_id);

    store.kill_hard();
    // 0 to 1.5 s later: while the old postmaster is still shutting down.
    std::this_thread::sleep_for(std::chrono::milliseconds(round * 375));
    ASSERT_GT(store.start(), 0) << "round " << round << ":\n" << store.output();
    EXPECT_EQ(store.health_status(), 200) << "round " << round;
    EXPECT_EQ(salespider::test::postmasters_of(cluster).size(), 1u) << "round " << round;
    for (const auto& id : pushed) EXPECT_EQ(store.stored(id), 1) << "round " << round << " sale " << id;
  }
  EXPECT_EQ(store.stop(), 0) << store.output();
  EXPECT_TRUE(salespider::test::postmasters_of(cluster).empty());
}

TEST(RestartAfterKill, AStaleLockWhosePostgresIsGoneIsRemoved) {
  testpg::TempDir dir("sp-stale");
  ServedStore store(dir.path() / "data", dir.path());
  ASSERT_GT(store.start(), 0) << store.output();
  ASSERT_EQ(store.stop(), 0) << store.output();
  const fs::path cluster = salespider::db::describe_layout(store.data()).cluster_dir;
  // A lock left by a crash whose pid is now another, unrelated process (this
  // test): it must not be signalled, and the server must still start.
  {
    std::ofstream lock(cluster / "postmaster.pid");
    lock << getpid() << "\n" << cluster.string() << "\n0\n5432\n";
  }
  ASSERT_GT(store.start(), 0) << store.output();
  EXPECT_EQ(store.health_status(), 200);
  EXPECT_NE(store.output().find("stale postmaster.pid"), std::string::npos) << store.output();
  EXPECT_EQ(store.stop(), 0) << store.output();
}
