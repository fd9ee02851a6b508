// Which exceptions from the database mean "the database cannot take this
// right now" (a 503 the client retries) rather than "this request is bad" or
// "a bug": db::Unavailable, a broken connection (PostgreSQL killed, crashed,
// restarting), a commit whose outcome is unknown, shutdown and crash
// SQLSTATEs (57P01-03, class 08), and insufficient resources (class 53),
// with the disk being full (53100, "No space left on device", "could not
// extend file") told apart because the operator must act on it.
// Deliberately only a classification: what to answer is http/errors.cpp.
#pragma once

#include <exception>
#include <optional>
#include <string>

namespace salespider::db {

enum class OutageKind { unavailable, down, disk_full, busy, timed_out };

struct Outage {
  OutageKind kind = OutageKind::unavailable;
  std::string detail;  // the driver's text: for the log, never for a client
};

// The outage `e` is, or nullopt when it is anything else.
std::optional<Outage> outage_of(const std::exception& e);

// True when a server message says the disk is full (PostgreSQL's wording).
bool says_disk_full(const std::string& message);

}  // namespace salespider::db
