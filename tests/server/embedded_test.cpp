// The embedded PostgreSQL: made on first start (as the `postgres` user when
// we are root), data survives a restart, the supervisor restarts a postgres
// that was killed, maintenance holds it down, and a DATA_PATH the postgres
// user cannot reach gets its cluster elsewhere, recorded in postgres.location.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <pqxx/pqxx>
#include <thread>

#include "common_pg.hpp"
#include "db/embedded_postgres.hpp"
#include "db/migrations.hpp"
#include "db/pool.hpp"

namespace fs = std::filesystem;
using salespider::db::EmbeddedOptions;
using salespider::db::EmbeddedPostgres;
using salespider::db::PgState;

namespace {

EmbeddedOptions options_for(const fs::path& data_path) {
  EmbeddedOptions o;
  o.data_path = data_path;
  o.durable = false;
  return o;
}

template <class Pred>
bool eventually(Pred pred, std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

bool accepting(const EmbeddedPostgres& pg) { return PQping(pg.admin_conninfo().c_str()) == PQPING_OK; }

}  // namespace

TEST(Embedded, FirstStartCreatesAUtf8ClusterOwnedByTheRightUserAndRestartKeepsData) {
  testpg::TempDir dir("salespider-embedded");
  const auto data = dir.path() / "data";
  {
    EmbeddedPostgres pg(options_for(data));
    pg.start();
    ASSERT_EQ(pg.state(), PgState::running);
    struct stat st {};
    ASSERT_EQ(stat(pg.layout().cluster_dir.c_str(), &st), 0);
    if (geteuid() == 0) {
      EXPECT_EQ(pg.run_as().name, "postgres");
      EXPECT_EQ(st.st_uid, getpwnam("postgres")->pw_uid) << "PostgreSQL refuses to run as root";
    } else {
      EXPECT_EQ(st.st_uid, geteuid());
    }
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    EXPECT_TRUE(fs::exists(pg.layout().cluster_dir / "salespider.conf"));

    salespider::db::Pool pool(pg.conninfo());
    EXPECT_FALSE(salespider::db::migrate(pool).applied_now.empty());
    auto lease = pool.acquire();
    pqxx::work tx(*lease);
    EXPECT_EQ(tx.exec1("SHOW server_encoding")[0].as<std::string>(), "UTF8");
    EXPECT_EQ(tx.exec1("SHOW archive_mode")[0].as<std::string>(), "on");
    EXPECT_EQ(tx.exec1("SHOW archive_command")[0].as<std::string>(), "/bin/true");
    tx.exec0("UPDATE stores SET name = 'Corner Shop'");
    tx.commit();
  }
  // A new process would do exactly this: same DATA_PATH, no initdb.
  EmbeddedPostgres again(options_for(data));
  again.start();
  salespider::db::Pool pool(again.conninfo());
  EXPECT_TRUE(salespider::db::migrate(pool).applied_now.empty()) << "migrations re-run are no-ops";
  auto lease = pool.acquire();
  pqxx::read_transaction tx(*lease);
  EXPECT_EQ(tx.exec1("SELECT name FROM stores")[0].as<std::string>(), "Corner Shop");
}

TEST(Embedded, TheSupervisorRestartsAPostgresThatWasKilled) {
  testpg::TempDir dir("salespider-embedded");
  std::atomic<int> restarted{0};
  auto o = options_for(dir.path() / "data");
  o.on_restart = [&] { ++restarted; };
  EmbeddedPostgres pg(std::move(o));
  pg.start();
  const pid_t first = pg.pid();
  ASSERT_GT(first, 0);
  ASSERT_EQ(kill(first, SIGKILL), 0);
  ASSERT_TRUE(eventually([&] { return pg.state() == PgState::running && pg.pid() != first && accepting(pg); }))
      << "state " << salespider::db::to_string(pg.state());
  EXPECT_EQ(pg.restarts(), 1);
  EXPECT_EQ(restarted.load(), 1);
}

TEST(Embedded, MaintenanceStopsAndHoldsUntilStartedAgain) {
  testpg::TempDir dir("salespider-embedded");
  EmbeddedPostgres pg(options_for(dir.path() / "data"));
  pg.start();
  pg.enter_maintenance("restore");
  EXPECT_EQ(pg.state(), PgState::maintenance);
  EXPECT_EQ(pg.maintenance_reason(), "restore");
  EXPECT_FALSE(accepting(pg));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_FALSE(accepting(pg)) << "the supervisor must not restart it during maintenance";
  EXPECT_EQ(pg.restarts(), 0);
  pg.leave_maintenance();
  EXPECT_EQ(pg.state(), PgState::running);
  EXPECT_TRUE(accepting(pg));
}

TEST(Embedded, StoppingLeavesNoPostgresBehind) {
  testpg::TempDir dir("salespider-embedded");
  pid_t pid = 0;
  {
    EmbeddedPostgres pg(options_for(dir.path() / "data"));
    pg.start();
    pid = pg.pid();
    ASSERT_GT(pid, 0);
  }
  EXPECT_NE(kill(pid, 0), 0) << "postmaster " << pid << " still running";
  EXPECT_FALSE(fs::exists(dir.path() / "data" / "postgres" / "postmaster.pid"));
}

TEST(Embedded, ADataPathThePostgresUserCannotReachGetsItsClusterElsewhere) {
  if (geteuid() != 0) GTEST_SKIP() << "only root hands the cluster to another user";
  testpg::TempDir dir("salespider-embedded");
  const auto closed = dir.path() / "home";  // like /root: mode 0700
  fs::create_directories(closed);
  fs::permissions(closed, fs::perms::owner_all);
  const auto data = closed / "clone" / "data";
  fs::path cluster;
  {
    EmbeddedPostgres pg(options_for(data));
    pg.start();
    cluster = pg.layout().cluster_dir;
    EXPECT_TRUE(pg.layout().relocated);
    EXPECT_EQ(cluster.parent_path().parent_path(), fs::path("/var/lib/salespider"));
    std::ifstream location(data / "postgres.location");
    std::string recorded;
    std::getline(location, recorded);
    EXPECT_EQ(recorded, cluster.string());
    EXPECT_TRUE(accepting(pg));
  }
  // The next start finds it through postgres.location.
  EXPECT_EQ(salespider::db::describe_layout(data).cluster_dir, cluster);
  std::error_code ec;
  fs::remove_all(cluster.parent_path(), ec);
  EXPECT_FALSE(ec) << "could not remove " << cluster.parent_path() << ": " << ec.message();
  EXPECT_FALSE(fs::exists(cluster.parent_path()));
}
