// What the server knows about its own health, independent of HTTP.
// It reports; it does not try to repair anything.
#pragma once

#include <string>

namespace salespider::service {

struct DatabaseHealth {
  std::string state;   // "none" | "up" | "down"
  std::string detail;  // a sentence an operator can act on
};

struct Health {
  std::string version;
  DatabaseHealth database;
  bool ok() const { return database.state != "down"; }
};

// Until the embedded PostgreSQL arrives the server runs without a database,
// and says so rather than pretending.
Health current_health();

}  // namespace salespider::service
