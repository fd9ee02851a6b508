// Network receipt printers (docs/printers.md, docs/api.md "Printers"): the
// store's list a manager keeps (field rules: a host name or IP literal, a
// port, 58 or 80 mm paper, a code page), printing raw ESC/POS bytes a till
// built to one of them, and "no sale" drawer opens.
//
// Printing: only a configured, enabled printer of the store is a target (a
// request names a printer id, never a host: the server is no open relay).
// Prints to one printer are serialised in this process (one connection at a
// time, so two tills' receipts never interleave); a print waits for the one
// before it at most as long as that one may take. Several servers behind a
// proxy do not serialise across each other (docs/printers.md).
//
// Deliberately not here: the bytes' meaning (the till's receipt/escpos
// encoder makes them; they are relayed as they are), permissions (the route
// registry), and the socket work (printer_relay.hpp).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.hpp"
#include "db/printers.hpp"
#include "service/auth_outcome.hpp"
#include "service/printer_relay.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service {

using db::printers::printer_json;
using db::printers::PrinterRow;

// The largest print job: a long receipt with a logo is ~50 KB; a raster of
// non-Latin lines a few hundred. Also the route's body limit.
inline constexpr std::size_t kMaxPrintBytes = 1024 * 1024;

// The code pages a printer may be set to (the names the till's ESC/POS
// encoder knows: cp437, cp850, cp858 with the euro, cp866, cp1252).
const std::vector<std::string>& printer_code_pages();

// A host as entered: "192.168.1.50", "fe80::1" (brackets allowed and
// dropped), "printer-1.local". The stored form, or a Failure naming `host`.
Outcome<std::string> normalise_printer_host(std::string_view text);

// The `printer test` page: ESC @, a few lines of ASCII (the printer's
// name, address, paper and code page, and a ruler of the paper's columns
// at font A: 32 or 42), a feed and a partial cut (GS V 66 0).
std::string printer_test_page(const PrinterRow& printer);

struct PrinterInput {
  std::string name;
  std::string host;
  int port = 9100;
  int paper_mm = 80;
  std::string code_page = "cp437";
  bool enabled = true;
};

struct PrintDone {
  std::size_t bytes = 0;
};

struct DrawerOpenRequest {
  std::string id;  // the till's UUID for this open
  std::string reason;
};

class PrinterService {
 public:
  explicit PrinterService(db::Pool& pool);

  std::vector<PrinterRow> list(const std::string& store_id);
  Outcome<PrinterRow> get(const std::string& store_id, const std::string& id);
  // By id or by name (any case): for the CLI.
  Outcome<PrinterRow> find(const std::string& store_id, const std::string& key);

  Outcome<PrinterRow> create(const std::string& store_id, const PrinterInput& input, const auth::Actor& actor);
  // Replaces every field (PUT); row_version is the one the caller read.
  Outcome<PrinterRow> replace(const std::string& store_id, const std::string& id, std::int64_t row_version,
                              const PrinterInput& input, const auth::Actor& actor);
  Completion remove(const std::string& store_id, const std::string& id, std::int64_t row_version,
                    const auth::Actor& actor);

  // Sends `bytes` to printer `id` (not_found, printer_disabled,
  // printer_unreachable, printer_timeout). Logs each outcome with
  // `request_id`.
  Outcome<PrintDone> print(const std::string& store_id, const std::string& id, std::string_view bytes,
                           const std::string& request_id);
  // The same to a printer row as given (the CLI's `printer test` of a row
  // just read; a disabled printer may be tested).
  Outcome<PrintDone> print_to(const PrinterRow& printer, std::string_view bytes, const std::string& request_id);

  // Records a "no sale" drawer open by the actor's user on the actor's till
  // (if any), audited, once per request id.
  Outcome<db::printers::DrawerOpenRow> record_drawer_open(const std::string& store_id,
                                                          const DrawerOpenRequest& request, const auth::Actor& actor);

  RelayLimits relay_limits() const;
  void set_relay_limits(RelayLimits limits);  // tests shorten them

 private:
  // One lock per printer id, made on first use and kept (a store has a
  // handful of printers).
  std::shared_ptr<std::timed_mutex> lock_of(const std::string& printer_id);

  db::Pool& pool_;
  mutable std::mutex mutex_;
  RelayLimits limits_;
  std::map<std::string, std::shared_ptr<std::timed_mutex>> locks_;
};

}  // namespace salespider::service
