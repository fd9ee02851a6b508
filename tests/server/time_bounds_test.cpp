// The from/to reader of the list endpoints (service/time_bounds.hpp): only
// real dates and times pass, so PostgreSQL never sees one it refuses.
#include "service/time_bounds.hpp"

#include <gtest/gtest.h>

namespace sp = salespider::service;

TEST(TimeBounds, RealDatesAndTimestampsPass) {
  for (const char* t : {"2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2026-03-01T10:00",
                        "2026-03-01 10:00:59", "2026-03-01T10:00:00.123456Z", "2026-03-01T23:59:59+01:00",
                        "2026-03-01T00:00-0530", "2026-03-01T00:00+14"})
    EXPECT_TRUE(sp::parse_iso_time(t)) << t;
}

TEST(TimeBounds, ImpossibleOrMalformedOnesAreRefused) {
  for (const char* t : {"2026-02-29",
                        "1900-02-29",
                        "2026-02-30",
                        "2026-04-31",
                        "2026-13-01",
                        "2026-00-01",
                        "2026-01-00",
                        "0000-01-01",
                        "99999-01-01",
                        "2026-1-1",
                        "2026-01-01T25:00",
                        "2026-01-01T24:00",
                        "2026-01-01T23:60",
                        "2026-01-01T10:00:60",
                        "2026-01-01T10:00:00.1234567",
                        "2026-01-01T10:00:00.",
                        "2026-01-01T10:00+16",
                        "2026-01-01T10:00+01:60",
                        "2026-01-01T10:00Zx",
                        "2026-01-01x",
                        "",
                        "yesterday",
                        "2026-01-01T10"})
    EXPECT_FALSE(sp::parse_iso_time(t)) << t;
}

TEST(TimeBounds, ADateAsUpperBoundEndsAtTheNextMidnight) {
  EXPECT_EQ(sp::parse_time_bound("2024-02-28", true)->text, "2024-02-29");
  EXPECT_EQ(sp::parse_time_bound("2024-12-31", true)->text, "2025-01-01");
  EXPECT_EQ(sp::parse_time_bound("2024-12-31", false)->text, "2024-12-31");
  // No five-digit year for PostgreSQL to read.
  EXPECT_EQ(sp::parse_time_bound("9999-12-31", true)->text, "9999-12-31 24:00:00");
  const auto zoned = sp::parse_time_bound("2024-03-01T10:00:00+01:00", true);
  EXPECT_TRUE(zoned->zoned);
  EXPECT_TRUE(zoned->inclusive);
}

TEST(TimeBounds, ABackwardsRangeIsTold) {
  auto t = [](const char* s) { return *sp::parse_iso_time(s); };
  EXPECT_TRUE(sp::range_is_backwards(t("2026-03-02"), t("2026-03-01")));
  EXPECT_FALSE(sp::range_is_backwards(t("2026-03-01"), t("2026-03-01")));
  EXPECT_FALSE(sp::range_is_backwards(t("2026-03-01T10:00Z"), t("2026-03-01T10:00Z")));
  EXPECT_TRUE(sp::range_is_backwards(t("2026-03-01T10:00:00.000001Z"), t("2026-03-01T10:00Z")));
  // 10:00+02:00 is 08:00Z: before 09:00Z.
  EXPECT_FALSE(sp::range_is_backwards(t("2026-03-01T10:00+02:00"), t("2026-03-01T09:00Z")));
  EXPECT_TRUE(sp::range_is_backwards(t("2026-03-01T10:00-02:00"), t("2026-03-01T09:00Z")));
  // A wall-clock time against an instant: only when surely backwards whatever the zone.
  EXPECT_FALSE(sp::range_is_backwards(t("2026-03-02T10:00"), t("2026-03-01T12:00Z")));
  EXPECT_TRUE(sp::range_is_backwards(t("2026-03-05"), t("2026-03-01T12:00Z")));
}
