// Backups without a running server: `backup check` starts the embedded
// cluster itself and fails clearly when the repository is unreachable; the
// secrets archive round trip (plain and encrypted); with the repository
// broken, pgBackRest's queue limit keeps pg_wal bounded instead of letting it
// fill the disk.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "backup_test_support.hpp"
#include "db/embedded_postgres.hpp"
#include "db/pgbackrest.hpp"
#include "service/secrets_archive.hpp"
#include "support/secret_file.hpp"

namespace fs = std::filesystem;
using namespace backup_test;

TEST(Backups, CheckWorksWithoutARunningServerAndFailsClearlyWhenTheRepositoryIsUnreachable) {
  testpg::TempDir dir("sp-backup");
  const auto site = make_site(dir);
  const auto ok = run(site, {"backup", "check"});
  ASSERT_EQ(ok.rc, 0) << "no server: the command starts the cluster itself\n" << ok.out;
  EXPECT_FALSE(fs::exists(site.data / "postgres" / "postmaster.pid")) << "and stops it again";

  fs::remove_all(site.repo);
  std::ofstream(site.repo) << "not a directory\n";
  const auto broken = run(site, {"backup", "check"});
  EXPECT_EQ(broken.rc, 1) << broken.out;
  EXPECT_NE(broken.out.find(site.repo.string() + " (PGBACKREST_REPO1_PATH) exists but is not a directory"),
            std::string::npos)
      << broken.out;
  const auto backup = run(site, {"backup"});
  EXPECT_EQ(backup.rc, 1) << backup.out;
}


TEST(SecretsArchive, RoundTripPutsTheCaAndKeysBackPlainOrEncrypted) {
  namespace bk = salespider::service::backups;
  testpg::TempDir dir("sp-secrets");
  const auto data = dir.path() / "data";
  fs::create_directories(data / "tls");
  fs::create_directories(data / "keys");
  std::ofstream(data / "tls" / "ca.key") << "CA PRIVATE KEY";
  std::ofstream(data / "tls" / "ca.crt") << "CA CERT";
  std::ofstream(data / "keys" / "grant-signing.key") << "GRANT KEY";
  const auto env = dir.path() / ".env";
  std::ofstream(env) << "DOMAIN=shop.local\n";

  for (const std::string pass : {"", "correct horse"}) {
    const auto archive = dir.path() / ("secrets" + std::to_string(pass.size()) + ".tar");
    bk::write_secrets_archive({data, env}, pass, archive);
    EXPECT_EQ(bk::secrets_archive_encrypted(archive), !pass.empty());
    if (!pass.empty()) {
      EXPECT_EQ(read_all(archive).find("CA PRIVATE KEY"), std::string::npos) << "encrypted means unreadable";
      EXPECT_FALSE(bk::restore_secrets(archive, dir.path() / "other", false, "wrong pass").ok());
      EXPECT_FALSE(bk::restore_secrets(archive, dir.path() / "other", false, "").ok());
    }
    const auto restored = dir.path() / ("restored" + std::to_string(pass.size()));
    fs::create_directories(restored / "tls");
    std::ofstream(restored / "tls" / "ca.crt") << "KEEP ME";
    const auto r = bk::restore_secrets(archive, restored, false, pass);
    ASSERT_TRUE(r.ok()) << r.error().context;
    EXPECT_EQ(read_all(restored / "tls" / "ca.key"), "CA PRIVATE KEY");
    EXPECT_EQ(salespider::support::permission_bits(restored / "tls" / "ca.key"), 0600u);
    EXPECT_EQ(read_all(restored / "keys" / "grant-signing.key"), "GRANT KEY");
    EXPECT_EQ(read_all(restored / "tls" / "ca.crt"), "KEEP ME") << "present files stay unless overwrite";
    EXPECT_EQ(read_all(restored / bk::kRestoredEnvName), "DOMAIN=shop.local\n");
    ASSERT_TRUE(bk::restore_secrets(archive, restored, true, pass).ok());
    EXPECT_EQ(read_all(restored / "tls" / "ca.crt"), "CA CERT");
  }
}


TEST(Backups, WithTheRepositoryBrokenPgWalStaysBoundedByTheQueueLimit) {
  namespace pgb = salespider::db::pgbackrest;
  testpg::TempDir dir("sp-walcap");
  const auto data = dir.path() / "data";
  const auto repo = dir.path() / "repo";
  std::ofstream(repo) << "a file where the repository should be\n";  // unreachable from the start
  auto settings = std::make_shared<pgb::Settings>();
  settings->repo1_type = "posix";
  settings->repo1_path = repo.string();
  settings->options["archive-push-queue-max"] = "32MiB";  // two 16 MiB segments
  salespider::db::EmbeddedOptions eo;
  eo.data_path = data;
  eo.durable = false;
  eo.backups = settings;
  salespider::db::EmbeddedPostgres pg(eo);
  pg.start();

  PGconn* c = PQconnectdb(pg.admin_conninfo().c_str());
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  const auto exec = [&](const char* sql) {
    PGresult* r = PQexec(c, sql);
    const std::string value = PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    return value;
  };
  exec("CREATE TABLE filler (n int)");
  for (int i = 0; i < 8; ++i) {
    exec("INSERT INTO filler SELECT generate_series(1, 1000)");
    exec("SELECT pg_switch_wal()");
  }
  const auto ready = [&] {
    int n = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(pg.layout().cluster_dir / "pg_wal" / "archive_status", ec)) {
      if (e.path().extension() == ".ready") ++n;
    }
    return n;
  };
  // Each failed push wakes up again on the next switch; keep switching
  // until pgBackRest has dropped what exceeds the limit.
  const bool bounded = eventually(
      [&] {
        exec("INSERT INTO filler VALUES (1)");
        exec("SELECT pg_switch_wal()");
        return ready() <= 3;
      },
      std::chrono::seconds(40));
  EXPECT_TRUE(bounded) << ready() << " segments still wait for an unreachable repository";
  EXPECT_GT(std::stoi(exec("SELECT failed_count FROM pg_stat_archiver")), 0) << "the repository really was broken";
  EXPECT_GT(std::stoi(exec("SELECT archived_count FROM pg_stat_archiver")), 0)
      << "segments past the limit were reported archived (dropped)";
  PQfinish(c);
  // archive-push's warnings go to PostgreSQL's log, where an operator looks.
  const auto pg_log = read_all(data / "logs" / "postgres.log");
  EXPECT_NE(pg_log.find("because archive queue exceeded"), std::string::npos) << "pgBackRest says it dropped WAL:\n"
                                                                              << pg_log;
}
