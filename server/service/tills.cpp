// See till_auth.hpp.
#include <algorithm>

#include "auth/crypto.hpp"
#include "db/tills.hpp"
#include "db/users.hpp"
#include "salespider/shared/ids.hpp"
#include "service/audit_entry.hpp"
#include "service/till_auth.hpp"
#include "salespider/shared/i18n.hpp"

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

// Unbiased draws from kEnrolCodeAlphabet (31 symbols): bytes >= 248 are
// drawn again. 31^8 = 8.5e11 codes, and a wrong guess is throttled.
std::string new_enrol_code() {
  constexpr std::size_t n = kEnrolCodeAlphabet.size();
  constexpr unsigned limit = 256 - 256 % n;
  std::string code;
  while (code.size() < static_cast<std::size_t>(kEnrolCodeLength)) {
    for (const char b : auth::random_bytes(16)) {
      const auto v = static_cast<unsigned char>(b);
      if (v < limit && code.size() < static_cast<std::size_t>(kEnrolCodeLength)) code += kEnrolCodeAlphabet[v % n];
    }
  }
  return code;
}

// As typed: case, spaces and dashes do not matter. "" when it cannot be a code.
std::string normalized_code(const std::string& typed) {
  std::string code;
  for (const char c : typed) {
    if (c == ' ' || c == '-') continue;
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (kEnrolCodeAlphabet.find(u) == std::string_view::npos) return "";
    code += u;
  }
  return code.size() == static_cast<std::size_t>(kEnrolCodeLength) ? code : "";
}

bool valid_till_name(const std::string& name) {
  return code_points(name) >= 1 && code_points(name) <= 100;
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
  if (!valid_till_name(name)) return fail(Problem::invalid, "a till's name is 1 to 100 characters", "name");
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
  if (!valid_till_name(name)) return fail(Problem::invalid, "a till's name is 1 to 100 characters", "name");
  if (!parse_uuid(till_id)) return fail(Problem::not_found, "no such till");
  if (db::rename_till(pool_, store_id, till_id, name, audit_entry(store_id, actor, "till.rename")) !=
      db::TillWrite::ok) {
    return fail(Problem::not_found, "no such till");
  }
  return Done{};
}

Completion TillService::retire(const std::string& store_id, const std::string& till_id,
                               const auth::Actor& actor, bool confirm) {
  if (!parse_uuid(till_id)) return fail(Problem::not_found, "no such till");
  if (!confirm) {
    const auto till = db::find_till(pool_, store_id, till_id);
    if (!till) return fail(Problem::not_found, "no such till");
    const auto depth = db::reported_outbox_depth(pool_, till_id);
    if (till->status == "active" && depth && *depth > 0) {
      Failure f = fail(Problem::conflict, i18n::N_("Till {code} last reported {n} unsynced ops. Retire anyway?"),
                       "confirm", {{"code", till->code}, {"n", std::to_string(*depth)}});
      f.detail = {{"unsynced_ops", *depth}, {"code", till->code}};
      return f;
    }
  }
  switch (db::retire_till(pool_, store_id, till_id, audit_entry(store_id, actor, "till.retire"))) {
    case db::TillWrite::ok:
      return Done{};
    case db::TillWrite::already_retired:
      return fail(Problem::conflict, "the till is already retired");
    default:
      return fail(Problem::not_found, "no such till");
  }
}

Outcome<EnrolCode> TillService::create_enrol_code(const std::string& store_id, const std::string& name,
                                                  const auth::Actor& actor) {
  if (!name.empty() && !valid_till_name(name)) {
    return fail(Problem::invalid, "a till's name is 1 to 100 characters", "name");
  }
  for (int attempt = 0; attempt < 20; ++attempt) {
    EnrolCode out;
    out.code = new_enrol_code();
    db::NewEnrolCode row{store_id, auth::sha256_hex(out.code),
                         name.empty() ? std::nullopt : std::optional<std::string>(name), actor.user_id,
                         kEnrolCodeMinutes};
    const auto stored = db::insert_enrol_code(pool_, row, audit_entry(store_id, actor, "till.enrol_code"));
    if (!stored) continue;  // the same code was drawn before: draw another
    out.expires_at = stored->expires_at;
    return out;
  }
  return fail(Problem::conflict, "could not make a new enrolment code; try again");
}

Outcome<EnrolledTill> TillService::enrol_with_code(const std::string& typed, const std::string& name,
                                                   const auth::Actor& actor) {
  if (!name.empty() && !valid_till_name(name)) {
    return fail(Problem::invalid, "a till's name is 1 to 100 characters", "name");
  }
  // The login throttle, keyed by the address alone ("enrol_code" stands
  // where an account would): "" as the login matches no account.
  const auto facts = db::login_facts(pool_, "", actor.client_ip);
  const auto& policy = facts.policy;
  const db::ThrottleKey key{facts.store_id, "enrol_code", actor.client_ip};
  auto refuse = [&](const std::string& reason, const db::Claim& claim) {
    db::FailedLogin f{facts.store_id, "enrol_code", std::nullopt, actor.client_ip, "enrol_code", reason,
                      claim.blocks_now, claim.retry_after_seconds};
    db::record_failed_login(pool_, f, audit_entry(facts.store_id, actor, "till.enrol_code_failed"));
  };
  const auto too_many = [] {
    return fail(Problem::rate_limited, "too many wrong enrolment codes from this address; try again later");
  };
  if (facts.address_failures >= policy.max_failures_per_address) {
    refuse("address_blocked", db::Claim{});
    return too_many();
  }
  const auto claim = db::claim_login_attempt(pool_, key, policy);
  if (!claim.allowed) {
    refuse("blocked", claim);
    return too_many();
  }
  const auto code = normalized_code(typed);
  for (int attempt = 0; attempt < 20; ++attempt) {
    EnrolledTill out;
    out.credential = auth::new_token(auth::kTillCredentialPrefix);
    db::NewTillRow row{facts.store_id, name, new_till_code(), auth::sha256_hex(out.credential), std::nullopt,
                       std::nullopt};
    // A code that cannot be one is looked up anyway (as a hash nobody has),
    // so every wrong code costs the same.
    const auto hash = auth::sha256_hex(code.empty() ? "-" + typed : code);
    const auto r = db::insert_till_with_code(pool_, hash, row, audit_entry(facts.store_id, actor, "till.enrol"));
    switch (r.check) {
      case db::CodeCheck::unknown:
        refuse("unknown_code", claim);
        if (claim.blocks_now) return too_many();
        return fail(Problem::invalid, "no such enrolment code: check it, or ask for a new one", "code");
      case db::CodeCheck::expired:
        refuse("expired_code", claim);
        if (claim.blocks_now) return too_many();
        return fail(Problem::invalid, "the enrolment code has expired: ask for a new one", "code");
      case db::CodeCheck::used:
        refuse("used_code", claim);
        if (claim.blocks_now) return too_many();
        return fail(Problem::conflict, "the enrolment code has already been used: ask for a new one", "code");
      case db::CodeCheck::no_name:
        return fail(Problem::invalid, "a till's name is 1 to 100 characters", "name");
      case db::CodeCheck::ok:
        break;
    }
    if (r.write == db::TillWrite::code_taken) continue;  // till codes are never reused: draw another
    db::forget_login_failures(pool_, key);
    out.till = principal_of(r.till);
    return out;
  }
  return fail(Problem::conflict, "could not find a free till code; try again");
}

}  // namespace salespider::service
