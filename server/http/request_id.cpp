// See request_id.hpp. Not a security token: uniqueness within a log is all it needs.
#include "http/request_id.hpp"

#include <cstdint>
#include <random>

namespace salespider::http {

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = rng();
  std::string id(16, '0');
  for (auto& c : id) {
    c = kHex[bits & 0xFu];
    bits >>= 4;
  }
  return id;
}

}  // namespace salespider::http
