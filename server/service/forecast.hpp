// Demand forecasting for the reorder view (docs/reports.md "Reorder"): pure
// math, a daily demand series in, a forecast out. Holt-Winters additive with
// a damped trend and a weekly season (period 7), its four smoothing
// parameters picked by a small grid search minimising the one-step-ahead
// squared error over the history; shorter histories fall back to the
// seasonal naive forecast (>= 7 days), the mean (< 7 days) or nothing (no
// sale at all). Also the error measures the backtest reports: MASE (scaled
// by the in-sample seasonal naive MAE, m = 7) and sMAPE.
//
// Deliberately no database, no HTTP, no clock and no calendar: day 0 is the
// oldest day of the series and the caller knows which weekday that is.
// Doubles inside; quantities leave as int64 thousandths (quantity_milli).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace salespider::service::forecast {

inline constexpr int kSeason = 7;               // days in the weekly cycle
inline constexpr int kMinHoltWintersDays = 21;  // three weeks: below, seasonal naive
inline constexpr int kMinSeasonalDays = 7;      // one week: below, the mean

enum class Method { none, mean, seasonal_naive, holt_winters };
// "none", "mean", "seasonal_naive", "holt_winters" (the API's words).
const char* method_name(Method m);

struct Params {
  double alpha = 0;  // level
  double beta = 0;   // trend
  double gamma = 0;  // season
  double phi = 1;    // trend damping
};

struct Forecast {
  Method method = Method::none;
  std::vector<double> daily;  // horizon values, day 1 = the day after the series, never negative
  // The seasonal part of each of the next 7 days (index 0 = day 1), in the
  // series' units; zeros for the mean and none. For "busier Saturdays".
  std::array<double, kSeason> season{};
  double level = 0;        // the de-seasonalised level at the series' end
  double residual_sd = 0;  // of the one-step-ahead in-sample errors (0 when not fitted)
  Params params;           // holt_winters only
};

// The forecast of `horizon` days after `history` (one value per day, oldest
// first, zeros included). An empty or all-zero history is Method::none.
Forecast forecast(const std::vector<double>& history, int horizon);

// The same fitting with fixed parameters (the grid search's inner loop;
// tests use it). `sse` receives the one-step-ahead squared error sum.
Forecast holt_winters(const std::vector<double>& history, int horizon, const Params& p, double* sse = nullptr);

// Each day of the horizon = the same weekday of the last week of history
// (needs >= 7 days; fewer: the mean of what there is).
std::vector<double> seasonal_naive(const std::vector<double>& history, int horizon);

// Mean absolute scaled error of `predicted` against `actual`, scaled by the
// in-sample MAE of the seasonal naive forecast (y_t - y_{t-m}) on `history`.
// A zero scale (a history repeating every week exactly): 0 when the forecast
// is exact, else infinity.
double mase(const std::vector<double>& actual, const std::vector<double>& predicted,
            const std::vector<double>& history, int m = kSeason);

// Symmetric MAPE in percent (0..200): mean of 2|a - f| / (|a| + |f|), a day
// where both are 0 counting as 0.
double smape(const std::vector<double>& actual, const std::vector<double>& predicted);

// Units (doubles) -> thousandths, rounded half away from zero, never negative.
std::int64_t to_milli(double units);

}  // namespace salespider::service::forecast
