// Refunds, voids and discounts with a manager's approval, pushed over real
// HTTP with real offline grants: the server verifies the approver's grant as
// it verifies an op's, records who approved, and flags (never refuses) what
// does not fit. Also: refund tenders, refunds beyond what remains, shifts a
// till names, and the receipt details the settings row carries.
#include "store_http_support.hpp"

namespace sp = salespider;

namespace {

class Approvals : public ::testing::Test, protected sp::test::StoreOverHttp {
 protected:
  // The flag kinds recorded for an op, sorted and comma-separated.
  std::string flags_of(const sp::Op& o) {
    return w_.sql_value("SELECT coalesce(string_agg(DISTINCT kind, ',' ORDER BY kind), '') FROM op_flags WHERE op_id = '" +
                        o.op_id + "'");
  }

  bool flagged(const sp::Op& o, const std::string& kind) {
    return w_.sql_value("SELECT count(*) FROM op_flags WHERE kind = '" + kind + "' AND op_id = '" + o.op_id + "'") != "0";
  }

  std::string problems_of(const sp::Op& o) {
    return w_.sql_value("SELECT detail->>'problems' FROM op_flags WHERE kind = 'approval_invalid' AND op_id = '" +
                        o.op_id + "'");
  }

  // A card sale of some units of rice, pushed.
  sp::Op sold(std::int64_t seq, std::int64_t units = 3) {
    auto s = sale(seq, 1000);
    s.payload = *sp::encode_sale_payload(sale_payload(seq, {rice(units)}));
    EXPECT_EQ(push({s}).results[0].status, sp::OpStatus::applied);
    return s;
  }

  sp::Op refund(const sp::Op& sale, std::int64_t units, std::optional<sp::Approval> approval = std::nullopt,
                std::vector<sp::Payment> tenders = {}) {
    sp::RefundPayload p;
    p.sale_op_id = sale.op_id;
    p.lines.push_back({0, sp::Quantity{units * 1000}});
    p.reason = "damaged";
    p.total = units * 1000;
    p.approval = std::move(approval);
    p.tenders = std::move(tenders);
    return op(sp::OpKind::refund, *sp::encode_refund_payload(p));
  }

