// See history.hpp. Every statement is prepared (history_sql::prepare); the
// filters are all in the statements' text, each one off when its parameter
// is '' (so one plan serves every combination). Times: occurred_at is the
// till's clock, the time a person sees on the receipt.
#include "db/history.hpp"

#include <charconv>
#include <pqxx/pqxx>

#include "db/history_sql.hpp"
#include "db/pool.hpp"
#include "db/read_limits.hpp"

namespace salespider::db {
namespace {

std::string iso(const std::string& column) {
  return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

std::string micros(const std::string& column) {
  return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
}

// The keyset condition: rows strictly before ($a µs, $b id) in (time DESC, id DESC) order.
std::string before(const std::string& time, const std::string& id, const std::string& a, const std::string& b) {
  return "(" + a + " = '' OR (" + time + ", " + id + ") < ('epoch'::timestamptz + NULLIF(" + a +
         ", '')::bigint * interval '1 microsecond', NULLIF(" + b + ", '')::uuid))";
}

// The same keyset condition written so that even a generic plan bounds the
// time column by an index (no "$a = '' OR"): the export reads a million sales
// a page at a time, and each page must cost its rows, not all the newer ones.
std::string bounded_before(const std::string& time, const std::string& id, const std::string& a,
                           const std::string& b) {
  const std::string at = "(CASE WHEN " + a + " = '' THEN 'infinity'::timestamptz ELSE 'epoch'::timestamptz + NULLIF(" +
                         a + ", '')::bigint * interval '1 microsecond' END)";
  const std::string last =
      "(CASE WHEN " + b + " = '' THEN 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid ELSE NULLIF(" + b + ", '')::uuid END)";
  return time + " <= " + at + " AND (" + time + ", " + id + ") < (" + at + ", " + last + ")";
}

const std::string kSaleColumns =
    "s.id::text, s.receipt_number, " + iso("s.occurred_at") + ", " + iso("s.recorded_at") +
    ", s.till_id::text, t.code, s.user_id::text, u.display_name, coalesce(s.shift_id::text, ''), s.total_minor,"
    " s.currency, s.change_minor,"
    " coalesce((SELECT string_agg(p.tender || ':' || p.amount, ',' ORDER BY p.tender) FROM"
    "   (SELECT tender, sum(amount_minor) AS amount FROM payments WHERE sale_id = s.id GROUP BY tender) p), ''),"
    " coalesce((SELECT sum(r.total_minor) FROM refunds r WHERE r.sale_id = s.id), 0)::text, s.status,"
    " (SELECT count(*) FROM op_flags f WHERE f.sale_id = s.id), " +
    micros("s.occurred_at");
const std::string kSaleFrom = " FROM sales s JOIN tills t ON t.id = s.till_id JOIN users u ON u.id = s.user_id";

// $1 store, [$2, $3) time, $4 cashier, $5 till, $6 tender, $7 refunded
// ('', 'true', 'false'), $8 receipt-number prefix pattern, $9 substring pattern.
const std::string kSaleFilter =
    " WHERE s.store_id = $1::uuid AND s.occurred_at >= $2::timestamptz AND s.occurred_at < $3::timestamptz"
    " AND ($4 = '' OR s.user_id = NULLIF($4, '')::uuid) AND ($5 = '' OR s.till_id = NULLIF($5, '')::uuid)"
    " AND ($6 = '' OR EXISTS (SELECT 1 FROM payments p WHERE p.sale_id = s.id AND p.tender = $6))"
    " AND ($7 = '' OR EXISTS (SELECT 1 FROM refunds r WHERE r.sale_id = s.id) = ($7 = 'true'))"
    " AND ($8 = '' OR s.receipt_number LIKE $8 OR EXISTS (SELECT 1 FROM sale_lines l"
    "   LEFT JOIN products pr ON pr.id = l.product_id"
    "   WHERE l.sale_id = s.id AND (l.name ILIKE $9 OR pr.sku ILIKE $9)))";

const std::string kShiftColumns =
    "sh.id::text, sh.store_id::text, sh.till_id::text, t.code, sh.user_id::text, u.display_name, sh.status,"
    " sh.currency, sh.opening_float_minor, sh.expected_cash_minor, sh.counted_cash_minor, " +
    iso("sh.opened_at") + ", coalesce(" + iso("sh.closed_at") +
    ", ''), coalesce(sh.closed_by::text, ''),"
    " (SELECT count(*) FROM sales x WHERE x.shift_id = sh.id AND x.status = 'completed'),"
    " coalesce((SELECT sum(x.total_minor) FROM sales x WHERE x.shift_id = sh.id AND x.status = 'completed'), 0)"
    "::text, " +
    micros("sh.opened_at") + " FROM shifts sh JOIN tills t ON t.id = sh.till_id JOIN users u ON u.id = sh.user_id";

struct Statement {
  const char* name;
  std::string sql;
};

const std::vector<Statement>& statements() {
  static const std::vector<Statement> all = {
      // A time range in the store's time zone, and the cashier's window.
      {"hist_range",
       "SELECT greatest(CASE WHEN $3 THEN $2::timestamptz ELSE ($2::timestamp AT TIME ZONE s.time_zone) END,"
       "         CASE WHEN $7 > 0 THEN now() - $7 * interval '1 day' ELSE '-infinity'::timestamptz END)::text,"
       "       (CASE WHEN $5 THEN $4::timestamptz ELSE ($4::timestamp AT TIME ZONE s.time_zone) END"
       "         + CASE WHEN $6 THEN interval '1 microsecond' ELSE interval '0' END)::text"
       "  FROM settings s WHERE s.store_id = $1::uuid"},
      {"hist_sales", "SELECT " + kSaleColumns + kSaleFrom + kSaleFilter + " AND " +
                         before("s.occurred_at", "s.id", "$10", "$11") +
                         " ORDER BY s.occurred_at DESC, s.id DESC LIMIT $12"},
      // The export's page: the list's page with tax, discount and flags after its columns.
      {"hist_sales_export", "SELECT " + kSaleColumns +
                                ", s.tax_minor, s.discount_minor, coalesce((SELECT string_agg(k, ',' ORDER BY k) FROM"
                                " (SELECT unnest(s.flags) AS k UNION SELECT f.kind FROM op_flags f"
                                "  WHERE f.sale_id = s.id) fk), '')" +
                                kSaleFrom + kSaleFilter + " AND " + bounded_before("s.occurred_at", "s.id", "$10", "$11") +
                                " ORDER BY s.occurred_at DESC, s.id DESC LIMIT $12"},
      // $1 store, [$2, $3) closing time, $4 till. One row per person, then
      // the total (user_id NULL: the empty grouping set).
      {"hist_over_short",
       "SELECT sh.user_id::text, min(u.display_name), count(*),"
       " coalesce(sum(greatest(sh.d, 0)), 0)::text, coalesce(sum(least(sh.d, 0)), 0)::text,"
       " coalesce(sum(sh.d), 0)::text, coalesce(sum(sh.expected_cash_minor), 0)::text,"
       " coalesce(sum(sh.counted_cash_minor), 0)::text"
       " FROM (SELECT x.*, x.counted_cash_minor::numeric - x.expected_cash_minor AS d FROM shifts x"
       "  WHERE x.store_id = $1::uuid AND x.status = 'closed' AND x.expected_cash_minor IS NOT NULL"
       "   AND x.counted_cash_minor IS NOT NULL"
       "   AND x.closed_at >= $2::timestamptz AND x.closed_at < $3::timestamptz"
       "   AND ($4 = '' OR x.till_id = NULLIF($4, '')::uuid)) sh JOIN users u ON u.id = sh.user_id"
       " GROUP BY GROUPING SETS ((sh.user_id), ())"
       " ORDER BY sh.user_id IS NULL, min(u.display_name), sh.user_id"},
      {"hist_store_currency", "SELECT currency FROM stores WHERE id = $1::uuid"},
      {"hist_sales_totals",
       "SELECT count(*), coalesce(sum(s.total_minor), 0)::text,"
       " coalesce(sum((SELECT sum(r.total_minor) FROM refunds r WHERE r.sale_id = s.id)), 0)::text"
       " FROM sales s" +
           kSaleFilter},
      {"hist_sale",
       "SELECT " + kSaleColumns +
           ", s.price_mode, s.subtotal_minor, s.discount_minor, s.tax_minor, s.rounding_minor, s.paid_minor,"
           " coalesce(" +
           iso("s.voided_at") +
           ", ''), coalesce(s.approved_by::text, ''), s.receipt_collision, array_to_string(s.flags, ',')" +
           kSaleFrom +
           " WHERE s.store_id = $1::uuid AND s.id = $2::uuid"
           "   AND ($3 = '' OR (s.user_id = NULLIF($3, '')::uuid AND s.occurred_at >= now() - $4 * interval '1 day'))"},
      {"hist_sale_lines",
       "SELECT l.line_no, coalesce(l.product_id::text, ''), l.name, coalesce(l.barcode, ''), l.unit, l.quantity_milli,"
       " l.unit_price_minor, l.discount_minor, l.tax_code, l.tax_kind, l.tax_rate_ppm, l.tax_minor, l.total_minor,"
       " coalesce((SELECT sum(rl.quantity_milli) FROM refund_lines rl WHERE rl.sale_line_id = l.id), 0)::bigint"
       " FROM sale_lines l WHERE l.sale_id = $1::uuid ORDER BY l.line_no"},
      {"hist_sale_payments",
       "SELECT tender, amount_minor, coalesce(reference, '') FROM payments WHERE sale_id = $1::uuid"
       " ORDER BY tender, amount_minor"},
      {"hist_sale_refunds",
       "SELECT r.id::text, " + iso("r.occurred_at") +
           ", r.till_id::text, r.user_id::text, u.display_name, coalesce(r.approved_by::text, ''),"
           " coalesce(r.shift_id::text, ''), r.reason, r.total_minor, r.tax_minor, array_to_string(r.flags, ',')"
           " FROM refunds r JOIN users u ON u.id = r.user_id WHERE r.sale_id = $1::uuid ORDER BY r.occurred_at, r.id"},
      {"hist_sale_refund_lines",
       "SELECT rl.refund_id::text, l.line_no, rl.quantity_milli, rl.amount_minor, rl.tax_minor FROM refund_lines rl"
       " JOIN sale_lines l ON l.id = rl.sale_line_id JOIN refunds r ON r.id = rl.refund_id"
       " WHERE r.sale_id = $1::uuid ORDER BY l.line_no"},
      {"hist_sale_refund_tenders",
       "SELECT t.refund_id::text, t.tender, t.amount_minor FROM refund_tenders t JOIN refunds r ON r.id = t.refund_id"
       " WHERE r.sale_id = $1::uuid ORDER BY t.tender"},
      {"hist_sale_flags",
       "SELECT f.op_id::text, f.kind, f.detail::text, " + iso("f.created_at") +
           ", a.resolved_at IS NOT NULL FROM op_flags f JOIN applied_ops a ON a.op_id = f.op_id"
           " WHERE f.sale_id = $1::uuid ORDER BY f.id"},
      // $1 store, [$2, $3) opening time, $4 till, $5 person, $6 status, ($7, $8) keyset, $9 limit.
      {"hist_shifts",
       "SELECT " + kShiftColumns +
           " WHERE sh.store_id = $1::uuid AND sh.opened_at >= $2::timestamptz AND sh.opened_at < $3::timestamptz"
           " AND ($4 = '' OR sh.till_id = NULLIF($4, '')::uuid) AND ($5 = '' OR sh.user_id = NULLIF($5, '')::uuid)"
           " AND ($6 = '' OR sh.status = $6) AND " +
           before("sh.opened_at", "sh.id", "$7", "$8") + " ORDER BY sh.opened_at DESC, sh.id DESC LIMIT $9"},
      {"hist_shift",
       "SELECT " + kShiftColumns + " WHERE sh.id = $2::uuid AND ($1 = '' OR sh.store_id = NULLIF($1, '')::uuid)"},
      {"hist_shift_cash_rounding", "SELECT cash_rounding_minor FROM settings WHERE store_id = $1::uuid"},
      {"hist_shift_sales",
       "SELECT a.payload::text FROM sales s JOIN applied_ops a ON a.op_id = s.op_id"
       " WHERE s.shift_id = $1::uuid AND s.status = 'completed' AND a.payload IS NOT NULL"
       " ORDER BY s.occurred_at, s.id"},
      {"hist_shift_refunds",
       "SELECT r.id::text, r.tax_minor, coalesce(t.tender, ''), coalesce(t.amount_minor, 0) FROM refunds r"
       " LEFT JOIN refund_tenders t ON t.refund_id = r.id WHERE r.shift_id = $1::uuid ORDER BY r.id, t.tender"},
      // Voids carry no shift: those the till recorded while the shift was open.
      {"hist_shift_voids",
       "SELECT count(*) FROM applied_ops a JOIN shifts sh ON sh.till_id = a.till_id"
       " WHERE sh.id = $1::uuid AND a.kind = 'void' AND a.status = 'applied' AND a.occurred_at >= sh.opened_at"
       "   AND (sh.closed_at IS NULL OR a.occurred_at <= sh.closed_at)"},
      {"hist_shift_cash",
       "SELECT kind, amount_minor, currency, reason FROM cash_movements WHERE shift_id = $1::uuid"
       " ORDER BY occurred_at, id"},
  };
  return all;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto p = text.find(sep, start);
    if (p == std::string::npos) p = text.size();
    out.push_back(text.substr(start, p - start));
    start = p + 1;
  }
  return out;
}

std::optional<std::int64_t> optional_int(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::int64_t>();
}

// "card:1000,cash:2000" -> tender sums (numeric text: never parsed into int64 here).
std::vector<TenderTotal> tender_sums(const std::string& text) {
  std::vector<TenderTotal> out;
  for (const auto& part : split(text, ',')) {
    const auto colon = part.find(':');
    if (colon == std::string::npos) continue;
    out.push_back(TenderTotal{part.substr(0, colon), AmountSum{part.substr(colon + 1)}});
  }
  return out;
}

SaleSummary read_summary(const pqxx::row& r) {
  SaleSummary s;
  s.id = r[0].as<std::string>();
  s.receipt_number = r[1].as<std::string>();
  s.created_at = r[2].as<std::string>();
  s.recorded_at = r[3].as<std::string>();
  s.till_id = r[4].as<std::string>();
  s.till_code = r[5].as<std::string>();
  s.user_id = r[6].as<std::string>();
  s.cashier_name = r[7].as<std::string>();
  s.shift_id = r[8].as<std::string>();
  s.total = r[9].as<std::int64_t>();
  s.currency = r[10].as<std::string>();
  s.change = r[11].as<std::int64_t>();
  s.tenders = tender_sums(r[12].as<std::string>());
  s.refunded_total = AmountSum{r[13].as<std::string>()};
  s.status = r[14].as<std::string>();
  s.flag_count = r[15].as<std::int64_t>();
  s.at_us = r[16].as<std::int64_t>();
  return s;
}

ShiftRow read_shift(const pqxx::row& r) {
  ShiftRow s;
  s.id = r[0].as<std::string>();
  s.store_id = r[1].as<std::string>();
  s.till_id = r[2].as<std::string>();
  s.till_code = r[3].as<std::string>();
  s.user_id = r[4].as<std::string>();
  s.user_name = r[5].as<std::string>();
  s.status = r[6].as<std::string>();
  s.currency = r[7].as<std::string>();
  s.opening_float = r[8].as<std::int64_t>();
  s.expected_cash = optional_int(r[9]);
  s.counted_cash = optional_int(r[10]);
  s.opened_at = r[11].as<std::string>();
  s.closed_at = r[12].as<std::string>();
  s.closed_by = r[13].as<std::string>();
  s.sale_count = r[14].as<std::int64_t>();
  s.sales_total = AmountSum{r[15].as<std::string>()};
  s.at_us = r[16].as<std::int64_t>();
  return s;
}

// [from, to) as timestamptz text, resolved in the store's time zone.
std::pair<std::string, std::string> resolve(pqxx::transaction_base& tx, const std::string& store_id,
                                            const TimeRange& range) {
  const TimeBound lo = range.from.value_or(TimeBound{"-infinity", true});
  const TimeBound hi = range.to.value_or(TimeBound{"infinity", true});
  const auto r = tx.exec_prepared1("hist_range", store_id, lo.text, lo.zoned, hi.text, hi.zoned, hi.inclusive,
                                   range.days_back);
  return {r[0].as<std::string>(), r[1].as<std::string>()};
}

std::string after_us(const std::optional<PageAfter>& a) {
  return a ? std::to_string(a->at_us) : std::string();
}

std::string after_id(const std::optional<PageAfter>& a) {
  return a ? a->id : std::string();
}

std::string refunded_text(const std::optional<bool>& r) {
  if (!r) return "";
  return *r ? "true" : "false";
}

// LIKE patterns for the text filter: a receipt-number prefix, a substring.
std::string like_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string upper(std::string text) {
  for (auto& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

using ReadTx = pqxx::read_transaction;

// The text filter's LIKE patterns: a receipt-number prefix, a substring.
std::pair<std::string, std::string> text_patterns(const std::string& text) {
  if (text.empty()) return {};
  return {like_escaped(upper(text)) + "%", "%" + like_escaped(text) + "%"};
}

// One page of `statement` (hist_sales or hist_sales_export): limit + 1 rows,
// the extra one only says there is more.
pqxx::result sales_page(ReadTx& tx, const char* statement, const SaleQuery& q, const std::string& lo,
                        const std::string& hi) {
  const auto [prefix, contains] = text_patterns(q.text);
  return tx.exec_prepared(statement, q.store_id, lo, hi, q.user_id, q.till_id, q.tender, refunded_text(q.refunded),
                          prefix, contains, after_us(q.after), after_id(q.after), q.limit + 1);
}


}  // namespace

std::optional<std::int64_t> AmountSum::value() const {
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(decimal.data(), decimal.data() + decimal.size(), v);
  if (ec != std::errc() || p != decimal.data() + decimal.size()) return std::nullopt;
  return v;
}

namespace history_sql {

void prepare(pqxx::connection_base& c) {
  for (const auto& s : statements()) c.prepare(s.name, s.sql);
}

std::optional<ShiftRow> shift_row(pqxx::transaction_base& tx, const std::string& store_id,
                                  const std::string& shift_id) {
  const auto r = tx.exec_prepared("hist_shift", store_id, shift_id);
  if (r.empty()) return std::nullopt;
  return read_shift(r[0]);
}

ShiftReportInputs shift_inputs(pqxx::transaction_base& tx, const ShiftRow& shift) {
  ShiftReportInputs in;
  in.shift = shift;
  const auto rounding = tx.exec_prepared("hist_shift_cash_rounding", shift.store_id);
  in.cash_rounding = rounding.empty() ? 0 : rounding[0][0].as<std::int64_t>();
  for (const auto& row : tx.exec_prepared("hist_shift_sales", shift.id)) in.sale_payloads.push_back(row[0].as<std::string>());
  std::string last;
  for (const auto& row : tx.exec_prepared("hist_shift_refunds", shift.id)) {
    if (row[0].as<std::string>() != last) {
      last = row[0].as<std::string>();
      in.refunds.push_back(ShiftRefundFact{row[1].as<std::int64_t>(), {}});
    }
    if (!row[2].as<std::string>().empty())
      in.refunds.back().tenders.push_back(TenderSum{row[2].as<std::string>(), row[3].as<std::int64_t>()});
  }
  in.void_count = tx.exec_prepared1("hist_shift_voids", shift.id)[0].as<std::int64_t>();
  for (const auto& row : tx.exec_prepared("hist_shift_cash", shift.id)) {
    in.cash_movements.push_back(ShiftCashFact{row[0].as<std::string>(), row[1].as<std::int64_t>(),
                                              row[2].as<std::string>(), row[3].as<std::string>()});
  }
  return in;
}

}  // namespace history_sql

SalePage list_sales(Pool& pool, const SaleQuery& q) {
  return pool.with_connection([&](pqxx::connection& c) {
    history_sql::prepare(c);
    ReadTx tx(c);
    limit_statement_time(tx);
    const auto [lo, hi] = resolve(tx, q.store_id, q.range);
    const auto [prefix, contains] = text_patterns(q.text);
    SalePage page;
    for (const auto& row : sales_page(tx, "hist_sales", q, lo, hi)) page.items.push_back(read_summary(row));
    if (page.items.size() > static_cast<std::size_t>(q.limit)) {
      page.items.pop_back();
      page.more = true;
    }
    const auto totals = tx.exec_prepared1("hist_sales_totals", q.store_id, lo, hi, q.user_id, q.till_id, q.tender,
                                          refunded_text(q.refunded), prefix, contains);
    page.count = totals[0].as<std::int64_t>();
    page.total = AmountSum{totals[1].as<std::string>()};
    page.refunded = AmountSum{totals[2].as<std::string>()};
    tx.commit();
    return page;
  });
}

std::optional<SaleDetail> get_sale(Pool& pool, const std::string& store_id, const std::string& sale_id,
                                   const std::string& own_user_id, int days_back) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<SaleDetail> {
    history_sql::prepare(c);
    ReadTx tx(c);
    limit_statement_time(tx);
    const auto head = tx.exec_prepared("hist_sale", store_id, sale_id, own_user_id, days_back);
    if (head.empty()) return std::nullopt;
    const auto& h = head[0];
    SaleDetail d;
    d.summary = read_summary(h);
    d.price_mode = h[17].as<std::string>();
    d.subtotal = h[18].as<std::int64_t>();
    d.discount = h[19].as<std::int64_t>();
    d.tax = h[20].as<std::int64_t>();
    d.rounding = h[21].as<std::int64_t>();
    d.paid = h[22].as<std::int64_t>();
    d.voided_at = h[23].as<std::string>();
    d.approved_by = h[24].as<std::string>();
    d.receipt_collision = h[25].as<bool>();
    d.flags = split(h[26].as<std::string>(), ',');
    for (const auto& r : tx.exec_prepared("hist_sale_lines", sale_id)) {
      d.lines.push_back(SaleLineInfo{r[0].as<int>(), r[1].as<std::string>(), r[2].as<std::string>(),
                                     r[3].as<std::string>(), r[4].as<std::string>(), r[5].as<std::int64_t>(),
                                     r[6].as<std::int64_t>(), r[7].as<std::int64_t>(), r[8].as<std::string>(),
                                     r[9].as<std::string>(), r[10].as<std::int64_t>(), r[11].as<std::int64_t>(),
                                     r[12].as<std::int64_t>(), r[13].as<std::int64_t>()});
    }
    for (const auto& r : tx.exec_prepared("hist_sale_payments", sale_id))
      d.payments.push_back(PaymentInfo{r[0].as<std::string>(), r[1].as<std::int64_t>(), r[2].as<std::string>()});
    for (const auto& r : tx.exec_prepared("hist_sale_refunds", sale_id)) {
      RefundInfo f;
      f.id = r[0].as<std::string>();
      f.created_at = r[1].as<std::string>();
      f.till_id = r[2].as<std::string>();
      f.user_id = r[3].as<std::string>();
      f.user_name = r[4].as<std::string>();
      f.approved_by = r[5].as<std::string>();
      f.shift_id = r[6].as<std::string>();
      f.reason = r[7].as<std::string>();
      f.total = r[8].as<std::int64_t>();
      f.tax = r[9].as<std::int64_t>();
      f.flags = split(r[10].as<std::string>(), ',');
      d.refunds.push_back(std::move(f));
    }
    auto refund = [&d](const std::string& id) -> RefundInfo* {
      for (auto& f : d.refunds)
        if (f.id == id) return &f;
      return nullptr;
    };
    for (const auto& r : tx.exec_prepared("hist_sale_refund_lines", sale_id)) {
      if (auto* f = refund(r[0].as<std::string>()))
        f->lines.push_back(RefundLineInfo{r[1].as<int>(), r[2].as<std::int64_t>(), r[3].as<std::int64_t>(),
                                          r[4].as<std::int64_t>()});
    }
    for (const auto& r : tx.exec_prepared("hist_sale_refund_tenders", sale_id)) {
      if (auto* f = refund(r[0].as<std::string>()))
        f->tenders.push_back(TenderSum{r[1].as<std::string>(), r[2].as<std::int64_t>()});
    }
    for (const auto& r : tx.exec_prepared("hist_sale_flags", sale_id)) {
      d.flag_rows.push_back(FlagInfo{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                                     r[3].as<std::string>(), r[4].as<bool>()});
    }
    tx.commit();
    return d;
  });
}

ShiftPage list_shifts(Pool& pool, const ShiftQuery& q) {
  return pool.with_connection([&](pqxx::connection& c) {
    history_sql::prepare(c);
    ReadTx tx(c);
    limit_statement_time(tx);
    const auto [lo, hi] = resolve(tx, q.store_id, q.range);
    ShiftPage page;
    for (const auto& row : tx.exec_prepared("hist_shifts", q.store_id, lo, hi, q.till_id, q.user_id, q.status,
                                            after_us(q.after), after_id(q.after), q.limit + 1))
      page.items.push_back(read_shift(row));
    if (page.items.size() > static_cast<std::size_t>(q.limit)) {
      page.items.pop_back();
      page.more = true;
    }
    tx.commit();
    return page;
  });
}

std::optional<ShiftReportInputs> shift_report_inputs(Pool& pool, const std::string& store_id,
                                                     const std::string& shift_id) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<ShiftReportInputs> {
    history_sql::prepare(c);
    // One snapshot: the report adds up one consistent state.
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);
    limit_statement_time(tx);
    auto shift = history_sql::shift_row(tx, store_id, shift_id);
    if (!shift) return std::nullopt;
    auto in = history_sql::shift_inputs(tx, *shift);
    tx.commit();
    return in;
  });
}

