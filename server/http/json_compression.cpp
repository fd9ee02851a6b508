// See json_compression.hpp.
#include "http/json_compression.hpp"

#include <httplib.h>
#include <zlib.h>

#include <memory>
#include <string>

#include "http/static_files.hpp"

namespace salespider::http {
namespace {

// gzip of `in` at level 1; false if zlib refused (then nothing changes).
bool gzip_fast(const std::string& in, std::string& out) {
  z_stream z{};
  // 15 + 16: a gzip wrapper, not zlib's.
  if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
  out.resize(deflateBound(&z, static_cast<uLong>(in.size())));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const auto written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return false;
  out.resize(written);
  return true;
}

}  // namespace

void compress_json_answer(const httplib::Request& req, httplib::Response& res) {
  if (res.get_header_value("Content-Type").rfind("application/json", 0) != 0) return;
  // httplib compresses only the exact type "application/json" (with brotli
  // at quality 11 when the client takes br), whatever Content-Encoding says;
  // with the charset parameter it leaves the answer to us.
  res.headers.erase("Content-Type");  // set_header adds, it does not replace
  res.set_header("Content-Type", kJsonContentType);
  compress_answer(req, res);
}

void compress_answer(const httplib::Request& req, httplib::Response& res) {
  if (res.body.size() < kCompressJsonFromBytes || res.has_header("Content-Encoding")) return;
  if (accepts(req.get_header_value("Accept-Encoding"), "gzip") <= 0) return;
  auto packed = std::make_shared<std::string>();
  if (!gzip_fast(res.body, *packed)) return;
  // Handed over as a provider of known length: httplib compresses a text/*
  // body again (brotli 11 over our gzip, whatever Content-Encoding says:
  // ~300 ms of CPU per 5000-product catalog part), but never such a provider.
  const std::string type = res.get_header_value("Content-Type");
  res.headers.erase("Content-Type");  // set_content_provider adds it again
  res.body.clear();
  res.set_content_provider(packed->size(), type,
                           [packed](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             return sink.write(packed->data() + offset, length);
                           });
  res.set_header("Content-Encoding", "gzip");
  res.headers.erase("Vary");
  res.set_header("Vary", "Accept-Encoding");
}

}  // namespace salespider::http
