// See sales_export.hpp.
#include "service/sales_export.hpp"

#include <array>
#include <atomic>
#include <stdexcept>

#include "db/audit.hpp"
#include "salespider/shared/i18n.hpp"
#include "salespider/shared/money_format.hpp"
#include "service/audit_entry.hpp"
#include "service/csv.hpp"
#include "service/history.hpp"

namespace salespider::service::sales_export {
namespace {

std::atomic<int> g_page_rows{kPageRows};

using i18n::NC_;
constexpr std::array<const char*, 17> kColumns = {
    NC_("csv column", "receipt_number"), NC_("csv column", "occurred_at"),  NC_("csv column", "recorded_at"),
    NC_("csv column", "till"),           NC_("csv column", "cashier"),      NC_("csv column", "status"),
    NC_("csv column", "total"),          NC_("csv column", "tax"),          NC_("csv column", "discount"),
    NC_("csv column", "refunded"),       NC_("csv column", "cash"),         NC_("csv column", "card"),
    NC_("csv column", "bank_transfer"),  NC_("csv column", "mobile_money"), NC_("csv column", "other"),
    NC_("csv column", "currency"),       NC_("csv column", "flags")};

// The file's money, as the product export writes it: a point, no grouping, no symbol.
MoneyFormat file_money_format() {
  MoneyFormat f;
  f.grouping = Grouping::none;
  f.display = CurrencyDisplay::none;
  return f;
}

std::string amount(std::int64_t minor, Currency currency) {
  return format_money(Money{minor, currency}, file_money_format());
}

// A sum beyond int64 (only hostile or corrupt rows add up to that) is
// written exactly too: its decimal digits with the point put in by hand.
std::string amount(const db::AmountSum& sum, Currency currency) {
  if (const auto v = sum.value()) return amount(*v, currency);
  const std::string digits = sum.negative() ? sum.decimal.substr(1) : sum.decimal;
  const auto exp = static_cast<std::size_t>(currency.exponent());
  std::string out = sum.negative() ? "-" : "";
  if (exp == 0) return out.append(digits);
  // Beyond int64 there are always more digits than the exponent.
  const auto whole = digits.size() > exp ? digits.size() - exp : 0;
  out.append(digits, 0, whole);
  out.push_back('.');
  out.append(digits, whole, std::string::npos);
  return out;
}

// What was handed over per tender, cash less the change given.
struct Tenders {
  db::AmountSum cash, card, bank_transfer, mobile_money;
  std::int64_t other = 0;  // other and voucher, both small per sale
};

Tenders tenders_of(const db::SaleSummary& s) {
  Tenders t;
  for (const auto& x : s.tenders) {
    const auto v = x.amount.value().value_or(0);  // one sale's payments fit int64 (push checks them)
    if (x.tender == "cash") t.cash = db::AmountSum{std::to_string(v - s.change)};
    else if (x.tender == "card") t.card = x.amount;
    else if (x.tender == "bank_transfer") t.bank_transfer = x.amount;
    else if (x.tender == "mobile_money") t.mobile_money = x.amount;
    else t.other += v;
  }
  return t;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (w.empty()) continue;
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

}  // namespace

int page_rows() { return g_page_rows.load(); }
void set_page_rows_for_tests(int rows) { g_page_rows.store(rows > 0 ? rows : kPageRows); }

std::string header(std::string_view lang) { return csv::header_line(kColumns, lang); }

std::string line(const db::SaleExportRow& row) {
  const auto& s = row.summary;
  const auto currency = find_currency(s.currency);
  if (!currency) throw std::runtime_error("sale " + s.id + " has an unknown currency " + s.currency);
  const auto t = tenders_of(s);
  const auto& c = *currency;
  // Text through csv::field (quoted, formula-guarded); the amounts and times
  // are the server's own and written as they are, so a negative amount stays
  // a number in a spreadsheet.
  const std::vector<std::string> cells = {
      csv::field(s.receipt_number), s.created_at, s.recorded_at, csv::field(s.till_code), csv::field(s.cashier_name),
      sale_status(s), amount(s.total, c), amount(row.tax, c), amount(row.discount, c), amount(s.refunded_total, c),
      amount(t.cash, c), amount(t.card, c), amount(t.bank_transfer, c), amount(t.mobile_money, c),
      amount(t.other, c), csv::field(s.currency), csv::field(joined(row.flags))};
  std::string out;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    if (k) out += ',';
    out += cells[k];
  }
  out += "\r\n";
  return out;
}

Page next_page(db::Pool& pool, db::SaleQuery& query) {
  query.limit = page_rows();
  const auto page = db::export_sales(pool, query);
  Page out;
  for (const auto& row : page.rows) {
    out.csv += line(row);
    ++out.rows;
  }
  out.last = !page.more;
  if (!page.rows.empty()) query.after = db::PageAfter{page.rows.back().summary.at_us, page.rows.back().summary.id};
  return out;
}

void record(db::Pool& pool, const std::string& store_id, const auth::Actor& actor, const nlohmann::json& filters,
            std::int64_t rows, bool complete) {
  auto e = audit_entry(store_id, actor, "sales.export");
  e.detail = {{"filters", filters}, {"rows", rows}};
  if (!complete) e.detail["complete"] = false;
  db::append_audit_now(pool, e);
}

}  // namespace salespider::service::sales_export
