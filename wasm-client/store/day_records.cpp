// Reading the till's own records back; see day_records.hpp.
#include "store/day_records.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace salespider::store {

namespace {

Result<std::vector<LocalOp>> ops(Statement& st) {
  std::vector<LocalOp> out;
  while (true) {
    Result<bool> row = st.step();
    if (!row) return row.error();
    if (!row.value()) break;
    out.push_back(LocalOp{st.text(0), st.text(1), st.int64(2), st.text(3), st.text(4)});
  }
  return out;
}

constexpr const char* kSaleColumns =
    "SELECT s.op_id, coalesce(s.receipt_no, ''), s.created_at, s.total_minor, "
    "s.user_id, s.payload, "
    "coalesce((SELECT sum(json_extract(r.payload, '$.total')) FROM local_ops r "
    "          WHERE r.kind = 'refund' AND r.ref = s.op_id), 0) "
    "FROM sales s ";

Result<std::vector<LocalSale>> sales(Statement& st) {
  std::vector<LocalSale> out;
  while (true) {
    Result<bool> row = st.step();
    if (!row) return row.error();
    if (!row.value()) break;
    out.push_back(LocalSale{st.text(0), st.text(1), st.int64(2), st.int64(3), st.text(4), st.text(5), st.int64(6)});
  }
  return out;
}

}  // namespace

Result<std::optional<LocalOp>> open_shift(Database& db) {
  Result<Statement> q = db.prepare(
      "SELECT o.op_id, o.kind, o.created_at, o.user_id, o.payload FROM local_ops o "
      "WHERE o.kind = 'shift_open' AND NOT EXISTS (SELECT 1 FROM local_ops c "
      "  WHERE c.shift_id = o.shift_id AND c.kind = 'shift_close') "
      "ORDER BY o.created_at DESC LIMIT 1");
  if (!q) return q.error();
  Result<std::vector<LocalOp>> found = ops(q.value());
  if (!found) return found.error();
  if (found.value().empty()) return std::optional<LocalOp>{};
  return std::optional<LocalOp>{std::move(found.value().front())};
}

Result<std::vector<LocalOp>> shift_ops(Database& db, std::string_view shift_id) {
  Result<Statement> q = db.prepare(
      "SELECT op_id, kind, created_at, user_id, payload FROM local_ops WHERE shift_id = ?1 "
      "ORDER BY created_at, op_id");
  if (!q) return q.error();
  q.value().bind(1, shift_id);
  return ops(q.value());
}

Result<std::vector<LocalSale>> shift_sales(Database& db, std::string_view shift_id) {
  Result<Statement> q = db.prepare(std::string(kSaleColumns) + "WHERE s.shift_id = ?1 ORDER BY s.created_at, s.op_id");
  if (!q) return q.error();
  q.value().bind(1, shift_id);
  return sales(q.value());
}

