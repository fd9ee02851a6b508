// See outage.hpp.
#include "db/outage.hpp"

#include <pqxx/pqxx>

#include "db/errors.hpp"

namespace salespider::db {

bool says_disk_full(const std::string& message) {
  return message.find("No space left on device") != std::string::npos ||
         message.find("could not extend file") != std::string::npos ||
         message.find("disk full") != std::string::npos;
}

std::optional<Outage> outage_of(const std::exception& e) {
  const std::string what = e.what();
  if (dynamic_cast<const QueryTimeout*>(&e) != nullptr) return Outage{OutageKind::timed_out, what};
  if (dynamic_cast<const Unavailable*>(&e) != nullptr)
    return Outage{says_disk_full(what) ? OutageKind::disk_full : OutageKind::unavailable, what};
  // The connection died mid-request (postmaster or backend killed, a PANIC):
  // nothing of an uncommitted transaction is kept, the client retries.
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) return Outage{OutageKind::down, what};
  // The commit was sent and the answer lost: the ops may or may not be in.
  // A retry is safe (the op ids make a replay a duplicate); an ack is not.
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) return Outage{OutageKind::down, what};
  if (const auto* s = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string state = s->sqlstate();
    if (state == "53100" || says_disk_full(what)) return Outage{OutageKind::disk_full, what};
    if (state.rfind("53", 0) == 0) return Outage{OutageKind::busy, what};
    if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03")
      return Outage{OutageKind::down, what};
  }
  return std::nullopt;
}

}  // namespace salespider::db
