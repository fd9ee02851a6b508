// Compressing the server's JSON answers (a pull page of 1000 products is
// ~275 KB): gzip at zlib's fastest level, when the client takes it.
//
// Why not cpp-httplib's own: it prefers brotli at quality 11, which took
// ~1 s of CPU per pull page here (the till's catalog bootstrap waited on it,
// docs/benchmarks.md), and it compresses before the post-routing handler
// runs, so the JSON senders call this themselves (Context::send_json, the
// sync routes). Deliberately not here: the static files (static_files.cpp
// sends precompressed copies, brotli included), error bodies (small) and the
// CSV streams, which httplib gzips at its own level: an API request reaches
// httplib without br in its Accept-Encoding (without_brotli, static_files.hpp).
#pragma once

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace salespider::http {

inline constexpr const char* kJsonContentType = "application/json; charset=utf-8";

// Answers below this stay as they are: compressing them saves nothing.
inline constexpr unsigned kCompressJsonFromBytes = 1024;

void compress_json_answer(const httplib::Request& req, httplib::Response& res);

// The same gzip level 1 for any other answer body (the catalog parts of a
// bootstrap, text/tab-separated-values), when the client takes gzip.
void compress_answer(const httplib::Request& req, httplib::Response& res);

}  // namespace salespider::http
