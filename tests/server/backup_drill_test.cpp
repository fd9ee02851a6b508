// The backup drill (docs/operations.md "Restore and the drill"), end to end
// with the real binary, a real embedded cluster, real pgBackRest and a posix
// repository under /tmp: a seeded store, a full backup, sales pushed by two
// tills over HTTP before and after a noted time; a restore is refused while
// a till reports unsynced ops and goes ahead with --force; the point-in-time
// restore leaves exactly the sales before the time and a new epoch; the
// tills push again every op they kept (as they do on an epoch change): each
// is applied or a duplicate, nothing doubled, nothing lost; the latest
// restore keeps all of it.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common_pg.hpp"
#include "salespider/shared/codec.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/payloads.hpp"
#include "salespider_process.hpp"

namespace fs = std::filesystem;
namespace sp = salespider;
using json = nlohmann::json;
using Salespider = sp::test::SalespiderProcess;

namespace {

struct Till {
  std::string id;
  std::string code;
  std::string credential;
  std::int64_t next_receipt = 1;
  std::vector<sp::Op> kept;  // every op it made: its journal keeps them
};

class BackupDrill : public ::testing::Test {
 protected:
  BackupDrill() {
    data_ = dir_.path() / "data";
    repo_ = dir_.path() / "repo";
    env_ = {"PGBACKREST_REPO1_TYPE=posix", "PGBACKREST_REPO1_PATH=" + repo_.string()};
  }

  int run(std::vector<std::string> args, std::string* out = nullptr) {
    args.push_back("--data-path");
    args.push_back(data_.string());
    Salespider p(dir_.path(), std::move(args), env_);
    const int rc = p.wait();
    if (out) *out = p.output();
    return rc;
  }

  void start_server() {
    server_ = std::make_unique<Salespider>(
        dir_.path(), std::vector<std::string>{"serve", "--port", "0", "--host", "127.0.0.1", "--data-path", data_.string()},
        env_);
    port_ = server_->wait_listening(std::chrono::seconds(120));
    ASSERT_GT(port_, 0) << server_->output();
  }
  void stop_server() {
    ASSERT_EQ(server_->stop(), 0) << server_->output();
    server_.reset();
  }

  std::string conninfo() const { return "host=" + (data_ / "postgres").string() + " user=postgres dbname=salespider"; }
  std::string sql(const std::string& query) {
    pqxx::connection c(conninfo());
    pqxx::nontransaction tx(c);
    const auto r = tx.exec(query);
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
  }
  std::set<std::string> sale_ids() {
    pqxx::connection c(conninfo());
    pqxx::nontransaction tx(c);
    std::set<std::string> ids;
    for (const auto& r : tx.exec("SELECT id::text FROM sales")) ids.insert(r[0].as<std::string>());
    return ids;
  }

  Till enrol(const std::string& name) {
    std::string out;
    EXPECT_EQ(run({"till", "enrol-code", "--name", name, "--json"}, &out), 0) << out;
    const auto code = json::parse(out.substr(out.find('{')), nullptr, false).value("code", "");
    httplib::Client http("127.0.0.1", port_);
    auto res = http.Post("/api/v1/tills/enrol-with-code", json{{"code", code}}.dump(), "application/json");
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
    Till t;
    if (!res || res->status != 201) return t;
    const auto body = json::parse(res->body);
    t.id = body["till_id"];
    t.code = body["code"];
    t.credential = body["credential"];
    return t;
  }

  sp::Op sale(Till& till) {
    sp::SalePayload p;
    p.receipt_number = *sp::format_receipt_number({till.code, till.next_receipt++});
    p.cart.currency = *sp::find_currency(currency_);
    p.cart.price_mode = sp::PriceMode::tax_inclusive;
    sp::CartLine line;
    line.product_id = product_;
    line.name = "Drill item";
    line.unit_price = 1000 + static_cast<std::int64_t>(till.kept.size());
    line.quantity = sp::Quantity{1000};
    line.unit = sp::UnitKind::each;
    line.tax = sp::TaxRate{"VAT", sp::TaxKind::standard, 75000};
    p.cart.lines.push_back(line);
    const auto computed = sp::compute_sale(p.cart);
    p.total = computed->totals.total;
    p.payments.push_back(sp::Payment{sp::TenderKind::cash, computed->totals.total, ""});
    sp::Op op;
    op.op_id = ids_.next().to_string();
    op.till_id = till.id;
    op.kind = sp::OpKind::sale;
    op.created_at = now_ms();
    op.user_id = user_;
    op.payload = *sp::encode_sale_payload(p);
    till.kept.push_back(op);
    return op;
  }

