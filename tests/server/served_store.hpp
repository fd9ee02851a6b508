// A store served by the real `salespider serve` binary on its own embedded
// PostgreSQL under a temporary DATA_PATH, for the server-fault tests
// (restart after SIGKILL, PostgreSQL killed, disk full): start, kill and
// start again the server; a seeded catalogue; an enrolled till that makes
// sales exactly as a till does (shared/'s compute_sale and encoders) and
// pushes them over HTTP; SQL straight to the cluster to check what is stored.
// Not a general harness: one till, sales only, no grants (ops are applied
// and flagged, which is all these tests look at).
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <vector>

#include "common_pg.hpp"
#include "salespider/shared/codec.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/payloads.hpp"
#include "salespider_process.hpp"

namespace salespider::test {

inline std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One push's answer: the HTTP status (0: no answer) and, on 200, the results.
struct PushAnswer {
  int status = 0;
  std::string body;
  std::string retry_after;
  std::vector<OpResult> results;
};

class ServedStore {
 public:
  explicit ServedStore(std::filesystem::path data, std::filesystem::path cwd, std::vector<std::string> env = {})
      : data_(std::move(data)), cwd_(std::move(cwd)), env_(std::move(env)) {}

  // `salespider serve`; the HTTP port, or -1 (the output says why).
  int start() {
    server_ = std::make_unique<SalespiderProcess>(
        cwd_, std::vector<std::string>{"serve", "--port", "0", "--host", "127.0.0.1", "--data-path", data_.string()},
        env_);
    port_ = server_->wait_listening(std::chrono::seconds(120));
    return port_;
  }
  int stop() { return server_ ? server_->stop() : 0; }
  int kill_hard() { return server_ ? server_->kill_hard() : 0; }
  std::string output() const { return server_ ? server_->output() : std::string(); }
  SalespiderProcess& process() { return *server_; }
  int port() const { return port_; }

  // A command of the binary against this DATA_PATH; its exit code.
  int run(std::vector<std::string> args, std::string* out = nullptr) {
    args.push_back("--data-path");
    args.push_back(data_.string());
    SalespiderProcess p(cwd_, std::move(args), env_);
    const int rc = p.wait();
    if (out) *out = p.output();
    return rc;
  }

  std::string conninfo() const {
    return "host=" + (data_ / "postgres").string() + " user=postgres dbname=salespider connect_timeout=5";
  }
  std::string sql(const std::string& query) {
    pqxx::connection c(conninfo());
    pqxx::nontransaction tx(c);
    const auto r = tx.exec(query);
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
  }

  // Demo products and staff, then one enrolled till. False (with a test
  // failure) when any step fails.
  bool seed_and_enrol() {
    std::string out;
    EXPECT_EQ(run({"demo", "seed", "--products", "3", "--sales", "1", "--days", "1"}, &out), 0) << out;
    currency_ = sql("SELECT currency FROM stores LIMIT 1");
    product_ = sql("SELECT id::text FROM products ORDER BY sku LIMIT 1");
    user_ = sql("SELECT id::text FROM users WHERE role = 'cashier' LIMIT 1");
    EXPECT_EQ(run({"till", "enrol-code", "--name", "Front", "--json"}, &out), 0) << out;
    const auto code = nlohmann::json::parse(out.substr(out.find('{')), nullptr, false).value("code", "");
    httplib::Client http("127.0.0.1", port_);
    auto res = http.Post("/api/v1/tills/enrol-with-code", nlohmann::json{{"code", code}}.dump(), "application/json");
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
    if (!res || res->status != 201) return false;
    const auto body = nlohmann::json::parse(res->body);
    till_id_ = body["till_id"];
    till_code_ = body["code"];
    credential_ = body["credential"];
    return !product_.empty() && !user_.empty();
  }