SaleExportPage export_sales(Pool& pool, const SaleQuery& q) {
  return pool.with_connection([&](pqxx::connection& c) {
    history_sql::prepare(c);
    ReadTx tx(c);
    limit_statement_time(tx);
    const auto [lo, hi] = resolve(tx, q.store_id, q.range);
    SaleExportPage page;
    for (const auto& row : sales_page(tx, "hist_sales_export", q, lo, hi)) {
      SaleExportRow r;
      r.summary = read_summary(row);
      r.tax = row[17].as<std::int64_t>();
      r.discount = row[18].as<std::int64_t>();
      r.flags = split(row[19].as<std::string>(), ',');
      page.rows.push_back(std::move(r));
    }
    if (page.rows.size() > static_cast<std::size_t>(q.limit)) {
      page.rows.pop_back();
      page.more = true;
    }
    tx.commit();
    return page;
  });
}

OverShortReport over_short(Pool& pool, const OverShortQuery& q) {
  return pool.with_connection([&](pqxx::connection& c) {
    history_sql::prepare(c);
    ReadTx tx(c);
    limit_statement_time(tx);
    const auto [lo, hi] = resolve(tx, q.store_id, q.range);
    OverShortReport report;
    const auto currency = tx.exec_prepared("hist_store_currency", q.store_id);
    if (!currency.empty()) report.currency = currency[0][0].as<std::string>();
    for (const auto& row : tx.exec_prepared("hist_over_short", q.store_id, lo, hi, q.till_id)) {
      OverShortRow r;
      r.user_id = row[0].is_null() ? std::string() : row[0].as<std::string>();
      r.user_name = row[0].is_null() ? std::string() : row[1].as<std::string>();
      r.shifts = row[2].as<std::int64_t>();
      r.over = AmountSum{row[3].as<std::string>()};
      r.short_ = AmountSum{row[4].as<std::string>()};
      r.net = AmountSum{row[5].as<std::string>()};
      r.expected = AmountSum{row[6].as<std::string>()};
      r.counted = AmountSum{row[7].as<std::string>()};
      if (row[0].is_null())
        report.total = std::move(r);
      else
        report.people.push_back(std::move(r));
    }
    tx.commit();
    return report;
  });
}

}  // namespace salespider::db