  // POST /api/v1/sync/push as the till does; the result of each op.
  std::vector<sp::OpResult> push(const Till& till, const std::vector<sp::Op>& ops) {
    sp::PushBatch b;
    b.till_id = till.id;
    b.ops = ops;
    httplib::Client http("127.0.0.1", port_);
    http.set_read_timeout(60, 0);
    auto res = http.Post("/api/v1/sync/push",
                         {{"Authorization", "Bearer " + till.credential},
                          {"X-Till-Outbox-Depth", std::to_string(ops.size())}},
                         *sp::encode_push_batch(b), "application/json");
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    if (!res || res->status != 200) return {};
    return sp::decode_push_response(res->body)->results;
  }
  std::vector<sp::OpResult> push_new_sales(Till& till, int n) {
    std::vector<sp::Op> ops;
    for (int i = 0; i < n; ++i) ops.push_back(sale(till));
    return push(till, ops);
  }

  // GET /api/v1/sync/pull: the answer's epoch. `depth` is the outbox depth
  // the till reports (what restore checks).
  std::string pull_epoch(const Till& till, int depth = 0) {
    httplib::Client http("127.0.0.1", port_);
    auto res = http.Get("/api/v1/sync/pull?protocol_version=1&cursor=&limit=1",
                        {{"Authorization", "Bearer " + till.credential},
                         {"X-Till-Outbox-Depth", std::to_string(depth)}});
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    if (!res || res->status != 200) return "";
    return json::parse(res->body).value("epoch", "");
  }

