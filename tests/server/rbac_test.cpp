// Every registered /api/v1 route, called as each role, as a till and
// anonymously, over real HTTP: access must be exactly what the registry and
// the permission table say. The list of routes comes from the registry, so
// endpoints added later are covered without touching this file. Also checks
// that docs/security.md shows the current matrix and route table.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <sstream>

#include "auth/crypto.hpp"
#include "auth_test_support.hpp"
#include "http/routes.hpp"
#include "http_test_support.hpp"

using salespider::auth::Role;
using salespider::http::AccessKind;
using salespider::test::AuthWorld;
using salespider::test::kGoodPassword;

namespace {

// pin_cashier: a cashier who switched in with a PIN on a till (a PIN
// session may do till actions only: http::Access::admits_pin_session).
enum class Caller { anonymous, till, cashier, pin_cashier, manager, super_admin };

const char* name_of(Caller c) {
  switch (c) {
    case Caller::anonymous:
      return "anonymous";
    case Caller::till:
      return "till";
    case Caller::cashier:
      return "cashier";
    case Caller::pin_cashier:
      return "cashier (PIN session)";
    case Caller::manager:
      return "manager";
    case Caller::super_admin:
      return "super_admin";
  }
  return "?";
}

// 0 = must be let through (any status but 401/403), else the status expected.
int expected_denial(const salespider::http::Access& access, Caller c) {
  switch (access.kind) {
    case AccessKind::open:
      return 0;
    case AccessKind::till:
      if (c == Caller::anonymous) return 401;
      return c == Caller::till ? 0 : 403;
    case AccessKind::person: {
      if (c == Caller::anonymous) return 401;
      if (c == Caller::till) return 403;
      const Role role = c == Caller::cashier || c == Caller::pin_cashier ? Role::cashier
                        : c == Caller::manager                           ? Role::manager
                                                                         : Role::super_admin;
      if (access.permission && !salespider::auth::role_has(role, *access.permission)) return 403;
      if (c == Caller::pin_cashier && !access.admits_pin_session()) return 403;
      return 0;
    }
  }
  return 0;
}

std::string concrete(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      i = pattern.find('}', i);
      out += "0b7e8f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b";  // exists nowhere
    } else {
      out += pattern[i];
    }
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The text between <!-- BEGIN name --> and <!-- END name -->.
std::string section(const std::string& doc, const std::string& name) {
  const auto begin = doc.find("<!-- BEGIN " + name + " -->\n");
  const auto end = doc.find("<!-- END " + name + " -->");
  if (begin == std::string::npos || end == std::string::npos) return "(missing)";
  const auto start = begin + name.size() + 16;
  return doc.substr(start, end - start);
}

}  // namespace

TEST(Rbac, EveryRouteAnswersEveryCallerExactlyAsTheRegistrySays) {
  AuthWorld w;
  w.add_user(Role::cashier, "cashier1", kGoodPassword, std::string("2580"));
  const auto pin_till = w.add_till("pin");
  w.add_user(Role::manager, "manager1");
  w.add_user(Role::super_admin, "owner1");
  auto registry = std::make_shared<salespider::http::RouteRegistry>();
  salespider::http::register_api_routes(*registry, w.services());
  auto authenticator =
      std::make_shared<salespider::http::Authenticator>(salespider::http::authenticator_for(w.services()));
  salespider::test::RunningServer server(
      salespider::test::test_config(),
      [&](salespider::http::HttpServer& s) { s.set_api(registry, authenticator); });
  httplib::Client client("127.0.0.1", server.http_port());

  // A fresh credential for every call: a call may log out, retire or revoke.
  auto token_for = [&](Caller c) -> std::string {
    switch (c) {
      case Caller::anonymous:
        return "";
      case Caller::till:
        return w.add_till("rbac").credential;
      case Caller::cashier:
        return w.login("cashier1", kGoodPassword)->token;
      case Caller::pin_cashier: {
        salespider::service::LoginRequest r;
        r.login = "cashier1";
        r.password = "2580";
        r.till = pin_till.till;
        r.client_ip = "10.0.0.5";
        return w.services().auth().pin_login(r)->token;
      }
      case Caller::manager:
        return w.login("manager1", kGoodPassword)->token;
      case Caller::super_admin:
        return w.login("owner1", kGoodPassword)->token;
    }
    return "";
  };

  int calls = 0;
  for (const auto& route : registry->routes()) {
    for (auto caller : {Caller::anonymous, Caller::till, Caller::cashier, Caller::pin_cashier, Caller::manager,
                        Caller::super_admin}) {
      httplib::Headers headers;
      const auto token = token_for(caller);
      if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
      const auto path = concrete(route.path);
      auto call = [&]() -> httplib::Result {
        if (route.method == "GET") return client.Get(path.c_str(), headers);
        if (route.method == "POST") return client.Post(path.c_str(), headers, "{}", "application/json");
        if (route.method == "PUT") return client.Put(path.c_str(), headers, "{}", "application/json");
        if (route.method == "PATCH") return client.Patch(path.c_str(), headers, "{}", "application/json");
        return client.Delete(path.c_str(), headers);
      };
      auto res = call();
      ASSERT_TRUE(res) << route.method << " " << route.path;
      ++calls;
      const int denial = expected_denial(route.access, caller);
      const std::string what = route.method + " " + route.path + " as " + name_of(caller) + " -> " +
                               std::to_string(res->status) + " " + res->body;
      if (denial == 0) {
        EXPECT_NE(res->status, 401) << what;
        EXPECT_NE(res->status, 403) << what;
        EXPECT_LT(res->status, 500) << what;
      } else {
        EXPECT_EQ(res->status, denial) << what;
        EXPECT_NE(res->body.find(denial == 401 ? "\"unauthenticated\"" : "\"forbidden\""), std::string::npos)
            << what;
      }
    }
  }
  EXPECT_GE(calls, 6 * 30);
}

