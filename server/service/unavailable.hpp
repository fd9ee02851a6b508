// Database unavailability, as the layers above the services see it. db/
// throws db::Unavailable (db/errors.hpp) when PostgreSQL is down, starting or
// out of connections, and the driver throws its own errors when PostgreSQL
// dies, restarts or runs out of disk under a request (db/outage.hpp sorts
// them); http/ must answer all of that with 503 but may not know db/'s
// types, so it asks here about the exception in flight. Deliberately no
// other error translation: everything else thrown stays what it was.
#pragma once

#include <chrono>
#include <exception>
#include <optional>
#include <string>

namespace salespider::service {

// Why the database could not serve a request.
enum class Unavailability { unavailable, down, disk_full, busy, timed_out };

struct DatabaseOutage {
  Unavailability why = Unavailability::unavailable;
  std::string detail;  // the driver's message: for the log only, never for a client
};

// The outage `e` is, or std::nullopt for any other exception.
std::optional<DatabaseOutage> database_outage(const std::exception_ptr& e);

// Remembers an outage the server answered (http/errors.cpp), so the alerts
// can say the disk filled up even when space came back between two checks.
void note_outage(const DatabaseOutage& outage);
// True when a disk-full outage was noted within `window`.
bool disk_full_within(std::chrono::seconds window);

// The driver's message (for the log only, never for a client) when `e` is
// the database being unavailable; std::nullopt for any other exception.
std::optional<std::string> database_unavailable(const std::exception_ptr& e);

// True when `e` is a read cut by its statement timeout (a kind of
// unavailability: 503, but the client should narrow its filters).
bool query_timed_out(const std::exception_ptr& e);

}  // namespace salespider::service
