// The systemd units `salespider deploy` writes (service/service_control.hpp):
// the server runs DATA_PATH/current/salespider with the .env file, restarts
// on failure, may bind 443/80; the backup timers carry the cron schedules as
// OnCalendar lines; paths with spaces stay one word. When systemd-analyze is
// installed, `systemd-analyze verify` must accept them.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "http_test_support.hpp"
#include "service/service_control.hpp"

namespace control = salespider::service::control;
namespace fs = std::filesystem;
using salespider::test::TempDir;

namespace {

control::UnitInputs inputs(const fs::path& data) {
  control::UnitInputs in;
  in.data_path = data;
  in.env_file = data.parent_path() / "store.env";
  in.production = true;
  in.backups = true;
  in.full_schedule = "0 2 * * 0";
  in.diff_schedule = "0 2 * * 1-6";
  return in;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(ServiceUnits, TheServerUnitRunsTheCurrentReleaseWithTheEnvFile) {
  const auto units = control::render_units(inputs("/srv/sales spider/data"));
  ASSERT_TRUE(units) << units.error().context;
  const auto& s = units->at("salespider.service");
  EXPECT_TRUE(contains(s, "ExecStart=\"/srv/sales spider/data/current/salespider\" serve --data-path "
                          "\"/srv/sales spider/data\" --www \"/srv/sales spider/data/current/www\" --env-file "
                          "\"/srv/sales spider/store.env\"\n"))
      << s;
  EXPECT_TRUE(contains(s, "Environment=NODE_ENV=production\n")) << s;
  EXPECT_TRUE(contains(s, "Restart=on-failure\n")) << s;
  EXPECT_TRUE(contains(s, "AmbientCapabilities=CAP_NET_BIND_SERVICE\n")) << s;
  EXPECT_TRUE(contains(s, "WantedBy=multi-user.target")) << s;
  for (const auto& [name, text] : *units) EXPECT_FALSE(contains(text, "{{")) << name << ":\n" << text;
}

TEST(ServiceUnits, BackupTimersCarryTheCronSchedules) {
  const auto units = control::render_units(inputs("/srv/store"));
  ASSERT_TRUE(units);
  EXPECT_TRUE(contains(units->at("salespider-backup-full.timer"), "OnCalendar=Sun *-*-* 02:00:00\n"));
  EXPECT_TRUE(contains(units->at("salespider-backup-diff.timer"), "OnCalendar=Mon..Sat *-*-* 02:00:00\n"));
  EXPECT_TRUE(contains(units->at("salespider-vacuum.timer"), "OnCalendar=*-*-* 03:30:00\n"));
  EXPECT_TRUE(contains(units->at("salespider-backup-full.service"),
                       "ExecStart=/srv/store/current/salespider backup --type full --data-path /srv/store"));
  EXPECT_TRUE(contains(units->at("salespider-backup-diff.service"), "backup --type diff"));
  EXPECT_TRUE(contains(units->at("salespider-vacuum.service"), " vacuum --data-path /srv/store"));
  EXPECT_TRUE(contains(units->at("salespider-backup-full.timer"), "Persistent=true"));
}

TEST(ServiceUnits, NoBackupTimersWithoutARepositoryOrASchedule) {
  auto in = inputs("/srv/store");
  in.backups = false;
  auto units = control::render_units(in);
  ASSERT_TRUE(units);
  EXPECT_EQ(units->count("salespider-backup-full.timer"), 0U);
  EXPECT_EQ(units->count("salespider-vacuum.timer"), 1U);

  in.backups = true;
  in.diff_schedule = "";
  units = control::render_units(in);
  ASSERT_TRUE(units);
  EXPECT_EQ(units->count("salespider-backup-full.timer"), 1U);
  EXPECT_EQ(units->count("salespider-backup-diff.timer"), 0U);
}

TEST(ServiceUnits, ABadScheduleIsNamed) {
  auto in = inputs("/srv/store");
  in.full_schedule = "0 25 * * *";
  const auto units = control::render_units(in);
  ASSERT_FALSE(units);
  EXPECT_TRUE(contains(units.error().context, "full backup")) << units.error().context;
  EXPECT_TRUE(contains(units.error().context, "hour")) << units.error().context;
}

TEST(ServiceUnits, SystemdAnalyzeVerifyAcceptsThem) {
  if (std::system("command -v systemd-analyze >/dev/null 2>&1") != 0) GTEST_SKIP() << "systemd-analyze is not installed";
  TempDir dir("units");
  const fs::path data = dir.path() / "data";
  fs::create_directories(data / "releases" / "r1" / "www");
  fs::copy_file("/bin/true", data / "releases" / "r1" / "salespider");
  fs::create_directory_symlink("releases/r1", data / "current");
  std::ofstream(dir.path() / "store.env") << "LOG_LEVEL=info\n";
  const auto units = control::render_units(inputs(data));
  ASSERT_TRUE(units);
  std::string paths;
  for (const auto& [name, text] : *units) {
    std::ofstream(dir.path() / name) << text;
    paths += " " + (dir.path() / name).string();
  }
  const auto log = dir.path() / "verify.txt";
  const int rc = std::system(("systemd-analyze verify --man=no" + paths + " >" + log.string() + " 2>&1").c_str());
  std::ifstream in(log);
  const std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (rc != 0 && (contains(out, "Failed to initialize manager") || contains(out, "Failed to setup") ||
                  contains(out, "ailed to create") || contains(out, "System has not been booted with systemd"))) {
    GTEST_SKIP() << "systemd-analyze cannot run here: " << out;
  }
  EXPECT_EQ(rc, 0) << out;
  // Warnings about the units themselves would show even with exit status 0.
  for (const auto& [name, text] : *units) {
    EXPECT_FALSE(contains(out, name + ":")) << out;
  }
}

// postgres.log and supervisor.log are written by processes that keep their
// descriptor (O_APPEND): rotation copies and truncates in place, keeping a
// bounded number of old copies.
TEST(ServiceLogs, RotationCopiesTruncatesAndKeepsABoundedNumberOfFiles) {
  TempDir dir("rotate");
  const auto log = dir.path() / "postgres.log";
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  ASSERT_GE(fd, 0);
  for (int round = 0; round < 5; ++round) {
    const std::string chunk(2000, static_cast<char>('a' + round));
    ASSERT_EQ(::write(fd, chunk.data(), chunk.size()), 2000);
    control::rotate_copy_truncate(log, 1000, 3);
  }
  ASSERT_EQ(::write(fd, "after\n", 6), 6);  // the writer's descriptor still works
  ::close(fd);
  EXPECT_EQ(fs::file_size(log), 6U);
  EXPECT_TRUE(fs::exists(log.string() + ".1"));
  EXPECT_TRUE(fs::exists(log.string() + ".3"));
  EXPECT_FALSE(fs::exists(log.string() + ".4"));
  std::ifstream newest(log.string() + ".1");
  EXPECT_EQ(newest.get(), 'e');

  control::rotate_copy_truncate(log, 1000, 3);  // small enough: untouched
  EXPECT_EQ(fs::file_size(log), 6U);
}

TEST(ServiceLogs, TailReturnsTheLastLines) {
  TempDir dir("tail");
  std::ofstream(dir.path() / "x.log") << "one\ntwo\nthree\nfour\n";
  EXPECT_EQ(control::tail_lines(dir.path() / "x.log", 2), "three\nfour\n");
  EXPECT_EQ(control::tail_lines(dir.path() / "x.log", 10), "one\ntwo\nthree\nfour\n");
  EXPECT_EQ(control::tail_lines(dir.path() / "missing.log", 3), "");
}
