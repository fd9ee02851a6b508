// See common_pg.hpp. The server is stopped and its directory removed by a
// GoogleTest environment at the end of the test program.
#include "common_pg.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <stdexcept>

#include "db/embedded_postgres.hpp"
#include "db/pool.hpp"
#include "db/roles.hpp"
#include "log/log.hpp"

namespace fs = std::filesystem;

namespace testpg {
namespace {

struct Server {
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<salespider::db::EmbeddedPostgres> embedded;
  std::string base;  // conninfo without dbname
  std::string error;
};

std::mutex g_mutex;
std::unique_ptr<Server> g_server;

Server& server() {
  std::lock_guard lock(g_mutex);
  if (!g_server) {
    g_server = std::make_unique<Server>();
    if (const char* external = std::getenv("SALESPIDER_TEST_CONNINFO"); external != nullptr && *external != '\0') {
      g_server->base = external;
    } else {
      try {
        salespider::log::init(salespider::log::Level::warn);
        g_server->dir = std::make_unique<TempDir>("salespider-testpg");
        salespider::db::EmbeddedOptions o;
        o.data_path = g_server->dir->path() / "data";
        o.database = "salespider_test_template";
        o.durable = false;
        g_server->embedded = std::make_unique<salespider::db::EmbeddedPostgres>(std::move(o));
        g_server->embedded->start();
        const auto& layout = g_server->embedded->layout();
        g_server->base = "host=" + salespider::db::conninfo_quote(layout.socket_dir.string()) + " port=" +
                         std::to_string(salespider::db::kEmbeddedPort) + " user=postgres connect_timeout=10";
      } catch (const std::exception& e) {
        g_server->error = e.what();
      }
    }
  }
  if (!g_server->error.empty()) {
    throw std::runtime_error(
        "db tests need PostgreSQL 15: the embedded test cluster did not start (" + g_server->error +
        "). Install the `postgresql` package (make deps), or point SALESPIDER_TEST_CONNINFO at a server, e.g. "
        "SALESPIDER_TEST_CONNINFO='host=/var/run/postgresql user=postgres'");
  }
  return *g_server;
}

class Environment : public ::testing::Environment {
 public:
  void TearDown() override {
    std::lock_guard lock(g_mutex);
    if (g_server) {
      g_server->embedded.reset();  // stops postgres
      g_server->dir.reset();       // removes the cluster
      g_server.reset();
    }
  }
};

// GoogleTest owns environments it is given.
[[maybe_unused]] ::testing::Environment* const g_environment =
    ::testing::AddGlobalTestEnvironment(new Environment);  // NOLINT(cppcoreguidelines-owning-memory)

std::atomic<int> g_counter{0};

}  // namespace

std::string admin_conninfo() { return server().base + " dbname=postgres"; }

std::string conninfo_for(const std::string& database) {
  return server().base + " dbname=" + salespider::db::conninfo_quote(database);
}

std::string app_conninfo_for(const std::string& database) {
  if (!server().embedded) return conninfo_for(database);
  salespider::db::Pool owner(conninfo_for(database), salespider::db::PoolOptions{1, std::chrono::seconds(30), {}});
  salespider::db::ensure_app_role(owner, salespider::db::kAppRole);
  salespider::db::grant_app_role(owner, salespider::db::kAppRole, "");
  // In libpq's key=value syntax the last `user` wins.
  return conninfo_for(database) + " user=" + salespider::db::kAppRole;
}

std::string url_for(const std::string& database) {
  auto& s = server();
  if (!s.embedded) return "";
  return "postgresql://postgres@/" + database + "?host=" + s.embedded->layout().socket_dir.string();
}

fs::path cluster_data_path() {
  auto& s = server();
  return s.dir ? s.dir->path() / "data" : fs::path();
}

TempDatabase::TempDatabase()
    : name_("salespider_test_" + std::to_string(getpid()) + "_" + std::to_string(g_counter++)) {
  pqxx::connection c(admin_conninfo());
  pqxx::nontransaction tx(c);
  tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(name_));
  tx.exec0("CREATE DATABASE " + tx.quote_name(name_) + " TEMPLATE template0 ENCODING 'UTF8'");
  conninfo_ = conninfo_for(name_);
}

TempDatabase::~TempDatabase() {
  try {
    pqxx::connection c(admin_conninfo());
    pqxx::nontransaction tx(c);
    tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "could not drop " << name_ << ": " << e.what();
  }
}

TempDir::TempDir(const std::string& prefix) {
  std::string templ = "/tmp/" + prefix + "-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + templ);
  path_ = templ;
  // mkdtemp makes it 0700; the postgres user must be able to traverse it.
  fs::permissions(path_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace testpg