  // A new cash sale of one item, as the till records it.
  Op sale() {
    SalePayload p;
    p.receipt_number = *format_receipt_number({till_code_, next_receipt_++});
    p.cart.currency = *find_currency(currency_);
    p.cart.price_mode = PriceMode::tax_inclusive;
    CartLine line;
    line.product_id = product_;
    line.name = "Fault item";
    line.unit_price = 1000;
    line.quantity = Quantity{1000};
    line.unit = UnitKind::each;
    line.tax = TaxRate{"VAT", TaxKind::standard, 75000};
    p.cart.lines.push_back(line);
    const auto computed = compute_sale(p.cart);
    p.total = computed->totals.total;
    p.payments.push_back(Payment{TenderKind::cash, computed->totals.total, ""});
    Op op;
    op.op_id = ids_.next().to_string();
    op.till_id = till_id_;
    op.kind = OpKind::sale;
    op.created_at = wall_ms();
    op.user_id = user_;
    op.payload = *encode_sale_payload(p);
    return op;
  }

  // POST /api/v1/sync/push as the till does.
  PushAnswer push(const std::vector<Op>& ops, int timeout_s = 30) {
    PushBatch b;
    b.till_id = till_id_;
    b.ops = ops;
    httplib::Client http("127.0.0.1", port_);
    http.set_read_timeout(timeout_s, 0);
    http.set_connection_timeout(5, 0);
    auto res = http.Post("/api/v1/sync/push",
                         {{"Authorization", "Bearer " + credential_},
                          {"X-Till-Outbox-Depth", std::to_string(ops.size())}},
                         *encode_push_batch(b), "application/json");
    PushAnswer a;
    if (!res) return a;
    a.status = res->status;
    a.body = res->body;
    a.retry_after = res->get_header_value("Retry-After");
    if (res->status == 200) {
      auto decoded = decode_push_response(res->body);
      if (decoded.ok()) a.results = decoded->results;
    }
    return a;
  }

  // GET /api/v1/health: its status (0: no answer).
  int health_status() {
    httplib::Client http("127.0.0.1", port_);
    http.set_read_timeout(10, 0);
    auto res = http.Get("/api/v1/health");
    return res ? res->status : 0;
  }

  // How many times each sale id is stored (0 when missing).
  int stored(const std::string& op_id) {
    return std::stoi(sql("SELECT count(*) FROM sales WHERE id = '" + op_id + "'"));
  }

  const std::filesystem::path& data() const { return data_; }
  const std::string& till_id() const { return till_id_; }

 private:
  std::filesystem::path data_, cwd_;
  std::vector<std::string> env_;
  std::unique_ptr<SalespiderProcess> server_;
  int port_ = -1;
  std::string currency_, product_, user_, till_id_, till_code_, credential_;
  std::int64_t next_receipt_ = 1;
  std::mt19937_64 rng_{23};
  UuidV7Generator ids_{[] { return wall_ms(); }, [this] { return rng_(); }};
};

// The pids of the postgres processes whose working directory is
// `cluster_dir` and whose parent is not a postgres (postmasters only).
inline std::vector<pid_t> postmasters_of(const std::filesystem::path& cluster_dir) {
  std::vector<pid_t> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const auto name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink(e.path() / "exe", ec).filename().string();
    if (ec || exe.rfind("postgres", 0) != 0) continue;
    const auto cwd = std::filesystem::read_symlink(e.path() / "cwd", ec);
    if (ec || !std::filesystem::equivalent(cwd, cluster_dir, ec)) continue;
    std::ifstream stat(e.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close == std::string::npos || close + 2 >= text.size() || text[close + 2] == 'Z') continue;
    std::istringstream rest(text.substr(close + 4));
    pid_t ppid = 0;
    rest >> ppid;
    std::error_code ec2;
    const auto parent_exe =
        std::filesystem::read_symlink("/proc/" + std::to_string(ppid) + "/exe", ec2).filename().string();
    if (parent_exe.rfind("postgres", 0) == 0) continue;  // a backend or an auxiliary process
    out.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return out;
}

}  // namespace salespider::test
