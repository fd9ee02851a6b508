// Sizes as an operator reads them ("1.5 GiB"), for status, backup info and
// alerts. One function so every command prints the same units.
// Deliberately English-free of words: the unit symbols are the same in every
// language the server speaks.
#pragma once

#include <cstdint>
#include <string>

namespace salespider::support {

// Binary units, one decimal above bytes: 0 B, 999 B, 1.0 KiB, 2.3 GiB.
// Negative sizes (an unknown size stored as -1) print as 0 B.
std::string human_bytes(std::int64_t n);
std::string human_bytes(std::uint64_t n);

}  // namespace salespider::support
