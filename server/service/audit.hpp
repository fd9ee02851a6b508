// The tamper-evident audit log: sealing rows into a hash chain, anchoring
// its head outside PostgreSQL, verifying it, and reading/exporting it.
//
// Writers append rows inside their own transactions (db/audit.hpp) and never
// wait for each other. A single sealer (a thread in `serve`, under an
// advisory lock so several servers can run) takes the unsealed rows whose
// transaction id is below pg_snapshot_xmin(pg_current_snapshot()) -- every
// transaction below it has ended, so no row can still appear there (design A
// of docs/sync-protocol.md, the same rule as the pull feed) -- in (txid, id)
// order, and gives each the next chain position and
//   hash = SHA-256(prev_hash || canonical(row, position))
// Each time the head advances it is written to the server log and appended to
// DATA_PATH/audit-anchor.jsonl, signed with an Ed25519 key the database
// cannot read (DATA_PATH/keys/audit-anchor.key) and fsync-ed; Z reports carry
// the head too (head()). verify() recomputes the chain and compares it with the
// anchors, so an edited, deleted or reordered row, a fully re-hashed chain
// and a cut tail are all detected, naming the first bad row.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "auth/crypto.hpp"
#include "auth/principal.hpp"
#include "db/audit.hpp"

namespace salespider::service {

// The hash of a row at `position` after `prev_hash` (32 raw bytes each).
std::string audit_row_hash(const db::AuditRow& row, std::int64_t position, const std::string& prev_hash);

struct Anchor {
  std::int64_t position = 0;
  std::string hash_hex;
  std::string at;   // ISO 8601, when it was written
  std::string sig;  // base64url Ed25519 signature of anchor_message(); "" = unsigned (written before anchors were signed)
};

// What an anchor's signature covers (docs/security.md "Anchors outside
// PostgreSQL"): "salespider-audit-anchor v1\n<position>\n<hash hex>\n<at>".
std::string anchor_message(const Anchor& anchor);
// True when `anchor` carries a valid signature by `public_key_raw` (32 bytes).
bool anchor_signature_ok(const Anchor& anchor, std::string_view public_key_raw);

// Where the anchor key lives under DATA_PATH, and its public half (hex, one
// line) that is copied off the box with the anchors.
inline constexpr const char* kAnchorKeyFile = "keys/audit-anchor.key";
inline constexpr const char* kAnchorFile = "audit-anchor.jsonl";
inline constexpr const char* kAnchorPublicKeyFile = "audit-anchor.pub";

// Copies DATA_PATH's anchor file and public key into `dir` (created if
// missing), each fsync-ed, for keeping off the server. Returns the number of
// anchors copied. Throws std::runtime_error when a file cannot be written.
std::int64_t export_anchors(const std::filesystem::path& data_path, const std::filesystem::path& dir);

// Reads DATA_PATH/audit-anchor.jsonl (missing file = no anchors; malformed
// lines are skipped and counted in *skipped).
std::vector<Anchor> read_anchors(const std::filesystem::path& file, int* skipped = nullptr);

struct VerifyReport {
  bool ok = true;
  std::int64_t checked = 0;   // sealed rows recomputed
  std::int64_t unsealed = 0;  // rows not sealed yet (not an error)
  db::ChainHead head;
  std::optional<std::int64_t> first_bad_position;
  std::optional<std::int64_t> first_bad_id;  // audit_log.id of that row, when it exists
  std::string problem;                       // a sentence naming what is wrong
  int anchors_checked = 0;
  int anchors_unsigned = 0;  // skipped: no signature (older lines); never trusted
};

class AuditService {
 public:
  // anchor_file "" = do not write anchors (tests that do not need them).
  // anchor_key: signs every anchor written and is the one verify() trusts;
  // null = unsigned anchors (tests without a DATA_PATH).
  AuditService(db::Pool& pool, std::filesystem::path anchor_file,
               std::shared_ptr<const auth::SigningKey> anchor_key = nullptr);
  ~AuditService();

  // Seals everything sealable now; returns the head. Writes the anchor and
  // logs when the head moved.
  db::ChainHead seal_now();
  void start_sealer(std::chrono::milliseconds interval = std::chrono::milliseconds(1000));
  void stop_sealer();

  VerifyReport verify(const std::vector<Anchor>& anchors);
  VerifyReport verify() { return verify(read_anchors(anchor_file_)); }

  db::ChainHead head();
  const std::filesystem::path& anchor_file() const { return anchor_file_; }

  std::vector<db::AuditRow> find(const std::string& store_id, const db::AuditFilter& filter,
                                 std::int64_t before_id, std::size_t limit);
  // Every row matching the filter (no cut), newest first, as CSV with a
  // header; returns the number of rows.
  std::int64_t export_csv(const std::string& store_id, const db::AuditFilter& filter, std::ostream& out);

  // The same, a page at a time, for streaming (GET /api/v1/audit/export):
  // the header line, then pages of rows older than `before_id` (0 = from
  // the newest) until one comes back `last`. Each page is one short query,
  // so a large export never holds a connection or the whole file.
  struct ExportPage {
    std::string csv;
    std::int64_t rows = 0;
    std::int64_t last_id = 0;  // the next page's before_id
    bool last = false;
  };
  // The header line in `lang` (column names are catalogue entries, context csv::kColumnContext).
  static std::string export_header(std::string_view lang = "en");
  ExportPage export_page(const std::string& store_id, const db::AuditFilter& filter, std::int64_t before_id);
  // Audits an export (what was asked for, how many rows; complete = false
  // when a streamed export was cut before its end).
  void record_export(const std::string& store_id, const auth::Actor& actor, const std::string& what,
                     std::int64_t rows, bool complete = true);

 private:
  void write_anchor(const db::ChainHead& head);

  db::Pool& pool_;
  std::filesystem::path anchor_file_;
  std::shared_ptr<const auth::SigningKey> anchor_key_;
  std::mutex seal_mutex_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

// One audit row as JSON for the API (hashes hex).
nlohmann::json audit_row_json(const db::AuditRow& row);

}  // namespace salespider::service
