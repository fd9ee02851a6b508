// A store behind a real server on a loopback port, for the tests that go
// through HTTP like a till and a manager do: the product's own route
// registry over a throw-away database, a cashier and a manager, an enrolled
// till with its credential, one taxed product, real offline grants, and
// builders for ops made exactly as a till makes them (shared/'s
// compute_sale and encoders). Used by sync_http_test.cpp and the history
// and approval tests.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <random>

#include "auth_test_support.hpp"
#include "db/catalog.hpp"
#include "http/routes.hpp"
#include "http_test_support.hpp"
#include "salespider/shared/codec.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/payloads.hpp"

namespace salespider::test {

inline std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class StoreOverHttp {
 public:
  StoreOverHttp() {
    cashier_ = w_.add_user(auth::Role::cashier, "cashier1");
    manager_ = w_.add_user(auth::Role::manager, "manager1");
    till_ = w_.add_till("Front");
    const auto store = db::catalog::store(w_.pool());
    const auto vat = db::catalog::add_tax_rate(w_.pool(), store.id, "VAT", "standard", 75000, "VAT");
    db::catalog::NewProduct p;
    p.name = "Rice";
    p.sku = "RICE-1KG";
    p.tax_rate_id = vat;
    p.price_minor = 1000;
    p.currency = store.currency;
    p.barcodes = {"2000000000017"};
    p.price_from_ms = 1'600'000'000'000;
    product_ = db::catalog::add_product(w_.pool(), store.id, p);
    currency_ = store.currency;
    registry_ = std::make_shared<http::RouteRegistry>();
    http::register_api_routes(*registry_, w_.services());
    auto authenticator = std::make_shared<http::Authenticator>(http::authenticator_for(w_.services()));
    server_ = std::make_unique<RunningServer>(test_config(),
                                              [&](http::HttpServer& s) { s.set_api(registry_, authenticator); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->http_port());
    grant_ = grant_for(cashier_, till_);
  }

  // A real offline grant, from an online login on that till (so the server
  // has a record of issuing it).
  service::IssuedGrant issue_grant(const service::UserView& who, const service::EnrolledTill& till) {
    auto login = w_.login(who.username, kGoodPassword, till.till);
    EXPECT_TRUE(login.ok() && login->grant) << who.username;
    return login.ok() && login->grant ? *login->grant : service::IssuedGrant{};
  }
  std::string grant_for(const service::UserView& who, const service::EnrolledTill& till) {
    return issue_grant(who, till).token;
  }

  CartLine rice(std::int64_t units = 1, std::int64_t unit_price = 1000, std::vector<Discount> discounts = {}) const {
    CartLine l;
    l.product_id = product_;
    l.name = "Rice";
    l.unit_price = unit_price;
    l.quantity = Quantity{units * 1000};
    l.tax = TaxRate{"VAT", TaxKind::standard, 75000};
    l.discounts = std::move(discounts);
    return l;
  }

  // A sale of `lines`; no payments given: paid exactly by card.
  SalePayload sale_payload(std::int64_t seq, std::vector<CartLine> lines, std::vector<Payment> payments = {}) const {
    SalePayload p;
    p.receipt_number = *format_receipt_number({till_.till.till_code, seq});
    p.cart.currency = *find_currency(currency_);
    p.cart.lines = std::move(lines);
    p.total = compute_sale(p.cart)->totals.total;
    p.payments = payments.empty() ? std::vector<Payment>{{TenderKind::card, p.total, "slip"}} : std::move(payments);
    return p;
  }

  std::string new_id() { return ids_.next().to_string(); }

  // An op by the cashier under the cashier's grant, made now.
  Op op(OpKind kind, std::string payload, std::int64_t created_at = 0) {
    Op o;
    o.op_id = ids_.next().to_string();
    o.till_id = till_.till.till_id;
    o.kind = kind;
    o.created_at = created_at ? created_at : now_ms();
    o.user_id = cashier_.id;
    o.grant = grant_;
    o.payload = std::move(payload);
    return o;
  }

  Op sale(std::int64_t seq, std::int64_t unit_price, std::vector<Discount> discounts = {}) {
    return op(OpKind::sale, *encode_sale_payload(sale_payload(seq, {rice(1, unit_price, std::move(discounts))})));
  }

  std::string batch(std::vector<Op> ops, std::int64_t version = kProtocolVersion) {
    PushBatch b;
    b.till_id = till_.till.till_id;
    b.ops = std::move(ops);
    auto text = *encode_push_batch(b);
    if (version != kProtocolVersion) {
      const std::string from = "\"protocol_version\":" + std::to_string(kProtocolVersion);
      text.replace(text.find(from), from.size(), "\"protocol_version\":" + std::to_string(version));
    }
    return text;
  }

  // Pushes through POST /api/v1/sync/push with the till's credential.
  PushResponse push(std::vector<Op> ops) {
    auto r = client_->Post("/api/v1/sync/push", till_headers(), batch(std::move(ops)), "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : std::string("no answer"));
    if (!r || r->status != 200) return {};
    auto response = decode_push_response(r->body);
    EXPECT_TRUE(response.ok()) << r->body;
    return response.ok() ? *response : PushResponse{};
  }

  httplib::Headers till_headers() {
    return {{"Authorization", "Bearer " + till_.credential}, {"X-Till-Outbox-Depth", "2"},
            {"X-Till-App-Version", "0.5.0"}, {"X-Till-Time", std::to_string(now_ms())}};
  }
  httplib::Headers headers_of(const std::string& login) {
    return {{"Authorization", "Bearer " + w_.login(login, kGoodPassword)->token}};
  }
  httplib::Headers manager_headers() { return headers_of("manager1"); }

  AuthWorld w_;
  service::UserView cashier_;
  service::UserView manager_;
  service::EnrolledTill till_;
  std::string product_;
  std::string currency_;
  std::string grant_;
  std::shared_ptr<http::RouteRegistry> registry_;
  std::unique_ptr<RunningServer> server_;
  std::unique_ptr<httplib::Client> client_;

 private:
  std::mt19937_64 rng_{5};
  UuidV7Generator ids_{[] { return now_ms(); }, [this] { return rng_(); }};
};

}  // namespace salespider::test
