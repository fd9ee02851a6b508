// Generated demand with a known shape and a rolling-origin backtest over it,
// for tests/server/forecast_test.cpp (the bound) and bench/forecast_bench.cpp
// (the table in docs/benchmarks.md "Reorder forecast: backtest").
// Deterministic: a scenario and a seed give the same series on one standard
// library (std::poisson_distribution is not specified bit for bit).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "service/forecast.hpp"

namespace salespider::test::backtest {

namespace fc = salespider::service::forecast;

enum class Noise { none, poisson, normal };

struct Scenario {
  std::string name;
  double min_level = 5, max_level = 50;  // each product's level on day 0, drawn uniformly
  double min_trend = 0, max_trend = 0;   // daily change as a share of the level (0.01 = +1 %/day)
  bool weekly = true;                    // Sat x1.8, Sun x0.5, the weekdays x~0.94
  Noise noise = Noise::poisson;
  double sigma_share = 0.2;  // normal noise: sigma as a share of the day's mean
};

// Day 0 is a Monday. The weekly pattern averages 1 over a week.
inline double weekday_factor(int day, bool weekly) {
  if (!weekly) return 1;
  static constexpr std::array<double, 7> kFactor{0.94, 0.94, 0.94, 0.94, 0.94, 1.8, 0.5};  // Mon..Sun
  return kFactor[static_cast<std::size_t>(day % 7)];
}

inline std::vector<double> generate(const Scenario& s, int days, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> level_of(s.min_level, s.max_level);
  std::uniform_real_distribution<double> trend_of(s.min_trend, s.max_trend);
  const double level = level_of(rng);
  const double trend = s.max_trend > s.min_trend ? trend_of(rng) : s.min_trend;
  std::vector<double> y(static_cast<std::size_t>(days));
  for (int t = 0; t < days; ++t) {
    const double mean = std::max(0.0, level * (1 + trend * t)) * weekday_factor(t, s.weekly);
    double v = mean;
    if (s.noise == Noise::poisson && mean > 0) v = static_cast<double>(std::poisson_distribution<long>(mean)(rng));
    if (s.noise == Noise::normal) v = std::max(0.0, mean + std::normal_distribution<double>(0, s.sigma_share * mean)(rng));
    y[static_cast<std::size_t>(t)] = v;
  }
  return y;
}

struct Score {
  double mase = 0;   // mean over products x origins
  double smape = 0;  // likewise, percent
};
struct Result {
  Score holt_winters, seasonal_naive, mean28;
  int forecasts = 0;
};

// Rolling origin: each product's series is `history + horizon + (origins-1)
// * step` days long; at each origin the methods see only the days before it
// and are scored on the next `horizon` days (MASE scaled on what they saw).
inline Result run(const Scenario& s, int products, int history, int horizon, int origins, int step,
                  std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Result r;
  const int days = history + horizon + (origins - 1) * step;
  auto add = [](Score& into, const std::vector<double>& actual, const std::vector<double>& predicted,
                const std::vector<double>& seen) {
    into.mase += fc::mase(actual, predicted, seen);
    into.smape += fc::smape(actual, predicted);
  };
  for (int p = 0; p < products; ++p) {
    const auto y = generate(s, days, rng);
    for (int o = 0; o < origins; ++o) {
      const auto origin = static_cast<std::ptrdiff_t>(history + o * step);
      const std::vector<double> seen(y.begin(), y.begin() + origin);
      const std::vector<double> actual(y.begin() + origin, y.begin() + origin + horizon);
      add(r.holt_winters, actual, fc::forecast(seen, horizon).daily, seen);
      add(r.seasonal_naive, actual, fc::seasonal_naive(seen, horizon), seen);
      const std::vector<double> last28(seen.end() - 28, seen.end());
      add(r.mean28, actual, std::vector<double>(static_cast<std::size_t>(horizon),
                                                std::accumulate(last28.begin(), last28.end(), 0.0) / 28),
          seen);
      ++r.forecasts;
    }
  }
  for (Score* sc : {&r.holt_winters, &r.seasonal_naive, &r.mean28}) {
    sc->mase /= r.forecasts;
    sc->smape /= r.forecasts;
  }
  return r;
}

inline std::vector<Scenario> scenarios() {
  return {
      {"trend 0..+1%/day, weekly, Poisson", 5, 50, 0.0, 0.01, true, Noise::poisson, 0},
      {"flat, weekly, Poisson", 5, 50, 0, 0, true, Noise::poisson, 0},
      {"flat, weekly, normal 10%", 20, 200, 0, 0, true, Noise::normal, 0.1},
      {"trend -0.6..0%/day, weekly, normal 30%", 20, 200, -0.006, 0, true, Noise::normal, 0.3},
      {"flat, no season, Poisson", 5, 50, 0, 0, false, Noise::poisson, 0},
      {"slow mover ~1/day, weekly, Poisson", 0.5, 2, 0, 0, true, Noise::poisson, 0},
  };
}

}  // namespace salespider::test::backtest
