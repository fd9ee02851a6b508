// See audit.hpp.
#include "service/audit.hpp"

#include <array>

#include "service/csv.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <ctime>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "auth/crypto.hpp"
#include "log/log.hpp"
#include "service/audit_entry.hpp"
#include "support/secret_file.hpp"

namespace salespider::service {
namespace {

constexpr std::size_t kSealBatch = 500;
constexpr std::size_t kVerifyPage = 2000;
constexpr std::size_t kExportPage = 1000;

nlohmann::json opt(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

// CSV field: quoted when needed; a leading = + - @ (or tab/CR) is prefixed
// with ' so a spreadsheet never runs it as a formula.
std::string csv_cell(const std::string& v) {
  std::string s = v;
  if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos)
    s.insert(s.begin(), '\'');
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::uint64_t xid(const std::string& text) {
  return std::stoull(text);
}

// Appends one line and makes it durable before the sealer moves on: the
// file's data with fsync, and the directory entry too when the file is new,
// so a power cut cannot take back an anchor the log already announced.
void append_durably(const std::filesystem::path& file, const std::string& line) {
  const bool existed = std::filesystem::exists(file);
  const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open " + file.string() + ": " + std::strerror(errno));
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot append to " + file.string() + ": " + std::strerror(err));
  if (!existed) {
    const auto dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

std::string audit_row_hash(const db::AuditRow& row, std::int64_t position, const std::string& prev_hash) {
  // Everything a writer stored, plus the position: moving a row changes its hash.
  const nlohmann::json canonical =
      nlohmann::json::array({position, row.id, row.txid, row.store_id, row.occurred_at_us,
                             opt(row.actor_user_id), opt(row.actor_till_id), row.action, opt(row.entity),
                             opt(row.entity_id), opt(row.request_id), opt(row.client_ip), row.detail});
  return auth::sha256(prev_hash + canonical.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string anchor_message(const Anchor& a) {
  return "salespider-audit-anchor v1\n" + std::to_string(a.position) + "\n" + a.hash_hex + "\n" + a.at;
}

bool anchor_signature_ok(const Anchor& a, std::string_view public_key_raw) {
  const auto sig = auth::base64url_decode(a.sig);
  return sig && auth::verify_ed25519(public_key_raw, anchor_message(a), *sig);
}

std::int64_t export_anchors(const std::filesystem::path& data_path, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const auto anchors = read_file(data_path / kAnchorFile);
  const auto pub = read_file(data_path / kAnchorPublicKeyFile);
  if (pub.empty()) throw std::runtime_error("no " + (data_path / kAnchorPublicKeyFile).string() + ": start the server once");
  support::write_file_atomically(dir / kAnchorFile, anchors, support::FileMode::public_readable);
  support::write_file_atomically(dir / kAnchorPublicKeyFile, pub, support::FileMode::public_readable);
  return static_cast<std::int64_t>(std::count(anchors.begin(), anchors.end(), '\n'));
}

std::vector<Anchor> read_anchors(const std::filesystem::path& file, int* skipped) {
  std::vector<Anchor> out;
  if (skipped != nullptr) *skipped = 0;
  if (file.empty()) return out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("position") || !j["position"].is_number_integer() ||
        !j.contains("hash") || !j["hash"].is_string()) {
      if (skipped != nullptr) ++*skipped;
      continue;
    }
    out.push_back(Anchor{j["position"].get<std::int64_t>(), j["hash"].get<std::string>(), j.value("at", ""),
                         j.value("sig", "")});
  }
  return out;
}

nlohmann::json audit_row_json(const db::AuditRow& r) {
  auto detail = nlohmann::json::parse(r.detail, nullptr, false);
  return {{"id", r.id},
          {"chain_pos", r.chain_pos ? nlohmann::json(*r.chain_pos) : nlohmann::json()},
          {"occurred_at", r.occurred_at},
          {"action", r.action},
          {"actor_user_id", opt(r.actor_user_id)},
          {"actor_till_id", opt(r.actor_till_id)},
          {"entity", opt(r.entity)},
          {"entity_id", opt(r.entity_id)},
          {"request_id", opt(r.request_id)},
          {"client_ip", opt(r.client_ip)},
          {"detail", detail.is_discarded() ? nlohmann::json(r.detail) : detail},
          {"hash", r.hash ? nlohmann::json(auth::to_hex(*r.hash)) : nlohmann::json()}};
}

AuditService::AuditService(db::Pool& pool, std::filesystem::path anchor_file,
                           std::shared_ptr<const auth::SigningKey> anchor_key)
    : pool_(pool), anchor_file_(std::move(anchor_file)), anchor_key_(std::move(anchor_key)) {}

AuditService::~AuditService() {
  stop_sealer();
}

db::ChainHead AuditService::seal_now() {
  std::lock_guard lock(seal_mutex_);
  const auto before = db::audit_chain_head(pool_);
  db::ChainHead head = before;
  for (;;) {
    const auto next = db::seal_audit_rows(pool_, kSealBatch, audit_row_hash);
    if (next.position == head.position) break;
    head = next;
  }
  if (head.position != before.position) {
    const auto hex = auth::to_hex(head.hash);
    log::info("audit chain sealed", {{"position", head.position}, {"hash", hex}});
    if (!anchor_file_.empty()) {
      try {
        write_anchor(head);
      } catch (const std::exception& e) {
        log::error("cannot append to the audit anchor file", {{"file", anchor_file_.string()}, {"what", e.what()}});
      }
    }
  }
  return head;
}

void AuditService::write_anchor(const db::ChainHead& head) {
  Anchor a{head.position, auth::to_hex(head.hash), log::utc_iso8601(std::time(nullptr)), ""};
  nlohmann::json line{{"v", 1}, {"at", a.at}, {"position", a.position}, {"hash", a.hash_hex}};
  if (anchor_key_) line["sig"] = auth::base64url_encode(anchor_key_->sign(anchor_message(a)));
  append_durably(anchor_file_, line.dump() + "\n");
}

void AuditService::start_sealer(std::chrono::milliseconds interval) {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this, interval] {
    std::unique_lock l(mutex_);
    while (!stopping_) {
      l.unlock();
      try {
        seal_now();
      } catch (const std::exception& e) {
        // The database may be down or restarting: the rows wait, nothing is lost.
        log::warn("the audit sealer could not run", {{"what", e.what()}});
      }
      l.lock();
      cv_.wait_for(l, interval, [this] { return stopping_; });
    }
  });
}

void AuditService::stop_sealer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

db::ChainHead AuditService::head() {
  return db::audit_chain_head(pool_);
}

VerifyReport AuditService::verify(const std::vector<Anchor>& anchors) {
  VerifyReport report;
  std::map<std::int64_t, std::string> anchored;  // position -> hex hash, latest line wins
  std::optional<std::int64_t> forged;            // first anchor whose signature is wrong
  for (const auto& a : anchors) {
    if (anchor_key_) {
      // Only anchors signed by the store's key are evidence: anyone who can
      // write the file could add unsigned lines matching a rewritten chain.
      if (a.sig.empty()) {
        ++report.anchors_unsigned;
        continue;
      }
      if (!anchor_signature_ok(a, anchor_key_->public_key_raw())) {
        if (!forged) forged = a.position;
        continue;
      }
    }
    anchored[a.position] = a.hash_hex;
  }
  if (forged) {
    report.ok = false;
    report.first_bad_position = forged;
    report.problem = "the anchor recorded for position " + std::to_string(*forged) +
                     " is not signed by this store's anchor key: the anchor file was altered";
  }
  std::map<std::int64_t, std::string> seen;  // the chain's hashes at anchored positions

  auto bad = [&](std::int64_t position, std::optional<std::int64_t> id, std::string problem) {
    if (!report.ok) return;
    report.ok = false;
    report.first_bad_position = position;
    report.first_bad_id = id;
    report.problem = std::move(problem);
  };

  std::string prev(32, '\0');
  std::int64_t expected = 1;
  std::optional<std::pair<std::uint64_t, std::int64_t>> last_order;
  for (;;) {
    const auto page = db::sealed_audit_rows(pool_, expected - 1, kVerifyPage);
    if (page.empty()) break;
    for (const auto& row : page) {
      const auto pos = *row.chain_pos;
      if (pos != expected) {
        bad(expected, row.id,
            "the row at chain position " + std::to_string(expected) +
                " is missing (deleted); the next row, id " + std::to_string(row.id) + ", is at position " +
                std::to_string(pos));
        expected = pos;  // keep walking to report the head, but the verdict stands
      }
      if (!row.prev_hash || !row.hash || *row.prev_hash != prev) {
        bad(pos, row.id,
            "row id " + std::to_string(row.id) + " at position " + std::to_string(pos) +
                " does not follow the row before it (prev_hash differs): a row was removed, inserted "
                "or moved");
      } else if (audit_row_hash(row, pos, prev) != *row.hash) {
        bad(pos, row.id,
            "row id " + std::to_string(row.id) + " at position " + std::to_string(pos) +
                " was changed after it was sealed (its hash does not match its content)");
      }
      const std::pair<std::uint64_t, std::int64_t> order{xid(row.txid), row.id};
      if (last_order && order < *last_order) {
        bad(pos, row.id,
            "row id " + std::to_string(row.id) + " at position " + std::to_string(pos) +
                " is out of order (rows were reordered)");
      }
      last_order = order;
      if (anchored.count(pos) != 0 && row.hash) seen[pos] = auth::to_hex(*row.hash);
      prev = row.hash.value_or(std::string(32, '\0'));
      report.head = db::ChainHead{pos, prev};
      ++report.checked;
      ++expected;
    }
  }
  for (const auto& [position, hex] : anchored) {
    ++report.anchors_checked;
    if (position > report.head.position) {
      bad(report.head.position + 1, std::nullopt,
          "the chain ends at position " + std::to_string(report.head.position) +
              " but an anchor outside the "
              "database records position " +
              std::to_string(position) + ": rows were cut from the end");
      break;
    }
    const auto it = seen.find(position);
    if (it == seen.end() || it->second != hex) {
      bad(position, std::nullopt,
          "the chain at position " + std::to_string(position) +
              " does not match the anchor recorded outside the "
              "database: the chain was rewritten at or before this position");
      break;
    }
  }
  report.unsealed = db::unsealed_audit_count(pool_);
  return report;
}

std::vector<db::AuditRow> AuditService::find(const std::string& store_id, const db::AuditFilter& filter,
                                             std::int64_t before_id, std::size_t limit) {
  return db::find_audit_rows(pool_, store_id, filter, before_id, limit);
}

std::string AuditService::export_header(std::string_view lang) {
  using i18n::NC_;
  static constexpr std::array<const char*, 12> kColumns{
      NC_("csv column", "id"),         NC_("csv column", "chain_pos"),     NC_("csv column", "occurred_at"),
      NC_("csv column", "action"),     NC_("csv column", "actor_user_id"), NC_("csv column", "actor_till_id"),
      NC_("csv column", "entity"),     NC_("csv column", "entity_id"),     NC_("csv column", "client_ip"),
      NC_("csv column", "request_id"), NC_("csv column", "detail"),        NC_("csv column", "hash")};
  return csv::header_line(kColumns, lang);
}

AuditService::ExportPage AuditService::export_page(const std::string& store_id, const db::AuditFilter& filter,
                                                   std::int64_t before_id) {
  ExportPage page;
  const auto rows = db::find_audit_rows(pool_, store_id, filter, before_id, kExportPage);
  std::ostringstream out;
  for (const auto& r : rows) {
    out << r.id << ',' << (r.chain_pos ? std::to_string(*r.chain_pos) : "") << ',' << csv_cell(r.occurred_at)
        << ',' << csv_cell(r.action) << ',' << csv_cell(r.actor_user_id.value_or("")) << ','
        << csv_cell(r.actor_till_id.value_or("")) << ',' << csv_cell(r.entity.value_or("")) << ','
        << csv_cell(r.entity_id.value_or("")) << ',' << csv_cell(r.client_ip.value_or("")) << ','
        << csv_cell(r.request_id.value_or("")) << ',' << csv_cell(r.detail) << ','
        << (r.hash ? auth::to_hex(*r.hash) : "") << "\r\n";
    page.last_id = r.id;
  }
  page.csv = out.str();
  page.rows = static_cast<std::int64_t>(rows.size());
  page.last = rows.size() < kExportPage;
  return page;
}

std::int64_t AuditService::export_csv(const std::string& store_id, const db::AuditFilter& filter,
                                      std::ostream& out) {
  out << export_header();
  std::int64_t count = 0;
  std::int64_t before = 0;
  for (;;) {
    const auto page = export_page(store_id, filter, before);
    out << page.csv;
    count += page.rows;
    before = page.last_id;
    if (page.last) return count;
  }
}

void AuditService::record_export(const std::string& store_id, const auth::Actor& actor,
                                 const std::string& what, std::int64_t rows, bool complete) {
  db::AuditEntry e;
  e.store_id = store_id;
  e.actor = audit_actor(actor);
  e.action = "audit.export";
  e.detail = {{"request", what.substr(0, 500)}, {"rows", rows}};
  if (!complete) e.detail["complete"] = false;
  db::append_audit_now(pool_, e);
}

}  // namespace salespider::service
