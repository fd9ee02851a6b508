// See static_files.hpp.
#include "http/static_files.hpp"

#include <httplib.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

namespace salespider::http {
namespace fs = std::filesystem;
namespace {

bool is_within(const fs::path& root, const fs::path& p) {
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (q == p.end() || *r != *q) return false;
  }
  return true;
}


bool is_regular(const fs::path& p, struct stat& st) {
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The items of a comma-separated header, trimmed; empty ones left out.
std::vector<std::string_view> header_items(std::string_view header) {
  std::vector<std::string_view> items;
  std::size_t pos = 0;
  while (pos <= header.size()) {
    auto end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(pos, end - pos);
    pos = end + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

bool etag_matches(const std::string& if_none_match, const std::string& etag) {
  if (if_none_match.find('*') != std::string::npos) return true;
  for (std::string_view tag : header_items(if_none_match)) {
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);  // weak comparison (RFC 9110)
    if (tag == etag) return true;
  }
  return false;
}

}  // namespace

double accepts(const std::string& header, std::string_view coding) {
  double star = 0;
  for (std::string_view item : header_items(header)) {
    double q = 1;
    if (const auto semi = item.find(';'); semi != std::string_view::npos) {
      const auto params = item.substr(semi + 1);
      if (const auto qpos = params.find("q="); qpos != std::string_view::npos) {
        q = std::atof(std::string(params.substr(qpos + 2)).c_str());
      }
      item = item.substr(0, semi);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    }
    if (item == coding) return q;
    if (item == "*") star = q;
  }
  return star;
}

std::string without_brotli(std::string_view accept_encoding) {
  std::string out;
  for (std::string_view item : header_items(accept_encoding)) {
    // httplib takes brotli when "br" occurs anywhere in the header.
    if (item.find("br") != std::string_view::npos) continue;
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

StaticFiles::StaticFiles(fs::path root) {
  std::error_code ec;
  auto canonical = fs::canonical(root, ec);
  if (!ec && fs::is_directory(canonical, ec)) root_ = std::move(canonical);
}

fs::path StaticFiles::resolve(std::string_view url_path) const {
  if (root_.empty() || url_path.empty() || url_path.front() != '/') return {};
  if (url_path == "/") url_path = "/index.html";
  fs::path p = root_;
  std::size_t pos = 1;
  while (pos <= url_path.size()) {
    auto end = url_path.find('/', pos);
    if (end == std::string_view::npos) end = url_path.size();
    const auto segment = url_path.substr(pos, end - pos);
    pos = end + 1;
    // Empty, ".", ".." and hidden names are never served; nor is anything
    // with a backslash or NUL (httplib has already percent-decoded the path).
    if (segment.empty() || segment.front() == '.' || segment.find('\\') != std::string_view::npos ||
        segment.find('\0') != std::string_view::npos) {
      return {};
    }
    p /= std::string(segment);
  }
  std::error_code ec;
  const auto real = fs::canonical(p, ec);  // follows symlinks: they must stay inside
  if (ec || !is_within(root_, real) || !fs::is_regular_file(real, ec)) return {};
  return real;
}

bool StaticFiles::serve(const httplib::Request& req, httplib::Response& res) const {
  const auto file = resolve(req.path);
  if (file.empty()) return false;
  const auto name = file.filename().string();
  auto ext = file.extension().string();
  if (!ext.empty()) ext.erase(0, 1);
  const auto type = mime_type_for(ext);

  // A precompressed sibling, best first, if the client takes it.
  const auto accept = req.get_header_value("Accept-Encoding");
  fs::path chosen = file;
  std::string encoding;
  struct stat st {};
  for (const auto& [coding, suffix] : {std::pair<const char*, const char*>{"br", ".br"}, {"gzip", ".gz"}}) {
    if (accepts(accept, coding) <= 0) continue;
    const fs::path sibling = file.string() + suffix;
    struct stat sib {};
    if (is_regular(sibling, sib) && is_within(root_, fs::weakly_canonical(sibling))) {
      chosen = sibling;
      encoding = coding;
      break;
    }
  }
  if (!is_regular(chosen, st)) return false;

  char etag[96];
  std::snprintf(etag, sizeof etag, "\"%llx-%llx%s%s\"", static_cast<unsigned long long>(st.st_size),
                static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ull +
                    static_cast<unsigned long long>(st.st_mtim.tv_nsec),
                encoding.empty() ? "" : "-", encoding.c_str());
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", cache_control_for(name));
  res.set_header("Vary", "Accept-Encoding");
  if (etag_matches(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    return true;
  }
  if (!encoding.empty()) res.set_header("Content-Encoding", encoding);

  // Streamed with a known length: httplib then neither buffers the file nor
  // compresses it again.
  auto in = std::make_shared<std::ifstream>(chosen, std::ios::binary);
  if (!*in) return false;
  res.set_content_provider(
      static_cast<std::size_t>(st.st_size), type,
      [in](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        std::vector<char> buf(std::min<std::size_t>(length, 64 * 1024));
        in->clear();
        in->seekg(static_cast<std::streamoff>(offset));
        in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto n = in->gcount();
        if (n <= 0) return false;
        return sink.write(buf.data(), static_cast<std::size_t>(n));
      });
  return true;
}

std::string mime_type_for(std::string_view extension) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"wasm", "application/wasm"},
      {"webmanifest", "application/manifest+json"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"data", "application/octet-stream"},
      {"ttf", "font/ttf"},
      {"woff2", "font/woff2"},
      {"png", "image/png"},
      {"svg", "image/svg+xml"},
      {"ico", "image/x-icon"},
      {"txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (ext == extension) return std::string(type);
  }
  return "application/octet-stream";
}

bool is_content_hashed(std::string_view name) {
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  while (pos <= name.size()) {
    auto end = name.find('.', pos);
    if (end == std::string_view::npos) end = name.size();
    parts.push_back(name.substr(pos, end - pos));
    pos = end + 1;
  }
  for (std::size_t i = 1; i + 1 < parts.size(); ++i) {
    const auto p = parts[i];
    if (p.size() >= 8 && p.size() <= 64 &&
        std::all_of(p.begin(), p.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
      return true;
    }
  }
  return false;
}

std::string cache_control_for(std::string_view name) {
  if (name != "index.html" && name != "sw.js" && is_content_hashed(name)) {
    return "public, max-age=31536000, immutable";
  }
  // Revalidate every time (a cheap 304 thanks to the ETag): the till must
  // pick up a new release on its next load.
  return "no-cache";
}

}  // namespace salespider::http
