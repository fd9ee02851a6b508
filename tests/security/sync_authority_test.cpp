// Attacks on what a till's ops may do (docs/security.md, "What a till's ops
// may do"), over real HTTP with a real till credential: an op carries the
// authority of the person's signed grant, never the till's and never the
// database role of whatever user id it names; every op kind needs its
// permission; cash goes only into this till's shifts; revocation, expiry and
// back-dating are judged at arrival on the server's clock, corrected by the
// till's measured skew. Each attack is kept (applied and flagged, or stored
// rejected) for a manager, never lost.
#include "store_http_support.hpp"

namespace sp = salespider;
using sp::test::now_ms;

namespace {

constexpr std::int64_t kMinute = 60'000;

class SyncAuthority : public ::testing::Test, protected sp::test::StoreOverHttp {
 protected:
  SyncAuthority() : owner_(w_.add_user(sp::auth::Role::super_admin, "owner1")) {}

  // The flag kinds recorded for an op, sorted and comma-separated; the
  // store has no rice in stock, and overselling is not what is tested here.
  std::string flags_of(const sp::Op& o) {
    return w_.sql_value(
        "SELECT coalesce(string_agg(DISTINCT kind, ',' ORDER BY kind), '') FROM op_flags WHERE op_id = '" +
        o.op_id + "' AND kind <> 'oversold'");
  }
  // The grant problems an op was flagged with (JSON array text, "" = none).
  std::string problems_of(const sp::Op& o) {
    return w_.sql_value(
        "SELECT detail->>'problems' FROM op_flags WHERE kind = 'grant_problem' AND op_id = '" + o.op_id +
        "'");
  }
  std::string status_of(const sp::Op& o) {
    return w_.sql_value("SELECT status || coalesce('/' || reject_code, '') FROM applied_ops WHERE op_id = '" +
                        o.op_id + "'");
  }

