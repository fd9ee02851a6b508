// Hand-over of a retired till's unsynced ops (service/till_handover.hpp),
// over real HTTP, a real database and the real binary: a till a manager
// enrolled after the old one was retired pushes the old ops unchanged under
// the old till's identity, once; a till that is not retired, or a new till
// not enrolled by a manager, is refused; `salespider ops import` takes the
// till's export file once (the second time: 0 new) and refuses a malformed
// file with nothing stored; retiring a till that last reported unsynced ops
// answers 409 until confirmed, and the CLI refuses without --force.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common_pg.hpp"
#include "salespider_process.hpp"
#include "store_http_support.hpp"

namespace {

using nlohmann::json;
using salespider::test::StoreOverHttp;
namespace sp = salespider;

class TillHandover : public ::testing::Test, public StoreOverHttp {
 protected:
  struct Answer {
    int status = 0;
    json body;
  };

  Answer post(const std::string& path, const std::string& body, const httplib::Headers& headers) {
    auto r = client_->Post(path, headers, body, "application/json");
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    return {r->status, json::parse(r->body, nullptr, false)};
  }

  Answer retire(const std::string& till_id, const json& body = json::object()) {
    return post("/api/v1/tills/" + till_id + "/retire", body.empty() ? "" : body.dump(), manager_headers());
  }

  // A till enrolled with a code the manager made now: {till_id, code, credential}.
  json enrol_new_till(const std::string& name = "Front again") {
    auto made = post("/api/v1/tills/enrol-codes", json::object().dump(), manager_headers());
    EXPECT_EQ(made.status, 201) << made.body.dump();
    auto till = post("/api/v1/tills/enrol-with-code", json{{"code", made.body.value("code", "")}, {"name", name}}.dump(), {});
    EXPECT_EQ(till.status, 201) << till.body.dump();
    return till.body;
  }

  Answer handover(const std::string& credential, const std::vector<sp::Op>& ops) {
    return post("/api/v1/sync/handover", batch(ops),
                {{"Authorization", "Bearer " + credential}, {"X-Till-Time", std::to_string(sp::test::now_ms())}});
  }

