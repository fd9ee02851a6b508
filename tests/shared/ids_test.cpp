// UUIDs (parsing, v7 generation with injected clock and randomness), till
// codes and receipt numbers.
#include "salespider/shared/ids.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace salespider {
namespace {

TEST(Uuid, ParsesAndPrintsCanonicalText) {
  auto u = parse_uuid("0190A5B2-7C3D-7E4F-8A1B-2C3D4E5F6071");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->to_string(), "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6071");
  EXPECT_EQ(u->version(), 7);
}

TEST(Uuid, MalformedTextIsATypedError) {
  for (const char* bad : {"", "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f607", "0190a5b2x7c3d-7e4f-8a1b-2c3d4e5f6071",
                          "0190a5b2-7c3d-7e4f-ca1b-2c3d4e5f6071", "g190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6071"}) {
    EXPECT_EQ(parse_uuid(bad).code(), Errc::malformed_uuid) << bad;
  }
}

TEST(Uuid, V7CarriesTheInjectedTimeVersionAndVariant) {
  const Uuid u = make_uuid_v7(1'700'000'000'123, 0xABC, 0x3FFF'FFFF'FFFF'FFFFULL);
  EXPECT_EQ(u.version(), 7);
  EXPECT_EQ(u.unix_ms(), 1'700'000'000'123);
  EXPECT_EQ(u.bytes[8] & 0xC0, 0x80);
  EXPECT_TRUE(parse_uuid(u.to_string()).ok());
}

TEST(Uuid, GeneratorIsDeterministicAndSortsEvenWhenTheClockStepsBack) {
  std::vector<std::int64_t> times{1'000, 1'000, 999, 1'001, 1'001};
  std::size_t t = 0;
  std::uint64_t seed = 42;
  auto clock = [&] { return times[t++ % times.size()]; };
  auto random = [&] { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; };
  UuidV7Generator gen(clock, random);
  Uuid prev = gen.next();
  for (int i = 0; i < 4; ++i) {
    Uuid next = gen.next();
    EXPECT_LT(prev, next);
    prev = next;
  }
  t = 0;
  seed = 42;
  UuidV7Generator a(clock, random);
  const std::string first = a.next().to_string();
  t = 0;
  seed = 42;
  UuidV7Generator b(clock, random);
  EXPECT_EQ(b.next().to_string(), first);
}

TEST(ReceiptNumber, IsTillCodeDashPaddedSequence) {
  EXPECT_EQ(*format_receipt_number({"SP3", 128}), "SP3-000128");
  EXPECT_EQ(*format_receipt_number({"SP3", 1'234'567}), "SP3-1234567");
  auto back = parse_receipt_number("SP3-000128");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->till_code, "SP3");
  EXPECT_EQ(back->sequence, 128);
}

TEST(ReceiptNumber, OnlyTheCanonicalSpellingParses) {
  for (const char* bad : {"SP3-0000128", "SP3-128", "sp3-000128", "3SP-000128", "SP3000128", "SP3-000000",
                          "S-000001", "SP3-00012a", "TOOLONGCODE-000001"}) {
    EXPECT_FALSE(parse_receipt_number(bad).ok()) << bad;
  }
}

TEST(ReceiptNumber, BadTillCodeOrSequenceIsRefused) {
  EXPECT_EQ(format_receipt_number({"sp3", 1}).code(), Errc::malformed_till_code);
  EXPECT_EQ(format_receipt_number({"SP3", 0}).code(), Errc::out_of_range);
  EXPECT_EQ(format_receipt_number({"SP3", kMaxReceiptSequence + 1}).code(), Errc::out_of_range);
}

}  // namespace
}  // namespace salespider
