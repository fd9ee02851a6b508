// DATA_PATH on a small tmpfs, filled up by a file while a till pushes sales
// to the real binary: pushes are answered 503 with Retry-After and a
// reason, never `applied` for anything that is not stored; `salespider
// status` and the managers' alert list say the disk is full; once the file
// is removed the server recovers by itself and the till's resent batches
// are stored exactly once. Needs root (mount); skipped with a message
// otherwise.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <map>
#include <thread>

#include "served_store.hpp"

namespace fs = std::filesystem;
using salespider::OpStatus;
using salespider::test::ServedStore;

namespace {

constexpr const char* kPassword = "Disk-full-passw0rd!";

// A tmpfs mounted for the test's lifetime.
class SmallDisk {
 public:
  SmallDisk(const fs::path& at, const std::string& size) : at_(at) {
    fs::create_directories(at);
    mounted_ = mount("tmpfs", at.c_str(), "tmpfs", 0, ("size=" + size + ",mode=0755").c_str()) == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~SmallDisk() {
    if (mounted_) umount2(at_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  fs::path at_;
  bool mounted_ = false;
  std::string error_;
};

// Writes `path` until the filesystem refuses: the disk is then full.
void fill(const fs::path& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  const std::string chunk(1 << 20, 'x');
  while (write(fd, chunk.data(), chunk.size()) > 0) {
  }
  const std::string small(4096, 'x');
  while (write(fd, small.data(), small.size()) > 0) {
  }
  close(fd);
}

std::string login(int port, const std::string& email) {
  httplib::Client c("127.0.0.1", port);
  auto res = c.Post("/api/v1/auth/login", nlohmann::json{{"login", email}, {"password", kPassword}}.dump(),
                    "application/json");
  if (!res || res->status != 200) return "";
  return nlohmann::json::parse(res->body).value("token", "");
}

bool alert_listed(int port, const std::string& token, const std::string& code) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(20, 0);
  auto res = c.Get("/api/v1/server/alerts", {{"Authorization", "Bearer " + token}});
  return res && res->status == 200 && res->body.find("\"" + code + "\"") != std::string::npos;
}

}  // namespace

TEST(DiskFull, PushesAre503WhileTheDiskIsFullAndApplyOnceWhenSpaceReturns) {
  testpg::TempDir dir("sp-diskfull");
  const fs::path data = dir.path() / "data";
  SmallDisk disk(data, "200m");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs for DATA_PATH (needs root): " << disk.error();
  ServedStore store(data, dir.path());
  ASSERT_GT(store.start(), 0) << store.output();
  ASSERT_TRUE(store.seed_and_enrol());
  {
    salespider::test::SalespiderProcess add(dir.path(), {"user", "add", "--data-path", data.string(), "--email",
                                                         "boss@example.com", "--role", "manager", "--password-stdin"},
                                            {}, std::string(kPassword) + "\n");
    ASSERT_EQ(add.wait(), 0) << add.output();
  }
  const std::string token = login(store.port(), "boss@example.com");
  ASSERT_FALSE(token.empty());
  const auto first = store.sale();
  ASSERT_EQ(store.push({first}).results.at(0).status, OpStatus::applied);

  const fs::path filler = data / "filler";
  fill(filler);

  // Push until the database refuses (a table or the WAL needs a page it
  // cannot have); every batch is resent until answered, as a till does.
  std::vector<std::vector<salespider::Op>> pending;
  std::map<std::string, OpStatus> acked;
  bool saw_disk_full = false;
  for (int i = 0; i < 200 && !saw_disk_full; ++i) {
    std::vector<salespider::Op> ops;
    for (int k = 0; k < 10; ++k) ops.push_back(store.sale());
    const auto a = store.push(ops);
    ASSERT_TRUE(a.status == 200 || a.status == 503) << a.status << " " << a.body;
    if (a.status == 200) {
      for (const auto& r : a.results) acked[r.op_id] = r.status;
      continue;
    }
    EXPECT_FALSE(a.retry_after.empty()) << a.body;
    const auto body = nlohmann::json::parse(a.body, nullptr, false);
    const std::string reason = body["error"].value("reason", "");
    EXPECT_TRUE(reason == "disk_full" || reason == "database_down" || reason == "database_unavailable") << a.body;
    saw_disk_full = saw_disk_full || reason == "disk_full";
    pending.push_back(ops);
  }
  ASSERT_TRUE(saw_disk_full) << "the disk filled up but no push was refused for it";
  for (const auto& [op, status] : acked) EXPECT_EQ(store.stored(op), 1) << "acknowledged " << op;

  // status (a separate process) and the managers' tills say why.
  {
    std::string out;
    EXPECT_EQ(store.run({"status"}, &out), 1) << out;
    EXPECT_NE(out.find("disk_full"), std::string::npos) << out;
  }
  EXPECT_TRUE(alert_listed(store.port(), token, "disk_full"));

  // A WAL segment switch needs a new 16 MiB file it cannot have: PostgreSQL
  // may PANIC and restart (or stay down until space returns); pushes meanwhile
  // are still 200 for what is stored or 503, and are resent.
  try {
    store.sql("SELECT pg_switch_wal()");
    store.sql("CHECKPOINT");
  } catch (const std::exception& e) {
    std::cout << "while full: " << e.what() << "\n";
  }
  {
    std::vector<salespider::Op> ops{store.sale(), store.sale()};
    const auto a = store.push(ops);
    ASSERT_TRUE(a.status == 200 || a.status == 503 || a.status == 0) << a.status << " " << a.body;
    if (a.status == 200) {
      for (const auto& r : a.results) acked[r.op_id] = r.status;
    } else {
      pending.push_back(ops);
    }
  }

  {
    std::ifstream log(data / "logs" / "postgres.log");
    const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    std::cout << "PostgreSQL PANICs while full: " << (text.find("PANIC") != std::string::npos ? "yes" : "no") << "\n";
  }

  // Space returns: the server recovers by itself; the resent batches apply.
  fs::remove(filler);
  for (const auto& ops : pending) {
    salespider::test::PushAnswer a;
    for (int attempt = 0; attempt < 240; ++attempt) {
      a = store.push(ops);
      ASSERT_TRUE(a.status == 200 || a.status == 503 || a.status == 0) << a.status << " " << a.body;
      if (a.status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    ASSERT_EQ(a.status, 200) << a.body << "\n" << store.output();
    for (const auto& r : a.results) {
      EXPECT_TRUE(r.status == OpStatus::applied || r.status == OpStatus::duplicate) << r.op_id;
      acked[r.op_id] = r.status;
    }
  }
  for (const auto& [op, status] : acked) EXPECT_EQ(store.stored(op), 1) << op;
  EXPECT_EQ(store.stored(first.op_id), 1);
  EXPECT_EQ(store.health_status(), 200);
  EXPECT_EQ(store.stop(), 0) << store.output();
}
