// The one HTTP operation sync needs, as an interface: send a request to our
// own server and hear the answer later. The browser implementation (fetch)
// lives in platform/; tests use a fake that the test answers by hand.
//
// Deliberately nothing else: no retries, no timeouts policy, no JSON, no
// cookies or redirects. Retrying and backing off is the sync engine's job.
// Beside it, the one percent-encoder for query values in those URLs.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace salespider::sync {

struct HttpRequest {
  std::string method;  // "GET" | "POST"
  std::string url;     // same-origin path + query, e.g. "/api/v1/sync/pull?protocol_version=1&cursor=&limit=1000"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;  // 0: no answer (network error, aborted, timeout)
  std::string body;
  std::string error;                           // why, when status == 0
  std::optional<std::int64_t> server_date_ms;  // the Date header, if any (second resolution)
};

// A query value percent-encoded: everything but RFC 3986's unreserved
// characters (A-Z a-z 0-9 - . _ ~) as %XX.
std::string url_encode(std::string_view text);

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Answers later (never from inside send()) by calling done exactly once.
  virtual void send(const HttpRequest& request, std::function<void(HttpResponse)> done) = 0;
};

}  // namespace salespider::sync
