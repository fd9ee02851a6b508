// GET /api/v1/sales/export over real HTTP: 450 sales on two tills and two
// cashiers, in several tenders, with refunds, go in through
// POST /api/v1/sync/push as tills send them; the CSV read back holds exactly
// the sales of GET /api/v1/sales followed over all its pages with the same
// filters (the export reading 100-row pages, so it crosses several), its
// amounts add up to the list's totals, it is audited, a cashier may not
// export, the cashier's scope is their own, text is formula-guarded, and a
// failure part way cuts the transfer instead of ending a short file.
#include <algorithm>
#include <map>
#include <set>

#include "service/csv.hpp"
#include "service/history.hpp"
#include "service/sales_export.hpp"
#include "store_http_support.hpp"

using nlohmann::json;
using salespider::test::now_ms;

namespace sp = salespider;
namespace csv = salespider::service::csv;

namespace {

constexpr std::int64_t kStart = 1709287200000;  // 2024-03-01T10:00Z
constexpr std::int64_t kStep = 10 * 60'000;      // a sale every 10 minutes: 450 over ~3 days
constexpr int kSales = 450;

struct Csv {
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
};

// "12.50" -> 1250 (two minor digits: the test store's currency).
std::int64_t minor_of(const std::string& text) {
  const auto point = text.find('.');
  EXPECT_NE(point, std::string::npos) << text;
  EXPECT_EQ(text.size() - point, 3u) << text;
  std::string digits = text;
  digits.erase(point, 1);
  return std::stoll(digits);
}

class SalesExport : public ::testing::Test, protected sp::test::StoreOverHttp {
 protected:
  SalesExport() { sp::service::sales_export::set_page_rows_for_tests(100); }
  ~SalesExport() override { sp::service::sales_export::set_page_rows_for_tests(0); }

  const httplib::Headers& manager() {
    if (manager_headers_.empty()) manager_headers_ = manager_headers();
    return manager_headers_;
  }

  json get(const std::string& path, const httplib::Headers& headers, int status = 200) {
    auto r = client_->Get(path.c_str(), headers);
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    EXPECT_EQ(r->status, status) << path << " -> " << r->body;
    return json::parse(r->body, nullptr, false);
  }

  // Every item of GET /api/v1/sales?query followed page by page, and the totals.
  std::pair<std::vector<json>, json> list_all(const std::string& query) {
    std::vector<json> items;
    json totals;
    std::string cursor;
    for (int guard = 0; guard < 100; ++guard) {
      auto page = get("/api/v1/sales?limit=200&" + query + (cursor.empty() ? "" : "&cursor=" + cursor), manager());
      totals = page["totals"];
      for (const auto& item : page["items"]) items.push_back(item);
      if (page["next_cursor"].is_null()) break;
      cursor = page["next_cursor"].get<std::string>();
    }
    return {items, totals};
  }

  Csv parse(const std::string& body) {
    const auto table = csv::read_csv(csv::strip_bom(body));
    EXPECT_TRUE(table.errors.empty()) << (table.errors.empty() ? "" : table.errors[0].message);
    Csv out;
    if (table.records.empty()) return out;
    out.header = table.records[0].fields;
    for (std::size_t k = 1; k < table.records.size(); ++k) {
      std::map<std::string, std::string> row;
      for (std::size_t c = 0; c < out.header.size() && c < table.records[k].fields.size(); ++c)
        row[out.header[c]] = table.records[k].fields[c];
      out.rows.push_back(std::move(row));
    }
    return out;
  }

  // The file of GET /api/v1/sales/export?query; its Content-Disposition and raw body when asked.
  Csv export_csv(const std::string& query, std::string* disposition = nullptr, std::string* body = nullptr) {
    auto r = client_->Get(("/api/v1/sales/export?" + query).c_str(), manager());
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv; charset=utf-8");
    auto out = parse(r->body);
    if (disposition) *disposition = r->get_header_value("Content-Disposition");
    if (body) *body = r->body;
    return out;
  }

  sp::Op dated(sp::Op o, std::int64_t at, const std::string& user) {
    o.created_at = at;
    o.user_id = user;
    o.grant.clear();  // years back: no grant is valid, the sale is kept and flagged
    return o;
  }

