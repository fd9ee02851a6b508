// See forecast.hpp. The state-space form of additive damped Holt-Winters
// (Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 8.3):
//   forecast  y^(t)  = l + phi b + s[t mod 7]
//   level     l'     = alpha (y - s) + (1 - alpha)(l + phi b)
//   trend     b'     = beta (l' - l) + (1 - beta) phi b
//   season    s'     = gamma (y - l') + (1 - gamma) s
// and h days ahead l + (phi + ... + phi^h) b + s[(n + h - 1) mod 7].
#include "service/forecast.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace salespider::service::forecast {
namespace {

double mean_of(const std::vector<double>& v, std::size_t from, std::size_t to) {
  if (to <= from) return 0;
  return std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(to),
                         0.0) /
         static_cast<double>(to - from);
}

bool all_zero(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return x == 0; });
}

// The first day the one-step-ahead error counts: the first two weeks made
// the initial state, so their errors say little about the parameters.
constexpr std::size_t kFitFrom = 2 * kSeason;

// Small on purpose: 5 x 3 x 4 x 3 = 180 fits of a few dozen days each, fast
// enough for 10,000 products in one request (docs/benchmarks.md).
constexpr std::array<double, 5> kAlphas{0.05, 0.1, 0.2, 0.3, 0.5};
constexpr std::array<double, 3> kBetas{0.0, 0.02, 0.1};
constexpr std::array<double, 4> kGammas{0.05, 0.1, 0.2, 0.3};
constexpr std::array<double, 3> kPhis{0.9, 0.95, 0.98};

Forecast flat(Method method, double value, int horizon) {
  Forecast f;
  f.method = method;
  f.level = std::max(0.0, value);
  f.daily.assign(static_cast<std::size_t>(std::max(0, horizon)), f.level);
  return f;
}

}  // namespace

const char* method_name(Method m) {
  switch (m) {
    case Method::none:
      return "none";
    case Method::mean:
      return "mean";
    case Method::seasonal_naive:
      return "seasonal_naive";
    case Method::holt_winters:
      return "holt_winters";
  }
  return "none";
}

std::int64_t to_milli(double units) {
  if (!(units > 0)) return 0;  // negative and NaN alike
  return static_cast<std::int64_t>(std::llround(units * 1000.0));
}

std::vector<double> seasonal_naive(const std::vector<double>& history, int horizon) {
  const std::size_t n = history.size();
  std::vector<double> out(static_cast<std::size_t>(std::max(0, horizon)));
  if (n < static_cast<std::size_t>(kSeason)) {
    std::fill(out.begin(), out.end(), std::max(0.0, mean_of(history, 0, n)));
    return out;
  }
  for (std::size_t h = 0; h < out.size(); ++h)
    out[h] = std::max(0.0, history[n - kSeason + h % kSeason]);
  return out;
}

