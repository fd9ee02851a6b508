// Half-away-from-zero rounding and largest-remainder apportioning.
// Deliberately nothing money-specific: callers pass plain integers.
#include "salespider/shared/rounding.hpp"

#include <algorithm>
#include <cassert>
#include <numeric>

namespace salespider {

std::int64_t div_round_half_away(Wide num, Wide den) {
  assert(den > 0);
  const bool negative = num < 0;
  const Wide mag = negative ? -num : num;
  // Adding den/2 before truncating rounds an exact half up (even den); an
  // odd den has no exact half, and the same expression rounds to nearest.
  const Wide q = (mag + den / 2) / den;
  const Wide r = negative ? -q : q;
  assert(r <= INT64_MAX && r >= INT64_MIN);
  return static_cast<std::int64_t>(r);
}

Wide div_floor(Wide num, Wide den) {
  assert(den > 0);
  Wide q = num / den;
  if ((num % den) != 0 && num < 0) --q;
  return q;
}

std::vector<std::int64_t> allocate_largest_remainder(std::int64_t amount,
                                                     std::span<const std::int64_t> weights) {
  std::vector<std::int64_t> parts(weights.size(), 0);
  if (weights.empty()) return parts;
  assert(amount >= 0);
  Wide total = 0;
  for (auto w : weights) {
    assert(w >= 0);
    total += w;
  }
  if (total == 0) {
    parts[0] = amount;
    return parts;
  }
  std::vector<Wide> remainders(weights.size(), 0);
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const Wide p = static_cast<Wide>(amount) * weights[i];
    parts[i] = static_cast<std::int64_t>(p / total);
    remainders[i] = p % total;
    given += parts[i];
  }
  std::int64_t left = amount - given;
  assert(left >= 0 && static_cast<std::size_t>(left) <= weights.size());
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  for (std::size_t k = 0; left > 0; ++k, --left) parts[order[k]] += 1;
  return parts;
}

std::int64_t round_to_step(std::int64_t minor, std::int64_t step) {
  assert(step > 0);
  return div_round_half_away(minor, step) * step;
}

}  // namespace salespider