  // Pushes `ops` as `till` (its credential) and expects every one applied.
  void push_as(const sp::service::EnrolledTill& till, std::vector<sp::Op> ops) {
    for (auto& o : ops) o.till_id = till.till.till_id;
    sp::PushBatch b;
    b.till_id = till.till.till_id;
    b.ops = std::move(ops);
    auto headers = till_headers();
    headers.erase("Authorization");
    headers.emplace("Authorization", "Bearer " + till.credential);
    auto r = client_->Post("/api/v1/sync/push", headers, *sp::encode_push_batch(b), "application/json");
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : std::string("no answer"));
    const auto response = sp::decode_push_response(r->body);
    ASSERT_TRUE(response.ok()) << r->body;
    for (const auto& res : response->results)
      EXPECT_EQ(res.status, sp::OpStatus::applied) << res.code << " " << res.message;
  }

  // 450 sales: every third on the back till, every other by cashier2, in
  // card, cash with change, mobile money and card + cash; two refunded, and
  // a void (of a sale never completed: in no list and no export).
  void seed() {
    cashier2_ = w_.add_user(sp::auth::Role::cashier, "cashier2");
    back_ = w_.add_till("Back");
    std::vector<sp::Op> front, back;
    std::int64_t front_seq = 0, back_seq = 0;
    for (int i = 0; i < kSales; ++i) {
      const bool on_back = i % 3 == 0;
      const auto& till = on_back ? back_ : till_;
      const std::int64_t seq = on_back ? ++back_seq : ++front_seq;
      auto p = sale_payload(seq, {rice(i % 3 + 1, 1000 + i)});
      p.receipt_number = *sp::format_receipt_number({till.till.till_code, seq});
      const auto total = p.total;
      switch (i % 4) {
        case 0: p.payments = {{sp::TenderKind::card, total, "slip"}}; break;
        case 1: p.payments = {{sp::TenderKind::cash, (total / 1000 + 1) * 1000, ""}}; break;
        case 2: p.payments = {{sp::TenderKind::mobile_money, total, "ref"}}; break;
        default: p.payments = {{sp::TenderKind::card, 500, "slip"}, {sp::TenderKind::cash, total - 500, ""}}; break;
      }
      auto o = dated(op(sp::OpKind::sale, *sp::encode_sale_payload(p)), kStart + i * kStep,
                     i % 2 ? cashier2_.id : cashier_.id);
      sales_.push_back(o);
      (on_back ? back : front).push_back(o);
    }
    push_as(till_, front);
    push_as(back_, back);
    for (int i : {7, 10}) {
      sp::RefundPayload r;
      r.sale_op_id = sales_[static_cast<std::size_t>(i)].op_id;
      r.lines.push_back({0, sp::Quantity{1000}});
      r.reason = "damaged";
      r.total = 1000 + i;
      r.tenders = {{sp::TenderKind::cash, 1000 + i, ""}};
      refunds_.push_back(dated(op(sp::OpKind::refund, *sp::encode_refund_payload(r)), kStart + kSales * kStep, manager_.id));
    }
    sp::VoidPayload v;
    v.sale_id = new_id();
    v.reason = "customer left";
    void_sale_ = v.sale_id;
    auto ops = refunds_;
    ops.push_back(dated(op(sp::OpKind::void_sale, *sp::encode_void_payload(v)), kStart + 5 * kStep, manager_.id));
    push_as(till_, ops);
  }

  httplib::Headers manager_headers_;
  sp::service::UserView cashier2_;
  sp::service::EnrolledTill back_;
  std::vector<sp::Op> sales_;
  std::vector<sp::Op> refunds_;
  std::string void_sale_;
};

std::multiset<std::string> receipts_of(const std::vector<json>& items) {
  std::multiset<std::string> out;
  for (const auto& i : items) out.insert(i["receipt_number"].get<std::string>());
  return out;
}

std::multiset<std::string> receipts_of(const Csv& file) {
  std::multiset<std::string> out;
  for (const auto& r : file.rows) out.insert(r.at("receipt_number"));
  return out;
}

