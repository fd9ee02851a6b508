// What the sync tests share: a store on the fake IndexedDB, a fake HTTP
// server the test answers, a clock the test moves, and builders for the
// server's answers (encoded with shared/'s codec, as the server does).
#pragma once

#include "fake_backend.hpp"
#include "fake_http.hpp"
#include "salespider/shared/codec.hpp"
#include "store/store.hpp"
#include "sync/sync_engine.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace salespider::sync::testing {

inline const std::string kTillId = "0190f3a0-1111-4000-8000-000000000001";
inline const std::string kUserId = "0190f3a0-2222-4000-8000-000000000002";

inline std::string op_id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0190f3a0-0000-7000-8000-%012d", n);
  return buf;
}

inline std::string product_id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0190f3a0-3333-4000-8000-%012d", n);
  return buf;
}

struct TestClock {
  std::int64_t wall = 1'732'540'000'000;
  double mono = 1'000;
  double step = 0;  // added to mono on every read: makes work "take time"
  SyncClock clock() {
    return SyncClock{[this] { return wall; }, [this] {
                       mono += step;
                       return mono;
                     }};
  }
  void advance(double ms) {
    mono += ms;
    wall += static_cast<std::int64_t>(ms);
  }
};

// A product as the server's sync_rows view writes it (0003_sync.sql).
inline std::string product_data(const std::string& name, std::int64_t price, const std::string& sku = "",
                                std::vector<std::string> barcodes = {}) {
  std::string codes = "[";
  for (std::size_t i = 0; i < barcodes.size(); ++i) codes += (i ? ",\"" : "\"") + barcodes[i] + "\"";
  codes += "]";
  return R"({"barcodes":)" + codes +
         R"(,"category_id":null,"currency":"NGN","description":"","is_active":true,"name":")" + name +
         R"(","price_minor":)" + std::to_string(price) +
         R"(,"reorder_level_milli":null,"sku":)" + (sku.empty() ? std::string("null") : "\"" + sku + "\"") +
         R"(,"tax_rate_id":"0190f3a0-4444-4000-8000-000000000001","track_stock":true,"unit":"each"})";
}

inline Change upsert(std::string entity, std::string id, std::int64_t version, std::string data) {
  return Change{std::move(entity), std::move(id), version, false, std::move(data)};
}
inline Change tombstone(std::string entity, std::string id, std::int64_t version) {
  return Change{std::move(entity), std::move(id), version, true, ""};
}

inline std::string page_body(std::vector<Change> changes, std::string next_cursor, std::int64_t remaining) {
  PullPage page;
  page.changes = std::move(changes);
  page.next_cursor = std::move(next_cursor);
  page.remaining = remaining;
  auto text = encode_pull_page(page);
  EXPECT_TRUE(text.ok()) << (text.ok() ? "" : text.error().context);
  return text.ok() ? text.value() : std::string();
}

inline std::string empty_page(const std::string& cursor) {
  return page_body({}, cursor, 0);
}

inline std::string push_answer(const std::vector<OpResult>& results) {
  PushResponse r;
  r.results = results;
  auto text = encode_push_response(r);
  EXPECT_TRUE(text.ok()) << (text.ok() ? "" : text.error().context);
  return text.ok() ? text.value() : std::string();
}

inline std::string error_body(const std::string& code, const std::string& message) {
  return R"({"error":{"code":")" + code + R"(","message":")" + message + R"(","request_id":"r1"}})";
}

struct SyncRig {
  store::testing::FakeIndexedDb idb;
  TestClock clock;
  FakeHttp http;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<SyncEngine> engine;
  int changes_seen = 0;

  explicit SyncRig(bool enrolled = true) {
    store::OpenInput in;
    in.now_ms = [this] { return clock.wall; };
    in.wall_ms = [this] { return clock.wall; };
    auto s = store::Store::open(std::move(in), idb);
    EXPECT_TRUE(s.ok());
    store = std::move(s).value();
    idb.complete_all(*store);
    engine = std::make_unique<SyncEngine>(*store, http, clock.clock(), "0.1.0-test");
    engine->on_change = [this] { ++changes_seen; };
    if (enrolled) engine->set_identity(TillIdentity{kTillId, "SP3", "spt_secret"});
  }

  // Records an op and lets its journal write complete (it is then pending).
  void record(int n, const std::string& payload = R"({"total_minor":100,"currency":"NGN"})") {
    store::OpInput op;
    op.op_id = op_id(n);
    op.till_id = kTillId;
    op.kind = "sale";
    op.created_at = clock.wall - 5000;
    op.user_id = kUserId;
    op.payload = payload;
    op.takes_receipt = true;
    auto t = store->record_op(std::move(op), nullptr);
    ASSERT_TRUE(t.ok()) << t.error().context;
    idb.complete_all(*store);
  }

  void tick(double budget = 1000) { engine->tick(budget); }

  // Answers the pull with empty pages until no pull is outstanding.
  void finish_pull(const std::string& cursor = "f1.100.0") {
    for (int guard = 0; guard < 100; ++guard) {
      tick();
      if (!http.answer("/api/v1/sync/pull", 200, empty_page(cursor))) break;
    }
    tick();
  }

  std::int64_t count(const char* sql) { return store->db().query_int(sql).value().value_or(-1); }
  std::string cursor() {
    auto st = store->db().prepare("SELECT cursor FROM sync_state WHERE feed='main'");
    if (!st.value().step().value()) return "";
    return st.value().text(0);
  }
};

}  // namespace salespider::sync::testing
