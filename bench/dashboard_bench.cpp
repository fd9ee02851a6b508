// The dashboard of a busy store (issue 24 "Speed"): a store filled by the
// demo generator (service/sync_demo.hpp, the push path, SALESPIDER_DASH_SALES
// sales over 365 days, default 20,000; the 1,000,000 with
// SALESPIDER_DASH_SALES=1000000), then GET /api/v1/reports/dashboard
// over loopback HTTP for a year, a month, a week and today:
//   Cold   the first request after the summaries were dropped (the full
//          materialisation of every day), a few times;
//   Warm   later requests (nothing new: the refresh finds no change), with
//          p50 / p99 / max in ms as counters;
//   Base   the same figures (not the breakdowns) straight from the base
//          tables without summaries, in SQL (db::reports::figures_from_base_tables).
// The cluster is NOT durable (fsync and synchronous_commit off): it only
// speeds up seeding; reads do not touch the WAL. Results: docs/benchmarks.md.
//
// Seeding goes through the push path (about 150 sales/s on a loaded 2-vCPU
// machine), so the seeded, stopped cluster is kept under
// $XDG_CACHE_HOME or ~/.cache /salespider/dashboard-bench-g<generator>-m<migrations>-<sales>-<seed>
// and copied back for each run: the data are the generator's, only not
// regenerated. SALESPIDER_DASH_CACHE=0 disables the cache; remove the
// directory to reseed. The key changes with kGeneratorVersion (bump it when
// service/sync_demo.cpp changes what it writes) and with the set of embedded
// migrations (an edited one would no longer match the cached cluster).
#include <benchmark/benchmark.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <pqxx/pqxx>
#include <thread>

#include "db/database.hpp"
#include "db/embedded_postgres.hpp"
#include "db/migrations.hpp"
#include "db/pool.hpp"
#include "db/reports.hpp"
#include "http/http_server.hpp"
#include "http/routes.hpp"
#include "log/log.hpp"
#include "service/auth.hpp"
#include "service/services.hpp"
#include "service/sync_demo.hpp"
#include "service/users.hpp"

namespace fs = std::filesystem;
namespace sp = salespider;

namespace {

// Bump when service/sync_demo.cpp changes the rows it writes.
constexpr int kGeneratorVersion = 1;

int sales_wanted() {
  const char* v = std::getenv("SALESPIDER_DASH_SALES");
  return v ? std::atoi(v) : 20'000;
}

// The seeded cluster's cache directory ("" = no cache).
fs::path cache_dir(int sales, std::uint64_t seed) {
  const char* off = std::getenv("SALESPIDER_DASH_CACHE");
  if (off && std::string(off) == "0") return {};
  fs::path base;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) base = x;
  else if (const char* h = std::getenv("HOME"); h && *h) base = fs::path(h) / ".cache";
  else return {};
  std::string sums;
  for (const auto& m : sp::db::embedded_migrations()) sums += m.checksum;
  char key[32];
  std::snprintf(key, sizeof key, "%08zx", std::hash<std::string>{}(sums) & 0xffffffffu);
  return base / "salespider" /
         ("dashboard-bench-g" + std::to_string(kGeneratorVersion) + "-m" + key + "-" + std::to_string(sales) + "-" +
          std::to_string(seed));
}

// cp -a keeps the postgres user's ownership and modes, which the cluster needs.
void copy_tree(const fs::path& from, const fs::path& to) {
  const auto cmd = "cp -a '" + from.string() + "' '" + to.string() + "'";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
}

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

