// The sync endpoints over real HTTP with real credentials: a till pushes
// with its credential and a real offline grant, replays, pulls; a manager
// works the needs-attention list. The registry is the product's own.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <random>

#include "auth_test_support.hpp"
#include "db/catalog.hpp"
#include "http/routes.hpp"
#include "http_test_support.hpp"
#include "salespider/shared/codec.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/payloads.hpp"

using salespider::auth::Role;
using salespider::test::AuthWorld;
using salespider::test::kGoodPassword;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SyncHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    cashier_ = w_.add_user(Role::cashier, "cashier1");
    w_.add_user(Role::manager, "manager1");
    till_ = w_.add_till("Front");
    const auto store = salespider::db::catalog::store(w_.pool());
    const auto vat = salespider::db::catalog::add_tax_rate(w_.pool(), store.id, "VAT", "standard", 75000, "VAT");
    salespider::db::catalog::NewProduct p;
    p.name = "Rice";
    p.tax_rate_id = vat;
    p.price_minor = 1000;
    p.currency = store.currency;
    p.barcodes = {"2000000000017"};
    p.price_from_ms = 1'600'000'000'000;
    product_ = salespider::db::catalog::add_product(w_.pool(), store.id, p);
    currency_ = store.currency;
    registry_ = std::make_shared<salespider::http::RouteRegistry>();
    salespider::http::register_api_routes(*registry_, w_.services());
    auto authenticator =
        std::make_shared<salespider::http::Authenticator>(salespider::http::authenticator_for(w_.services()));
    server_ = std::make_unique<salespider::test::RunningServer>(
        salespider::test::test_config(), [&](salespider::http::HttpServer& s) { s.set_api(registry_, authenticator); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->http_port());
    // A real offline grant, as an online login on this till gives.
    salespider::auth::UserPrincipal user{cashier_.id, cashier_.store_id, "", cashier_.username,
                                         cashier_.display_name, Role::cashier, till_.till.till_id};
    grant_ = w_.services().grants().issue(user, till_.till, now_ms() - 60'000, 24).token;
  }

  salespider::Op sale(std::int64_t seq, std::int64_t unit_price, std::vector<salespider::Discount> discounts = {}) {
    salespider::SalePayload p;
    p.receipt_number = *salespider::format_receipt_number({till_.till.till_code, seq});
    p.cart.currency = *salespider::find_currency(currency_);
    salespider::CartLine l;
    l.product_id = product_;
    l.name = "Rice";
    l.unit_price = unit_price;
    l.quantity = salespider::Quantity{1000};
    l.tax = salespider::TaxRate{"VAT", salespider::TaxKind::standard, 75000};
    l.discounts = std::move(discounts);
    p.cart.lines.push_back(l);
    p.total = salespider::compute_sale(p.cart)->totals.total;
    p.payments.push_back({salespider::TenderKind::card, p.total, "slip"});
    salespider::Op op;
    op.op_id = ids_.next().to_string();
    op.till_id = till_.till.till_id;
    op.kind = salespider::OpKind::sale;
    op.created_at = now_ms();
    op.user_id = cashier_.id;
    op.grant = grant_;
    op.payload = *salespider::encode_sale_payload(p);
    return op;
  }

  std::string batch(std::vector<salespider::Op> ops, std::int64_t version = salespider::kProtocolVersion) {
    salespider::PushBatch b;
    b.till_id = till_.till.till_id;
    b.ops = std::move(ops);
    auto text = *salespider::encode_push_batch(b);
    if (version != salespider::kProtocolVersion) {
      const std::string from = "\"protocol_version\":" + std::to_string(salespider::kProtocolVersion);
      text.replace(text.find(from), from.size(), "\"protocol_version\":" + std::to_string(version));
    }
    return text;
  }

  httplib::Headers till_headers() {
    return {{"Authorization", "Bearer " + till_.credential}, {"X-Till-Outbox-Depth", "2"},
            {"X-Till-App-Version", "0.5.0"}, {"X-Till-Time", std::to_string(now_ms())}};
  }
  httplib::Headers manager_headers() {
    return {{"Authorization", "Bearer " + w_.login("manager1", kGoodPassword)->token}};
  }

  AuthWorld w_;
  salespider::service::UserView cashier_;
  salespider::service::EnrolledTill till_;
  std::string product_;
  std::string currency_;
  std::string grant_;
  std::shared_ptr<salespider::http::RouteRegistry> registry_;
  std::unique_ptr<salespider::test::RunningServer> server_;
  std::unique_ptr<httplib::Client> client_;
  std::mt19937_64 rng_{5};
  salespider::UuidV7Generator ids_{[] { return now_ms(); }, [this] { return rng_(); }};
};

}  // namespace

TEST_F(SyncHttp, APushIsAppliedAndItsReplayIsADuplicate) {
  const auto body = batch({sale(1, 1000), sale(2, 1000, {{salespider::DiscountKind::percent, 2500}})});
  auto r = client_->Post("/api/v1/sync/push", till_headers(), body, "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto resp = salespider::decode_push_response(r->body);
  ASSERT_TRUE(resp.ok()) << r->body;
  EXPECT_EQ(resp->results[0].status, salespider::OpStatus::applied);
  // 25% off is above the cashier's limit in the grant; oversold too (no stock).
  EXPECT_NE(resp->results[1].message.find("discount_over_limit"), std::string::npos) << resp->results[1].message;
  auto again = client_->Post("/api/v1/sync/push", till_headers(), body, "application/json");
  auto replay = salespider::decode_push_response(again->body);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->results[0].status, salespider::OpStatus::duplicate);
  EXPECT_EQ(replay->results[1].status, salespider::OpStatus::duplicate);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM sales"), "2");
  EXPECT_EQ(w_.sql_value("SELECT outbox_depth || ' ' || app_version FROM till_sync_status"), "2 0.5.0");
}

