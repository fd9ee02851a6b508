// See printers.hpp. Writes lock the row, compare row_version, write and
// audit, all in one transaction.
#include "db/printers.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"

namespace salespider::db::printers {
namespace {

std::string iso(const std::string& column) {
  return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

const std::string kColumns = "p.id::text, p.name, p.host, p.port, p.paper_mm, p.code_page, p.enabled, p.row_version, " +
                             iso("p.created_at") + ", " + iso("p.updated_at");

PrinterRow printer_of(const pqxx::row& r) {
  PrinterRow p;
  p.id = r[0].as<std::string>();
  p.name = r[1].as<std::string>();
  p.host = r[2].as<std::string>();
  p.port = r[3].as<int>();
  p.paper_mm = r[4].as<int>();
  p.code_page = r[5].as<std::string>();
  p.enabled = r[6].as<bool>();
  p.row_version = r[7].as<std::int64_t>();
  p.created_at = r[8].as<std::string>();
  p.updated_at = r[9].as<std::string>();
  return p;
}

std::optional<PrinterRow> read_printer(pqxx::transaction_base& tx, const std::string& store_id, const std::string& id) {
  const auto r = tx.exec_params("SELECT " + kColumns + " FROM printers p WHERE p.store_id = $1::uuid AND p.id = $2::uuid",
                                store_id, id);
  if (r.empty()) return std::nullopt;
  return printer_of(r[0]);
}

// False when `out` says why not (gone, or changed since the caller read it).
bool lock_printer(pqxx::transaction_base& tx, const std::string& store_id, const std::string& id,
                  std::int64_t expected_version, PrinterWrite& out) {
  const auto r = tx.exec_params(
      "SELECT row_version FROM printers WHERE id = $1::uuid AND store_id = $2::uuid FOR UPDATE", id, store_id);
  if (r.empty()) {
    out.status = WriteStatus::not_found;
    return false;
  }
  if (r[0][0].as<std::int64_t>() != expected_version) {
    out.status = WriteStatus::stale;
    out.row = read_printer(tx, store_id, id);
    return false;
  }
  return true;
}

// One write: committed when `body` returns true. The name index turns a
// name taken meanwhile into `name_taken` instead of an exception.
template <class Body>
PrinterWrite write_once(Pool& pool, Body&& body) {
  return pool.with_connection([&](pqxx::connection& c) {
    PrinterWrite out;
    try {
      pqxx::work tx(c);
      if (body(tx, out)) tx.commit();
    } catch (const pqxx::unique_violation&) {
      out = PrinterWrite{};
      out.status = WriteStatus::name_taken;
    }
    return out;
  });
}

}  // namespace

nlohmann::json printer_json(const PrinterRow& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"host", p.host},
          {"port", p.port},
          {"paper_mm", p.paper_mm},
          {"code_page", p.code_page},
          {"enabled", p.enabled},
          {"row_version", p.row_version},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

std::vector<PrinterRow> list_printers(Pool& pool, const std::string& store_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<PrinterRow> out;
    for (const auto& r : tx.exec_params("SELECT " + kColumns +
                                            " FROM printers p WHERE p.store_id = $1::uuid ORDER BY lower(p.name), p.id",
                                        store_id))
      out.push_back(printer_of(r));
    return out;
  });
}

std::optional<PrinterRow> find_printer(Pool& pool, const std::string& store_id, const std::string& id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return read_printer(tx, store_id, id);
  });
}

PrinterWrite insert_printer(Pool& pool, const std::string& store_id, const PrinterFields& f, AuditEntry audit) {
  return write_once(pool, [&](pqxx::work& tx, PrinterWrite& out) {
    const auto id = tx.exec_params1(
                          "INSERT INTO printers (store_id, name, host, port, paper_mm, code_page, enabled)"
                          " VALUES ($1::uuid, $2, $3, $4, $5, $6, $7) RETURNING id::text",
                          store_id, f.name, f.host, f.port, f.paper_mm, f.code_page, f.enabled)[0]
                        .as<std::string>();
    out.row = read_printer(tx, store_id, id);
    audit.entity = "printer";
    audit.entity_id = id;
    audit.detail["after"] = printer_json(*out.row);
    append_audit(tx, audit);
    return true;
  });
}

