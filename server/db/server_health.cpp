// See server_health.hpp.
#include "db/server_health.hpp"

#include <pqxx/pqxx>

namespace salespider::db {
namespace {

std::string text_or_empty(const pqxx::field& f) { return f.is_null() ? std::string() : f.as<std::string>(); }

// Each optional part in its own savepoint-free query: a permission error
// there must not hide what the role may read.
template <typename Fn>
bool try_read(pqxx::connection& c, Fn fn) {
  try {
    pqxx::read_transaction tx(c);
    fn(tx);
    return true;
  } catch (const pqxx::sql_error&) {
    return false;
  }
}

constexpr const char* kIso = "YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"";

}  // namespace

bool archive_command_uses_pgbackrest(const std::string& archive_command) {
  return archive_command.find("pgbackrest") != std::string::npos &&
         archive_command.find("archive-push") != std::string::npos;
}

ServerHealthFacts read_server_health(const std::string& conninfo) {
  ServerHealthFacts out;
  auto& a = out.archive;
  try {
    pqxx::connection c(conninfo);
    {
      pqxx::read_transaction tx(c);
      tx.exec0("SET LOCAL statement_timeout = '5s'");
      const auto row = tx.exec1(
          std::string("SELECT archived_count, last_archived_wal, to_char(last_archived_time AT TIME ZONE 'UTC', '") +
          kIso + "'), failed_count, last_failed_wal, to_char(last_failed_time AT TIME ZONE 'UTC', '" + kIso +
          "'), coalesce(last_failed_time > coalesce(last_archived_time, '-infinity'), false), "
          "current_setting('archive_mode'), pg_database_size(current_database()) FROM pg_stat_archiver");
      a.archived_count = row[0].as<std::int64_t>();
      a.last_archived_wal = text_or_empty(row[1]);
      a.last_archived_at = text_or_empty(row[2]);
      a.failed_count = row[3].as<std::int64_t>();
      a.last_failed_wal = text_or_empty(row[4]);
      a.last_failed_at = text_or_empty(row[5]);
      a.failing = row[6].as<bool>();
      a.archive_mode = row[7].as<std::string>();
      out.database_size_bytes = row[8].as<std::int64_t>();
    }
    try_read(c, [&](pqxx::read_transaction& tx) {
      a.archive_command = tx.exec1("SELECT current_setting('archive_command')")[0].as<std::string>();
    });
    try_read(c, [&](pqxx::read_transaction& tx) {
      const auto row = tx.exec1(
          "SELECT count(*), count(*) * (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size') "
          "FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'");
      a.ready_count = row[0].as<std::int64_t>();
      a.ready_bytes = row[1].is_null() ? 0 : row[1].as<std::int64_t>();
    });
    try_read(c, [&](pqxx::read_transaction& tx) {
      a.wal_bytes = tx.exec1("SELECT coalesce(sum(size), 0)::bigint FROM pg_ls_waldir()")[0].as<std::int64_t>();
    });
    a.archiving_to_repo = a.archive_mode != "off" && archive_command_uses_pgbackrest(a.archive_command);
    a.known = true;
    a.detail = a.failing ? "the last archive attempt failed" : "archiving keeps up";
  } catch (const std::exception& e) {
    a.known = false;
    a.detail = std::string("cannot read the archiver's state: ") + e.what();
    while (!a.detail.empty() && a.detail.back() == '\n') a.detail.pop_back();
  }
  return out;
}

}  // namespace salespider::db
