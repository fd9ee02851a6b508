// Protocol envelopes: push batch, push response, pull page. Valid documents
// round-trip; every kind of bad input is a typed error naming the field.
// Op payload contents are tested in payload_codec_test.cpp.
#include "salespider/shared/codec.hpp"

#include <gtest/gtest.h>

#include <string>

namespace salespider {
namespace {

const std::string kTill = "0190a5b2-7c3d-4e4f-8a1b-2c3d4e5f6071";
const std::string kUser = "0190a5b2-7c3d-4e4f-9a1b-2c3d4e5f6072";
const std::string kOp = "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6073";

std::string op_json(const std::string& extra_or_replacement = "") {
  if (!extra_or_replacement.empty()) return extra_or_replacement;
  return R"({"op_id":")" + kOp + R"(","till_id":")" + kTill +
         R"(","kind":"sale","created_at":1700000000000,)" + R"("user_id":")" + kUser +
         R"(","grant":"g","payload":{"b":1,"a":[true,null]}})";
}

std::string batch_json(const std::string& ops, const std::string& version = "1") {
  return R"({"protocol_version":)" + version + R"(,"till_id":")" + kTill + R"(","ops":[)" + ops + "]}";
}

TEST(Codec, DecodesAValidPushBatch) {
  auto b = decode_push_batch(batch_json(op_json()));
  ASSERT_TRUE(b.ok()) << b.error().context;
  ASSERT_EQ(b->ops.size(), 1u);
  EXPECT_EQ(b->ops[0].kind, OpKind::sale);
  EXPECT_EQ(b->ops[0].created_at, 1'700'000'000'000);
  EXPECT_EQ(b->ops[0].payload, R"({"a":[true,null],"b":1})");  // canonical: sorted keys
  EXPECT_TRUE(b->rejected.empty());
}

TEST(Codec, PushBatchRoundTrips) {
  auto b = decode_push_batch(batch_json(op_json()));
  auto text = encode_push_batch(*b);
  ASSERT_TRUE(text.ok()) << text.error().context;
  auto again = decode_push_batch(*text);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *b);
}

TEST(Codec, EnvelopeErrorsAreTyped) {
  EXPECT_EQ(decode_push_batch("").code(), Errc::malformed_json);
  EXPECT_EQ(decode_push_batch("{").code(), Errc::malformed_json);
  EXPECT_EQ(decode_push_batch("[]").code(), Errc::wrong_type);
  EXPECT_EQ(decode_push_batch(batch_json("", "2")).code(), Errc::unsupported_protocol_version);
  EXPECT_EQ(decode_push_batch(batch_json("", "1.0")).code(), Errc::wrong_type);
  EXPECT_EQ(decode_push_batch(batch_json("", "\"1\"")).code(), Errc::wrong_type);
  EXPECT_EQ(decode_push_batch(batch_json("", "18446744073709551615")).code(), Errc::out_of_range);
  EXPECT_EQ(decode_push_batch(R"({"protocol_version":1,"ops":[]})").code(), Errc::missing_field);
  EXPECT_EQ(decode_push_batch(R"({"protocol_version":1,"till_id":")" + kTill + R"(","ops":[],"x":1})").code(),
            Errc::unknown_field);
  EXPECT_EQ(decode_push_batch(R"({"protocol_version":1,"till_id":")" + kTill + R"(","ops":{}})").code(),
            Errc::wrong_type);
}

TEST(Codec, DeepNestingIsRefusedBeforeParsing) {
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  EXPECT_EQ(decode_push_batch(deep).code(), Errc::too_deep);
  EXPECT_EQ(decode_push_batch(
                batch_json(op_json(R"({"payload":)" + std::string(40, '[') + std::string(40, ']') + "}")))
                .code(),
            Errc::too_deep);
}