TEST_F(SalesExport, TheFileHoldsExactlyTheListsSalesOverAllPagesAndAddsUpToItsTotals) {
  seed();
  const auto [items, totals] = list_all("");
  ASSERT_EQ(items.size(), static_cast<std::size_t>(kSales));
  std::string disposition;
  const auto file = export_csv("", &disposition);
  EXPECT_EQ(file.header,
            (std::vector<std::string>{"receipt_number", "occurred_at", "recorded_at", "till", "cashier", "status", "total",
                                      "tax", "discount", "refunded", "cash", "card", "bank_transfer", "mobile_money",
                                      "other", "currency", "flags"}));
  EXPECT_EQ(disposition, "attachment; filename=\"sales-start-end.csv\"");
  ASSERT_EQ(file.rows.size(), static_cast<std::size_t>(kSales)) << "five export pages, nothing cut or repeated";
  const auto receipts = receipts_of(file);
  EXPECT_EQ(std::set<std::string>(receipts.begin(), receipts.end()).size(), receipts.size()) << "no duplicates";
  EXPECT_EQ(receipts, receipts_of(items));

  std::int64_t total = 0, refunded = 0, tenders = 0;
  std::map<std::string, std::string> status;
  for (const auto& row : file.rows) {
    total += minor_of(row.at("total"));
    refunded += minor_of(row.at("refunded"));
    tenders += minor_of(row.at("cash")) + minor_of(row.at("card")) + minor_of(row.at("mobile_money")) +
               minor_of(row.at("bank_transfer")) + minor_of(row.at("other"));
    status[row.at("receipt_number")] = row.at("status");
    EXPECT_EQ(row.at("currency"), currency_);
  }
  EXPECT_EQ(total, totals["total"].get<std::int64_t>());
  EXPECT_EQ(refunded, totals["refunded"].get<std::int64_t>());
  EXPECT_EQ(std::to_string(refunded), w_.sql_value("SELECT sum(total_minor) FROM refunds"));
  EXPECT_GT(refunded, 0);
  EXPECT_EQ(tenders, total) << "cash is what the drawer kept: handed over less change";
  EXPECT_EQ(std::to_string(total), w_.sql_value("SELECT sum(total_minor) FROM sales"));
  EXPECT_EQ(std::to_string(tenders),
            w_.sql_value("SELECT (SELECT sum(amount_minor) FROM payments) - (SELECT sum(change_minor) FROM sales)"));
  for (const auto& item : items)
    EXPECT_EQ(status[item["receipt_number"].get<std::string>()], item["status"].get<std::string>());

  // The row of one sale, worked out by hand: sale 1 (front till, cashier2,
  // 2 x 10.01 with 7.5% VAT included, cash 30.00 handed over).
  const auto& s1 = *std::find_if(file.rows.begin(), file.rows.end(), [&](const auto& row) {
    return row.at("receipt_number") == till_.till.till_code + "-000001";
  });
  EXPECT_EQ(s1.at("total"), "20.02");
  EXPECT_EQ(s1.at("cash"), "20.02");
  EXPECT_EQ(s1.at("card"), "0.00");
  EXPECT_EQ(s1.at("cashier"), cashier2_.display_name);
  EXPECT_EQ(s1.at("till"), till_.till.till_code);
  EXPECT_EQ(s1.at("occurred_at"), "2024-03-01T10:10:00.000Z");
  EXPECT_EQ(s1.at("tax"), "1.40");
  EXPECT_NE(s1.at("flags").find("grant_problem"), std::string::npos) << s1.at("flags");

  // Audited with the filters and the row count, after the last row.
  EXPECT_EQ(w_.sql_value("SELECT detail->>'rows' FROM audit_log WHERE action = 'sales.export'"), "450");
  EXPECT_EQ(w_.sql_value("SELECT detail->'filters'->>'scope' FROM audit_log WHERE action = 'sales.export'"), "all");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'sales.export' AND detail ? 'complete'"), "0");
}

TEST_F(SalesExport, EveryFilterNarrowsTheFileAsItNarrowsTheList) {
  seed();
  const std::string filters[] = {
      "tender=cash",
      "tender=mobile_money",
      "cashier=" + cashier2_.id,
      "till=" + back_.till.till_id,
      "from=2024-03-02&to=2024-03-02",
      "from=2024-03-01T12:00:00Z&to=2024-03-02T01:00:00Z",
      "q=" + back_.till.till_code + "-00001",
      "refunded=true",
      "tender=card&cashier=" + cashier_.id + "&till=" + till_.till.till_id,
      "cursor=1709287200000000.0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6001&limit=3",  // ignored by the export
  };
  for (const auto& f : filters) {
    const bool paging = f.rfind("cursor=", 0) == 0;
    const auto [items, totals] = list_all(paging ? "" : f);
    const auto file = export_csv(f);
    EXPECT_EQ(receipts_of(file), receipts_of(items)) << f;
    EXPECT_EQ(file.rows.size(), totals["count"].get<std::size_t>()) << f;
    if (!paging) {
      EXPECT_LT(file.rows.size(), static_cast<std::size_t>(kSales)) << f << " narrows";
    }
    EXPECT_GT(file.rows.size(), 0u) << f;
    std::int64_t total = 0;
    for (const auto& row : file.rows) total += minor_of(row.at("total"));
    EXPECT_EQ(total, totals["total"].get<std::int64_t>()) << f;
  }
  // Dates are the store's: in Lagos (UTC+1) 2024-03-02 starts at 23:00 UTC on the 1st.
  w_.sql("UPDATE settings SET time_zone = 'Africa/Lagos'");
  const auto [items, totals] = list_all("from=2024-03-02&to=2024-03-02");
  const auto file = export_csv("from=2024-03-02&to=2024-03-02");
  EXPECT_EQ(receipts_of(file), receipts_of(items));
  EXPECT_EQ(file.rows.size(), 144u) << "23:00 UTC on the 1st to 23:00 UTC on the 2nd, a sale each 10 minutes";
  // The bad values of the list are the export's too.
  EXPECT_EQ(get("/api/v1/sales/export?tender=cheque", manager(), 400)["error"]["field"], "tender");
  EXPECT_EQ(get("/api/v1/sales/export?from=2024-02-30", manager(), 400)["error"]["field"], "from");
}

