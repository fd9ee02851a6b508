// Journal records as JSON (nlohmann-json, never throwing: the wasm build has
// JSON_NOEXCEPTION, so every access is type-checked first) and the mirror.
#include "store/journal.hpp"

#include "json/fields.hpp"

#include <algorithm>
#include <utility>

namespace salespider::store {

using json = jsonio::Json;

const char* to_string(OpState state) noexcept {
  switch (state) {
    case OpState::pending:
      return "pending";
    case OpState::acked:
      return "acked";
    case OpState::rejected:
      return "rejected";
  }
  return "pending";
}

Result<std::string> canonical_payload(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return store_error(StoreErrc::invalid_op, "payload is not a JSON object");
  // nlohmann's default object is a std::map: dump() sorts keys, no spaces.
  return j.dump();
}

std::string encode_record(const JournalRecord& r) {
  json j = json::object();
  j["v"] = kJournalRecordVersion;
  j["op_id"] = r.op_id;
  j["till_id"] = r.till_id;
  j["kind"] = r.kind;
  j["created_at"] = r.created_at;
  j["user_id"] = r.user_id;
  if (!r.grant.empty()) j["grant"] = r.grant;
  json payload = json::parse(r.payload, nullptr, false);
  // record_op only accepts object payloads; a damaged one is kept as text
  // rather than lost.
  j["payload"] = payload.is_discarded() ? json(r.payload) : std::move(payload);
  j["local_seq"] = r.local_seq;
  if (r.receipt_seq > 0) j["receipt_seq"] = r.receipt_seq;
  j["state"] = to_string(r.state);
  if (!r.reason.empty()) j["reason"] = r.reason;
  return j.dump();
}

namespace {

Result<JournalRecord> decode_value(const json& j) {
  if (!j.is_object()) return store_error(StoreErrc::invalid_op, "journal record is not an object");
  JournalRecord r;
  std::int64_t version = 0;
  std::string state;
  // Null reads as missing: an optional field may be absent or null.
  std::string why;
  jsonio::Fields f(j, why, /*null_is_missing=*/true);
  f.integer("v", version, true);
  if (!f.ok() || version < 1) return store_error(StoreErrc::invalid_op, "journal record has no format version");
  f.text("op_id", r.op_id, true);
  if (!f.ok() || r.op_id.empty()) return store_error(StoreErrc::invalid_op, "journal record has no op_id");
  f.text("till_id", r.till_id, true);
  f.text("kind", r.kind, true);
  f.integer("created_at", r.created_at, true);
  f.text("user_id", r.user_id, true);
  f.text("grant", r.grant, false);
  f.integer("local_seq", r.local_seq, true);
  f.integer("receipt_seq", r.receipt_seq, false);
  f.text("state", state, true);
  f.text("reason", r.reason, false);
  if (!f.ok())
    return store_error(StoreErrc::invalid_op,
                       "journal record " + r.op_id + " has a missing or mistyped field");
  if (state == "pending")
    r.state = OpState::pending;
  else if (state == "acked")
    r.state = OpState::acked;
  else if (state == "rejected")
    r.state = OpState::rejected;
  else
    return store_error(StoreErrc::invalid_op, "journal record " + r.op_id + " has state " + state);
  auto payload = j.find("payload");
  if (payload == j.end())
    return store_error(StoreErrc::invalid_op, "journal record " + r.op_id + " has no payload");
  r.payload = payload->is_string() ? payload->get<std::string>() : payload->dump();
  return r;
}

}  // namespace

Result<JournalRecord> decode_record(std::string_view text) {
  const json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return store_error(StoreErrc::invalid_op, "journal record is not JSON");
  return decode_value(j);
}

DecodedJournal decode_journal(std::string_view text) {
  DecodedJournal out;
  const json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_array()) {
    out.unreadable.emplace_back("the journal is not a JSON array");
    return out;
  }
  out.records.reserve(j.size());
  for (const json& item : j) {
    Result<JournalRecord> r = decode_value(item);
    if (r)
      out.records.push_back(std::move(r).value());
    else
      out.unreadable.push_back(r.error().context);
  }
  return out;
}

void Journal::add(JournalRecord record) {
  std::string key = record.op_id;
  by_id_.insert_or_assign(std::move(key), std::move(record));
}

void Journal::remove(const std::string& op_id) {
  by_id_.erase(op_id);
}

JournalRecord* Journal::find(const std::string& op_id) {
  auto it = by_id_.find(op_id);
  return it == by_id_.end() ? nullptr : &it->second;
}

const JournalRecord* Journal::find(const std::string& op_id) const {
  auto it = by_id_.find(op_id);
  return it == by_id_.end() ? nullptr : &it->second;
}

std::int64_t Journal::max_local_seq() const {
  std::int64_t m = 0;
  for (const auto& [id, r] : by_id_) m = std::max(m, r.local_seq);
  return m;
}

std::int64_t Journal::max_receipt_seq() const {
  std::int64_t m = 0;
  for (const auto& [id, r] : by_id_) m = std::max(m, r.receipt_seq);
  return m;
}

std::vector<const JournalRecord*> Journal::in_order() const {
  std::vector<const JournalRecord*> out;
  out.reserve(by_id_.size());
  for (const auto& [id, r] : by_id_) out.push_back(&r);
  std::sort(out.begin(), out.end(), [](const JournalRecord* a, const JournalRecord* b) {
    return a->local_seq != b->local_seq ? a->local_seq < b->local_seq : a->op_id < b->op_id;
  });
  return out;
}

std::vector<const JournalRecord*> Journal::with_state(OpState state) const {
  std::vector<const JournalRecord*> out;
  for (const JournalRecord* r : in_order()) {
    if (r->state == state) out.push_back(r);
  }
  return out;
}

std::vector<std::string> Journal::prunable(std::int64_t covered_hwm, std::int64_t now_ms,
                                          const JournalRetention& retention) const {
  const JournalRecord* receipt_holder = nullptr;
  for (const auto& [id, r] : by_id_) {
    if (r.receipt_seq > 0 && (receipt_holder == nullptr || r.receipt_seq > receipt_holder->receipt_seq))
      receipt_holder = &r;
  }
  // Newest first, so the count keeps the most recent acked records.
  std::vector<const JournalRecord*> acked = with_state(OpState::acked);
  std::reverse(acked.begin(), acked.end());
  std::vector<std::string> out;
  std::size_t kept = 0;
  for (const JournalRecord* r : acked) {
    const bool young = now_ms - r->created_at < retention.max_age_ms;
    if (young && kept < retention.max_records) {
      ++kept;
      continue;
    }
    if (r->local_seq <= covered_hwm && r != receipt_holder) out.push_back(r->op_id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<const JournalRecord*> Journal::requeue_acked() {
  std::vector<const JournalRecord*> out;
  for (auto& [id, r] : by_id_) {
    if (r.state != OpState::acked) continue;
    r.state = OpState::pending;
    out.push_back(&r);
  }
  std::sort(out.begin(), out.end(), [](const JournalRecord* a, const JournalRecord* b) {
    return a->local_seq != b->local_seq ? a->local_seq < b->local_seq : a->op_id < b->op_id;
  });
  return out;
}

}  // namespace salespider::store
