// Typed op payloads (sale, refund, void, stock movement, shifts, cash
// movements): round trips, typed errors, and the optional fields added later
// (shift, approval, refund tenders) leaving older ops exactly as they were.
// The envelope is tested in codec_test.cpp.
#include "salespider/shared/payloads.hpp"

#include "builders.hpp"
#include "salespider/shared/protocol.hpp"

#include <gtest/gtest.h>

namespace salespider {
namespace {

using namespace test;

RefundPayload refund_of(std::string sale_op_id, std::vector<RefundRequestLine> lines, std::string reason,
                        std::int64_t total) {
  RefundPayload p;
  p.sale_op_id = std::move(sale_op_id);
  p.lines = std::move(lines);
  p.reason = std::move(reason);
  p.total = total;
  return p;
}

VoidPayload void_of(std::string sale_id, std::string reason, std::optional<Approval> approval = std::nullopt) {
  VoidPayload p;
  p.sale_id = std::move(sale_id);
  p.reason = std::move(reason);
  p.approval = std::move(approval);
  return p;
}

SalePayload sample_sale() {
  SalePayload p;
  p.receipt_number = "SP3-000128";
  p.cart = cart({line(1'075, 2, vat(), {percent(500)}), weighed(45'000, 1'250, exempt())},
                PriceMode::tax_inclusive, {fixed(100)});
  p.cart.lines[0].barcode = "5012345678900";
  p.payments = {{TenderKind::card, 1'000, "slip"}, {TenderKind::cash, 60'000, ""}};
  p.total = compute_sale(p.cart)->totals.total;
  return p;
}

TEST(PayloadCodec, SalePayloadRoundTrips) {
  const SalePayload p = sample_sale();
  auto text = encode_sale_payload(p);
  ASSERT_TRUE(text.ok()) << text.error().context;
  auto back = decode_sale_payload(*text);
  ASSERT_TRUE(back.ok()) << back.error().context;
  EXPECT_EQ(*back, p);
}

TEST(PayloadCodec, SalePayloadErrorsAreTypedAndNamed) {
  const std::string good = *encode_sale_payload(sample_sale());
  struct Case {
    std::string from, to;
    Errc code;
  } cases[] = {
      {R"("currency":"NGN")", R"("currency":"XYZ")", Errc::unknown_currency},
      {R"("receipt_number":"SP3-000128")", R"("receipt_number":"SP3-128")", Errc::malformed_receipt_number},
      {R"("unit_price":1075)", R"("unit_price":-1)", Errc::out_of_range},
      {R"("unit_price":1075)", R"("unit_price":"1075")", Errc::wrong_type},
      {R"("quantity":1250)", R"("quantity":0)", Errc::out_of_range},
      {R"("unit":"weighed")", R"("unit":"each")", Errc::fractional_quantity},
      {R"("kind":"card")", R"("kind":"crypto")", Errc::invalid_value},
      {R"("rate_ppm":75000)", R"("rate_ppm":1000001)", Errc::out_of_range},
      {R"("kind":"exempt")", R"("kind":"standard")", Errc::invalid_tax_rate},
      {R"("price_mode":"tax_inclusive")", R"("price_mode":"gross")", Errc::invalid_value},
      {R"("total":)", R"("totl":)", Errc::unknown_field},
  };
  for (const auto& c : cases) {
    std::string text = good;
    const auto at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), c.to);
    EXPECT_EQ(decode_sale_payload(text).code(), c.code) << c.to;
  }
}

TEST(PayloadCodec, RefundPayloadRoundTrips) {
  RefundPayload p =
      refund_of("0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6073", {{0, Quantity{1'000}}, {2, Quantity{250}}}, "faulty", 900);
  auto text = encode_refund_payload(p);
  ASSERT_TRUE(text.ok()) << text.error().context;
  EXPECT_EQ(*decode_refund_payload(*text), p);
  p.lines.clear();
  EXPECT_EQ(encode_refund_payload(p).code(), Errc::nothing_to_refund);
}

TEST(PayloadCodec, VoidPayloadRoundTrips) {
  VoidPayload p = void_of("0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6073", "customer left");
  EXPECT_EQ(*decode_void_payload(*encode_void_payload(p)), p);
  EXPECT_EQ(decode_void_payload(R"({"sale_id":"nope","reason":""})").code(), Errc::malformed_uuid);
}

TEST(PayloadCodec, StockMovementPayloadRoundTripsAndValidates) {
  StockMovement m;
  m.product_id = "p1";
  m.kind = StockMovementKind::write_off;
  m.delta_thousandths = -3'000;
  m.reason = WriteOffReason::damaged;
  m.note = "dropped";
  EXPECT_EQ(*decode_stock_movement_payload(*encode_stock_movement_payload(m)), m);
  m.reason.reset();
  EXPECT_EQ(encode_stock_movement_payload(m).code(), Errc::invalid_stock_movement);
}

TEST(PayloadCodec, ACountCarriesWhatWasCountedAndItsCountAndOnlyACountMay) {
  StockMovement m;
  m.product_id = "p1";
  m.kind = StockMovementKind::count;
  m.delta_thousandths = -2'000;
  m.counted_thousandths = 5'000;
  m.count_id = "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6000";
  auto text = encode_stock_movement_payload(m);
  ASSERT_TRUE(text.ok()) << text.error().context;
  EXPECT_NE(text->find(R"("counted":5000)"), std::string::npos) << *text;
  EXPECT_EQ(*decode_stock_movement_payload(*text), m);
  // A movement of the previous build has neither field.
  StockMovement old = m;
  old.counted_thousandths.reset();
  old.count_id.clear();
  EXPECT_EQ(encode_stock_movement_payload(old)->find("counted"), std::string::npos);
  m.kind = StockMovementKind::adjust;
  EXPECT_EQ(encode_stock_movement_payload(m).code(), Errc::invalid_stock_movement);
  EXPECT_EQ(decode_stock_movement_payload(
                R"({"product_id":"p1","kind":"count","delta":0,"reason":null,"note":"","counted":-1})")
                .code(),
            Errc::out_of_range);
}

TEST(PayloadCodec, AReceiptMayCarryItsUnitCostAndNothingElseMay) {
  StockMovement m;
  m.product_id = "p1";
  m.kind = StockMovementKind::receive;
  m.delta_thousandths = 12'000;
  m.unit_cost_minor = 250;
  auto text = encode_stock_movement_payload(m);
  ASSERT_TRUE(text.ok()) << text.error().context;
  EXPECT_NE(text->find(R"("unit_cost":250)"), std::string::npos) << *text;
  EXPECT_EQ(*decode_stock_movement_payload(*text), m);
  // Absent unless set, so a till of the previous build reads the same text.
  StockMovement plain = m;
  plain.unit_cost_minor.reset();
  EXPECT_EQ(encode_stock_movement_payload(plain)->find("unit_cost"), std::string::npos);
  m.kind = StockMovementKind::adjust;
  EXPECT_EQ(encode_stock_movement_payload(m).code(), Errc::invalid_stock_movement);
  EXPECT_EQ(decode_stock_movement_payload(
                R"({"product_id":"p1","kind":"receive","delta":1000,"reason":null,"note":"","unit_cost":-5})")
                .code(),
            Errc::out_of_range);
}

constexpr const char* kShift = "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6074";
constexpr const char* kManager = "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6075";

Approval manager_approval() {
  return Approval{kManager, "eyJ2IjoxfQ.c2lnbmF0dXJl"};
}

TEST(PayloadCodec, ASaleWithAShiftAndAnApprovalRoundTrips) {
  SalePayload p = sample_sale();
  p.shift_id = kShift;
  p.approval = manager_approval();
  auto text = encode_sale_payload(p);
  ASSERT_TRUE(text.ok()) << text.error().context;
  EXPECT_NE(text->find(R"("approval":{"grant":"eyJ2IjoxfQ.c2lnbmF0dXJl","user_id":")"), std::string::npos) << *text;
  EXPECT_EQ(*decode_sale_payload(*text), p);
}

TEST(PayloadCodec, OptionalFieldsAreOmittedWhenEmptySoOlderOpsKeepTheirText) {
  const std::string sale = *encode_sale_payload(sample_sale());
  EXPECT_EQ(sale.find("shift_id"), std::string::npos);
  EXPECT_EQ(sale.find("approval"), std::string::npos);
  RefundPayload refund = refund_of("0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6073", {{0, Quantity{1'000}}}, "faulty", 900);
  EXPECT_EQ(*encode_refund_payload(refund),
            R"({"lines":[{"line":0,"quantity":1000}],"reason":"faulty","sale_op_id":"0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6073","total":900})");
  EXPECT_EQ(*encode_void_payload(void_of("0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6073", "left")),
            R"({"reason":"left","sale_id":"0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6073"})");
}

TEST(PayloadCodec, ARefundWithTendersAShiftAndAnApprovalRoundTrips) {
  RefundPayload p = refund_of("0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6073", {{0, Quantity{1'000}}}, "faulty", 900);
  p.shift_id = kShift;
  p.approval = manager_approval();
  p.tenders = {{TenderKind::cash, 400, ""}, {TenderKind::card, 500, "slip 7"}};
  auto text = encode_refund_payload(p);
  ASSERT_TRUE(text.ok()) << text.error().context;
  EXPECT_EQ(*decode_refund_payload(*text), p);
  p.tenders[0].amount = 0;
  EXPECT_EQ(encode_refund_payload(p).code(), Errc::out_of_range);
}

TEST(PayloadCodec, AVoidWithAnApprovalRoundTrips) {
  VoidPayload p = void_of("0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6073", "customer left", manager_approval());
  EXPECT_EQ(*decode_void_payload(*encode_void_payload(p)), p);
}

TEST(PayloadCodec, ApprovalsAndNewFieldsAreAsStrictAsTheRest) {
  const std::string approval = R"("approval":{"grant":"g.s","user_id":"0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6075"})";
  const std::string head = R"({"reason":"x","sale_id":"0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6073",)";
  struct Case {
    std::string field;
    Errc code;
  } cases[] = {
      {approval, Errc::ok},
      {R"("approval":{"grant":"g.s","user_id":"0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6075","pin":"1234"})",
       Errc::unknown_field},
      {R"("approval":{"user_id":"0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6075"})", Errc::missing_field},
      {R"("approval":{"grant":"","user_id":"0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6075"})", Errc::invalid_value},
      {R"("approval":{"grant":"g.s","user_id":"bola"})", Errc::malformed_uuid},
      {R"("approval":{"grant":")" + std::string(kMaxGrantBytes + 1, 'g') +
           R"(","user_id":"0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6075"})",
       Errc::string_too_long},
      {R"("approval":"manager")", Errc::wrong_type},
      {R"("approval":null)", Errc::wrong_type},
  };
  for (const auto& c : cases) EXPECT_EQ(decode_void_payload(head + c.field + "}").code(), c.code) << c.field;

  const std::string refund = R"({"lines":[{"line":0,"quantity":1000}],"reason":"","sale_op_id":"0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6073","total":900,)";
  EXPECT_EQ(decode_refund_payload(refund + R"("shift_id":"SHIFT"})").code(), Errc::malformed_uuid);
  EXPECT_EQ(decode_refund_payload(refund + R"("tenders":[{"kind":"cheque","amount":1,"reference":""}]})").code(),
            Errc::invalid_value);
  EXPECT_EQ(decode_refund_payload(refund + R"("tenders":{}})").code(), Errc::wrong_type);
  EXPECT_EQ(decode_refund_payload(refund + R"("tenders":[]})").code(), Errc::ok);
}

TEST(PayloadCodec, ShiftPayloadsDecodeWhatTheServerAcceptedBefore) {
  const std::string shift = kShift;
  auto open = decode_shift_open_payload(R"({"shift_id":")" + shift + R"(","currency":"USD","opening_float":5000})");
  ASSERT_TRUE(open.ok()) << open.error().context;
  EXPECT_EQ(open->currency.code(), "USD");
  EXPECT_EQ(open->opening_float, 5000);
  EXPECT_EQ(*decode_shift_open_payload(*encode_shift_open_payload(*open)), *open);

  // note and reason may be left out.
  auto close = decode_shift_close_payload(R"({"shift_id":")" + shift + R"(","counted_cash":6700})");
  ASSERT_TRUE(close.ok()) << close.error().context;
  EXPECT_EQ(close->note, "");
  EXPECT_EQ(*decode_shift_close_payload(*encode_shift_close_payload(*close)), *close);

  auto cash = decode_cash_movement_payload(R"({"shift_id":")" + shift +
                                           R"(","kind":"pay_out","amount":300,"currency":"USD"})");
  ASSERT_TRUE(cash.ok()) << cash.error().context;
  EXPECT_EQ(cash->kind, CashMovementKind::pay_out);
  EXPECT_FALSE(adds_cash(cash->kind));
  cash->reason = "bread";
  EXPECT_EQ(*decode_cash_movement_payload(*encode_cash_movement_payload(*cash)), *cash);
}

TEST(PayloadCodec, ShiftPayloadErrorsAreTypedAndNamed) {
  const std::string id = kShift;
  const std::string long_reason(kMaxReasonBytes + 1, 'r');
  struct Case {
    Errc got, want;
  } cases[] = {
      {decode_shift_open_payload(R"({"shift_id":")" + id + R"(","currency":"USD","opening_float":-1})").code(),
       Errc::out_of_range},
      {decode_shift_open_payload(R"({"shift_id":")" + id + R"(","currency":"XYZ","opening_float":0})").code(),
       Errc::unknown_currency},
      {decode_shift_close_payload(R"({"shift_id":")" + id + R"(","counted_cash":1,"till":"x"})").code(),
       Errc::unknown_field},
      {decode_shift_close_payload(R"({"shift_id":"0190A5B2-7C3D-7E4F-8A1B-2C3D4E5F6074","counted_cash":1})").code(),
       Errc::malformed_uuid},
      {decode_cash_movement_payload(R"({"shift_id":")" + id + R"(","kind":"tip","amount":1,"currency":"USD"})").code(),
       Errc::invalid_value},
      {decode_cash_movement_payload(R"({"shift_id":")" + id + R"(","kind":"drop","amount":0,"currency":"USD"})")
           .code(),
       Errc::out_of_range},
      {decode_cash_movement_payload(R"({"shift_id":")" + id + R"(","kind":"drop","amount":5,"currency":"USD","reason":")" +
                                    long_reason + R"("})")
           .code(),
       Errc::string_too_long},
  };
  for (std::size_t i = 0; i < std::size(cases); ++i) EXPECT_EQ(cases[i].got, cases[i].want) << "case " << i;
}

TEST(PayloadCodec, RefundTendersAreTheTillsWhenNamedElseTheComputedSpread) {
  Refund computed;
  computed.tenders[static_cast<std::size_t>(TenderKind::card)] = 900;
  RefundPayload p;
  EXPECT_EQ(refund_tenders(p, computed), computed.tenders);
  p.tenders = {{TenderKind::cash, 400, ""}, {TenderKind::cash, 100, ""}, {TenderKind::card, 400, "slip"}};
  const TenderTotals expected{500, 400, 0, 0, 0};
  EXPECT_EQ(refund_tenders(p, computed), expected);
}

}  // namespace
}  // namespace salespider
