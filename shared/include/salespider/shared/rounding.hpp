// The library's only rounding and apportioning primitives.
//
// Rounding rule (docs/domain.md): half away from zero, at the minor unit.
// Apportioning rule: largest remainder, ties to the earlier item. Every money
// computation in shared/ goes through these so there is exactly one rule.
// Deliberately integer-only (128-bit intermediates), no floating point.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace salespider {

// 128-bit intermediate for products like price x quantity (both below 2^60).
__extension__ typedef __int128 Wide;

// round(num / den), halves away from zero. den must be > 0. The result must
// fit int64 (callers bound their inputs; asserted).
std::int64_t div_round_half_away(Wide num, Wide den);

// floor(num / den) for den > 0 (towards minus infinity, unlike C++ '/').
Wide div_floor(Wide num, Wide den);

// Splits `amount` (>= 0) into parts proportional to `weights` (each >= 0) so
// the parts sum to `amount` exactly: everyone gets floor(amount*w/W), then the
// leftover units go one each to the largest fractional remainders (earlier
// item first on a tie). All-zero weights: everything to the first non-empty
// slot... there is none, so the amount goes to item 0. Empty weights: empty.
std::vector<std::int64_t> allocate_largest_remainder(std::int64_t amount,
                                                     std::span<const std::int64_t> weights);

// Rounds `minor` to a multiple of `step` (> 0), halves away from zero: used for
// cash rounding to the smallest coin or note in circulation.
std::int64_t round_to_step(std::int64_t minor, std::int64_t step);

}  // namespace salespider