TEST_F(SyncHttp, ABadCallerOrAnOldProtocolGetsAClearError) {
  auto no_auth = client_->Post("/api/v1/sync/push", batch({sale(1, 1000)}), "application/json");
  EXPECT_EQ(no_auth->status, 401);
  auto old = client_->Post("/api/v1/sync/push", till_headers(), batch({sale(1, 1000)}, 99), "application/json");
  EXPECT_EQ(old->status, 400);
  EXPECT_NE(old->body.find("unsupported_protocol_version"), std::string::npos) << old->body;
  EXPECT_NE(old->body.find("speaks 1"), std::string::npos) << old->body;
  auto other = w_.add_till("Back");
  auto wrong_till = client_->Post("/api/v1/sync/push", {{"Authorization", "Bearer " + other.credential}},
                                  batch({sale(1, 1000)}), "application/json");
  EXPECT_EQ(wrong_till->status, 403);
  auto pull_old = client_->Get("/api/v1/sync/pull?cursor=&protocol_version=0", till_headers());
  EXPECT_EQ(pull_old->status, 400);
  EXPECT_NE(pull_old->body.find("speaks 1"), std::string::npos);
  auto pull_missing = client_->Get("/api/v1/sync/pull", till_headers());
  EXPECT_EQ(pull_missing->status, 400);
  auto manager_pull = client_->Get("/api/v1/sync/pull?protocol_version=1", manager_headers());
  EXPECT_EQ(manager_pull->status, 403);
  auto bad_cursor = client_->Get("/api/v1/sync/pull?protocol_version=1&cursor=zz", till_headers());
  EXPECT_EQ(bad_cursor->status, 400);
}

TEST_F(SyncHttp, ATillBootstrapsThenFollowsTheFeed) {
  std::string cursor;
  bool saw_product = false;
  for (int i = 0; i < 50; ++i) {
    auto r = client_->Get("/api/v1/sync/pull?protocol_version=1&limit=3&cursor=" + cursor, till_headers());
    ASSERT_EQ(r->status, 200) << r->body;
    auto page = salespider::decode_pull_page(r->body);
    ASSERT_TRUE(page.ok()) << r->body;
    for (const auto& c : page->changes) saw_product = saw_product || (c.entity == "product" && c.id == product_);
    cursor = page->next_cursor;
    if (page->changes.empty() && page->remaining == 0) break;
  }
  EXPECT_TRUE(saw_product);
  ASSERT_EQ(cursor.rfind("f1.", 0), 0u);
  salespider::db::catalog::set_price(w_.pool(), product_, 1100, now_ms());
  auto r = client_->Get("/api/v1/sync/pull?protocol_version=1&cursor=" + cursor, till_headers());
  auto page = salespider::decode_pull_page(r->body);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->changes.size(), 1u);
  EXPECT_NE(page->changes[0].data.find("\"price_minor\":1100"), std::string::npos) << page->changes[0].data;
}

TEST_F(SyncHttp, AManagerSeesResolvesAndRetriesOpsNeedingAttention) {
  auto poison = sale(1, 1000);
  poison.payload = R"({"receipt_number":"bad"})";
  client_->Post("/api/v1/sync/push", till_headers(), batch({poison}), "application/json");
  const auto headers = manager_headers();
  auto list = client_->Get("/api/v1/ops", headers);
  ASSERT_EQ(list->status, 200) << list->body;
  auto j = nlohmann::json::parse(list->body);
  ASSERT_EQ(j["ops"].size(), 1u);
  EXPECT_EQ(j["ops"][0]["op_id"], poison.op_id);
  auto show = client_->Get("/api/v1/ops/" + poison.op_id, headers);
  EXPECT_EQ(show->status, 200);
  auto retry = client_->Post("/api/v1/ops/" + poison.op_id + "/retry", headers, "", "application/json");
  EXPECT_EQ(retry->status, 200);
  EXPECT_EQ(nlohmann::json::parse(retry->body)["status"], "rejected");
  auto resolve = client_->Post("/api/v1/ops/" + poison.op_id + "/dismiss", headers, R"({"note":"typo at the till"})",
                               "application/json");
  EXPECT_EQ(resolve->status, 200) << resolve->body;
  EXPECT_EQ(client_->Get("/api/v1/ops", headers)->body, R"({"ops":[]})");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action IN ('op.retried', 'op.dismissed')"), "2");
  auto cashier = client_->Get("/api/v1/ops", {{"Authorization", "Bearer " + w_.login("cashier1", kGoodPassword)->token}});
  EXPECT_EQ(cashier->status, 403);
  auto health = client_->Get("/api/v1/sync/health", headers);
  ASSERT_EQ(health->status, 200);
  EXPECT_NE(health->body.find("\"app_version\":\"0.5.0\""), std::string::npos) << health->body;
}
