// Network receipt printers and "no sale" drawer opens in PostgreSQL
// (migration 0019, docs/printers.md). Each write is one transaction that
// checks the row_version the caller read, writes the row and appends the
// caller's audit entry (with the row before and after) in that transaction,
// like the catalog's tax rates (db/catalog_admin.hpp).
//
// Deliberately no validation of values (service/printers.cpp does it; the
// CHECKs of 0019 are the last word), no permission checks, and nothing of
// the network: connecting to a printer is service/printer_relay.cpp's.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/audit.hpp"

namespace salespider::db {

class Pool;

namespace printers {

struct PrinterRow {
  std::string id;
  std::string name;
  std::string host;
  int port = 9100;
  int paper_mm = 80;
  std::string code_page;
  bool enabled = true;
  std::int64_t row_version = 0;
  std::string created_at;  // ISO 8601
  std::string updated_at;
};
// The API's printer object (docs/api.md "Printers").
nlohmann::json printer_json(const PrinterRow& row);

// By name (case-insensitive).
std::vector<PrinterRow> list_printers(Pool& pool, const std::string& store_id);
std::optional<PrinterRow> find_printer(Pool& pool, const std::string& store_id, const std::string& id);

struct PrinterFields {
  std::string name;
  std::string host;
  int port = 9100;
  int paper_mm = 80;
  std::string code_page = "cp437";
  bool enabled = true;
};

enum class WriteStatus {
  ok,
  not_found,
  stale,       // row_version differs: `row` is the current row
  name_taken,  // another printer of the store has this name (any case)
};
struct PrinterWrite {
  WriteStatus status = WriteStatus::ok;
  std::optional<PrinterRow> row;  // after the write (ok), as it is now (stale), as it was (delete)
};

PrinterWrite insert_printer(Pool& pool, const std::string& store_id, const PrinterFields& fields, AuditEntry audit);
PrinterWrite update_printer(Pool& pool, const std::string& store_id, const std::string& id,
                            std::int64_t expected_version, const PrinterFields& fields, AuditEntry audit);
PrinterWrite delete_printer(Pool& pool, const std::string& store_id, const std::string& id,
                            std::int64_t expected_version, AuditEntry audit);

// ---------------------------------------------------------------- drawer opens

struct DrawerOpen {
  std::string id;  // the till's id for this open (a UUID)
  std::optional<std::string> till_id;
  std::string user_id;
  std::string reason;
};
struct DrawerOpenRow {
  DrawerOpen open;
  std::string opened_at;  // ISO 8601, the server's clock
  bool recorded_now = false;  // false: the id was recorded before (a retry)
};
// Records the open and appends `audit` in the same transaction, once per
// id: a second call with the same id writes nothing and returns the first
// record. nullopt when the id is taken by an open of another user or store
// (the caller reports a conflict).
std::optional<DrawerOpenRow> record_drawer_open(Pool& pool, const std::string& store_id, const DrawerOpen& open,
                                                AuditEntry audit);

}  // namespace printers
}  // namespace salespider::db
