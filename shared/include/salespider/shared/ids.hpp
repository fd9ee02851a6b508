// Identifiers: UUIDs (v7 for everything a till creates), till codes and
// receipt numbers "<till code>-<sequence>".
//
// UUIDv7 (RFC 9562) generation takes the clock and the random source as
// arguments, so tests are deterministic and shared/ does no I/O. Deliberately
// no storage of the receipt sequence: the till persists it, the server keeps
// the highest seen per till.
#pragma once

#include "salespider/shared/result.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace salespider {

struct Uuid {
  std::array<std::uint8_t, 16> bytes{};

  int version() const noexcept { return bytes[6] >> 4; }
  // Milliseconds since the Unix epoch stored in a v7 UUID.
  std::int64_t unix_ms() const noexcept;
  // Canonical lower-case 8-4-4-4-12 text.
  std::string to_string() const;

  friend bool operator==(const Uuid& a, const Uuid& b) noexcept { return a.bytes == b.bytes; }
  friend bool operator!=(const Uuid& a, const Uuid& b) noexcept { return a.bytes != b.bytes; }
  friend bool operator<(const Uuid& a, const Uuid& b) noexcept { return a.bytes < b.bytes; }
};

// 8-4-4-4-12 hex digits, either case, RFC 9562 variant (10xx). Any version.
Result<Uuid> parse_uuid(std::string_view text);

// A v7 UUID from its parts: 48-bit ms timestamp, 12 bits rand_a, 62 bits rand_b.
Uuid make_uuid_v7(std::int64_t unix_ms, std::uint16_t rand_a, std::uint64_t rand_b);

// Generates v7 UUIDs that sort in creation order even when the clock stands
// still or steps back (RFC 9562 method 1: rand_a is a counter within a
// millisecond, seeded with random bits that leave room to count).
class UuidV7Generator {
 public:
  using Clock = std::function<std::int64_t()>;    // ms since the Unix epoch
  using Random = std::function<std::uint64_t()>;  // uniformly random 64 bits

  UuidV7Generator(Clock clock, Random random) : clock_(std::move(clock)), random_(std::move(random)) {}
  Uuid next();

 private:
  Clock clock_;
  Random random_;
  std::int64_t last_ms_ = -1;
  std::uint16_t counter_ = 0;
};

// A till code: 2-8 characters A-Z and 0-9, starting with a letter ("SP3").
inline constexpr std::size_t kMinTillCodeBytes = 2;
inline constexpr std::size_t kMaxTillCodeBytes = 8;
inline constexpr std::int64_t kMaxReceiptSequence = 999'999'999;
Status validate_till_code(std::string_view code);

struct ReceiptNumber {
  std::string till_code;
  std::int64_t sequence = 0;  // 1..kMaxReceiptSequence

  friend bool operator==(const ReceiptNumber& a, const ReceiptNumber& b) {
    return a.till_code == b.till_code && a.sequence == b.sequence;
  }
};

// "SP3-000128": the sequence zero-padded to at least six digits.
Result<std::string> format_receipt_number(const ReceiptNumber& number);
// Accepts exactly what format_receipt_number produces.
Result<ReceiptNumber> parse_receipt_number(std::string_view text);

}  // namespace salespider