  sp::Op made_before(std::int64_t seq) {
    return op(sp::OpKind::sale, *sp::encode_sale_payload(sale_payload(seq, {rice()})), sp::test::now_ms() - 60'000);
  }

  std::string old_id() const { return till_.till.till_id; }
  std::string count_ops_of_old_till() {
    return w_.sql_value("SELECT count(*) FROM applied_ops WHERE till_id = '" + old_id() + "'::uuid");
  }

  // What www/storage.js exportPendingOps writes: journal records, payload as an object.
  std::string export_file(const std::vector<sp::Op>& ops) {
    json records = json::array();
    std::int64_t seq = 0;
    for (const auto& o : ops)
      records.push_back({{"v", 1}, {"op_id", o.op_id}, {"till_id", o.till_id}, {"kind", std::string(to_string(o.kind))},
                         {"created_at", o.created_at}, {"user_id", o.user_id}, {"grant", o.grant},
                         {"payload", json::parse(o.payload)}, {"local_seq", ++seq}, {"state", "pending"}});
    return json{{"format", "salespider-pending-ops"}, {"version", 1}, {"exported_at", "2026-12-06T10:00:00.000Z"},
                {"origin", "https://till.test"}, {"count", records.size()}, {"ops", records}}
        .dump(2);
  }

  std::pair<int, std::string> cli(std::vector<std::string> args) {
    sp::test::SalespiderProcess p(dir_.path(), std::move(args),
                                  {"DATABASE_URL=" + testpg::url_for(w_.database_name())});
    const int rc = p.wait();
    return {rc, p.output()};
  }
  std::filesystem::path write(const std::string& name, const std::string& text) {
    const auto path = dir_.path() / name;
    std::ofstream(path) << text;
    return path;
  }

  testpg::TempDir dir_{"sp-handover"};
};

TEST_F(TillHandover, ARetiredTillsOpsPushedByItsReEnrolledBrowserAreStoredUnderTheOldTillOnce) {
  // Made a minute before the retirement (the till was offline meanwhile).
  const std::vector<sp::Op> ops = {made_before(1), made_before(2)};
  ASSERT_EQ(retire(old_id()).status, 200);
  // The old credential is refused from now on: the till keeps its ops.
  auto refused = client_->Post("/api/v1/sync/push", till_headers(), batch(ops), "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);

  const json fresh = enrol_new_till();
  auto first = handover(fresh["credential"], ops);
  ASSERT_EQ(first.status, 200) << first.body.dump();
  for (const auto& r : first.body["results"]) EXPECT_EQ(r["status"], "applied") << r.dump();
  EXPECT_EQ(count_ops_of_old_till(), "2");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM sales s JOIN applied_ops o ON o.op_id = s.id WHERE o.till_id = '" +
                         old_id() + "'::uuid AND s.receipt_number LIKE '" + till_.till.till_code + "-%'"),
            "2");
  EXPECT_EQ(w_.sql_value("SELECT highest_receipt_seq FROM tills WHERE id = '" + old_id() + "'::uuid"), "2");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM till_handovers WHERE from_till = '" + old_id() +
                         "'::uuid AND to_till = '" + fresh["till_id"].get<std::string>() +
                         "'::uuid AND via = 're-enrol' AND by_user = '" + manager_.id +
                         "'::uuid AND op_count = 2 AND new_ops = 2"),
            "1");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'till.handover'"), "1");
  // Nothing flagged but the oversell (this store keeps no stock): the grant
  // the retirement revoked covered ops made before it.
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM op_flags WHERE kind <> 'oversold'"), "0")
      << w_.sql_value("SELECT string_agg(kind || ' ' || detail::text, '; ') FROM op_flags");

  // Replayed (a lost answer): duplicates, nothing doubled.
  auto again = handover(fresh["credential"], ops);
  ASSERT_EQ(again.status, 200) << again.body.dump();
  for (const auto& r : again.body["results"]) EXPECT_EQ(r["status"], "duplicate") << r.dump();
  EXPECT_EQ(count_ops_of_old_till(), "2");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM sales"), "2");
}

TEST_F(TillHandover, AHandOverFromATillThatIsNotRetiredIsRefused) {
  const json fresh = enrol_new_till();
  auto a = handover(fresh["credential"], {sale(1, 1000)});
  EXPECT_EQ(a.status, 403) << a.body.dump();
  EXPECT_NE(a.body["error"]["message"].get<std::string>().find("not retired"), std::string::npos) << a.body.dump();
  EXPECT_EQ(count_ops_of_old_till(), "0");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM till_handovers"), "0");
}

TEST_F(TillHandover, AHandOverToATillNotEnrolledByAManagerOrEnrolledBeforeTheRetirementIsRefused) {
  const json earlier = enrol_new_till("Side");  // enrolled before the retirement
  ASSERT_EQ(retire(old_id()).status, 200);
  auto before = handover(earlier["credential"], {sale(1, 1000)});
  EXPECT_EQ(before.status, 403) << before.body.dump();

  const json fresh = enrol_new_till();
  w_.sql("UPDATE tills SET enrolled_by = '" + cashier_.id + "'::uuid WHERE id = '" +
         fresh["till_id"].get<std::string>() + "'::uuid");
  auto by_cashier = handover(fresh["credential"], {sale(1, 1000)});
  EXPECT_EQ(by_cashier.status, 403) << by_cashier.body.dump();
  EXPECT_NE(by_cashier.body["error"]["message"].get<std::string>().find("manager"), std::string::npos);
  EXPECT_EQ(count_ops_of_old_till(), "0");
}

