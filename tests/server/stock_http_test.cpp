// Stock over real HTTP: the ledger's reads (per product, store-wide, CSV,
// low, value) as a manager, refused to a cashier, bad query values a 400;
// and a stock count pushed by a till, computed against the ledger at the
// count's time whatever order the ops arrive in.
#include "store_http_support.hpp"

#include "salespider/shared/stock.hpp"

using salespider::test::now_ms;

namespace sp = salespider;

namespace {

class StockHttp : public ::testing::Test, protected sp::test::StoreOverHttp {
 protected:
  StockHttp() {
    manager_grant_ = grant_for(manager_, till_);
    other_ = w_.add_till("Back");
    other_manager_grant_ = grant_for(manager_, other_);
  }

  nlohmann::json get(const std::string& path, int status = 200) {
    auto r = client_->Get(path, manager_headers());
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    EXPECT_EQ(r->status, status) << path << " " << r->body;
    return nlohmann::json::parse(r->body, nullptr, false);
  }

  // Received now, through the service as the CLI does.
  void receive(std::int64_t milli, const std::string& note = "") {
    sp::service::StockWrite w;
    w.product_key = product_;
    w.kind = "receive";
    w.quantity_milli = milli;
    w.note = note;
    ASSERT_TRUE(w_.services().stock().record(w_.store(), w, sp::auth::Actor{}).ok());
  }

  // A count by the manager on the back till, made at `at`.
  sp::Op count_op(std::int64_t counted_milli, std::int64_t at, std::int64_t till_delta = 0) {
    sp::StockMovement m;
    m.product_id = product_;
    m.kind = sp::StockMovementKind::count;
    m.delta_thousandths = till_delta;
    m.counted_thousandths = counted_milli;
    m.count_id = new_id();
    auto o = op(sp::OpKind::stock_movement, *sp::encode_stock_movement_payload(m), at);
    o.till_id = other_.till.till_id;
    o.user_id = manager_.id;
    o.grant = other_manager_grant_;
    return o;
  }

  // One unit of rice sold on the front till at `at`.
  sp::Op sale_at(std::int64_t seq, std::int64_t at) {
    return op(sp::OpKind::sale, *sp::encode_sale_payload(sale_payload(seq, {rice(1)})), at);
  }

