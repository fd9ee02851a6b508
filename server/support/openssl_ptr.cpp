// See openssl_ptr.hpp.
#include "support/openssl_ptr.hpp"

#include <openssl/err.h>

#include <stdexcept>

namespace salespider::support {

void throw_openssl_error(const std::string& what) {
  std::string detail;
  char buf[256];
  while (const unsigned long e = ERR_get_error()) {
    ERR_error_string_n(e, buf, sizeof buf);
    if (!detail.empty()) detail += "; ";
    detail += buf;
  }
  throw std::runtime_error(what + (detail.empty() ? "" : ": " + detail));
}

}  // namespace salespider::support