TEST_F(TillHandover, RetiringATillThatLastReportedUnsyncedOpsAnswers409UntilConfirmed) {
  push({sale(1, 1000)});  // its headers say X-Till-Outbox-Depth: 2
  w_.sql("UPDATE till_sync_status SET outbox_depth = 12");
  auto warned = retire(old_id());
  ASSERT_EQ(warned.status, 409) << warned.body.dump();
  EXPECT_EQ(warned.body["error"]["unsynced_ops"], 12);
  EXPECT_NE(warned.body["error"]["message"].get<std::string>().find("12 unsynced ops"), std::string::npos);
  EXPECT_EQ(w_.sql_value("SELECT status FROM tills WHERE id = '" + old_id() + "'::uuid"), "active");
  EXPECT_EQ(retire(old_id(), {{"confirm", true}}).status, 200);
  EXPECT_EQ(w_.sql_value("SELECT status FROM tills WHERE id = '" + old_id() + "'::uuid"), "revoked");
}

TEST_F(TillHandover, TheCliRefusesToRetireATillWithUnsyncedOpsWithoutForce) {
  push({sale(1, 1000)});
  const auto [rc, out] = cli({"till", "retire", till_.till.till_code});
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("2 unsynced ops"), std::string::npos) << out;
  EXPECT_NE(out.find("--force"), std::string::npos) << out;
  EXPECT_EQ(w_.sql_value("SELECT status FROM tills WHERE id = '" + old_id() + "'::uuid"), "active");
  const auto [forced, out2] = cli({"till", "retire", till_.till.till_code, "--force"});
  EXPECT_EQ(forced, 0) << out2;
  EXPECT_EQ(w_.sql_value("SELECT status FROM tills WHERE id = '" + old_id() + "'::uuid"), "revoked");
}

TEST_F(TillHandover, ImportingATillsExportFileTwiceAppliesItsOpsOnce) {
  const std::vector<sp::Op> ops = {sale(1, 1000), sale(2, 1000), sale(3, 1000)};
  ASSERT_EQ(retire(old_id()).status, 200);
  const auto file = write("export.json", export_file(ops));
  const auto [rc, out] = cli({"ops", "import", file.string(), "--json"});
  ASSERT_EQ(rc, 0) << out;
  const auto j = json::parse(out.substr(out.find("{\n")), nullptr, false);
  EXPECT_EQ(j["applied"], 3) << out;
  EXPECT_EQ(j["new"], 3) << out;
  EXPECT_EQ(count_ops_of_old_till(), "3");

  const auto [rc2, out2] = cli({"ops", "import", file.string()});
  EXPECT_EQ(rc2, 0) << out2;
  EXPECT_NE(out2.find("3 applied, 0 new"), std::string::npos) << out2;
  EXPECT_EQ(count_ops_of_old_till(), "3");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM sales"), "3");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'ops.import'"), "2");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM till_handovers WHERE via = 'import' AND from_till = '" + old_id() +
                         "'::uuid"),
            "2");
  EXPECT_EQ(w_.sql_value("SELECT sum(new_ops) FROM till_handovers"), "3");
}

TEST_F(TillHandover, AMalformedExportFileIsRefusedWithExit2AndNothingStored) {
  std::vector<sp::Op> ops = {sale(1, 1000), sale(2, 1000)};
  const std::string good = export_file(ops);
  auto broken_op = json::parse(good);
  broken_op["ops"][1]["kind"] = "teleport";  // the first op is fine: still nothing may be stored
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"cut.json", good.substr(0, good.size() / 2)},
           {"not-export.json", R"({"format":"something-else","version":1,"ops":[]})"},
           {"bad-op.json", broken_op.dump()}}) {
    const auto [rc, out] = cli({"ops", "import", write(name, text).string()});
    EXPECT_EQ(rc, 2) << name << ": " << out;
    EXPECT_NE(out.find("nothing was imported"), std::string::npos) << name << ": " << out;
  }
  EXPECT_EQ(count_ops_of_old_till(), "0");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM till_handovers"), "0");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'ops.import'"), "0");
}

}  // namespace
