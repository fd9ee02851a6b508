// UUIDs, till codes and receipt numbers. Deliberately no system clock or
// random device here: UuidV7Generator calls what it is given.
#include "salespider/shared/ids.hpp"

#include <algorithm>

namespace salespider {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::uint64_t kMaxUnixMs = (std::uint64_t{1} << 48) - 1;

}  // namespace

std::int64_t Uuid::unix_ms() const noexcept {
  std::uint64_t ms = 0;
  for (std::size_t i = 0; i < 6; ++i) ms = (ms << 8) | bytes[i];
  return static_cast<std::int64_t>(ms);
}

std::string Uuid::to_string() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xF];
  }
  return out;
}

Result<Uuid> parse_uuid(std::string_view text) {
  auto bad = [&] {
    return make_error(Errc::malformed_uuid, "not a UUID: '" + std::string(text.substr(0, 40)) + "'");
  };
  if (text.size() != 36) return bad();
  Uuid u;
  std::size_t b = 0;
  for (std::size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return bad();
      ++i;
      continue;
    }
    const int hi = hex_value(text[i]);
    const int lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return bad();
    u.bytes[b++] = static_cast<std::uint8_t>(hi * 16 + lo);
    i += 2;
  }
  if ((u.bytes[8] & 0xC0) != 0x80) return bad();
  return u;
}

Uuid make_uuid_v7(std::int64_t unix_ms, std::uint16_t rand_a, std::uint64_t rand_b) {
  const auto ms = static_cast<std::uint64_t>(unix_ms) & kMaxUnixMs;
  Uuid u;
  for (std::size_t i = 0; i < 6; ++i) u.bytes[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
  u.bytes[6] = static_cast<std::uint8_t>(0x70 | ((rand_a >> 8) & 0x0F));
  u.bytes[7] = static_cast<std::uint8_t>(rand_a & 0xFF);
  u.bytes[8] = static_cast<std::uint8_t>(0x80 | ((rand_b >> 56) & 0x3F));
  for (std::size_t i = 9; i < 16; ++i) u.bytes[i] = static_cast<std::uint8_t>(rand_b >> (8 * (15 - i)));
  return u;
}

Uuid UuidV7Generator::next() {
  std::int64_t now = clock_();
  if (now < 0) now = 0;
  if (now > last_ms_) {
    last_ms_ = now;
    // 11 random bits leave at least 2048 counts within the millisecond.
    counter_ = static_cast<std::uint16_t>(random_() & 0x7FF);
  } else if (counter_ < 0xFFF) {
    ++counter_;  // same (or earlier) millisecond: count on from the last id
  } else {
    ++last_ms_;  // counter exhausted: borrow the next millisecond
    counter_ = 0;
  }
  return make_uuid_v7(last_ms_, counter_, random_());
}

Status validate_till_code(std::string_view code) {
  const bool ok = code.size() >= kMinTillCodeBytes && code.size() <= kMaxTillCodeBytes && code[0] >= 'A' &&
                  code[0] <= 'Z' && std::all_of(code.begin(), code.end(), [](char c) {
                    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                  });
  if (!ok) {
    return make_error(Errc::malformed_till_code,
                      "till code must be 2-8 of A-Z, 0-9, starting with a letter: '" +
                          std::string(code.substr(0, 16)) + "'");
  }
  return {};
}

Result<std::string> format_receipt_number(const ReceiptNumber& n) {
  if (auto s = validate_till_code(n.till_code); !s) return std::move(s).error();
  if (n.sequence < 1 || n.sequence > kMaxReceiptSequence)
    return make_error(Errc::out_of_range, "receipt sequence must be 1-999999999");
  std::string seq = std::to_string(n.sequence);
  if (seq.size() < 6) seq.insert(0, 6 - seq.size(), '0');
  return n.till_code + "-" + seq;
}

Result<ReceiptNumber> parse_receipt_number(std::string_view text) {
  auto bad = [&] {
    return make_error(Errc::malformed_receipt_number,
                      "not a receipt number: '" + std::string(text.substr(0, 24)) + "'");
  };
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) return bad();
  const std::string_view code = text.substr(0, dash);
  const std::string_view digits = text.substr(dash + 1);
  if (!validate_till_code(code)) return bad();
  if (digits.size() < 6 || digits.size() > 9) return bad();
  std::int64_t seq = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return bad();
    seq = seq * 10 + (c - '0');
  }
  ReceiptNumber n{std::string(code), seq};
  // Only the canonical spelling: "SP3-0000128" would collide with "SP3-000128".
  auto canonical = format_receipt_number(n);
  if (!canonical || *canonical != text) return bad();
  return n;
}

}  // namespace salespider