TEST(Codec, OversizedDocumentsAndArraysAreRefused) {
  EXPECT_EQ(decode_push_batch(std::string(kMaxBatchBytes + 1, ' ')).code(), Errc::too_large);
  std::string ops;
  for (std::size_t i = 0; i <= kMaxOpsPerBatch; ++i) ops += (i ? ",{}" : "{}");
  EXPECT_EQ(decode_push_batch(batch_json(ops)).code(), Errc::array_too_long);
}

TEST(Codec, OneBadOpIsRejectedAndTheRestDecode) {
  std::string bad = op_json();
  bad.replace(bad.find("\"sale\""), 6, "\"teleport\"");
  auto b = decode_push_batch(batch_json(op_json() + "," + bad));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->ops.size(), 1u);
  ASSERT_EQ(b->rejected.size(), 1u);
  EXPECT_EQ(b->rejected[0].index, 1u);
  EXPECT_EQ(b->rejected[0].op_id, kOp);
  EXPECT_EQ(b->rejected[0].error.code, Errc::unknown_op_kind);
}

TEST(Codec, OpFieldErrorsAreTypedAndNamed) {
  struct Case {
    std::string from, to;
    Errc code;
  } cases[] = {
      {"1700000000000", "-1", Errc::out_of_range},
      {"1700000000000", "1.5", Errc::wrong_type},
      {"1700000000000", "281474976710656", Errc::out_of_range},
      {"\"g\"", "7", Errc::wrong_type},
      {"\"g\"", "\"" + std::string(kMaxGrantBytes + 1, 'g') + "\"", Errc::string_too_long},
      {kOp, "0190a5b2-7c3d-4e4f-8a1b-2c3d4e5f6073", Errc::malformed_uuid},
      {kOp, "not-a-uuid", Errc::malformed_uuid},
      {R"({"b":1,"a":[true,null]})", "[]", Errc::wrong_type},
      {R"("kind":"sale",)", "", Errc::missing_field},
      {R"("grant":"g",)", R"("grant":"g","extra":1,)", Errc::unknown_field},
  };
  for (const auto& c : cases) {
    std::string op = op_json();
    op.replace(op.find(c.from), c.from.size(), c.to);
    auto b = decode_push_batch(batch_json(op));
    ASSERT_TRUE(b.ok()) << c.to;
    ASSERT_EQ(b->rejected.size(), 1u) << c.to;
    EXPECT_EQ(b->rejected[0].error.code, c.code) << c.to << " " << b->rejected[0].error.context;
    EXPECT_EQ(b->rejected[0].error.context.rfind("ops[0]", 0), 0u) << b->rejected[0].error.context;
  }
}

TEST(Codec, OpFromAnotherTillIsRejected) {
  std::string op = op_json();
  op.replace(op.find(kTill), kTill.size(), kUser);
  auto b = decode_push_batch(batch_json(op));
  ASSERT_EQ(b->rejected.size(), 1u);
  EXPECT_EQ(b->rejected[0].error.code, Errc::invalid_value);
}

TEST(Codec, EncoderRefusesWhatTheDecoderWouldReject) {
  PushBatch b;
  b.till_id = kTill;
  Op op;
  op.op_id = kOp;
  op.till_id = kTill;
  op.user_id = kUser;
  op.payload = "{}";
  b.ops.push_back(op);
  EXPECT_TRUE(encode_push_batch(b).ok());
  b.ops[0].payload = "[1]";
  EXPECT_EQ(encode_push_batch(b).code(), Errc::wrong_type);
  b.ops[0].payload = "{";
  EXPECT_EQ(encode_push_batch(b).code(), Errc::malformed_json);
  b.ops[0].payload = "{}";
  b.ops[0].created_at = -5;
  EXPECT_EQ(encode_push_batch(b).code(), Errc::out_of_range);
}

