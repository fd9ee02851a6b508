// The sync protocol's types and limits (docs/sync-protocol.md describes the
// HTTP side). codec.hpp turns them into JSON and back, strictly.
//
// Ops are append-only facts a till pushes (sale, refund, void, stock movement,
// shift open/close, cash movement); the pull feed sends changed rows down by
// an opaque cursor. Deliberately no HTTP, no storage, no auth checks here: the
// grant is carried opaquely and checked by the server.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "salespider/shared/result.hpp"

namespace salespider {

inline constexpr std::int64_t kProtocolVersion = 1;
// Versions this build reads and writes; a till speaking anything else is told
// so with Errc::unsupported_protocol_version.
inline constexpr std::array<std::int64_t, 1> kAcceptedProtocolVersions{1};
bool is_accepted_protocol_version(std::int64_t version) noexcept;

// Limits, checked by the decoder (and the encoder, so a till cannot write
// what the server refuses).
inline constexpr std::size_t kMaxOpsPerBatch = 500;
inline constexpr std::size_t kMaxBatchBytes = 8 * 1024 * 1024;
inline constexpr std::size_t kMaxPayloadBytes = 256 * 1024;  // canonical JSON of one op's payload
inline constexpr std::size_t kMaxGrantBytes = 4096;
inline constexpr std::size_t kMaxJsonDepth = 32;  // nesting of arrays and objects
inline constexpr std::size_t kMaxResultsPerResponse = kMaxOpsPerBatch;
inline constexpr std::size_t kMaxResultCodeBytes = 64;
inline constexpr std::size_t kMaxResultMessageBytes = 1024;
inline constexpr std::size_t kMaxOpIdEchoBytes = 64;
inline constexpr std::size_t kMaxChangesPerPage = 1000;
inline constexpr std::size_t kMaxPageBytes = 32 * 1024 * 1024;
inline constexpr std::size_t kMaxCursorBytes = 256;
inline constexpr std::size_t kMaxEpochBytes = 64;  // a restore epoch (a UUID) in a pull answer
inline constexpr std::size_t kMaxEntityBytes = 64;
inline constexpr std::size_t kMaxRowIdBytes = 64;
inline constexpr std::size_t kMaxChangeDataBytes = 256 * 1024;
// created_at is ms since the Unix epoch in 48 bits (as in UUIDv7): year 10889.
inline constexpr std::int64_t kMaxTimestampMs = (std::int64_t{1} << 48) - 1;

enum class OpKind { sale, refund, void_sale, stock_movement, shift_open, shift_close, cash_movement };
inline constexpr std::array<OpKind, 7> kAllOpKinds{
    OpKind::sale,       OpKind::refund,      OpKind::void_sale,    OpKind::stock_movement,
    OpKind::shift_open, OpKind::shift_close, OpKind::cash_movement};
std::string_view to_string(OpKind kind) noexcept;  // "void" for void_sale
Result<OpKind> parse_op_kind(std::string_view text);

struct Op {
  std::string op_id;    // UUIDv7, made by the till
  std::string till_id;  // UUID of the enrolled till
  OpKind kind = OpKind::sale;
  std::int64_t created_at = 0;  // till clock, ms since the Unix epoch (the server records its own too)
  std::string user_id;          // UUID of the user who did it
  std::string grant;            // the offline grant it was made under (opaque, may be empty online)
  std::string payload;          // a JSON object, canonical text (sorted keys, no spaces)

  friend bool operator==(const Op& a, const Op& b) {
    return a.op_id == b.op_id && a.till_id == b.till_id && a.kind == b.kind && a.created_at == b.created_at &&
           a.user_id == b.user_id && a.grant == b.grant && a.payload == b.payload;
  }
};

// An op the decoder could not accept; the batch still goes on (one bad op
// never blocks the queue): the server answers it `rejected` with this code.
struct RejectedOp {
  std::size_t index = 0;
  std::string op_id;  // as sent if it was a short string, else empty
  Error error;
};

struct PushBatch {
  std::int64_t protocol_version = kProtocolVersion;
  std::string till_id;
  std::vector<Op> ops;
  std::vector<RejectedOp> rejected;  // filled by the decoder only

  friend bool operator==(const PushBatch& a, const PushBatch& b) {
    return a.protocol_version == b.protocol_version && a.till_id == b.till_id && a.ops == b.ops;
  }
};

enum class OpStatus { applied, duplicate, rejected };
std::string_view to_string(OpStatus status) noexcept;

struct OpResult {
  std::string op_id;
  OpStatus status = OpStatus::applied;
  std::string code;     // an Errc name for rejected ops; empty otherwise
  std::string message;  // for the manager's "needs attention" list

  friend bool operator==(const OpResult& a, const OpResult& b) {
    return a.op_id == b.op_id && a.status == b.status && a.code == b.code && a.message == b.message;
  }
};

struct PushResponse {
  std::int64_t protocol_version = kProtocolVersion;
  std::vector<OpResult> results;

  friend bool operator==(const PushResponse& a, const PushResponse& b) {
    return a.protocol_version == b.protocol_version && a.results == b.results;
  }
};

// The kinds of row the pull feed carries, in the order a bootstrap sends them
// (settings first, so a new till knows its currency before any price).
// Change::entity stays text on the wire so that a till can skip a kind a newer
// server added; both sides name them through this enum.
enum class Entity { settings, tax_rate, category, product, stock_level, user, till, revoked_grant };
inline constexpr std::array<Entity, 8> kAllEntities{
    Entity::settings,    Entity::tax_rate, Entity::category, Entity::product,
    Entity::stock_level, Entity::user,     Entity::till,     Entity::revoked_grant};
std::string_view to_string(Entity entity) noexcept;
Result<Entity> parse_entity(std::string_view text);

struct Change {
  std::string entity;  // to_string(Entity); a name this build does not know is skipped by the till
  std::string id;
  std::int64_t row_version = 0;
  bool deleted = false;
  std::string data;  // canonical JSON object; empty for a deletion (tombstone)

  friend bool operator==(const Change& a, const Change& b) {
    return a.entity == b.entity && a.id == b.id && a.row_version == b.row_version && a.deleted == b.deleted &&
           a.data == b.data;
  }
};

struct PullPage {
  std::int64_t protocol_version = kProtocolVersion;
  std::vector<Change> changes;
  std::string next_cursor;     // opaque: the till stores it and sends it back
  std::int64_t remaining = 0;  // rows still after next_cursor (for progress)
  // The server's restore epoch (a UUID; empty from servers before it). It
  // changes when the server's database is restored from a backup: cursors
  // from before may then repeat, and ops acknowledged since the backup may
  // be gone, so a till re-pushes what it keeps and pulls from the start.
  std::string epoch;

  friend bool operator==(const PullPage& a, const PullPage& b) {
    return a.protocol_version == b.protocol_version && a.changes == b.changes &&
           a.next_cursor == b.next_cursor && a.remaining == b.remaining && a.epoch == b.epoch;
  }
};

}  // namespace salespider