TEST_F(SalesExport, ACashierMayNotExportAndTheCashiersScopeIsTheirOwnRecentSales) {
  cashier2_ = w_.add_user(sp::auth::Role::cashier, "cashier2");
  auto forbidden = get("/api/v1/sales/export", headers_of("cashier1"), 403);
  EXPECT_EQ(forbidden["error"]["code"], "forbidden");

  // No role has export_data without view_all_sales today; the scope is the
  // list's all the same, checked on the service a route calls.
  auto old = sale(1, 1000);
  old.created_at = kStart;
  old.grant.clear();
  auto theirs = sale(2, 1000);
  theirs.user_id = cashier2_.id;
  theirs.grant.clear();
  auto mine = sale(3, 1000);
  push({old, theirs, mine});
  sp::auth::UserPrincipal who;
  who.user_id = cashier_.id;
  who.store_id = w_.store();
  who.role = sp::auth::Role::cashier;
  sp::service::HistoryService history(w_.pool(), w_.services().audit());
  auto plan = history.sales_export(who, {});
  ASSERT_TRUE(plan);
  EXPECT_TRUE(plan->own_only);
  EXPECT_EQ(plan->filters["scope"], "own");
  const auto page = sp::service::sales_export::next_page(w_.pool(), plan->query);
  EXPECT_EQ(page.rows, 1);
  EXPECT_NE(page.csv.find(till_.till.till_code + "-000003"), std::string::npos) << page.csv;
  sp::service::SalesRequest other;
  other.cashier = cashier2_.id;
  EXPECT_FALSE(history.sales_export(who, other));
}

TEST_F(SalesExport, FormulaLikeTextIsGuardedAndReadsBackAsItWas) {
  seed();
  w_.tamper("UPDATE users SET display_name = '=HYPERLINK(\"http://x\",\"pay\")' WHERE id = '" + cashier2_.id + "'");
  std::string body;
  const auto file = export_csv("cashier=" + cashier2_.id, nullptr, &body);
  ASSERT_EQ(file.rows.size(), static_cast<std::size_t>(kSales / 2));
  EXPECT_EQ(file.rows[0].at("cashier"), "'=HYPERLINK(\"http://x\",\"pay\")");
  EXPECT_EQ(csv::unguard(file.rows[0].at("cashier")), "=HYPERLINK(\"http://x\",\"pay\")");
  EXPECT_NE(body.find("\"'=HYPERLINK(\"\"http://x\"\",\"\"pay\"\")\""), std::string::npos)
      << "quoted as RFC 4180 says";
}

TEST_F(SalesExport, AFailurePartWayCutsTheTransferAndIsAuditedIncomplete) {
  seed();
  // A row the writer cannot write, on the export's third page (newest first).
  w_.tamper("UPDATE sales SET currency = 'ZZZ' WHERE id = '" + sales_[kSales - 250].op_id + "'");
  std::string received;
  auto r = client_->Get("/api/v1/sales/export", manager(),
                        [&](const char* data, std::size_t n) {
                          received.append(data, n);
                          return true;
                        });
  EXPECT_FALSE(r && r->status == 200 && r.error() == httplib::Error::Success)
      << "the client sees a broken transfer, not a complete file";
  EXPECT_GE(received.size(), 0u);
  const auto lines = static_cast<std::size_t>(std::count(received.begin(), received.end(), '\n'));
  EXPECT_LT(lines, static_cast<std::size_t>(kSales)) << "never the whole set";
  EXPECT_EQ(w_.sql_value("SELECT detail->>'complete' FROM audit_log WHERE action = 'sales.export'"), "false");
  EXPECT_EQ(w_.sql_value("SELECT detail->>'rows' FROM audit_log WHERE action = 'sales.export'"), "200")
      << "the two pages that left";
}

}  // namespace
