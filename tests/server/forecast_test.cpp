// The reorder view's demand forecast (service/forecast.hpp), no database:
// exact answers on series with no noise, the fallbacks by history length,
// never a negative forecast, and the rolling-origin backtest on generated
// demand with a known level, trend, weekly season and noise, whose bound is
// explained at BacktestBeatsTheSeasonalNaive.
#include "service/forecast.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include "forecast_backtest.hpp"

namespace fc = salespider::service::forecast;
namespace bt = salespider::test::backtest;

namespace {

std::vector<double> repeat(double v, int days) {
  return std::vector<double>(static_cast<std::size_t>(days), v);
}

}  // namespace

TEST(Forecast, AConstantSeriesIsForecastExactly) {
  for (int days : {3, 10, 56}) {
    const auto f = fc::forecast(repeat(12, days), 14);
    ASSERT_EQ(f.daily.size(), 14u) << days;
    for (double v : f.daily) EXPECT_NEAR(v, 12, 1e-9) << days;
    EXPECT_EQ(fc::to_milli(f.daily.front()), 12000) << days;
  }
}

TEST(Forecast, NoSalesIsMethodNoneAndZero) {
  for (int days : {0, 5, 56}) {
    const auto f = fc::forecast(repeat(0, days), 7);
    EXPECT_EQ(f.method, fc::Method::none);
    ASSERT_EQ(f.daily.size(), 7u);
    for (double v : f.daily) EXPECT_EQ(v, 0);
  }
}

TEST(Forecast, TheMethodFollowsTheLengthOfTheHistory) {
  EXPECT_EQ(fc::forecast(repeat(1, 6), 7).method, fc::Method::mean);
  EXPECT_EQ(fc::forecast(repeat(1, 7), 7).method, fc::Method::seasonal_naive);
  EXPECT_EQ(fc::forecast(repeat(1, 20), 7).method, fc::Method::seasonal_naive);
  EXPECT_EQ(fc::forecast(repeat(1, 21), 7).method, fc::Method::holt_winters);
  EXPECT_STREQ(fc::method_name(fc::Method::seasonal_naive), "seasonal_naive");
  EXPECT_STREQ(fc::method_name(fc::Method::holt_winters), "holt_winters");
}

TEST(Forecast, AShortHistoryWithAWeekRepeatsTheLastWeek) {
  const std::vector<double> y{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};  // the last week is 4..10
  const auto f = fc::forecast(y, 9);
  EXPECT_EQ(f.method, fc::Method::seasonal_naive);
  EXPECT_EQ(f.daily, (std::vector<double>{4, 5, 6, 7, 8, 9, 10, 4, 5}));
  const auto m = fc::forecast({2, 0, 4}, 2);
  EXPECT_EQ(m.method, fc::Method::mean);
  EXPECT_EQ(m.daily, (std::vector<double>{2, 2}));
}

TEST(Forecast, AnExactWeeklyPatternIsForecastExactly) {
  // Sat x1.8, Sun x0.5 of 10 a day, no trend, no noise: every parameter
  // choice keeps the state, so the forecast is the pattern itself.
  std::vector<double> y;
  for (int t = 0; t < 56; ++t) y.push_back(10 * bt::weekday_factor(t, true));
  const auto f = fc::forecast(y, 14);
  ASSERT_EQ(f.method, fc::Method::holt_winters);
  for (int h = 0; h < 14; ++h) EXPECT_NEAR(f.daily[static_cast<std::size_t>(h)], y[static_cast<std::size_t>(h)], 1e-6) << h;
  // Day 56 is a Monday: Saturday (day 6 of the coming week) stands out.
  EXPECT_NEAR(f.season[5], 10 * 1.8 - 10, 1e-6);
}

TEST(Forecast, ALinearTrendIsFollowed) {
  std::vector<double> y;
  for (int t = 0; t < 56; ++t) y.push_back(20 + 0.5 * t);
  const auto f = fc::forecast(y, 7);
  // A damped trend (phi <= 0.98) bends below the line a little.
  EXPECT_NEAR(f.daily[0], 20 + 0.5 * 56, 0.6);
  EXPECT_GT(f.daily[6], f.daily[0]);
  EXPECT_LE(f.daily[6], 20 + 0.5 * 62 + 0.01);
}

