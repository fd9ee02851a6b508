// Typed op payloads (sale, refund, void, stock movement): round trips and
// typed errors. The envelope is tested in codec_test.cpp.
#include "salespider/shared/payloads.hpp"

#include "builders.hpp"

#include <gtest/gtest.h>

namespace salespider {
namespace {

using namespace test;

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
  RefundPayload p{
      "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6073", {{0, Quantity{1'000}}, {2, Quantity{250}}}, "faulty", 900};
  auto text = encode_refund_payload(p);
  ASSERT_TRUE(text.ok()) << text.error().context;
  EXPECT_EQ(*decode_refund_payload(*text), p);
  p.lines.clear();
  EXPECT_EQ(encode_refund_payload(p).code(), Errc::nothing_to_refund);
}

TEST(PayloadCodec, VoidPayloadRoundTrips) {
  VoidPayload p{"0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6073", "customer left"};
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

}  // namespace
}  // namespace salespider