TEST(Rbac, ForgedAndRetiredCredentialsAreRefusedOverHttp) {
  AuthWorld w;
  w.add_user(Role::manager, "manager1");
  auto registry = std::make_shared<salespider::http::RouteRegistry>();
  salespider::http::register_api_routes(*registry, w.services());
  auto authenticator =
      std::make_shared<salespider::http::Authenticator>(salespider::http::authenticator_for(w.services()));
  salespider::test::RunningServer server(
      salespider::test::test_config(),
      [&](salespider::http::HttpServer& s) { s.set_api(registry, authenticator); });
  httplib::Client client("127.0.0.1", server.http_port());
  auto till = w.add_till();
  auto bearer = [](const std::string& t) { return httplib::Headers{{"Authorization", "Bearer " + t}}; };
  EXPECT_EQ(client.Get("/api/v1/till", bearer(till.credential))->status, 200);
  EXPECT_EQ(client.Get("/api/v1/till", bearer("spt_" + std::string(43, 'A')))->status, 401);
  EXPECT_EQ(client.Get("/api/v1/me", bearer("sps_" + std::string(43, 'A')))->status, 401);
  ASSERT_TRUE(w.services().tills().retire(w.store(), till.till.till_id, AuthWorld::cli_actor()));
  EXPECT_EQ(client.Get("/api/v1/till", bearer(till.credential))->status, 401);

  // Login over HTTP with the till credential: a session and an offline grant.
  auto till2 = w.add_till();
  httplib::Headers h{{"X-Till-Credential", till2.credential}};
  auto res = client.Post("/api/v1/auth/login", h,
                         R"({"login":"manager1","password":"correct-horse-battery"})", "application/json");
  ASSERT_EQ(res->status, 200) << res->body;
  const auto body = nlohmann::json::parse(res->body);
  EXPECT_TRUE(body.contains("offline_grant"));
  EXPECT_EQ(res->body.find("argon2"), std::string::npos) << "no hash ever leaves the server";
  const auto token = body["token"].get<std::string>();
  EXPECT_EQ(client.Get("/api/v1/me", bearer(token))->status, 200);
  EXPECT_EQ(client.Post("/api/v1/auth/logout", bearer(token), "", "application/json")->status, 200);
  EXPECT_EQ(client.Get("/api/v1/me", bearer(token))->status, 401);
}

TEST(Rbac, TheSecurityDocumentShowsTheCurrentMatrixAndRoutes) {
  AuthWorld w;
  auto registry = std::make_shared<salespider::http::RouteRegistry>();
  salespider::http::register_api_routes(*registry, w.services());
  const std::string path = std::string(SALESPIDER_SOURCE_DIR) + "/docs/security.md";
  auto doc = read_file(path);
  const auto matrix = salespider::auth::permission_matrix_markdown();
  const auto routes = salespider::http::routes_markdown(*registry);
  if (const char* update = std::getenv("SALESPIDER_UPDATE_DOCS");
      update != nullptr && std::string(update) == "1") {
    for (const auto& [name, text] : {std::pair<std::string, std::string>{"permission-matrix", matrix},
                                     std::pair<std::string, std::string>{"route-table", routes}}) {
      const auto begin = doc.find("<!-- BEGIN " + name + " -->\n");
      const auto end = doc.find("<!-- END " + name + " -->");
      ASSERT_NE(begin, std::string::npos) << name;
      doc = doc.substr(0, begin + name.size() + 16) + text + doc.substr(end);
    }
    std::ofstream(path) << doc;
  }
  EXPECT_EQ(section(doc, "permission-matrix"), matrix)
      << "docs/security.md is stale: run rbac_tests with SALESPIDER_UPDATE_DOCS=1";
  EXPECT_EQ(section(doc, "route-table"), routes)
      << "docs/security.md is stale: run rbac_tests with SALESPIDER_UPDATE_DOCS=1";
}