Forecast holt_winters(const std::vector<double>& y, int horizon, const Params& p, double* sse) {
  const std::size_t n = y.size();
  Forecast f;
  f.method = Method::holt_winters;
  f.params = p;
  // Initial state from the first two weeks: the level at day -1 from week
  // one's mean (centred on day 3) and the weekly change; each weekday's
  // season is its mean deviation from its week's mean, over both weeks.
  const double m1 = mean_of(y, 0, kSeason);
  const double m2 = mean_of(y, kSeason, 2 * kSeason);
  double trend = (m2 - m1) / kSeason;
  double level = m1 - 4 * trend;
  std::array<double, kSeason> season{};
  for (int i = 0; i < kSeason; ++i)
    season[static_cast<std::size_t>(i)] =
        ((y[static_cast<std::size_t>(i)] - m1) + (y[static_cast<std::size_t>(i + kSeason)] - m2)) / 2;

  double squared = 0;
  std::size_t counted = 0;
  for (std::size_t t = 0; t < n; ++t) {
    double& s = season[t % kSeason];
    const double predicted = level + p.phi * trend + s;
    const double error = y[t] - predicted;
    if (t >= kFitFrom) {
      squared += error * error;
      ++counted;
    }
    const double new_level = p.alpha * (y[t] - s) + (1 - p.alpha) * (level + p.phi * trend);
    trend = p.beta * (new_level - level) + (1 - p.beta) * p.phi * trend;
    level = new_level;
    s = p.gamma * (y[t] - level) + (1 - p.gamma) * s;
  }
  if (sse) *sse = squared;
  f.residual_sd = counted ? std::sqrt(squared / static_cast<double>(counted)) : 0;
  f.level = level;
  double damped = 0;  // phi + phi^2 + ... + phi^h
  double power = 1;
  f.daily.resize(static_cast<std::size_t>(std::max(0, horizon)));
  for (std::size_t h = 0; h < f.daily.size(); ++h) {
    power *= p.phi;
    damped += power;
    // Demand cannot be negative: a falling trend stops at zero.
    f.daily[h] = std::max(0.0, level + damped * trend + season[(n + h) % kSeason]);
  }
  for (std::size_t h = 0; h < static_cast<std::size_t>(kSeason); ++h) f.season[h] = season[(n + h) % kSeason];
  return f;
}

Forecast forecast(const std::vector<double>& history, int horizon) {
  const std::size_t n = history.size();
  if (n == 0 || all_zero(history)) return flat(Method::none, 0, horizon);
  if (n < static_cast<std::size_t>(kMinSeasonalDays)) return flat(Method::mean, mean_of(history, 0, n), horizon);
  if (n < static_cast<std::size_t>(kMinHoltWintersDays)) {
    Forecast f;
    f.method = Method::seasonal_naive;
    f.daily = seasonal_naive(history, horizon);
    const double week_mean = mean_of(history, n - kSeason, n);
    f.level = week_mean;
    for (std::size_t h = 0; h < static_cast<std::size_t>(kSeason); ++h)
      f.season[h] = history[n - kSeason + h] - week_mean;
    double squared = 0;
    for (std::size_t t = kSeason; t < n; ++t) squared += std::pow(history[t] - history[t - kSeason], 2);
    f.residual_sd = n > static_cast<std::size_t>(kSeason) ? std::sqrt(squared / static_cast<double>(n - kSeason)) : 0;
    return f;
  }
  Params best;
  double best_sse = std::numeric_limits<double>::infinity();
  for (double a : kAlphas)
    for (double b : kBetas)
      for (double g : kGammas)
        for (double phi : kPhis) {
          double sse = 0;
          const Params p{a, b, g, phi};
          holt_winters(history, 0, p, &sse);
          if (sse < best_sse) {
            best_sse = sse;
            best = p;
          }
        }
  return holt_winters(history, horizon, best);
}

double mase(const std::vector<double>& actual, const std::vector<double>& predicted,
            const std::vector<double>& history, int m) {
  const std::size_t k = std::min(actual.size(), predicted.size());
  double error = 0;
  for (std::size_t i = 0; i < k; ++i) error += std::abs(actual[i] - predicted[i]);
  error = k ? error / static_cast<double>(k) : 0;
  double scale = 0;
  std::size_t terms = 0;
  for (std::size_t t = static_cast<std::size_t>(m); t < history.size(); ++t, ++terms)
    scale += std::abs(history[t] - history[t - static_cast<std::size_t>(m)]);
  scale = terms ? scale / static_cast<double>(terms) : 0;
  if (scale == 0) return error == 0 ? 0 : std::numeric_limits<double>::infinity();
  return error / scale;
}

double smape(const std::vector<double>& actual, const std::vector<double>& predicted) {
  const std::size_t k = std::min(actual.size(), predicted.size());
  if (k == 0) return 0;
  double sum = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double denominator = std::abs(actual[i]) + std::abs(predicted[i]);
    if (denominator > 0) sum += 2 * std::abs(actual[i] - predicted[i]) / denominator;
  }
  return 100 * sum / static_cast<double>(k);
}

}  // namespace salespider::service::forecast
