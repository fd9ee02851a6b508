// The audit rows services hand to db/: db/ takes plain values and knows
// nothing of auth/, so the service layer is the one place that turns an
// auth::Actor (who is calling) into db::AuditActor.
#pragma once

#include <string>

#include "auth/principal.hpp"
#include "db/audit.hpp"

namespace salespider::service {

inline db::AuditActor audit_actor(const auth::Actor& a) {
  return db::AuditActor{a.user_id, a.till_id, a.request_id, a.client_ip, a.via};
}

// A row for `action` by `actor` in `store_id`; the caller adds entity and detail.
inline db::AuditEntry audit_entry(const std::string& store_id, const auth::Actor& actor, const std::string& action) {
  db::AuditEntry e;
  e.store_id = store_id;
  e.actor = audit_actor(actor);
  e.action = action;
  return e;
}

}  // namespace salespider::service
