// See till_auth.hpp.
#include <algorithm>

#include "auth/crypto.hpp"
#include "db/tills.hpp"
#include "salespider/shared/ids.hpp"
#include "service/audit_entry.hpp"
#include "service/till_auth.hpp"

namespace salespider::service {
namespace {

// A letter, then three from an alphabet without look-alikes (0/O, 1/I):
// 24 * 32^3 = 786k codes, short enough to read off a receipt.
std::string new_till_code() {
  static constexpr std::string_view kFirst = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  static constexpr std::string_view kRest = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const auto bytes = auth::random_bytes(4);
  std::string code;
  code += kFirst[static_cast<unsigned char>(bytes[0]) % kFirst.size()];
  for (int i = 1; i < 4; ++i)
    code += kRest[static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]) % kRest.size()];
  return code;
}

TillInfo info_of(const db::TillRow& r) {
  return TillInfo{r.id,
                  r.name,
                  r.code,
                  r.status == "active" ? "active" : "retired",
                  r.enrolled_at,
                  r.enrolled_by,
                  r.revoked_at,
                  r.last_seen_at,
                  r.highest_receipt_seq};
}

auth::TillPrincipal principal_of(const db::TillRow& r) {
  return {r.id, r.store_id, r.code, r.name};
}

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

TillService::TillService(db::Pool& pool) : pool_(pool) {}

Outcome<auth::TillPrincipal> TillService::authenticate_till(const std::string& credential) {
  if (credential.rfind(auth::kTillCredentialPrefix, 0) != 0 || credential.size() > 128) {
    return fail(Problem::unauthenticated, "not a till credential");
  }
  const auto row = db::till_by_credential(pool_, auth::sha256_hex(credential));
  if (!row) return fail(Problem::unauthenticated, "unknown or retired till credential");
  if (row->seconds_since_seen < 0 || row->seconds_since_seen >= 60) db::touch_till(pool_, row->id);
  return principal_of(*row);
}

Outcome<EnrolledTill> TillService::enrol(const std::string& store_id, const std::string& name,
                                         const std::string& replaces, const auth::Actor& actor) {
  if (code_points(name) < 1 || code_points(name) > 100) {
    return fail(Problem::invalid, "a till's name is 1 to 100 characters", "name");
  }
  if (!replaces.empty() && !parse_uuid(replaces)) return fail(Problem::invalid, "not a till id", "replaces");
  for (int attempt = 0; attempt < 20; ++attempt) {
    EnrolledTill out;
    out.credential = auth::new_token(auth::kTillCredentialPrefix);
    db::NewTillRow row{
        store_id,        name,
        new_till_code(), auth::sha256_hex(out.credential),
        actor.user_id,   replaces.empty() ? std::nullopt : std::optional<std::string>(replaces)};
    db::TillRow stored;
    const auto s = db::insert_till(pool_, row, audit_entry(store_id, actor, "till.enrol"), &stored);
    if (s == db::TillWrite::code_taken) continue;  // codes are never reused: draw another
    if (s == db::TillWrite::not_found) return fail(Problem::not_found, "no such till to replace", "replaces");
    out.till = principal_of(stored);
    return out;
  }
  return fail(Problem::conflict, "could not find a free till code; try again");
}

std::vector<TillInfo> TillService::list(const std::string& store_id) {
  std::vector<TillInfo> out;
  for (const auto& r : db::list_tills(pool_, store_id)) out.push_back(info_of(r));
  return out;
}

Outcome<TillInfo> TillService::get(const std::string& store_id, const std::string& till_id) {
  auto r = db::find_till(pool_, store_id, till_id);
  if (!r) return fail(Problem::not_found, "no such till");
  return info_of(*r);
}

Completion TillService::rename(const std::string& store_id, const std::string& till_id,
                               const std::string& name, const auth::Actor& actor) {
  if (code_points(name) < 1 || code_points(name) > 100) {
    return fail(Problem::invalid, "a till's name is 1 to 100 characters", "name");
  }
  if (!parse_uuid(till_id)) return fail(Problem::not_found, "no such till");
  if (db::rename_till(pool_, store_id, till_id, name, audit_entry(store_id, actor, "till.rename")) !=
      db::TillWrite::ok) {
    return fail(Problem::not_found, "no such till");
  }
  return Done{};
}

Completion TillService::retire(const std::string& store_id, const std::string& till_id,
                               const auth::Actor& actor) {
  if (!parse_uuid(till_id)) return fail(Problem::not_found, "no such till");
  switch (db::retire_till(pool_, store_id, till_id, audit_entry(store_id, actor, "till.retire"))) {
    case db::TillWrite::ok:
      return Done{};
    case db::TillWrite::already_retired:
      return fail(Problem::conflict, "the till is already retired");
    default:
      return fail(Problem::not_found, "no such till");
  }
}

}  // namespace salespider::service