namespace {

// The filters of LocalSalesQuery as one WHERE clause, parameters ?1..?8
// (bind_filters); the page cursor is ?9/?10. receipt_no is upper case
// ("SP3-000128"); the range keeps it on the index of created_at plus cheap
// filters, as a till's history is small. A tender matches when any payment
// of the sale's payload has that kind.
constexpr const char* kSalesFilter =
    "WHERE (?1 = '' OR substr(coalesce(s.receipt_no, ''), 1, length(?1)) = ?1) "
    "  AND (?2 = 0 OR EXISTS (SELECT 1 FROM local_ops r WHERE r.kind = 'refund' AND r.ref = s.op_id)) "
    "  AND s.created_at >= ?3 AND s.created_at < ?4 "
    "  AND (?5 = '' OR EXISTS (SELECT 1 FROM json_each(s.payload, '$.payments') p "
    "                          WHERE json_extract(p.value, '$.kind') = ?5)) "
    "  AND (?6 = '' OR s.user_id = ?6) ";

void bind_filters(Statement& st, const LocalSalesQuery& in) {
  std::string prefix = in.text.substr(0, 64);
  for (char& c : prefix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  st.bind(1, prefix)
      .bind(2, static_cast<std::int64_t>(in.refunded_only ? 1 : 0))
      .bind(3, in.from_ms)
      .bind(4, in.to_ms)
      .bind(5, in.tender)
      .bind(6, in.user_id);
}

}  // namespace

Result<std::vector<LocalSale>> local_sales(Database& db, const LocalSalesQuery& in) {
  const int limit = std::clamp(in.limit, 1, 200);
  Result<Statement> q = db.prepare(std::string(kSaleColumns) + kSalesFilter +
                                   "  AND (?7 = 0 OR s.created_at < ?7 OR (s.created_at = ?7 AND s.op_id < ?8)) "
                                   "ORDER BY s.created_at DESC, s.op_id DESC LIMIT ?9");
  if (!q) return q.error();
  bind_filters(q.value(), in);
  q.value().bind(7, in.before_ms).bind(8, in.before_op).bind(9, static_cast<std::int64_t>(limit));
  return sales(q.value());
}

Result<LocalSalesTotals> local_sales_totals(Database& db, const LocalSalesQuery& in) {
  Result<Statement> q = db.prepare(
      std::string("SELECT count(*), coalesce(sum(s.total_minor), 0), "
                  "coalesce(sum((SELECT sum(json_extract(r.payload, '$.total')) FROM local_ops r "
                  "              WHERE r.kind = 'refund' AND r.ref = s.op_id)), 0) FROM sales s ") +
      kSalesFilter);
  if (!q) return q.error();
  bind_filters(q.value(), in);
  Result<bool> row = q.value().step();
  if (!row) return row.error();
  LocalSalesTotals t;
  if (row.value()) t = LocalSalesTotals{q.value().int64(0), q.value().int64(1), q.value().int64(2)};
  return t;
}

Result<std::vector<std::string>> local_sellers(Database& db) {
  Result<Statement> q = db.prepare(
      "SELECT user_id FROM sales WHERE coalesce(user_id, '') <> '' GROUP BY user_id ORDER BY max(created_at) DESC");
  if (!q) return q.error();
  std::vector<std::string> out;
  while (true) {
    Result<bool> row = q.value().step();
    if (!row) return row.error();
    if (!row.value()) break;
    out.push_back(q.value().text(0));
  }
  return out;
}

Result<std::optional<LocalSale>> local_sale(Database& db, std::string_view op_id) {
  Result<Statement> q = db.prepare(std::string(kSaleColumns) + "WHERE s.op_id = ?1");
  if (!q) return q.error();
  q.value().bind(1, op_id);
  Result<std::vector<LocalSale>> found = sales(q.value());
  if (!found) return found.error();
  if (found.value().empty()) return std::optional<LocalSale>{};
  return std::optional<LocalSale>{std::move(found.value().front())};
}

Result<std::int64_t> voids_between(Database& db, std::int64_t from_ms, std::int64_t to_ms) {
  Result<Statement> q = db.prepare(
      "SELECT count(*) FROM local_ops WHERE kind = 'void' AND created_at >= ?1 AND (?2 = 0 OR created_at < ?2)");
  if (!q) return q.error();
  q.value().bind(1, from_ms).bind(2, to_ms);
  Result<bool> row = q.value().step();
  if (!row) return row.error();
  return row.value() ? q.value().int64(0) : std::int64_t{0};
}

Result<std::vector<LocalOp>> refunds_of(Database& db, std::string_view sale_op_id) {
  Result<Statement> q = db.prepare(
      "SELECT op_id, kind, created_at, user_id, payload FROM local_ops WHERE kind = 'refund' AND ref = ?1 "
      "ORDER BY created_at, op_id");
  if (!q) return q.error();
  q.value().bind(1, sale_op_id);
  return ops(q.value());
}

}  // namespace salespider::store
