// Cron schedules (support/cron.hpp): what parses, what the errors say, when
// the next run is, and the systemd OnCalendar= lines `deploy` writes.
#include <gtest/gtest.h>

#include <ctime>

#include "support/cron.hpp"

namespace cron = salespider::support::cron;
using Clock = std::chrono::system_clock;

namespace {

Clock::time_point utc(int y, int mo, int d, int h, int mi) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  return Clock::from_time_t(timegm(&tm));
}

std::string show(Clock::time_point t) {
  const std::time_t tt = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M %a", &tm);
  return buf;
}

}  // namespace

struct NextCase {
  const char* expr;
  const char* after;  // "YYYY-MM-DD HH:MM" UTC
  const char* next;   // "YYYY-MM-DD HH:MM Day"
};

TEST(Cron, NextRunsFollowTheTable) {
  // 2026-12-06 is a Sunday.
  const NextCase cases[] = {
      {"0 2 * * 0", "2026-12-06 01:59", "2026-12-06 02:00 Sun"},
      {"0 2 * * 0", "2026-12-06 02:00", "2026-12-13 02:00 Sun"},
      {"0 2 * * 7", "2026-12-06 02:00", "2026-12-13 02:00 Sun"},
      {"0 2 * * 1-6", "2026-12-06 02:00", "2026-12-07 02:00 Mon"},
      {"0 2 * * 1-6", "2026-12-12 02:00", "2026-12-14 02:00 Mon"},
      {"*/15 * * * *", "2026-12-06 10:07", "2026-12-06 10:15 Sun"},
      {"30 3 * * *", "2026-12-31 04:00", "2027-01-01 03:30 Fri"},
      {"0 0 1 * *", "2026-12-06 00:00", "2027-01-01 00:00 Fri"},
      {"0 9 * jan,jul mon", "2026-12-06 00:00", "2027-01-04 09:00 Mon"},
      {"0 12 13 * fri", "2026-12-06 00:00", "2026-12-11 12:00 Fri"},  // either day: Friday first
      {"0 0 29 2 *", "2026-12-06 00:00", "2028-02-29 00:00 Tue"},
      {"5-10/5 8,20 * * *", "2026-12-06 08:06", "2026-12-06 08:10 Sun"},
      {"@daily", "2026-12-06 00:00", "2026-12-07 00:00 Mon"},
      {"@weekly", "2026-12-06 00:00", "2026-12-13 00:00 Sun"},
      {"0 2 * * SUN", "2026-12-06 03:00", "2026-12-13 02:00 Sun"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expr);
    const auto s = cron::parse(c.expr);
    ASSERT_TRUE(s) << s.error().context;
    int y, mo, d, h, mi;
    ASSERT_EQ(std::sscanf(c.after, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi), 5);
    const auto next = cron::next_after(*s, utc(y, mo, d, h, mi), cron::Zone::utc);
    ASSERT_TRUE(next);
    EXPECT_EQ(show(*next), c.next);
  }
}

TEST(Cron, AScheduleThatNeverMatchesHasNoNextRun) {
  const auto s = cron::parse("0 0 30 2 *");
  ASSERT_TRUE(s);
  EXPECT_FALSE(cron::next_after(*s, utc(2026, 12, 6, 0, 0), cron::Zone::utc));
}

struct ErrorCase {
  const char* expr;
  const char* message;
};

TEST(Cron, ErrorsNameTheField) {
  const ErrorCase cases[] = {
      {"0 2 * *", "expected five fields"},
      {"60 2 * * 0", "minute: \"60\" is out of range 0-59"},
      {"0 24 * * 0", "hour: \"24\" is out of range 0-23"},
      {"0 2 0 * *", "day-of-month: \"0\" is out of range 1-31"},
      {"0 2 * 13 *", "month: \"13\" is out of range 1-12"},
      {"0 2 * * 8", "day-of-week: \"8\" is out of range 0-7"},
      {"0 2 * * sunday", "day-of-week: \"sunday\" is not a number or a name"},
      {"0 2 * * 5-1", "day-of-week: range \"5-1\" goes backwards"},
      {"*/0 2 * * *", "minute: step \"0\""},
      {"0 2 1,,2 * *", "day-of-month: empty item"},
      {"@reboot", "not a known shortcut"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expr);
    const auto s = cron::parse(c.expr);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().context.find(c.message), std::string::npos) << s.error().context;
  }
}

struct CalendarCase {
  const char* expr;
  std::vector<std::string> on_calendar;
};

TEST(Cron, OnCalendarLinesMatchTheSchedule) {
  const CalendarCase cases[] = {
      {"0 2 * * 0", {"Sun *-*-* 02:00:00"}},
      {"0 2 * * 1-6", {"Mon..Sat *-*-* 02:00:00"}},
      {"30 3 * * *", {"*-*-* 03:30:00"}},
      {"*/15 * * * *", {"*-*-* *:00,15,30,45:00"}},
      {"0 0 1 */3 *", {"*-01,04,07,10-01 00:00:00"}},
      {"0 8 * * mon,wed,fri", {"Mon,Wed,Fri *-*-* 08:00:00"}},
      {"0 8 * * sat,sun", {"Sat,Sun *-*-* 08:00:00"}},
      {"0 12 13 * 5", {"Fri *-*-* 12:00:00", "*-*-13 12:00:00"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expr);
    const auto s = cron::parse(c.expr);
    ASSERT_TRUE(s) << s.error().context;
    EXPECT_EQ(cron::to_on_calendar(*s), c.on_calendar);
  }
}