PrinterWrite update_printer(Pool& pool, const std::string& store_id, const std::string& id,
                            std::int64_t expected_version, const PrinterFields& f, AuditEntry audit) {
  return write_once(pool, [&](pqxx::work& tx, PrinterWrite& out) {
    if (!lock_printer(tx, store_id, id, expected_version, out)) return false;
    const auto before = read_printer(tx, store_id, id);
    tx.exec_params0(
        "UPDATE printers SET name = $3, host = $4, port = $5, paper_mm = $6, code_page = $7, enabled = $8,"
        " updated_at = now() WHERE id = $1::uuid AND row_version = $2",
        id, expected_version, f.name, f.host, f.port, f.paper_mm, f.code_page, f.enabled);
    out.row = read_printer(tx, store_id, id);
    audit.entity = "printer";
    audit.entity_id = id;
    audit.detail["before"] = printer_json(*before);
    audit.detail["after"] = printer_json(*out.row);
    append_audit(tx, audit);
    return true;
  });
}

PrinterWrite delete_printer(Pool& pool, const std::string& store_id, const std::string& id,
                            std::int64_t expected_version, AuditEntry audit) {
  return write_once(pool, [&](pqxx::work& tx, PrinterWrite& out) {
    if (!lock_printer(tx, store_id, id, expected_version, out)) return false;
    out.row = read_printer(tx, store_id, id);
    tx.exec_params0("DELETE FROM printers WHERE id = $1::uuid AND row_version = $2", id, expected_version);
    audit.entity = "printer";
    audit.entity_id = id;
    audit.detail["before"] = printer_json(*out.row);
    append_audit(tx, audit);
    return true;
  });
}

std::optional<DrawerOpenRow> record_drawer_open(Pool& pool, const std::string& store_id, const DrawerOpen& open,
                                                AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<DrawerOpenRow> {
    pqxx::work tx(c);
    // ON CONFLICT DO NOTHING: a retry of the same open waits for the first
    // one's transaction and then writes nothing (exactly once by the key).
    const auto inserted = tx.exec_params(
        "INSERT INTO drawer_opens (id, store_id, till_id, user_id, reason)"
        " VALUES ($1::uuid, $2::uuid, NULLIF($3, '')::uuid, $4::uuid, $5)"
        " ON CONFLICT (id) DO NOTHING RETURNING " +
            iso("opened_at"),
        open.id, store_id, open.till_id.value_or(""), open.user_id, open.reason);
    DrawerOpenRow row;
    if (!inserted.empty()) {
      row.open = open;
      row.opened_at = inserted[0][0].as<std::string>();
      row.recorded_now = true;
      audit.entity = "drawer_open";
      audit.entity_id = open.id;
      audit.detail["reason"] = open.reason;
      append_audit(tx, audit);
      tx.commit();
      return row;
    }
    const auto first = tx.exec_params(
        "SELECT coalesce(till_id::text, ''), user_id::text, reason, " + iso("opened_at") +
            " FROM drawer_opens WHERE id = $1::uuid AND store_id = $2::uuid",
        open.id, store_id);
    if (first.empty() || first[0][1].as<std::string>() != open.user_id) return std::nullopt;
    row.open.id = open.id;
    const auto till = first[0][0].as<std::string>();
    if (!till.empty()) row.open.till_id = till;
    row.open.user_id = first[0][1].as<std::string>();
    row.open.reason = first[0][2].as<std::string>();
    row.opened_at = first[0][3].as<std::string>();
    tx.commit();
    return row;
  });
}

}  // namespace salespider::db::printers
