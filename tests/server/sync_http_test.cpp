// The sync endpoints over real HTTP with real credentials: a till pushes
// with its credential and a real offline grant, replays, pulls; a manager
// works the needs-attention list. The registry is the product's own.
#include "store_http_support.hpp"

#include "db/bootstrap_catalog.hpp"

using salespider::test::kGoodPassword;
using salespider::test::now_ms;

namespace {

class SyncHttp : public ::testing::Test, protected salespider::test::StoreOverHttp {};

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

// The bootstrap in parts (docs/sync-protocol.md): plan, parts, then the feed
// from the plan's cursor. A change committed after the plan reaches the till
// through that feed, so the cursor skips nothing.
TEST_F(SyncHttp, ATillBootstrappedInPartsSeesAChangeMadeAfterThePlan) {
  auto r = client_->Get("/api/v1/sync/bootstrap?protocol_version=1&part_rows=100", till_headers());
  ASSERT_EQ(r->status, 200) << r->body;
  const auto plan = nlohmann::json::parse(r->body);
  const std::string cursor = plan["cursor"].get<std::string>();
  ASSERT_EQ(cursor.rfind("f1.", 0), 0u) << r->body;
  auto small = salespider::decode_pull_page(plan["page"].dump());
  ASSERT_TRUE(small.ok()) << r->body;
  bool saw_settings = false;
  for (const auto& c : small->changes) {
    EXPECT_NE(c.entity, "product");  // products come in the parts
    saw_settings = saw_settings || c.entity == "settings";
  }
  EXPECT_TRUE(saw_settings);
  ASSERT_GE(plan["parts"].size(), 1u);
  EXPECT_EQ(plan["products"].get<std::int64_t>(), std::stoll(w_.sql_value("SELECT count(*) FROM products")));

  salespider::db::catalog::set_price(w_.pool(), product_, 1100, now_ms());

  bool saw_product = false;
  for (const auto& part : plan["parts"]) {
    auto p = client_->Get("/api/v1/sync/bootstrap/part?protocol_version=1&after=" + part[0].get<std::string>() +
                              "&upto=" + part[1].get<std::string>(),
                          till_headers());
    ASSERT_EQ(p->status, 200) << p->body;
    std::istringstream lines(p->body);
    for (std::string line; std::getline(lines, line);) {
      EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 15) << line;
      if (line.rfind(product_ + "\t", 0) == 0) saw_product = true;
    }
  }
  EXPECT_TRUE(saw_product);

  auto feed = client_->Get("/api/v1/sync/pull?protocol_version=1&cursor=" + cursor, till_headers());
  ASSERT_EQ(feed->status, 200) << feed->body;
  auto page = salespider::decode_pull_page(feed->body);
  ASSERT_TRUE(page.ok());
  bool saw_new_price = false;
  for (const auto& c : page->changes)
    saw_new_price = saw_new_price || (c.id == product_ && c.data.find("\"price_minor\":1100") != std::string::npos);
  EXPECT_TRUE(saw_new_price) << feed->body;
}

TEST_F(SyncHttp, TheBootstrapPartsRefuseBadInputAndOtherCallers) {
  EXPECT_EQ(client_->Get("/api/v1/sync/bootstrap?protocol_version=1", manager_headers())->status, 403);
  EXPECT_EQ(client_->Get("/api/v1/sync/bootstrap", till_headers())->status, 400);
  EXPECT_EQ(client_->Get("/api/v1/sync/bootstrap?protocol_version=1&part_rows=5", till_headers())->status, 400);
  EXPECT_EQ(client_->Get("/api/v1/sync/bootstrap/part?protocol_version=1&after=zz&upto=" + product_, till_headers())
                ->status,
            400);
  EXPECT_EQ(client_->Get("/api/v1/sync/bootstrap/part?protocol_version=1&upto=", till_headers())->status, 400);
}

namespace {

// The nodes of an EXPLAIN (FORMAT JSON) plan that read `relation` or have
// it below them (the aggregate over it, the sort feeding that aggregate).
bool nodes_over(const nlohmann::json& node, const std::string& relation, std::vector<nlohmann::json>& out) {
  bool over = node.value("Relation Name", "") == relation;
  for (const auto& child : node.value("Plans", nlohmann::json::array()))
    over = nodes_over(child, relation, out) || over;
  if (over) out.push_back(node);
  return over;
}

}  // namespace

// A catalog loaded moments ago (an import, a seed) has no statistics yet. The
// planner then put the barcodes' aggregate in a nested loop and computed it
// again for every product of a part (34.5 s for a part of 5,000): each part
// must aggregate the barcodes once, whatever the statistics say.
TEST_F(SyncHttp, APartOfACatalogWithoutStatisticsAggregatesItsBarcodesOnce) {
  w_.sql(
      "INSERT INTO products (store_id, sku, name, unit, price_minor, cost_minor, currency, track_stock)"
      " SELECT s.id, 'BULK-' || i, 'Bulk item ' || i, 'each', 100 + i, 50, s.currency, true"
      "   FROM (SELECT id, currency FROM stores ORDER BY created_at LIMIT 1) s, generate_series(1, 800) i");
  w_.sql("INSERT INTO barcodes (store_id, barcode, product_id)"
         " SELECT store_id, '29' || lpad(substr(sku, 6), 11, '0'), id FROM products WHERE sku LIKE 'BULK-%'");
  ASSERT_EQ(w_.sql_value("SELECT reltuples < 0 FROM pg_class WHERE relname = 'barcodes'"), "t")
      << "the barcodes were analyzed already: this test needs a table without statistics";
  const std::string store = salespider::db::catalog::store(w_.pool()).id;
  const std::string last = w_.sql_value("SELECT id::text FROM products ORDER BY id DESC LIMIT 1");

  const std::string part = salespider::db::read_catalog_part(w_.pool(), store, "", last);
  EXPECT_EQ(std::count(part.begin(), part.end(), '\n'), 801);
  EXPECT_NE(part.find("[\"2900000000800\"]"), std::string::npos);

  const auto plan = nlohmann::json::parse(salespider::db::explain_catalog_part(w_.pool(), store, "", last));
  std::vector<nlohmann::json> over_barcodes;
  nodes_over(plan.at(0).at("Plan"), "barcodes", over_barcodes);
  ASSERT_FALSE(over_barcodes.empty()) << plan.dump(1);
  for (const auto& node : over_barcodes)
    EXPECT_EQ(node.at("Actual Loops").get<int>(), 1) << node.at("Node Type") << " ran more than once:\n" << plan.dump(1);
}
