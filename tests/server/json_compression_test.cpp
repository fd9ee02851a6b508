// JSON answers are gzipped by us at zlib's fastest level (never brotli 11 by
// cpp-httplib, which took ~1 s per catalog page), only when the client takes it.
#include "http/json_compression.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <zlib.h>

#include <string>

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
  EXPECT_LT(res.body.size(), big_json().size() / 4);
  EXPECT_EQ(gunzip(res.body), big_json());
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

}  // namespace
}  // namespace salespider::http
