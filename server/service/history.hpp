// Sales history and shift reports (GET /api/v1/sales, /sales/{id}, /shifts,
// /shifts/{id}/report): the query values read strictly (a bad one is a
// bad_request naming its field, invariant 10), the caller's scope, and the
// shift report computed from what the server recorded (shift_reports.hpp)
// with the audit chain's head at that moment.
//
// Scope: a person whose role lacks view_all_sales (a cashier) sees only
// their own sales and shifts of the last 7 days, as in the original
// SaleSpider; asking for someone else's is forbidden, and someone else's
// sale or shift by id is not found.
//
// Times: `from` and `to` are ISO 8601 dates (a whole day in the store's time
// zone; `to` includes that day) or timestamps (with Z or an offset: that
// instant; without: wall-clock time in the store's time zone; `to` includes
// it). Deliberately no HTTP and no SQL here.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "db/audit.hpp"
#include "db/history.hpp"
#include "salespider/shared/shift_report.hpp"
#include "service/auth_outcome.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service {

class AuditService;

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;
inline constexpr int kOwnSalesDays = 7;
inline constexpr std::size_t kMaxSearchBytes = 100;

// The query string's values as sent ("" = absent).
struct SalesRequest {
  std::string from, to, cashier, till, tender, refunded, q, cursor, limit;
};

struct ShiftsRequest {
  std::string from, to, till, status, cursor, limit;
};

template <class Page>
struct Listing {
  Page page;
  std::string next_cursor;  // "" = last page
  bool own_only = false;    // the caller sees only their own
};
using SalesAnswer = Listing<db::SalePage>;
using ShiftsAnswer = Listing<db::ShiftPage>;

// GET /api/v1/sales/export: the list's filters (cursor and limit are
// ignored: a file always holds the whole filtered set from its start).
struct SalesExportPlan {
  db::SaleQuery query;      // scoped; limit = the export's page size, no cursor
  bool own_only = false;
  std::string filename;     // sales-<from>-<to>.csv
  nlohmann::json filters;   // for the audit row: the filters as asked, and the scope
};

struct OverShortRequest {
  std::string from, to, till;
};

struct OverShortAnswer {
  std::string from, to;  // as asked ("" = open)
  db::OverShortReport report;
};

struct ShiftReportAnswer {
  db::ShiftRow shift;
  ShiftReport report;
  std::string report_json;  // encode_shift_report_json(report)
  db::ChainHead audit_head;
};

// A sale's status as the API and the export show it: completed,
// partially_refunded, refunded (refunds reach its total) or voided.
std::string sale_status(const db::SaleSummary& sale);

class HistoryService {
 public:
  HistoryService(db::Pool& pool, AuditService& audit) : pool_(pool), audit_(audit) {}

  Outcome<SalesAnswer> sales(const auth::UserPrincipal& who, const SalesRequest& request);
  Outcome<db::SaleDetail> sale(const auth::UserPrincipal& who, const std::string& sale_id);
  Outcome<ShiftsAnswer> shifts(const auth::UserPrincipal& who, const ShiftsRequest& request);
  // X report while the shift is open, Z report once closed.
  Outcome<ShiftReportAnswer> shift_report(const auth::UserPrincipal& who, const std::string& shift_id);
  // The same validation and scope as sales(); the rows are read and written
  // by service/sales_export.hpp.
  Outcome<SalesExportPlan> sales_export(const auth::UserPrincipal& who, const SalesRequest& request);
  // Closed shifts' over/short per person (the caller holds view_all_sales).
  Outcome<OverShortAnswer> over_short(const auth::UserPrincipal& who, const OverShortRequest& request);

 private:
  db::Pool& pool_;
  AuditService& audit_;
};

}  // namespace salespider::service