TEST(Forecast, AFallingSeriesNeverGoesNegative) {
  std::vector<double> y;
  for (int t = 0; t < 42; ++t) y.push_back(std::max(0.0, 40 - 1.5 * t));  // to zero and staying there
  for (int horizon : {7, 30, 90}) {
    const auto f = fc::forecast(y, horizon);
    for (double v : f.daily) EXPECT_GE(v, 0);
  }
  const std::vector<double> drop{50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 40, 30, 20, 10, 0, 0, 0};
  for (double v : fc::forecast(drop, 60).daily) EXPECT_GE(v, 0);
  EXPECT_EQ(fc::to_milli(-0.2), 0);
  EXPECT_EQ(fc::to_milli(1.2345), 1235);  // rounded, half away from zero
}

TEST(Forecast, MaseAndSmapeAgreeWithHandComputedValues) {
  // In-sample seasonal naive MAE: |y_t - y_{t-7}| = 7 for every t >= 7.
  std::vector<double> history;
  for (int t = 0; t < 21; ++t) history.push_back(t);
  EXPECT_DOUBLE_EQ(fc::mase({10, 10}, {13, 6}, history), (3.0 + 4.0) / 2 / 7);
  EXPECT_DOUBLE_EQ(fc::smape({10, 0}, {30, 0}), 100.0 * (2.0 * 20 / 40) / 2);
  EXPECT_DOUBLE_EQ(fc::smape({0}, {5}), 200);
  EXPECT_EQ(fc::mase({1}, {1}, repeat(3, 14)), 0);
  EXPECT_TRUE(std::isinf(fc::mase({1}, {2}, repeat(3, 14))));
}

// The backtest: 200 products per scenario, 8 weeks of history, 8 rolling
// origins 3 days apart, forecasts 7 and 14 days ahead. The bound:
//
// MASE divides the forecast's MAE by the in-sample MAE of y_t - y_{t-7}.
// With independent noise of standard deviation sigma that scale is
// E|e_t - e_{t-7}| = sqrt(2) sigma sqrt(2/pi) (plus any trend over a week),
// while a forecaster that knew the true mean would still err by
// E|e| = sigma sqrt(2/pi): the best achievable MASE is about
// 1/sqrt(2) = 0.71. The seasonal naive forecast carries one observation's
// noise into every forecast (its error is again a difference of two noises),
// so it scores about 1.0, more with a trend (it lags by 7 to 14 days).
// Holt-Winters averages the noise over weeks, so it should land near 0.75 to
// 0.8: the test asks for < 0.9 x the seasonal naive's MASE on every seasonal
// scenario (a broken season or trend makes it lose that margin at once),
// and > 0.6 (below the noise floor would mean it saw the future).
TEST(Forecast, BacktestBeatsTheSeasonalNaive) {
  std::printf("%-40s %3s | %-17s | %-17s | %-17s\n", "scenario", "h", "Holt-Winters", "seasonal naive",
              "mean of 28 days");
  std::printf("%-40s %3s | %8s %8s | %8s %8s | %8s %8s\n", "", "", "MASE", "sMAPE%", "MASE", "sMAPE%", "MASE",
              "sMAPE%");
  std::uint64_t seed = 20260331;
  for (const auto& s : bt::scenarios()) {
    for (int horizon : {7, 14}) {
      const auto r = bt::run(s, 200, 56, horizon, 8, 3, seed++);
      std::printf("%-40s %3d | %8.3f %8.1f | %8.3f %8.1f | %8.3f %8.1f\n", s.name.c_str(), horizon,
                  r.holt_winters.mase, r.holt_winters.smape, r.seasonal_naive.mase, r.seasonal_naive.smape,
                  r.mean28.mase, r.mean28.smape);
      EXPECT_EQ(r.forecasts, 200 * 8);
      EXPECT_GT(r.holt_winters.mase, 0.6) << s.name << " h=" << horizon;
      if (s.weekly) {
        EXPECT_LT(r.holt_winters.mase, 0.9 * r.seasonal_naive.mase) << s.name << " h=" << horizon;
      } else {
        // No season to find: Holt-Winters must not do worse than the naive.
        EXPECT_LE(r.holt_winters.mase, r.seasonal_naive.mase) << s.name << " h=" << horizon;
      }
      // sMAPE is no judge of a slow mover: on its many zero days any
      // forecast above zero scores the maximum 200 %, and the seasonal naive
      // repeating last week's zeros scores 0 there. Asked only from 5/day.
      if (s.min_level >= 5) {
        EXPECT_LT(r.holt_winters.smape, r.seasonal_naive.smape) << s.name << " h=" << horizon;
      }
    }
  }
}
