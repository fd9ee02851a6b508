// The infrastructure failures db/ throws. They are exceptions on purpose
// (style.md): nothing a caller does about them beyond reporting, and they are
// caught at one boundary per process. Their what() is for the log and the
// operator, never for an HTTP client.
#pragma once

#include <stdexcept>
#include <string>

namespace salespider::db {

// The database cannot be reached or used right now (down, starting,
// maintenance, pool exhausted). HTTP maps it to 503.
class Unavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A read ran longer than its statement_timeout (db/read_limits.hpp): the
// filters asked for too much. HTTP maps it to 503, saying to narrow them.
class QueryTimeout : public Unavailable {
 public:
  using Unavailable::Unavailable;
};

// The embedded PostgreSQL could not be set up or started; the message says
// what to fix (and where its log is).
class EmbeddedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The schema cannot be brought to this binary's version: an applied migration
// was edited, the database is newer than the binary, or a migration failed.
class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace salespider::db
