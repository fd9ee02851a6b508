// Our handler for the till's files (www/ + the wasm build, e.g.
// build/wasm/dist). cpp-httplib's set_mount_point neither negotiates
// Accept-Encoding nor sets cache headers, so we do it here:
//   [X] safe path resolution: no "..", no dot-files, no symlink leading out
//   [X] Content-Type by extension (mime_type_for)
//   [X] precompressed siblings: name.br / name.gz when the client accepts
//       them (never compressed on the fly), Vary: Accept-Encoding
//   [X] ETag from size + mtime (+ encoding), If-None-Match -> 304
//   [X] Cache-Control: immutable for content-hashed names
//       (is_content_hashed), no-cache for everything else (index.html, sw.js)
//   [X] files streamed from disk, Range handled by httplib
//   [ ] directory listings, index.html inside sub-directories (not needed)
//   [ ] SPA fallback to index.html for unknown paths (deliberately 404 for now)
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace salespider::http {

// The q-value the client gave `coding` in Accept-Encoding (0 when absent).
double accepts(const std::string& header, std::string_view coding);

// An Accept-Encoding without brotli (any item httplib would read as "br").
// httplib compresses every text/* answer itself, brotli at quality 11 when
// the client takes br: 40 s of CPU for the 12 MB CSV export of 100,000
// products, against 4.7 s with gzip. The server's pre-routing hands API
// requests this instead of what the client sent (json_compression.hpp).
std::string without_brotli(std::string_view accept_encoding);

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);
  // False when the root directory does not exist.
  bool valid() const { return !root_.empty(); }

  // Answers GET/HEAD of req.path from the root; false if there is no such
  // file (the caller answers 404).
  bool serve(const httplib::Request& req, httplib::Response& res) const;

  // The file a URL path names, or empty if it names none or tries to leave
  // the root.
  std::filesystem::path resolve(std::string_view url_path) const;

 private:
  std::filesystem::path root_;  // canonical
};

// "text/javascript; charset=utf-8" for "js", "application/wasm" for "wasm"...
// application/octet-stream for anything unknown.
std::string mime_type_for(std::string_view extension);

// True for names carrying a content hash, which therefore never change:
// a dot-separated part of 8 to 64 lowercase hex digits that is neither the
// first nor the last part ("salespider.3f2a9c1d.wasm", "app.0123abcd.js").
bool is_content_hashed(std::string_view file_name);

// The Cache-Control value for a file name.
std::string cache_control_for(std::string_view file_name);

}  // namespace salespider::http
