// Bad requests get the right status and a JSON error, never a crash or a
// stack trace: a table of them against a real server, through a JSON route
// registered by the test with parse_json_body (as every endpoint will).
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "http/errors.hpp"
#include "http/json_limits.hpp"
#include "http_test_support.hpp"

using salespider::test::body_of;
using salespider::test::RawSocket;
using salespider::test::RunningServer;
using salespider::test::status_of;

namespace {

constexpr std::size_t kBodyLimit = 64 * 1024;

std::unique_ptr<RunningServer> start_echo_server() {
  auto config = salespider::test::test_config();
  config.max_body_bytes = kBodyLimit;
  config.max_header_bytes = 8 * 1024;
  return std::make_unique<RunningServer>(config, [](salespider::http::HttpServer& server) {
    server.add_routes([](httplib::Server& s) {
      s.Post("/api/v1/test/echo", [](const httplib::Request& req, httplib::Response& res) {
        const auto body = salespider::http::parse_json_body(req, {kBodyLimit, 64});
        if (!body.ok()) {
          salespider::http::send_body_error(res, *body.error, res.get_header_value("X-Request-Id"));
          return;
        }
        res.set_content(nlohmann::json({{"echo", body.value}}).dump(), "application/json");
      });
    });
  });
}

std::string post(const std::string& content_type, const std::string& body) {
  return "POST /api/v1/test/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

struct BadRequest {
  const char* name;
  std::string request;
  int status;
  const char* code;
};

}  // namespace

TEST(HttpLimits, EachBadRequestGetsItsStatusAndAJsonError) {
  auto server = start_echo_server();
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  const BadRequest table[] = {
      {"body over the limit", post("application/json", "[\"" + std::string(kBodyLimit + 10, 'x') + "\"]"), 413,
       "payload_too_large"},
      {"declared body of 10 GB", "POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                 "Content-Length: 10000000000\r\n\r\n[1]", 413, "payload_too_large"},
      {"JSON nested 100 deep", post("application/json", deep), 400, "bad_request"},
      {"wrong content type", post("text/plain", "{\"a\":1}"), 415, "unsupported_media_type"},
      {"missing content type", "POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", 415,
       "unsupported_media_type"},
      {"invalid UTF-8", post("application/json", "{\"name\":\"caf\xC3\x28\"}"), 400, "bad_request"},
      {"UTF-16 surrogate in UTF-8", post("application/json", "{\"n\":\"\xED\xA0\x80\"}"), 400, "bad_request"},
      {"malformed JSON", post("application/json", "{\"a\":"), 400, "bad_request"},
      {"malformed request line", "GARBAGE\r\n\r\n", 400, "bad_request"},
      {"conflicting Content-Length", "POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                                     "Content-Length: 3\r\n\r\n{}", 400, "bad_request"},
      {"chunk larger than the body limit", "POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                           "Transfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\n[1", 413, "payload_too_large"},
      {"chunked body over the limit", "POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                      "Transfer-Encoding: chunked\r\n\r\n" + [] {
                                        std::string chunks;
                                        for (std::size_t i = 0; i < 3 * kBodyLimit / 1000; ++i) chunks += "3E8\r\n" + std::string(1000, ' ') + "\r\n";
                                        return chunks;
                                      }(), 413, "payload_too_large"},
      {"malformed chunk size", "POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                               "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, "bad_request"},
      {"chunked and Content-Length at once", "POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                             "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
       400, "bad_request"},
      {"a transfer coding other than chunked", "POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                               "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
       400, "bad_request"},
      {"headers over the limit", "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') +
                                     "\r\n\r\n", 431, "headers_too_large"},
      {"unknown endpoint", "POST /api/v1/test/nope HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Content-Length: 2\r\n\r\n{}", 404, "not_found"},
  };
  for (const auto& bad : table) {
    RawSocket socket(server->http_port());
    ASSERT_TRUE(socket.connected()) << bad.name;
    socket.send(bad.request);
    const auto response = socket.read_response();
    EXPECT_EQ(status_of(response), bad.status) << bad.name << "\n" << response.substr(0, 300);
    const auto body = nlohmann::json::parse(body_of(response), nullptr, false);
    ASSERT_TRUE(body.is_object()) << bad.name << ": " << body_of(response);
    EXPECT_EQ(body["error"]["code"], bad.code) << bad.name;
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty()) << bad.name;
    EXPECT_EQ(body["error"]["request_id"].get<std::string>().size(), 16u) << bad.name;
  }
}

TEST(HttpLimits, AWellFormedBodyStillWorksAfterTheBadOnes) {
  auto server = start_echo_server();
  httplib::Client client("127.0.0.1", server->http_port());
  auto res = client.Post("/api/v1/test/echo", R"({"price":{"minor":1500,"currency":"NGN"},"name":"Café"})",
                         "application/json; charset=utf-8");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const auto body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["echo"]["name"], "Café");
  // A body of exactly 64 levels is allowed.
  const std::string ok_deep = std::string(64, '[') + std::string(64, ']');
  auto deep = client.Post("/api/v1/test/echo", ok_deep, "application/json");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->status, 200);
}

TEST(HttpLimits, ChunkedAndExpectContinueBodiesAreReadByTheGate) {
  auto server = start_echo_server();
  {
    RawSocket socket(server->http_port());
    socket.send("POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n");
    const auto response = socket.read_response();
    EXPECT_EQ(status_of(response), 200) << response;
    EXPECT_EQ(nlohmann::json::parse(body_of(response))["echo"]["a"], 1);
  }
  {
    RawSocket socket(server->http_port());
    socket.send("POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Expect: 100-continue\r\nContent-Length: 7\r\n\r\n");
    char interim[64] = {};
    const auto n = ::recv(socket.fd(), interim, sizeof interim - 1, 0);
    ASSERT_GT(n, 0);
    EXPECT_EQ(std::string(interim).rfind("HTTP/1.1 100", 0), 0u) << interim;
    socket.send("{\"b\":2}");
    const auto response = socket.read_response();
    EXPECT_EQ(status_of(response), 200) << response;
  }
  {
    // A chunk extension, then a pipelined request: the gate
    // finds where the chunked body ends.
    RawSocket socket(server->http_port());
    socket.send("POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\n\r\n7;note=x\r\n{\"c\":3}\r\n0\r\n\r\n"
                "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto first = socket.read_response();
    EXPECT_EQ(status_of(first), 200) << first;
    EXPECT_EQ(nlohmann::json::parse(body_of(first))["echo"]["c"], 3);
    EXPECT_EQ(status_of(socket.read_response()), 200) << "the pipelined request after the chunked body";
  }
}

TEST(HttpLimits, TheOversizedBodyErrorReachesAClientThatKeepsSending) {
  auto server = start_echo_server();
  httplib::Client client("127.0.0.1", server->http_port());
  auto res = client.Post("/api/v1/test/echo", std::string(4 * kBodyLimit, 'x'), "application/json");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(nlohmann::json::parse(res->body)["error"]["code"], "payload_too_large");
}

TEST(JsonLimits, Utf8ValidationIsStrict) {
  using salespider::http::is_valid_utf8;
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xA6 naira, \xE2\x82\xAC euro, \xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}