  sp::PushResponse push_from_back(std::vector<sp::Op> ops) {
    sp::PushBatch b;
    b.till_id = other_.till.till_id;
    b.ops = std::move(ops);
    httplib::Headers h{{"Authorization", "Bearer " + other_.credential}, {"X-Till-Outbox-Depth", "2"},
                       {"X-Till-Time", std::to_string(now_ms())}};
    auto r = client_->Post("/api/v1/sync/push", h, *sp::encode_push_batch(b), "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : std::string("no answer"));
    if (!r || r->status != 200) return {};
    return *sp::decode_push_response(r->body);
  }

  std::int64_t on_hand() { return std::stoll(w_.sql_value("SELECT on_hand_milli FROM stock_levels")); }
  std::int64_t ledger() { return std::stoll(w_.sql_value("SELECT sum(quantity_milli) FROM stock_movements")); }

  std::string manager_grant_;
  sp::service::EnrolledTill other_;
  std::string other_manager_grant_;
};

TEST_F(StockHttp, ACountIsTheDifferenceToTheLedgerAtItsTimeSoALaterSaleIsNotOverwritten) {
  receive(10'000);
  const auto t = now_ms() + 2'000;
  // A sale made on the front till a second after the count reaches the server first.
  ASSERT_EQ(push({sale_at(1, t + 1'000)}).results[0].status, sp::OpStatus::applied);
  EXPECT_EQ(on_hand(), 9'000);
  // The shelf showed 7 at the count's time, when the ledger said 10.
  const auto count = count_op(7'000, t, -3'000);
  ASSERT_EQ(push_from_back({count}).results[0].status, sp::OpStatus::applied);
  EXPECT_EQ(on_hand(), 7'000 - 1'000);
  EXPECT_EQ(ledger(), on_hand());
  EXPECT_EQ(w_.sql_value("SELECT quantity_milli || ' ' || counted_milli || ' ' || expected_milli || ' ' || "
                         "till_delta_milli FROM stock_movements WHERE kind = 'count'"),
            "-3000 7000 10000 -3000");
  // Pushed again (a lost answer): one count.
  EXPECT_EQ(push_from_back({count}).results[0].status, sp::OpStatus::duplicate);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM stock_movements WHERE kind = 'count'"), "1");
  EXPECT_EQ(on_hand(), 6'000);
}

TEST_F(StockHttp, ACountThatMatchesTheLedgerIsStillOnTheRecord) {
  receive(4'000);
  ASSERT_EQ(push_from_back({count_op(4'000, now_ms() + 1'000)}).results[0].status, sp::OpStatus::applied);
  EXPECT_EQ(w_.sql_value("SELECT quantity_milli FROM stock_movements WHERE kind = 'count'"), "0");
  EXPECT_EQ(on_hand(), 4'000);
  auto a = get("/api/v1/products/" + product_ + "/movements");
  EXPECT_EQ(a["movements"][0]["kind"], "count");
  EXPECT_EQ(a["movements"][0]["counted_milli"], 4000);
}

TEST_F(StockHttp, ASaleMadeBeforeACountButArrivingAfterItIsCompensatedAndFlagged) {
  receive(10'000);
  const auto t = now_ms() + 2'000;
  ASSERT_EQ(push_from_back({count_op(7'000, t)}).results[0].status, sp::OpStatus::applied);
  EXPECT_EQ(on_hand(), 7'000);
  // The front till was offline: its sale, half a second before the count, comes now.
  const auto late = sale_at(1, t - 500);
  const auto r = push({late});
  ASSERT_EQ(r.results[0].status, sp::OpStatus::applied);
  EXPECT_NE(r.results[0].message.find("counted_before_arrival"), std::string::npos) << r.results[0].message;
  // The shelf already showed it: still what was counted.
  EXPECT_EQ(on_hand(), 7'000);
  EXPECT_EQ(ledger(), on_hand());
  EXPECT_EQ(w_.sql_value("SELECT quantity_milli || ' ' || compensates_op_id FROM stock_movements "
                         "WHERE compensates_op_id IS NOT NULL"),
            "1000 " + late.op_id);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM op_flags WHERE kind = 'counted_before_arrival'"), "1");
  // A sale after the count is an ordinary sale.
  ASSERT_EQ(push({sale_at(2, t + 500)}).results[0].status, sp::OpStatus::applied);
  EXPECT_EQ(on_hand(), 6'000);
}

TEST_F(StockHttp, AReceiptFromATillKeepsItsUnitCostAndLeavesTheProductCost) {
  sp::StockMovement m;
  m.product_id = product_;
  m.kind = sp::StockMovementKind::receive;
  m.delta_thousandths = 5'000;
  m.unit_cost_minor = 420;
  auto o = op(sp::OpKind::stock_movement, *sp::encode_stock_movement_payload(m));
  o.user_id = manager_.id;
  o.grant = manager_grant_;
  ASSERT_EQ(push({o}).results[0].status, sp::OpStatus::applied);
  EXPECT_EQ(w_.sql_value("SELECT unit_cost_minor FROM stock_movements"), "420");
  EXPECT_EQ(w_.sql_value("SELECT coalesce(cost_minor::text, 'none') FROM products"), "none");
  auto a = get("/api/v1/stock/movements?kind=receive");
  EXPECT_EQ(a["movements"][0]["unit_cost_minor"], 420);
  EXPECT_EQ(a["movements"][0]["till_code"], till_.till.till_code);
  EXPECT_EQ(a["movements"][0]["user"], manager_.display_name);
}

TEST_F(StockHttp, AProductsMovementsComeNewestFirstInPagesWithItsOnHand) {
  receive(1'000, "first");
  receive(2'000, "second");
  receive(3'000, "third");
  auto page = get("/api/v1/products/" + product_ + "/movements?limit=2");
  ASSERT_EQ(page["movements"].size(), 2u) << page;
  EXPECT_EQ(page["movements"][0]["note"], "third");
  EXPECT_EQ(page["movements"][0]["quantity_milli"], 3000);
  EXPECT_EQ(page["on_hand_milli"], 6000);
  ASSERT_TRUE(page["next"].is_string()) << page;
  auto rest = get("/api/v1/products/" + product_ + "/movements?limit=2&before=" + page["next"].get<std::string>());
  ASSERT_EQ(rest["movements"].size(), 1u) << rest;
  EXPECT_EQ(rest["movements"][0]["note"], "first");
  EXPECT_TRUE(rest["next"].is_null());

  EXPECT_EQ(get("/api/v1/products/" + product_ + "/movements?limit=0", 400)["error"]["field"], "limit");
  EXPECT_EQ(get("/api/v1/products/" + product_ + "/movements?before=zz", 400)["error"]["field"], "before");
  get("/api/v1/products/" + new_id() + "/movements", 404);
  get("/api/v1/products/not-an-id/movements", 404);
}

TEST_F(StockHttp, TheStoresMovementsFilterByProductKindAndTime) {
  receive(2'000);
  ASSERT_EQ(push({sale_at(1, now_ms())}).results[0].status, sp::OpStatus::applied);
  auto all = get("/api/v1/stock/movements");
  ASSERT_EQ(all["movements"].size(), 2u) << all;
  EXPECT_EQ(all["movements"][0]["product_name"], "Rice");
  auto sales = get("/api/v1/stock/movements?kind=sale&product_id=" + product_);
  ASSERT_EQ(sales["movements"].size(), 1u);
  EXPECT_EQ(sales["movements"][0]["quantity_milli"], -1000);
  EXPECT_EQ(get("/api/v1/stock/movements?from=2000-01-01&to=2000-01-02")["movements"].size(), 0u);
  EXPECT_EQ(get("/api/v1/stock/movements?product_id=" + new_id())["movements"].size(), 0u);

  EXPECT_EQ(get("/api/v1/stock/movements?kind=stolen", 400)["error"]["field"], "kind");
  EXPECT_EQ(get("/api/v1/stock/movements?from=2026-02-30", 400)["error"]["field"], "from");
  EXPECT_EQ(get("/api/v1/stock/movements?from=2026-03-02&to=2026-03-01", 400)["error"]["field"], "to");
  EXPECT_EQ(get("/api/v1/stock/movements?product_id=rice", 400)["error"]["field"], "product_id");
}

TEST_F(StockHttp, TheCsvExportQuotesCellsDefusesFormulasAndIsAudited) {
  receive(1'500, "=HYPERLINK(\"x\"), from Acme");
  auto r = client_->Get("/api/v1/stock/movements.csv?kind=receive", manager_headers());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->get_header_value("Content-Type").find("text/csv"), std::string::npos);
  EXPECT_EQ(r->body.rfind("occurred_at,recorded_at,product_id,product,kind,quantity,", 0), 0u) << r->body;
  EXPECT_NE(r->body.find(",Rice,receive,1.5,,\"'=HYPERLINK(\"\"x\"\"), from Acme\","), std::string::npos) << r->body;
  EXPECT_EQ(w_.sql_value("SELECT detail->>'rows' FROM audit_log WHERE action = 'stock.export'"), "1");
  auto bad = client_->Get("/api/v1/stock/movements.csv?to=yesterday", manager_headers());
  EXPECT_EQ(bad->status, 400);
}

TEST_F(StockHttp, LowStockListsTrackedProductsLowOrOutTheMostShortFirst) {
  w_.sql("UPDATE products SET reorder_level_milli = 5000");
  receive(3'000);
  auto low = get("/api/v1/stock/low");
  ASSERT_EQ(low["products"].size(), 1u) << low;
  const auto& p = low["products"][0];
  EXPECT_EQ(p["id"], product_);
  EXPECT_EQ(p["stock_status"], "low");
  EXPECT_EQ(p["on_hand_milli"], 3000);
  EXPECT_EQ(p["low_stock_milli"], 5000);
  EXPECT_EQ(p["barcodes"], nlohmann::json::array({"2000000000017"}));
  EXPECT_EQ(p["tax_code"], "VAT");
  EXPECT_EQ(p["archived"], false);
  receive(5'000);
  EXPECT_EQ(get("/api/v1/stock/low")["products"].size(), 0u);
  w_.sql("UPDATE products SET track_stock = false");
  w_.sql("UPDATE stock_levels SET on_hand_milli = -1000");
  EXPECT_EQ(get("/api/v1/stock/low")["products"].size(), 0u);
}

TEST_F(StockHttp, TheStockValueIsExactDecimalTextAtCostAndAtPrice) {
  receive(2'500);
  auto v = get("/api/v1/stock/value");
  EXPECT_EQ(v["at_price_minor"], "2500");  // 2.5 x 1000
  EXPECT_EQ(v["at_cost_minor"], "0");
  EXPECT_EQ(v["products_without_cost"], 1);
  EXPECT_EQ(v["currency"], currency_);
  w_.sql("UPDATE products SET cost_minor = 333");
  v = get("/api/v1/stock/value");
  EXPECT_EQ(v["at_cost_minor"], "833");  // 832.5 rounded half away from zero
  EXPECT_EQ(v["products_without_cost"], 0);
  EXPECT_EQ(v["products_below_zero"], 0);
  EXPECT_EQ(v["products"], 1);
}

TEST_F(StockHttp, ACashierIsRefusedEveryStockRoute) {
  const httplib::Headers cashier = headers_of("cashier1");
  for (const std::string& path : {"/api/v1/products/" + product_ + "/movements", std::string("/api/v1/stock/movements"),
                                 std::string("/api/v1/stock/movements.csv"), std::string("/api/v1/stock/low"),
                                 std::string("/api/v1/stock/value")}) {
    auto r = client_->Get(path, cashier);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 403) << path;
  }
}

}  // namespace