  // Every WAL segment written so far reaches the repository.
  void archive_wal() {
    const std::string segment = sql("SELECT pg_walfile_name(pg_switch_wal())");
    for (int i = 0; i < 600; ++i) {
      if (sql("SELECT coalesce(last_archived_wal, '') >= '" + segment + "' FROM pg_stat_archiver") == "t") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "WAL segment " << segment << " was not archived: " << sql("SELECT row_to_json(a)::text FROM pg_stat_archiver a");
  }

  void full_backup() {
    std::string out;
    ASSERT_EQ(run({"backup", "--type", "full"}, &out), 0) << out;
  }

  static std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  testpg::TempDir dir_{"sp-drill"};
  fs::path data_, repo_;
  std::vector<std::string> env_;
  std::unique_ptr<Salespider> server_;
  int port_ = 0;
  std::string currency_, product_, user_;
  std::mt19937_64 rng_{7};
  sp::UuidV7Generator ids_{[] { return now_ms(); }, [this] { return rng_(); }};
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t count_status(const std::vector<sp::OpResult>& results, sp::OpStatus status) {
  std::size_t n = 0;
  for (const auto& r : results) n += r.status == status ? 1 : 0;
  return n;
}

TEST_F(BackupDrill, PointInTimeThenLatestRestoreLosesAndDoublesNoSale) {
  start_server();
  std::string out;
  ASSERT_EQ(run({"demo", "seed", "--products", "5", "--sales", "20", "--days", "2"}, &out), 0) << out;
  currency_ = sql("SELECT currency FROM stores LIMIT 1");
  product_ = sql("SELECT id::text FROM products ORDER BY sku LIMIT 1");
  user_ = sql("SELECT id::text FROM users WHERE role = 'cashier' LIMIT 1");
  Till a = enrol("Drill A");
  Till b = enrol("Drill B");
  ASSERT_FALSE(a.credential.empty());
  const std::set<std::string> seeded = sale_ids();
  const std::string epoch0 = pull_epoch(a);
  ASSERT_EQ(epoch0.size(), 36u);

  full_backup();
  ASSERT_EQ(run({"backup", "info"}, &out), 0) << out;
  ASSERT_EQ(count_status(push_new_sales(a, 3), sp::OpStatus::applied), 3u);
  const std::set<std::string> before_time = sale_ids();

  // The noted time, with a clean second on either side of it.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const std::string noted = sql(
      "SELECT to_char(now() AT TIME ZONE (SELECT time_zone FROM settings LIMIT 1), 'YYYY-MM-DD HH24:MI:SS')");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_EQ(count_status(push_new_sales(a, 2), sp::OpStatus::applied), 2u);
  ASSERT_EQ(count_status(push_new_sales(b, 2), sp::OpStatus::applied), 2u);
  const std::set<std::string> everything = sale_ids();
  ASSERT_EQ(everything.size(), seeded.size() + 7);
  // Till B says it still has 4 ops to send.
  pull_epoch(b, 4);
  ASSERT_EQ(run({"backup", "check"}, &out), 0) << out;
  archive_wal();
  stop_server();

  // Refused while till B reports unsynced ops; nothing changed.
  ASSERT_EQ(run({"restore", "--time", noted, "--yes"}, &out), 1) << out;
  EXPECT_NE(out.find("REFUSED"), std::string::npos) << out;
  EXPECT_NE(out.find("till " + b.code), std::string::npos) << out;
  EXPECT_NE(out.find("4 ops not synced"), std::string::npos) << out;

  ASSERT_EQ(run({"restore", "--time", noted, "--force", "--yes"}, &out), 0) << out;
  EXPECT_NE(out.find("audit chain OK"), std::string::npos) << out;
  start_server();
  EXPECT_EQ(sale_ids(), before_time) << "exactly the sales before " << noted;
  ASSERT_EQ(run({"audit", "verify"}, &out), 0) << out;
  const std::string epoch1 = pull_epoch(a);
  EXPECT_NE(epoch1, epoch0);
  EXPECT_EQ(sql("SELECT count(*) FROM audit_log WHERE action = 'store.restore'"), "1");

  // The tills see the new epoch and push every op they kept again.
  auto again_a = push(a, a.kept);
  auto again_b = push(b, b.kept);
  EXPECT_EQ(count_status(again_a, sp::OpStatus::duplicate), 3u) << "the sales before the time were kept";
  EXPECT_EQ(count_status(again_a, sp::OpStatus::applied), 2u);
  EXPECT_EQ(count_status(again_b, sp::OpStatus::applied), 2u);
  EXPECT_EQ(sale_ids(), everything) << "nothing lost";
  // Their rounds end with a pull: outboxes empty (a push reports its batch
  // as waiting).
  pull_epoch(a, 0);
  pull_epoch(b, 0);
  const std::string total = sql("SELECT sum(total_minor) FROM sales");
  archive_wal();
  stop_server();

  // A new disk: the keys are gone from DATA_PATH; the restore puts them back
  // from the secrets archive the backup wrote, so the tills' grants and
  // credentials keep verifying.
  const std::string grant_key = read_file(data_.string() + "/keys/grant-signing.key");
  fs::remove_all(data_ / "keys");
  ASSERT_EQ(run({"restore", "--yes"}, &out), 0) << out;
  EXPECT_NE(out.find("secrets archive"), std::string::npos) << out;
  EXPECT_EQ(read_file(data_.string() + "/keys/grant-signing.key"), grant_key);
  start_server();
  EXPECT_EQ(sale_ids(), everything);
  const std::string epoch2 = pull_epoch(a);
  EXPECT_NE(epoch2, epoch1);
  EXPECT_NE(epoch2, epoch0);
  again_a = push(a, a.kept);
  again_b = push(b, b.kept);
  EXPECT_EQ(count_status(again_a, sp::OpStatus::duplicate), a.kept.size()) << "nothing doubled";
  EXPECT_EQ(count_status(again_b, sp::OpStatus::duplicate), b.kept.size());
  EXPECT_EQ(sale_ids(), everything);
  EXPECT_EQ(sql("SELECT sum(total_minor) FROM sales"), total);
  EXPECT_EQ(sql("SELECT count(*) FROM restore_epochs"), "3");
  stop_server();
}

}  // namespace