  sp::Approval by_manager() { return sp::Approval{manager_.id, grant_for(manager_, till_)}; }
};

TEST_F(Approvals, ARefundByACashierNeedsAManagersApprovalAndRecordsWhoGaveIt) {
  auto sale = sold(1);
  auto alone = refund(sale, 1);
  auto approved = refund(sale, 1, by_manager());
  const auto r = push({alone, approved});
  EXPECT_EQ(r.results[0].status, sp::OpStatus::applied);
  EXPECT_EQ(r.results[0].message, "flagged: needs_approval");
  EXPECT_EQ(flags_of(alone), "needs_approval");
  EXPECT_EQ(flags_of(approved), "");
  EXPECT_EQ(w_.sql_value("SELECT approved_by FROM refunds WHERE id = '" + approved.op_id + "'"), manager_.id);
  EXPECT_EQ(w_.sql_value("SELECT coalesce(approved_by::text, 'none') FROM refunds WHERE id = '" + alone.op_id + "'"),
            "none");
  // A manager refunding needs nobody.
  auto own = refund(sale, 1);
  own.user_id = manager_.id;
  own.grant = by_manager().grant;
  push({own});
  EXPECT_EQ(flags_of(own), "");
}

TEST_F(Approvals, AnApprovalThatDoesNotVerifyIsFlaggedWithWhy) {
  auto sale = sold(1, 5);
  auto other_till = w_.add_till("Back");
  const auto owner = w_.add_user(sp::auth::Role::super_admin, "owner1");
  struct Case {
    const char* name;
    sp::Approval approval;
    std::string problems;
  };
  const auto manager_grant = by_manager().grant;
  const auto revoked = issue_grant(manager_, till_);
  Case cases[] = {
      {"a cashier cannot approve", {cashier_.id, grant_}, R"(["not_a_manager"])"},
      {"a grant from another till", {manager_.id, grant_for(manager_, other_till)}, R"(["wrong_till"])"},
      {"someone else's grant", {owner.id, manager_grant}, R"(["another_person"])"},
      {"a forged grant", {manager_.id, "eyJ2IjoxfQ.c2lnbmF0dXJl"}, R"(["bad_signature"])"},
      {"a revoked grant", {manager_.id, revoked.token}, R"(["revoked"])"},
  };
  ASSERT_TRUE(w_.services().grants().revoke(w_.store(), revoked.grant_id, sp::test::AuthWorld::cli_actor()));
  for (const auto& c : cases) {
    auto o = refund(sale, 1, c.approval);
    const auto r = push({o});
    ASSERT_EQ(r.results.size(), 1u) << c.name;
    EXPECT_EQ(r.results[0].status, sp::OpStatus::applied) << c.name << ": " << r.results[0].code;
    EXPECT_EQ(flags_of(o), "approval_invalid,needs_approval") << c.name;
    EXPECT_EQ(problems_of(o), c.problems) << c.name;
  }
}

TEST_F(Approvals, AManagersApprovalLiftsTheDiscountLimitToTheManagers) {
  const std::vector<sp::Discount> quarter{{sp::DiscountKind::percent, 2500}};
  auto alone = sale(1, 1000, quarter);
  auto approved = sale(2, 1000, quarter);
  auto p = *sp::decode_sale_payload(approved.payload);
  p.approval = by_manager();
  approved.payload = *sp::encode_sale_payload(p);
  auto too_much = sale(3, 1000, {{sp::DiscountKind::percent, 6000}});  // above the manager's 50% too
  p = *sp::decode_sale_payload(too_much.payload);
  p.approval = by_manager();
  too_much.payload = *sp::encode_sale_payload(p);
  push({alone, approved, too_much});
  EXPECT_TRUE(flagged(alone, "discount_over_limit"));
  EXPECT_FALSE(flagged(approved, "discount_over_limit")) << flags_of(approved);
  EXPECT_FALSE(flagged(approved, "approval_invalid"));
  EXPECT_TRUE(flagged(too_much, "discount_over_limit"));
  EXPECT_EQ(w_.sql_value("SELECT approved_by FROM sales WHERE id = '" + approved.op_id + "'"), manager_.id);
}

TEST_F(Approvals, AVoidByACashierNeedsAManager) {
  sp::VoidPayload v;
  v.sale_id = new_id();
  v.reason = "customer left";
  auto alone = op(sp::OpKind::void_sale, *sp::encode_void_payload(v));
  v.sale_id = new_id();
  v.approval = by_manager();
  auto approved = op(sp::OpKind::void_sale, *sp::encode_void_payload(v));
  push({alone, approved});
  EXPECT_EQ(flags_of(alone), "needs_approval");
  EXPECT_EQ(flags_of(approved), "");
  EXPECT_EQ(w_.sql_value("SELECT detail->>'approved_by' FROM audit_log WHERE action = 'sale.voided'"
                         " AND detail->>'op_id' = '" + approved.op_id + "'"),
            manager_.id);
}

TEST_F(Approvals, RefundTendersMustGiveBackExactlyWhatIsOwedInEnabledTenders) {
  auto sale = sold(1);
  auto exact = refund(sale, 1, by_manager(), {{sp::TenderKind::cash, 400, ""}, {sp::TenderKind::cash, 600, ""}});
  auto short_by = refund(sale, 1, by_manager(), {{sp::TenderKind::cash, 900, ""}});
  auto by_card = refund(sale, 1, by_manager(), {{sp::TenderKind::mobile_money, 1000, "ref"}});
  push({exact, short_by, by_card});
  EXPECT_EQ(flags_of(exact), "");
  EXPECT_EQ(w_.sql_value("SELECT string_agg(tender || '=' || amount_minor, ',') FROM refund_tenders WHERE refund_id = '" +
                         exact.op_id + "'"),
            "cash=1000");
  EXPECT_EQ(flags_of(short_by), "tender_mismatch");
  EXPECT_EQ(w_.sql_value("SELECT tender FROM refunds WHERE id = '" + by_card.op_id + "'"), "mobile_money");
  EXPECT_EQ(flags_of(by_card), "tender_disabled");  // the store enables cash only
}

TEST_F(Approvals, ARefundLargerThanWhatRemainsIsRefusedAndKeptForAManager) {
  auto sale = sold(1);
  EXPECT_EQ(push({refund(sale, 2, by_manager())}).results[0].status, sp::OpStatus::applied);
  auto too_much = refund(sale, 2, by_manager());
  const auto r = push({too_much});
  EXPECT_EQ(r.results[0].status, sp::OpStatus::rejected);
  EXPECT_EQ(r.results[0].code, "refund_exceeds_remaining");
  EXPECT_EQ(w_.sql_value("SELECT status FROM applied_ops WHERE op_id = '" + too_much.op_id + "'"), "rejected");
  EXPECT_EQ(w_.sql_value("SELECT sum(total_minor) FROM refunds"), "2000");
  EXPECT_EQ(push({refund(sale, 1, by_manager())}).results[0].status, sp::OpStatus::applied);
}

TEST_F(Approvals, ASaleNamingAShiftThatIsNotThisTillsIsRecordedAndFlagged) {
  const auto usd = *sp::find_currency(currency_);
  const std::string shift = new_id();
  auto open = op(sp::OpKind::shift_open, *sp::encode_shift_open_payload({shift, usd, 0}));
  auto p = sale_payload(1, {rice(1)});
  p.shift_id = shift;
  auto in_shift = op(sp::OpKind::sale, *sp::encode_sale_payload(p));
  p = sale_payload(2, {rice(1)});
  p.shift_id = new_id();
  auto unknown = op(sp::OpKind::sale, *sp::encode_sale_payload(p));
  const auto r = push({open, in_shift, unknown});
  EXPECT_EQ(r.results[2].status, sp::OpStatus::applied);
  EXPECT_FALSE(flagged(in_shift, "unknown_shift"));
  EXPECT_TRUE(flagged(unknown, "unknown_shift"));
  EXPECT_EQ(w_.sql_value("SELECT shift_id FROM sales WHERE id = '" + in_shift.op_id + "'"), shift);
  // Without a shift of its own the sale falls to the till's open shift, as before.
  EXPECT_EQ(w_.sql_value("SELECT shift_id FROM sales WHERE id = '" + unknown.op_id + "'"), shift);
}

TEST_F(Approvals, TheSettingsRowATillPullsCarriesTheStoresTaxIdAndAddress) {
  w_.sql("UPDATE settings SET tax_id = 'TIN 0123-4567', address = '12 Allen Avenue, Ikeja'");
  auto r = client_->Get("/api/v1/sync/pull?protocol_version=1&limit=1", till_headers());
  ASSERT_EQ(r->status, 200) << r->body;
  auto page = sp::decode_pull_page(r->body);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->changes.at(0).entity, "settings");
  EXPECT_NE(page->changes[0].data.find(R"("tax_id":"TIN 0123-4567")"), std::string::npos) << page->changes[0].data;
  EXPECT_NE(page->changes[0].data.find(R"("address":"12 Allen Avenue, Ikeja")"), std::string::npos);
}

}  // namespace
