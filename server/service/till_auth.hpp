// Tills: enrolment by a manager or owner, the till credential that push and
// pull authenticate with (not a person's session: a till offline overnight
// syncs without anyone logging in), listing, renaming and retiring.
//
// Enrolment gives a new till id, a new till code (the receipt prefix; never
// reused in the store, so a reset browser never repeats receipt numbers) and
// a credential "spt_<43 base64url chars>" shown once; the server keeps only
// its SHA-256. Retiring a till revokes its credential and its offline grants
// at once. Everything mutating is audited in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.hpp"
#include "service/auth_outcome.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service {

struct EnrolledTill {
  auth::TillPrincipal till;
  std::string credential;  // shown once: the till stores it, the server cannot show it again
};

// A till enrolment code (docs/security.md "Enrolment codes"): shown once to
// the manager who made it; the server keeps its SHA-256 only.
struct EnrolCode {
  std::string code;  // 8 characters of kEnrolCodeAlphabet
  std::string expires_at;
};
// No look-alikes: no 0/O, 1/I/L.
inline constexpr std::string_view kEnrolCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
inline constexpr int kEnrolCodeLength = 8;
inline constexpr int kEnrolCodeMinutes = 15;

struct TillInfo {
  std::string id;
  std::string name;
  std::string code;
  std::string status;  // "active" | "retired"
  std::string enrolled_at;
  std::optional<std::string> enrolled_by;
  std::optional<std::string> retired_at;
  std::optional<std::string> last_seen_at;
  std::int64_t highest_receipt_seq = 0;
};

class TillService {
 public:
  explicit TillService(db::Pool& pool);

  // Resolves a till credential ("spt_..."); unknown, malformed and retired
  // credentials are all `unauthenticated` (no hint which). Updates the
  // till's last_seen_at at most once a minute.
  Outcome<auth::TillPrincipal> authenticate_till(const std::string& credential);

  // `replaces`: the id of the till this browser was before (it is retired
  // in the same transaction), or "" for a new device.
  Outcome<EnrolledTill> enrol(const std::string& store_id, const std::string& name,
                              const std::string& replaces, const auth::Actor& actor);
  std::vector<TillInfo> list(const std::string& store_id);
  Outcome<TillInfo> get(const std::string& store_id, const std::string& till_id);
  Completion rename(const std::string& store_id, const std::string& till_id, const std::string& name,
                    const auth::Actor& actor);
  // A till whose last report had unsynced ops (outbox_depth > 0) is not
  // retired without `confirm`: Problem::conflict with detail
  // {"unsynced_ops": n, "code"} (its ops can still be handed over afterwards).
  Completion retire(const std::string& store_id, const std::string& till_id, const auth::Actor& actor,
                    bool confirm = false);

  // A single-use code that enrols one till within kEnrolCodeMinutes;
  // `name` is the suggested till name ("" none). Audited (till.enrol_code).
  Outcome<EnrolCode> create_enrol_code(const std::string& store_id, const std::string& name,
                                       const auth::Actor& actor);
  // Public: enrols a till with a code (spaces and dashes ignored, any case).
  // `name` "" takes the name the code was made with. Wrong, expired and used
  // codes are failed attempts of the caller's address under the login
  // throttle (db/users.hpp): max_failures of them block the address for
  // enrolment codes, and the address's failures of any kind count towards
  // login_max_failures_per_address.
  Outcome<EnrolledTill> enrol_with_code(const std::string& code, const std::string& name,
                                        const auth::Actor& actor);

 private:
  db::Pool& pool_;
};

}  // namespace salespider::service
