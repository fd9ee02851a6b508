// JSON answers are gzipped by us at zlib's fastest level (never brotli 11 by
// cpp-httplib, which took ~1 s per catalog page), only when the client takes it;
// and what we gzipped goes out as it is, whatever its type.
#include "http/json_compression.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <zlib.h>

#include <chrono>
#include <string>
#include <thread>

#include "http/static_files.hpp"

namespace salespider::http {
namespace {

std::string gunzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(in.size() * 50 + 1024, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

// What the answer sends: its body, or what its provider writes.
std::string sent(const httplib::Response& res) {
  if (!res.content_provider_) return res.body;
  std::string out;
  httplib::DataSink sink;
  sink.write = [&out](const char* d, std::size_t n) {
    out.append(d, n);
    return true;
  };
  EXPECT_TRUE(res.content_provider_(0, res.content_length_, sink));
  return out;
}

std::string big_json() {
  std::string body = "{\"changes\":[";
  for (int i = 0; i < 500; ++i) body += std::string(i ? "," : "") + "{\"entity\":\"product\",\"id\":" + std::to_string(i) + "}";
  return body + "]}";
}

TEST(JsonCompression, ALargeAnswerIsGzippedWhenTheClientTakesGzip) {
  httplib::Request req;
  req.set_header("Accept-Encoding", "gzip, deflate, br");
  httplib::Response res;
  res.set_content(big_json(), "application/json");
  compress_json_answer(req, res);
  EXPECT_EQ(res.get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(res.get_header_value_count("Content-Type"), 1u);
  EXPECT_EQ(res.get_header_value("Content-Type"), "application/json; charset=utf-8")
      << "with the parameter httplib does not compress it a second time";
  EXPECT_EQ(res.get_header_value("Vary"), "Accept-Encoding");
  EXPECT_LT(sent(res).size(), big_json().size() / 4);
  EXPECT_EQ(gunzip(sent(res)), big_json());
}

// The catalog parts are text/tab-separated-values, a type httplib compresses
// itself: brotli 11 over our gzip cost ~300 ms of CPU per part, 86 % of the
// server's time in a till's bootstrap (docs/benchmarks.md). Through a real
// server, to a client that takes br: gzip once, and only gzip.
TEST(JsonCompression, AGzippedTextAnswerIsNotCompressedAgainByHttplib) {
  std::string lines;
  for (int i = 0; i < 2000; ++i) lines += "0190a5b2-" + std::to_string(i) + "\tGolden Rice 5kg\t1500\n";
  httplib::Server server;
  server.Get("/part", [&lines](const httplib::Request& req, httplib::Response& res) {
    res.set_content(lines, "text/tab-separated-values; charset=utf-8");
    compress_answer(req, res);
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread serving([&server] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  httplib::Client client("127.0.0.1", port);
  client.set_decompress(false);
  auto r = client.Get("/part", {{"Accept-Encoding", "gzip, deflate, br"}});
  server.stop();
  serving.join();
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value_count("Content-Encoding"), 1u);
  EXPECT_EQ(r->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(r->get_header_value_count("Content-Type"), 1u);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/tab-separated-values; charset=utf-8");
  EXPECT_TRUE(gunzip(r->body) == lines) << r->body.size() << " bytes did not gunzip to the lines";
}

TEST(JsonCompression, NothingChangesWithoutGzipSmallBodiesOrOtherTypes) {
  httplib::Request plain;
  httplib::Response a;
  a.set_content(big_json(), "application/json");
  compress_json_answer(plain, a);
  EXPECT_FALSE(a.has_header("Content-Encoding"));

  httplib::Request gz;
  gz.set_header("Accept-Encoding", "gzip;q=0, br");
  httplib::Response refused;
  refused.set_content(big_json(), "application/json");
  compress_json_answer(gz, refused);
  EXPECT_FALSE(refused.has_header("Content-Encoding")) << "q=0 refuses gzip";

  httplib::Request yes;
  yes.set_header("Accept-Encoding", "gzip");
  httplib::Response small;
  small.set_content("{\"ok\":true}", "application/json");
  compress_json_answer(yes, small);
  EXPECT_FALSE(small.has_header("Content-Encoding"));
  httplib::Response html;
  html.set_content(std::string(5000, 'x'), "text/html");
  compress_json_answer(yes, html);
  EXPECT_FALSE(html.has_header("Content-Encoding"));
}

TEST(JsonCompression, AnApiRequestLosesBrotliFromItsAcceptEncoding) {
  EXPECT_EQ(without_brotli("gzip, deflate, br"), "gzip, deflate");
  EXPECT_EQ(without_brotli("br;q=1.0, gzip;q=0.8"), "gzip;q=0.8");
  EXPECT_EQ(without_brotli("br"), "");
  EXPECT_EQ(without_brotli("gzip,br,zstd"), "gzip, zstd");
  EXPECT_EQ(without_brotli(" identity "), "identity");
  EXPECT_EQ(without_brotli(""), "");
}

}  // namespace
}  // namespace salespider::http
