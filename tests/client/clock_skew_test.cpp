// The till's clock against the server's (sync/clock_skew.hpp) and when it
// is told to a person (state/clock_off.hpp): measured from every answer's
// Date header, the latest wins, nothing from a non-answer or a proxy's
// 502-504; more than a minute off reads "Clock 10 min slow" / "... fast".
#include <gtest/gtest.h>

#include "state/clock_off.hpp"
#include "sync/clock_skew.hpp"

namespace {

using salespider::state::clock_off;
using salespider::state::clock_off_text;
using salespider::sync::ClockSkewMeter;

constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kServer = 1'800'000'000'000;

TEST(ClockSkewMeter, ATillTenMinutesSlowMeasuresMinusTenMinutes) {
  ClockSkewMeter m;
  EXPECT_FALSE(m.offset_ms().has_value());
  m.note(200, kServer - 10 * kMinute, kServer);
  ASSERT_TRUE(m.offset_ms().has_value());
  EXPECT_EQ(*m.offset_ms(), -10 * kMinute);
}

TEST(ClockSkewMeter, TheLatestAnswerWinsSoAFixedClockShowsAsFixed) {
  ClockSkewMeter m;
  m.note(200, kServer + 10 * kMinute, kServer);
  m.note(409, kServer + 1000, kServer + 500);  // any answer of our server carries its clock
  EXPECT_EQ(*m.offset_ms(), 500);
}

TEST(ClockSkewMeter, NoAnswerAProxysAnswerOrNoDateMeasuresNothing) {
  ClockSkewMeter m;
  m.note(200, kServer - 10 * kMinute, kServer);
  m.note(0, kServer, kServer + 99 * kMinute);
  m.note(502, kServer, kServer + 99 * kMinute);
  m.note(503, kServer, kServer + 99 * kMinute);
  m.note(504, kServer, kServer + 99 * kMinute);
  m.note(200, kServer, std::nullopt);
  EXPECT_EQ(*m.offset_ms(), -10 * kMinute);
}

TEST(ClockOff, AMinuteOrLessIsNotTold) {
  EXPECT_FALSE(clock_off(std::nullopt).has_value());
  EXPECT_FALSE(clock_off(0).has_value());
  EXPECT_FALSE(clock_off(kMinute).has_value());
  EXPECT_FALSE(clock_off(-kMinute).has_value());
  EXPECT_TRUE(clock_off(kMinute + 1).has_value());
  EXPECT_TRUE(clock_off(-kMinute - 1).has_value());
}

TEST(ClockOff, SlowAndFastAreToldInMinutesThenHours) {
  EXPECT_EQ(clock_off_text(*clock_off(-10 * kMinute)), "Clock 10 min slow");
  EXPECT_EQ(clock_off_text(*clock_off(10 * kMinute + 1000)), "Clock 10 min fast");  // the Date header's second
  EXPECT_EQ(clock_off_text(*clock_off(-90 * kMinute)), "Clock 90 min slow");
  EXPECT_EQ(clock_off_text(*clock_off(-24 * 60 * kMinute)), "Clock 24 h slow");
  EXPECT_EQ(clock_off_text(*clock_off(3 * 60 * kMinute)), "Clock 3 h fast");
  EXPECT_EQ(clock_off_text(*clock_off(kMinute + 1)), "Clock 1 min fast");
}

}  // namespace
