// JSON codec for the sync protocol: strict decoding into protocol.hpp types,
// and encoding that checks the same rules.
//
// Every malformed input — not JSON, too large, nested too deep, wrong types,
// missing or unknown fields, out-of-range numbers, oversized strings and
// arrays, unknown op kinds, unsupported protocol versions — is a typed Error
// naming the field ("ops[3].created_at"). Nothing throws, natively or in
// wasm. Deliberately no JSON library in this header: callers see only the
// protocol types and text.
#pragma once

#include "salespider/shared/protocol.hpp"
#include "salespider/shared/result.hpp"

#include <string>
#include <string_view>

namespace salespider {

// A batch whose envelope is valid decodes even if some ops are not: those are
// listed in PushBatch::rejected (ops keeps only the valid ones).
Result<PushBatch> decode_push_batch(std::string_view json);
// Fails on any op that decode_push_batch would reject.
Result<std::string> encode_push_batch(const PushBatch& batch);

Result<PushResponse> decode_push_response(std::string_view json);
Result<std::string> encode_push_response(const PushResponse& response);

Result<PullPage> decode_pull_page(std::string_view json);
Result<std::string> encode_pull_page(const PullPage& page);

// A payload or change data: a JSON object within the size and depth limits,
// returned in canonical form (sorted keys, no whitespace).
Result<std::string> canonical_json_object(std::string_view json, std::size_t max_bytes);

}  // namespace salespider
