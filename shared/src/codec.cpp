// Sync protocol envelopes <-> JSON. Encoders validate by decoding what they
// wrote, so the rules live in one place (the decoders). Deliberately no
// interpretation of op payloads here: payload_codec.cpp reads those.
#include "salespider/shared/codec.hpp"

#include "json_util.hpp"
#include "salespider/shared/ids.hpp"

#include <algorithm>
#include <limits>

namespace salespider {

using detail::Fields;
using detail::json;

bool is_accepted_protocol_version(std::int64_t version) noexcept {
  return std::find(kAcceptedProtocolVersions.begin(), kAcceptedProtocolVersions.end(), version) !=
         kAcceptedProtocolVersions.end();
}

std::string_view to_string(OpKind kind) noexcept {
  switch (kind) {
    case OpKind::sale:
      return "sale";
    case OpKind::refund:
      return "refund";
    case OpKind::void_sale:
      return "void";
    case OpKind::stock_movement:
      return "stock_movement";
    case OpKind::shift_open:
      return "shift_open";
    case OpKind::shift_close:
      return "shift_close";
    case OpKind::cash_movement:
      return "cash_movement";
  }
  return "sale";
}

Result<OpKind> parse_op_kind(std::string_view text) {
  for (auto k : kAllOpKinds)
    if (to_string(k) == text) return k;
  return make_error(Errc::unknown_op_kind, "unknown op kind '" + std::string(text.substr(0, 32)) + "'");
}

std::string_view to_string(Entity entity) noexcept {
  switch (entity) {
    case Entity::settings:
      return "settings";
    case Entity::tax_rate:
      return "tax_rate";
    case Entity::category:
      return "category";
    case Entity::product:
      return "product";
    case Entity::stock_level:
      return "stock_level";
    case Entity::user:
      return "user";
    case Entity::till:
      return "till";
    case Entity::revoked_grant:
      return "revoked_grant";
  }
  return "product";
}

Result<Entity> parse_entity(std::string_view text) {
  for (auto e : kAllEntities)
    if (to_string(e) == text) return e;
  return make_error(Errc::unknown_entity, "unknown entity '" + std::string(text.substr(0, 32)) + "'");
}

std::string_view to_string(OpStatus status) noexcept {
  switch (status) {
    case OpStatus::applied:
      return "applied";
    case OpStatus::duplicate:
      return "duplicate";
    case OpStatus::rejected:
      return "rejected";
  }
  return "rejected";
}

namespace {

constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();

Error at(std::string path, Error e) {
  if (e.context.rfind(path, 0) != 0) e.context = path + ": " + e.context;
  return e;
}

Result<std::string> uuid_field(const Fields& f, std::string_view key, bool require_v7) {
  SALESPIDER_TRY(text, f.string(key, 36));
  auto parsed = parse_uuid(text);
  if (!parsed) return at(f.path(key), std::move(parsed).error());
  const Uuid id = *parsed;
  if (require_v7 && id.version() != 7)
    return make_error(Errc::malformed_uuid, f.path(key) + ": must be a UUIDv7");
  if (id.to_string() != text) return make_error(Errc::malformed_uuid, f.path(key) + ": must be lower case");
  return text;
}

// The protocol version is read first, so a too-old till is told exactly that
// even when the rest of its message has changed shape.
Result<std::int64_t> version_field(const Fields& f) {
  SALESPIDER_TRY(v, f.integer("protocol_version", 0, std::numeric_limits<std::int64_t>::max()));
  if (!is_accepted_protocol_version(v)) {
    std::string list;
    for (auto a : kAcceptedProtocolVersions) list += (list.empty() ? "" : ", ") + std::to_string(a);
    return make_error(
        Errc::unsupported_protocol_version,
        "protocol version " + std::to_string(v) + " is not supported; this server speaks " + list);
  }
  return v;
}

Result<std::string> object_text(const json& v, const std::string& path, std::size_t max_bytes) {
  if (!v.is_object()) return make_error(Errc::wrong_type, path + ": expected object");
  std::string text = detail::dump(v);
  if (text.size() > max_bytes) {
    return make_error(Errc::too_large, path + ": larger than " + std::to_string(max_bytes) + " bytes");
  }
  return text;
}

Result<Op> decode_op(const json& v, const std::string& path, const std::string& batch_till) {
  SALESPIDER_TRY(f, Fields::of(v, path));
  SALESPIDER_CHECK(f.only({"op_id", "till_id", "kind", "created_at", "user_id", "grant", "payload"}));
  Op op;
  SALESPIDER_TRY(op_id, uuid_field(f, "op_id", true));
  op.op_id = std::move(op_id);
  SALESPIDER_TRY(till, uuid_field(f, "till_id", false));
  if (till != batch_till)
    return make_error(Errc::invalid_value, f.path("till_id") + ": differs from the batch");
  op.till_id = std::move(till);
  SALESPIDER_TRY(kind_text, f.string("kind", 32));
  auto kind = parse_op_kind(kind_text);
  if (!kind) return at(f.path("kind"), std::move(kind).error());
  op.kind = *kind;
  SALESPIDER_TRY(created, f.integer("created_at", 0, kMaxTimestampMs));
  op.created_at = created;
  SALESPIDER_TRY(user, uuid_field(f, "user_id", false));
  op.user_id = std::move(user);
  SALESPIDER_TRY(grant, f.string("grant", kMaxGrantBytes));
  op.grant = std::move(grant);
  SALESPIDER_TRY(payload, f.any("payload"));
  SALESPIDER_TRY(payload_text, object_text(*payload, f.path("payload"), kMaxPayloadBytes));
  op.payload = std::move(payload_text);
  return op;
}

Result<PushBatch> decode_push_batch_limited(std::string_view text, std::size_t max_bytes) {
  SALESPIDER_TRY(doc, detail::parse(text, max_bytes, kMaxJsonDepth));
  SALESPIDER_TRY(f, Fields::of(doc, ""));
  PushBatch batch;
  SALESPIDER_TRY(version, version_field(f));
  batch.protocol_version = version;
  SALESPIDER_CHECK(f.only({"protocol_version", "till_id", "ops"}));
  SALESPIDER_TRY(till, uuid_field(f, "till_id", false));
  batch.till_id = std::move(till);
  SALESPIDER_TRY(ops, f.array("ops", kMaxOpsPerBatch));
  for (std::size_t i = 0; i < ops->size(); ++i) {
    const json& item = (*ops)[i];
    const std::string path = "ops[" + std::to_string(i) + "]";
    auto op = decode_op(item, path, batch.till_id);
    if (op) {
      batch.ops.push_back(std::move(op).value());
      continue;
    }
    RejectedOp r;
    r.index = i;
    r.error = at(path, std::move(op).error());
    // Echo the op id when it is a short string, so the till can match the answer.
    if (item.is_object()) {
      auto it = item.find("op_id");
      if (it != item.end() && it->is_string() &&
          it->get_ref<const std::string&>().size() <= kMaxOpIdEchoBytes)
        r.op_id = it->get<std::string>();
    }
    batch.rejected.push_back(std::move(r));
  }
  return batch;
}

json op_json(const Op& op, const std::string& path, Status& status) {
  auto payload = detail::parse(op.payload, kMaxPayloadBytes * 8, kMaxJsonDepth);
  if (!payload) status = at(path + ".payload", std::move(payload).error());
  return json{{"op_id", op.op_id},
              {"till_id", op.till_id},
              {"kind", std::string(to_string(op.kind))},
              {"created_at", op.created_at},
              {"user_id", op.user_id},
              {"grant", op.grant},
              {"payload", payload ? std::move(payload).value() : json::object()}};
}

Result<OpResult> decode_op_result(const json& v, const std::string& path) {
  SALESPIDER_TRY(f, Fields::of(v, path));
  SALESPIDER_CHECK(f.only({"op_id", "status", "code", "message"}));
  OpResult r;
  SALESPIDER_TRY(op_id, f.string("op_id", kMaxOpIdEchoBytes));
  r.op_id = std::move(op_id);
  SALESPIDER_TRY(status, f.string("status", 16));
  if (status == "applied") {
    r.status = OpStatus::applied;
  } else if (status == "duplicate") {
    r.status = OpStatus::duplicate;
  } else if (status == "rejected") {
    r.status = OpStatus::rejected;
  } else {
    return make_error(Errc::invalid_value, f.path("status") + ": must be applied, duplicate or rejected");
  }
  SALESPIDER_TRY(code, f.string("code", kMaxResultCodeBytes));
  if ((r.status == OpStatus::rejected) == code.empty())
    return make_error(Errc::invalid_value, f.path("code") + ": required for rejected ops and only for them");
  r.code = std::move(code);
  SALESPIDER_TRY(message, f.string("message", kMaxResultMessageBytes));
  r.message = std::move(message);
  return r;
}

Result<PushResponse> decode_push_response_limited(std::string_view text, std::size_t max_bytes) {
  SALESPIDER_TRY(doc, detail::parse(text, max_bytes, kMaxJsonDepth));
  SALESPIDER_TRY(f, Fields::of(doc, ""));
  PushResponse resp;
  SALESPIDER_TRY(version, version_field(f));
  resp.protocol_version = version;
  SALESPIDER_CHECK(f.only({"protocol_version", "results"}));
  SALESPIDER_TRY(results, f.array("results", kMaxResultsPerResponse));
  for (std::size_t i = 0; i < results->size(); ++i) {
    SALESPIDER_TRY(r, decode_op_result((*results)[i], "results[" + std::to_string(i) + "]"));
    resp.results.push_back(std::move(r));
  }
  return resp;
}

bool entity_ok(const std::string& e) {
  return !e.empty() &&
         std::all_of(e.begin(), e.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

Result<Change> decode_change(const json& v, const std::string& path) {
  SALESPIDER_TRY(f, Fields::of(v, path));
  SALESPIDER_CHECK(f.only({"entity", "id", "row_version", "deleted", "data"}));
  Change c;
  SALESPIDER_TRY(entity, f.string("entity", kMaxEntityBytes, 1));
  if (!entity_ok(entity))
    return make_error(Errc::invalid_value, f.path("entity") + ": lower case and _ only");
  c.entity = std::move(entity);
  SALESPIDER_TRY(id, f.string("id", kMaxRowIdBytes, 1));
  c.id = std::move(id);
  SALESPIDER_TRY(version, f.integer("row_version", 0, std::numeric_limits<std::int64_t>::max()));
  c.row_version = version;
  SALESPIDER_TRY(deleted, f.boolean("deleted"));
  c.deleted = deleted;
  SALESPIDER_TRY(data, f.any("data"));
  if (c.deleted) {
    if (!data->is_null())
      return make_error(Errc::invalid_value, f.path("data") + ": must be null when deleted");
  } else {
    SALESPIDER_TRY(text, object_text(*data, f.path("data"), kMaxChangeDataBytes));
    c.data = std::move(text);
  }
  return c;
}

Result<PullPage> decode_pull_page_limited(std::string_view text, std::size_t max_bytes) {
  SALESPIDER_TRY(doc, detail::parse(text, max_bytes, kMaxJsonDepth));
  SALESPIDER_TRY(f, Fields::of(doc, ""));
  PullPage page;
  SALESPIDER_TRY(version, version_field(f));
  page.protocol_version = version;
  SALESPIDER_CHECK(f.only({"protocol_version", "changes", "next_cursor", "remaining", "epoch"}));
  SALESPIDER_TRY(changes, f.array("changes", kMaxChangesPerPage));
  for (std::size_t i = 0; i < changes->size(); ++i) {
    SALESPIDER_TRY(c, decode_change((*changes)[i], "changes[" + std::to_string(i) + "]"));
    page.changes.push_back(std::move(c));
  }
  SALESPIDER_TRY(cursor, f.string("next_cursor", kMaxCursorBytes));
  page.next_cursor = std::move(cursor);
  SALESPIDER_TRY(remaining, f.integer("remaining", 0, std::numeric_limits<std::int64_t>::max()));
  page.remaining = remaining;
  if (f.has("epoch")) {
    SALESPIDER_TRY(epoch, f.string("epoch", kMaxEpochBytes));
    page.epoch = std::move(epoch);
  }
  return page;
}

}  // namespace

Result<PushBatch> decode_push_batch(std::string_view text) {
  return decode_push_batch_limited(text, kMaxBatchBytes);
}

Result<std::string> encode_push_batch(const PushBatch& batch) {
  Status status;
  json ops = json::array();
  for (std::size_t i = 0; i < batch.ops.size(); ++i) {
    ops.push_back(op_json(batch.ops[i], "ops[" + std::to_string(i) + "]", status));
    if (!status) return std::move(status).error();
  }
  std::string text = detail::dump(json{
      {"protocol_version", batch.protocol_version}, {"till_id", batch.till_id}, {"ops", std::move(ops)}});
  // Total size is the sender's to split; every other rule is the decoder's.
  SALESPIDER_TRY(check, decode_push_batch_limited(text, kNoLimit));
  if (!check.rejected.empty())
    return at("ops[" + std::to_string(check.rejected[0].index) + "]", check.rejected[0].error);
  return text;
}

Result<PushResponse> decode_push_response(std::string_view text) {
  return decode_push_response_limited(text, kMaxBatchBytes);
}

Result<std::string> encode_push_response(const PushResponse& response) {
  json results = json::array();
  for (const auto& r : response.results) {
    results.push_back(json{{"op_id", r.op_id},
                           {"status", std::string(to_string(r.status))},
                           {"code", r.code},
                           {"message", r.message}});
  }
  std::string text =
      detail::dump(json{{"protocol_version", response.protocol_version}, {"results", std::move(results)}});
  SALESPIDER_CHECK(decode_push_response_limited(text, kNoLimit));
  return text;
}

Result<PullPage> decode_pull_page(std::string_view text) {
  return decode_pull_page_limited(text, kMaxPageBytes);
}

Result<std::string> encode_pull_page(const PullPage& page) {
  json changes = json::array();
  for (std::size_t i = 0; i < page.changes.size(); ++i) {
    const Change& c = page.changes[i];
    json data = nullptr;
    if (!c.deleted) {
      SALESPIDER_TRY(d, detail::parse(c.data, kMaxChangeDataBytes * 8, kMaxJsonDepth));
      data = std::move(d);
    }
    changes.push_back(json{{"entity", c.entity},
                           {"id", c.id},
                           {"row_version", c.row_version},
                           {"deleted", c.deleted},
                           {"data", std::move(data)}});
  }
  json doc{{"protocol_version", page.protocol_version},
           {"changes", std::move(changes)},
           {"next_cursor", page.next_cursor},
           {"remaining", page.remaining}};
  // Left out when empty, so a page without one encodes as it always did.
  if (!page.epoch.empty()) doc["epoch"] = page.epoch;
  std::string text = detail::dump(doc);
  SALESPIDER_CHECK(decode_pull_page_limited(text, kNoLimit));
  return text;
}

Result<std::string> canonical_json_object(std::string_view text, std::size_t max_bytes) {
  SALESPIDER_TRY(doc, detail::parse(text, max_bytes, kMaxJsonDepth));
  return object_text(doc, "document", max_bytes);
}

}  // namespace salespider
