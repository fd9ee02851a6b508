// What `salespider restore` asks pgBackRest for, and what it refuses before
// touching anything (service/restore.hpp). No database, no files.
#include <gtest/gtest.h>

#include "service/restore.hpp"

namespace sp = salespider;
using sp::service::restore::Request;
using sp::service::restore::Target;

namespace {

sp::config::Config with_repo() {
  sp::config::Config c;
  c.pgbackrest_repo1_type = "posix";
  c.pgbackrest_repo1_path = "/var/lib/salespider-backups";
  return c;
}

}  // namespace

TEST(RestoreRequest, ATimeTargetIsGivenInUtcAndPromotes) {
  Request r;
  r.target = Target::time;
  r.time = "2026-05-01 19:00:00";
  EXPECT_EQ(sp::service::restore::pgbackrest_restore_args(r, "2026-05-01 17:00:00"),
            (std::vector<std::string>{"--delta", "--log-level-console=warn", "--type=time",
                                      "--target=2026-05-01 17:00:00+00", "--target-action=promote", "restore"}));
}

TEST(RestoreRequest, ASetIsRestoredAsItEndedAndLatestReplaysEverything) {
  Request set;
  set.target = Target::set;
  set.set = "20260501-010000F";
  EXPECT_EQ(sp::service::restore::pgbackrest_restore_args(set, ""),
            (std::vector<std::string>{"--delta", "--log-level-console=warn", "--set=20260501-010000F",
                                      "--type=immediate", "--target-action=promote", "restore"}));
  EXPECT_EQ(sp::service::restore::pgbackrest_restore_args(Request{}, ""),
            (std::vector<std::string>{"--delta", "--log-level-console=warn", "restore"}));
}

TEST(RestoreRequest, MalformedTargetsAndMissingRepositoriesAreRefusedBeforeAnythingChanges) {
  Request r;
  r.target = Target::time;
  r.time = "yesterday 6pm";
  EXPECT_NE(sp::service::restore::request_problem(with_repo(), r).value_or("").find("YYYY-MM-DD HH:MM:SS"),
            std::string::npos);
  r.time = "2026-05-01 18:00:00";
  EXPECT_FALSE(sp::service::restore::request_problem(with_repo(), r));
  EXPECT_NE(sp::service::restore::request_problem(sp::config::Config{}, r).value_or("").find("PGBACKREST_REPO1_TYPE"),
            std::string::npos);
  auto external = with_repo();
  external.database_url = "postgresql://db/salespider";
  EXPECT_NE(sp::service::restore::request_problem(external, r).value_or("").find("DATABASE_URL"), std::string::npos);
  Request set;
  set.target = Target::set;
  set.set = "20260501-010000F; rm -rf /";
  EXPECT_TRUE(sp::service::restore::request_problem(with_repo(), set));
  set.set = "20260501-010000F_20260502-010000D";
  EXPECT_FALSE(sp::service::restore::request_problem(with_repo(), set));
}
