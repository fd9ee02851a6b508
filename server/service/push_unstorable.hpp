// Ops PostgreSQL cannot store as they came: a NUL character (text and jsonb
// columns refuse it, in the payload as the JSON escape \u0000 or anywhere
// else as a raw byte) or a payload too large to keep. Such an op must still
// be stored and answered `rejected` (payload_unstorable), never a 5xx that
// makes the till resend the same batch forever; this file says whether an
// op is storable and builds the safe form it is stored in instead.
// Deliberately no database access and no decoding of payloads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "salespider/shared/protocol.hpp"

namespace salespider::service::sync {

inline constexpr const char* kUnstorableCode = "payload_unstorable";

// True when `text` holds a NUL byte or, read as JSON, a \u0000 escape.
bool holds_nul(std::string_view text);

// The first part of `op` PostgreSQL would refuse ("payload", "user_id",
// "grant"), or nullopt when all of it can be stored as is.
std::optional<std::string> unstorable_part(const Op& op);

// `text` with each NUL byte written as the two characters "\0": for the
// short envelope fields (user id, grant) kept as text.
std::string without_nul(std::string_view text);

// What is stored instead of a payload that cannot be: a JSON object
// {"unstorable": {"reason", "bytes", "sha256", "base64url" (when it fits
// under max_bytes), "head" (the first bytes as text, NULs escaped)}}.
std::string safe_payload(std::string_view original, const std::string& reason, std::size_t max_bytes);

// `op` made storable: the payload in its safe form, NULs out of the user id
// and grant. Its id, till, kind and time stay what the till sent.
Op safe_form(const Op& op, const std::string& reason);

// The message a till and a manager read for an op rejected this way.
std::string unstorable_message(const std::string& part);

}  // namespace salespider::service::sync