class Store {
 public:
  Store() {
    sp::log::init(sp::log::Level::error);
    char dir[] = "/tmp/salespider-dash-XXXXXX";
    if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp");
    dir_ = dir;
    fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    const int sales = sales_wanted();
    const std::uint64_t seed = 1;
    const auto cache = cache_dir(sales, seed);
    const bool cached = !cache.empty() && fs::exists(cache / "data");
    if (cached) {
      copy_tree(cache / "data", dir_ / "data");
      std::cerr << "store of " << sales << " sales copied from " << cache.string() << "\n";
    }
    start_cluster();
    if (!cached) {
      seed_store(sales, seed);
      if (!cache.empty()) {
        db_.reset();
        pg_->stop();
        fs::create_directories(cache.parent_path());
        const auto partial = cache.string() + ".partial";
        fs::remove_all(partial);
        fs::create_directories(partial);
        copy_tree(dir_ / "data", fs::path(partial) / "data");
        fs::rename(partial, cache);
        std::cerr << "seeded store kept in " << cache.string() << "\n";
        start_cluster();
      }
    }
    sp::service::ServicesOptions so;
    services_ = std::make_unique<sp::service::Services>(db_->pool(), so);
    sp::service::NewUser u;
    u.username = "bench-owner";
    u.email = "bench-owner@shop.test";
    u.display_name = "Bench owner";
    u.role = sp::auth::Role::manager;
    u.password = "correct-horse-battery";
    sp::auth::Actor cli;
    cli.via = "cli";
    auto made = services_->users().create(services_->store_id(), u, std::nullopt, cli);
    if (!made) throw std::runtime_error("owner: " + made.error().message);
    sp::service::LoginRequest r;
    r.login = u.username;
    r.password = u.password;
    r.client_ip = "127.0.0.1";
    r.user_agent = "bench";
    r.request_id = "bench";
    token_ = services_->auth().login(r)->token;
    registry_ = std::make_shared<sp::http::RouteRegistry>();
    sp::http::register_api_routes(*registry_, *services_);
    auto authenticator = std::make_shared<sp::http::Authenticator>(sp::http::authenticator_for(*services_));
    sp::http::ServerConfig config;
    config.port = 0;
    config.https_port = 0;
    server_ = std::make_unique<sp::http::HttpServer>(config);
    server_->set_api(registry_, authenticator);
    if (server_->bind() < 0) throw std::runtime_error("bind failed");
    serving_ = std::thread([this] { server_->listen(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->http_port());
    client_->set_keep_alive(true);
    client_->set_read_timeout(600, 0);
    today_ = sp::db::reports::store_clock(db_->pool(), services_->store_id()).today;
  }
  ~Store() {
    client_.reset();
    server_->stop();
    serving_.join();
    services_.reset();
    db_.reset();
    pg_->stop();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void start_cluster() {
    sp::db::EmbeddedOptions o;
    o.data_path = dir_ / "data";
    o.database = "salespider_bench";
    o.durable = false;
    pg_ = std::make_unique<sp::db::EmbeddedPostgres>(std::move(o));
    pg_->start();
    db_ = std::make_unique<sp::db::Database>(pg_->conninfo(), 8);
    sp::db::migrate(db_->pool());
  }

  void seed_store(int sales, std::uint64_t seed) {
    sp::service::sync::DemoOptions demo;
    demo.sales = sales;
    demo.days = 365;
    demo.seed = seed;
    const auto t = std::chrono::steady_clock::now();
    auto seeded = sp::service::sync::seed_demo(db_->pool(), demo);
    if (!seeded) throw std::runtime_error("demo seed: " + seeded.error().text());
    std::cerr << "seeded " << seeded->sales << " sales, " << seeded->refunds << " refunds in "
              << ms_since(t) / 1000.0 << " s\n";
    pqxx::connection c(pg_->conninfo());
    pqxx::nontransaction tx(c);
    tx.exec0("VACUUM ANALYZE");
  }

  // The period of `days` days ending today (the demo's trading ends yesterday).
  std::string from(int days) const {
    pqxx::connection c(pg_->conninfo());
    pqxx::nontransaction tx(c);
    return tx.exec1("SELECT ('" + today_ + "'::date - " + std::to_string(days - 1) + ")::text")[0].as<std::string>();
  }

  bool get(const std::string& from, const std::string& to) {
    auto r = client_->Get(("/api/v1/reports/dashboard?from=" + from + "&to=" + to).c_str(),
                          {{"Authorization", "Bearer " + token_}});
    return r && r->status == 200;
  }

  void drop_summaries() {
    pqxx::connection c(pg_->conninfo());
    pqxx::work tx(c);
    tx.exec0("TRUNCATE report_state, report_days, report_day_hours, report_day_tenders, report_day_cashiers,"
             " report_day_tills, report_day_products");
    tx.commit();
  }

  sp::db::Pool& pool() { return db_->pool(); }
  const std::string& store_id() { return services_->store_id(); }
  const std::string& today() const { return today_; }

 private:
  fs::path dir_;
  std::unique_ptr<sp::db::EmbeddedPostgres> pg_;
  std::unique_ptr<sp::db::Database> db_;
  std::unique_ptr<sp::service::Services> services_;
  std::shared_ptr<sp::http::RouteRegistry> registry_;
  std::unique_ptr<sp::http::HttpServer> server_;
  std::thread serving_;
  std::unique_ptr<httplib::Client> client_;
  std::string token_;
  std::string today_;
};

Store& store() {
  static Store s;
  return s;
}

// Period lengths in days: year, month, week, today.
int period_days(std::int64_t arg) { return static_cast<int>(arg); }

void report(benchmark::State& state, std::vector<double>& ms) {
  if (ms.empty()) return;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))]; };
  state.counters["p50_ms"] = at(0.50);
  state.counters["p99_ms"] = at(0.99);
  state.counters["max_ms"] = ms.back();
}

void DashboardCold(benchmark::State& state) {
  auto& s = store();
  const auto from = s.from(period_days(state.range(0)));
  std::vector<double> ms;
  for (auto _ : state) {
    state.PauseTiming();
    s.drop_summaries();
    state.ResumeTiming();
    const auto t = std::chrono::steady_clock::now();
    if (!s.get(from, s.today())) state.SkipWithError("dashboard request failed");
    ms.push_back(ms_since(t));
  }
  report(state, ms);
}
BENCHMARK(DashboardCold)->Arg(365)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);

void DashboardWarm(benchmark::State& state) {
  auto& s = store();
  const auto from = s.from(period_days(state.range(0)));
  s.get(from, s.today());  // brings the summaries up to date
  std::vector<double> ms;
  for (auto _ : state) {
    const auto t = std::chrono::steady_clock::now();
    if (!s.get(from, s.today())) state.SkipWithError("dashboard request failed");
    ms.push_back(ms_since(t));
  }
  report(state, ms);
}
BENCHMARK(DashboardWarm)->Arg(365)->Arg(30)->Arg(7)->Arg(1)->Iterations(100)->UseRealTime()->Unit(benchmark::kMillisecond);

void BaseTables(benchmark::State& state) {
  auto& s = store();
  const auto from = s.from(period_days(state.range(0)));
  std::vector<double> ms;
  for (auto _ : state) {
    const auto t = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(sp::db::reports::figures_from_base_tables(s.pool(), s.store_id(), from, s.today()));
    ms.push_back(ms_since(t));
  }
  report(state, ms);
}
BENCHMARK(BaseTables)->Arg(365)->Arg(30)->Arg(7)->Arg(1)->Iterations(5)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