TEST(Codec, PushResponseRoundTripsAndChecksCodes) {
  PushResponse r;
  r.results.push_back({kOp, OpStatus::applied, "", ""});
  r.results.push_back({"x", OpStatus::rejected, "unknown_op_kind", "ops[1]: unknown op kind"});
  auto text = encode_push_response(r);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*decode_push_response(*text), r);
  r.results[1].code = "";
  EXPECT_EQ(encode_push_response(r).code(), Errc::invalid_value);
  EXPECT_EQ(decode_push_response(
                R"({"protocol_version":1,"results":[{"op_id":"a","status":"maybe","code":"","message":""}]})")
                .code(),
            Errc::invalid_value);
}

TEST(Codec, PullPageRoundTripsWithTombstones) {
  PullPage p;
  p.changes.push_back({"product", "p1", 42, false, R"({"name":"Rice 5kg","price":450000})"});
  p.changes.push_back({"product", "p2", 43, true, ""});
  p.next_cursor = "opaque:43";
  p.remaining = 1'000;
  auto text = encode_pull_page(p);
  ASSERT_TRUE(text.ok()) << text.error().context;
  EXPECT_EQ(*decode_pull_page(*text), p);
}

TEST(Codec, APullPageCarriesTheRestoreEpochWhenTheServerHasOne) {
  PullPage p;
  p.next_cursor = "f1.9.0";
  auto without = encode_pull_page(p);
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->find("epoch"), std::string::npos) << "left out when empty: older tills read it as before";
  EXPECT_EQ(decode_pull_page(*without)->epoch, "");
  p.epoch = "0190f3a0-aaaa-4000-8000-000000000001";
  auto with = encode_pull_page(p);
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(*decode_pull_page(*with), p);
  EXPECT_EQ(decode_pull_page(R"({"protocol_version":1,"next_cursor":"c","remaining":0,"changes":[],"epoch":")" +
                             std::string(kMaxEpochBytes + 1, 'e') + R"("})")
                .code(),
            Errc::string_too_long);
}

TEST(Codec, PullPageErrorsAreTyped) {
  const std::string head = R"({"protocol_version":1,"next_cursor":"c","remaining":0,"changes":[)";
  EXPECT_EQ(
      decode_pull_page(head + R"({"entity":"product","id":"p","row_version":1,"deleted":true,"data":{}}]})")
          .code(),
      Errc::invalid_value);
  EXPECT_EQ(
      decode_pull_page(head + R"({"entity":"Product","id":"p","row_version":1,"deleted":false,"data":{}}]})")
          .code(),
      Errc::invalid_value);
  EXPECT_EQ(
      decode_pull_page(head + R"({"entity":"product","id":"p","row_version":-1,"deleted":false,"data":{}}]})")
          .code(),
      Errc::out_of_range);
  EXPECT_EQ(decode_pull_page(R"({"protocol_version":1,"next_cursor":")" +
                             std::string(kMaxCursorBytes + 1, 'c') + R"(","remaining":0,"changes":[]})")
                .code(),
            Errc::string_too_long);
  EXPECT_EQ(
      decode_pull_page(R"({"protocol_version":1,"next_cursor":"c","remaining":"0","changes":[]})").code(),
      Errc::wrong_type);
}

TEST(Codec, OpKindsHaveWireNames) {
  EXPECT_EQ(*parse_op_kind("void"), OpKind::void_sale);
  EXPECT_EQ(parse_op_kind("catalog_edit").code(), Errc::unknown_op_kind);
  for (auto k : kAllOpKinds) EXPECT_EQ(*parse_op_kind(to_string(k)), k);
}

TEST(Codec, EntitiesHaveWireNames) {
  EXPECT_EQ(*parse_entity("tax_rate"), Entity::tax_rate);
  EXPECT_EQ(to_string(Entity::revoked_grant), "revoked_grant");
  EXPECT_EQ(parse_entity("customer").code(), Errc::unknown_entity);
  for (auto e : kAllEntities) EXPECT_EQ(*parse_entity(to_string(e)), e);
}

TEST(Codec, InvalidUtf8IsMalformed) {
  EXPECT_EQ(decode_push_batch("{\"protocol_version\":1,\"till_id\":\"\xff\"}").code(), Errc::malformed_json);
}

}  // namespace
}  // namespace salespider