  // A push as a till makes it, saying how many ops it still has waiting
  // (this batch included) and what its clock reads.
  sp::PushResponse push_as(const sp::service::EnrolledTill& till, std::vector<sp::Op> ops,
                           std::int64_t outbox_depth, std::int64_t till_clock) {
    sp::PushBatch b;
    b.till_id = till.till.till_id;
    b.ops = std::move(ops);
    const httplib::Headers h{{"Authorization", "Bearer " + till.credential},
                             {"X-Till-Outbox-Depth", std::to_string(outbox_depth)},
                             {"X-Till-Time", std::to_string(till_clock)}};
    auto r = client_->Post("/api/v1/sync/push", h, *sp::encode_push_batch(b), "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : std::string("no answer"));
    if (!r || r->status != 200) return {};
    return *sp::decode_push_response(r->body);
  }
  // One op, everything the till had: an acknowledged push.
  sp::OpResult push_one(const sp::Op& o, std::int64_t till_clock = 0) {
    const auto r = push_as(till_, {o}, 1, till_clock ? till_clock : now_ms());
    return r.results.empty() ? sp::OpResult{} : r.results[0];
  }

  sp::Op by(const sp::service::UserView& who, std::string grant, sp::Op o) {
    o.user_id = who.id;
    o.grant = std::move(grant);
    return o;
  }

  sp::Op stock_adjust(std::int64_t units) {
    sp::StockMovement m;
    m.product_id = product_;
    m.kind = sp::StockMovementKind::adjust;
    m.delta_thousandths = units * 1000;
    return op(sp::OpKind::stock_movement, *sp::encode_stock_movement_payload(m));
  }

  httplib::Result as_manager(const std::string& path) {
    return client_->Post(path, manager_headers(), "{}", "application/json");
  }

  sp::service::UserView owner_;
};

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The hole: an op with no grant was judged with the role the database gives
// whatever user id it names, so any holder of a till credential gave 100%
// discounts as the owner, unflagged.
TEST_F(SyncAuthority, AnOpWithoutAGrantNamingTheOwnerGetsNoneOfTheOwnersAuthority) {
  auto s = op(sp::OpKind::sale, *sp::encode_sale_payload(sale_payload(
                                    1, {rice(1, 1000, {sp::Discount{sp::DiscountKind::percent, 9'000}})})));
  s = by(owner_, "", s);
  const auto r = push_one(s);
  EXPECT_EQ(r.status, sp::OpStatus::applied) << r.code << " " << r.message;  // kept: the goods left
  EXPECT_TRUE(has(flags_of(s), "grant_problem")) << flags_of(s);
  EXPECT_TRUE(has(flags_of(s), "discount_over_limit")) << flags_of(s);
  EXPECT_TRUE(has(flags_of(s), "needs_approval")) << flags_of(s);
  EXPECT_TRUE(has(problems_of(s), "no_grant")) << problems_of(s);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM applied_ops WHERE op_id = '" + s.op_id +
                         "' AND resolved_at IS NULL AND cardinality(flags) > 0"),
            "1");  // in needs attention
}

TEST_F(SyncAuthority, ACashRefundWithoutAGrantNeedsApproval) {
  const auto total = sale_payload(1, {rice(2)}).total;
  auto sale_op = op(sp::OpKind::sale, *sp::encode_sale_payload(sale_payload(
                                          1, {rice(2)}, {sp::Payment{sp::TenderKind::cash, total, ""}})));
  ASSERT_EQ(push_one(sale_op).status, sp::OpStatus::applied);
  EXPECT_EQ(flags_of(sale_op), "");  // the cashier's own grant: a genuine sale

  sp::RefundPayload p;
  p.sale_op_id = sale_op.op_id;
  p.lines.push_back({0, sp::Quantity{2000}});
  p.reason = "changed mind";
  p.total = total;
  p.tenders = {sp::Payment{sp::TenderKind::cash, p.total, ""}};
  auto refund = by(owner_, "", op(sp::OpKind::refund, *sp::encode_refund_payload(p)));
  EXPECT_EQ(push_one(refund).status, sp::OpStatus::applied);
  EXPECT_TRUE(has(flags_of(refund), "needs_approval")) << flags_of(refund);
  EXPECT_TRUE(has(problems_of(refund), "no_grant")) << problems_of(refund);
}

TEST_F(SyncAuthority, ADisabledPersonsOpsAreFlaggedUserDisabledWithOrWithoutAGrant) {
  const auto cashier2 = w_.add_user(sp::auth::Role::cashier, "cashier2");
  const auto grant = grant_for(cashier2, till_);
  auto under_grant = by(cashier2, grant, sale(1, 1000));
  auto without = by(cashier2, "", sale(2, 1000));
  auto r = as_manager("/api/v1/users/" + cashier2.id + "/disable");
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");

  EXPECT_EQ(push_one(under_grant).status, sp::OpStatus::applied);
  EXPECT_EQ(push_one(without).status, sp::OpStatus::applied);
  EXPECT_TRUE(has(problems_of(under_grant), "user_disabled")) << problems_of(under_grant);
  EXPECT_TRUE(has(problems_of(without), "user_disabled")) << problems_of(without);
}

TEST_F(SyncAuthority, StockMovementsNeedAdjustStock) {
  auto by_cashier = stock_adjust(5);
  auto by_manager_op = by(manager_, grant_for(manager_, till_), stock_adjust(-2));
  EXPECT_EQ(push_one(by_cashier).status, sp::OpStatus::applied);  // the goods moved: kept, for review
  EXPECT_EQ(push_one(by_manager_op).status, sp::OpStatus::applied);
  EXPECT_EQ(flags_of(by_cashier), "needs_approval");
  EXPECT_EQ(flags_of(by_manager_op), "");
}

TEST_F(SyncAuthority, CashCannotMoveInOrOutOfAnotherTillsShift) {
  const auto back = w_.add_till("Back");
  const auto theirs = new_id();
  auto open = op(sp::OpKind::shift_open,
                 *sp::encode_shift_open_payload({theirs, *sp::find_currency(currency_), 5000}));
  open.till_id = back.till.till_id;
  open.grant = grant_for(cashier_, back);
  ASSERT_EQ(push_as(back, {open}, 1, now_ms()).results.at(0).status, sp::OpStatus::applied);

  sp::CashMovementPayload pay_out;
  pay_out.shift_id = theirs;
  pay_out.kind = sp::CashMovementKind::pay_out;
  pay_out.amount = 4000;
  pay_out.currency = *sp::find_currency(currency_);
  pay_out.reason = "supplier";
  auto cash = op(sp::OpKind::cash_movement, *sp::encode_cash_movement_payload(pay_out));
  const auto r = push_one(cash);
  EXPECT_EQ(r.status, sp::OpStatus::rejected);
  EXPECT_EQ(r.code, "unknown_shift");
  EXPECT_EQ(status_of(cash), "rejected/unknown_shift");  // stored for a manager
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM cash_movements WHERE shift_id = '" + theirs + "'"), "0");
}

// Revoked at R; the till then acknowledged a push after R, so every op it
// genuinely made before R has arrived: one dated before R turning up now
// was dated back.
TEST_F(SyncAuthority, AnOpDatedBeforeARevocationIsFlaggedOnceTheTillHasPushedSince) {
  const auto cashier2 = w_.add_user(sp::auth::Role::cashier, "cashier2");
  const auto grant = issue_grant(cashier2, till_);
  const auto before = now_ms();
  auto back_dated = by(cashier2, grant.token, sale(1, 1000));
  back_dated.created_at = before;
  auto r = as_manager("/api/v1/grants/" + grant.grant_id + "/revoke");
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");

  auto meanwhile = by(manager_, grant_for(manager_, till_), sale(2, 1000));
  ASSERT_EQ(push_one(meanwhile).status, sp::OpStatus::applied);
  EXPECT_EQ(flags_of(meanwhile), "");

  EXPECT_EQ(push_one(back_dated).status, sp::OpStatus::applied);
  EXPECT_TRUE(has(problems_of(back_dated), "revoked")) << flags_of(back_dated);
}

// The legitimate case: offline all day, the cashier's grant revoked
// meanwhile, the till's first push after it brings sales made before.
TEST_F(SyncAuthority, AGenuineOfflineOpMadeBeforeARevocationIsNotFlagged) {
  const auto cashier2 = w_.add_user(sp::auth::Role::cashier, "cashier2");
  const auto grant = issue_grant(cashier2, till_);
  auto offline = by(cashier2, grant.token, sale(1, 1000));
  auto r = as_manager("/api/v1/grants/" + grant.grant_id + "/revoke");
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
  EXPECT_EQ(push_one(offline).status, sp::OpStatus::applied);
  EXPECT_EQ(flags_of(offline), "");
}

// A till whose clock runs 10 minutes slow stamps its ops 10 minutes before
// the grant it was just given: judged on the server's clock, they fit.
TEST_F(SyncAuthority, ATillTenMinutesSlowIsJudgedOnTheServersClock) {
  const auto slow = now_ms() - 10 * kMinute;
  auto s = sale(1, 1000);
  s.created_at = slow;
  EXPECT_EQ(push_one(s, slow).status, sp::OpStatus::applied);
  EXPECT_EQ(problems_of(s), "") << flags_of(s);
  EXPECT_FALSE(has(flags_of(s), "backdated")) << flags_of(s);
  const auto skew = std::stoll(w_.sql_value("SELECT clock_skew_ms FROM till_sync_status WHERE till_id = '" +
                                            till_.till.till_id + "'"));
  EXPECT_LT(skew, -9 * kMinute);  // measured and kept on the till's row
  EXPECT_GT(skew, -11 * kMinute);
}

TEST_F(SyncAuthority, AnOpOlderThanTheTillsLastAcknowledgedPushIsBackdated) {
  auto first = sale(1, 1000);
  ASSERT_EQ(push_one(first).status, sp::OpStatus::applied);
  auto late = sale(2, 1000);
  late.created_at = now_ms() - 3 * kMinute;
  EXPECT_EQ(push_one(late).status, sp::OpStatus::applied);
  EXPECT_EQ(flags_of(late), "backdated");
}

// A push that says more ops are waiting than it carries acknowledges
// nothing: ops arriving after it, dated before it, are not back-dated.
TEST_F(SyncAuthority, OpsLeftForTheNextPushAreNotBackdated) {
  auto older = sale(1, 1000);
  older.created_at = now_ms() - 3 * kMinute;
  auto newer = sale(2, 1000);
  ASSERT_EQ(push_as(till_, {newer}, 2, now_ms()).results.at(0).status, sp::OpStatus::applied);
  EXPECT_EQ(push_one(older).status, sp::OpStatus::applied);
  EXPECT_EQ(flags_of(older), "");
}

}  // namespace
