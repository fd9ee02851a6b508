// The browser implementation of platform/net.hpp: each request goes to
// window.SaleSpiderBridge.request (www/bridge.js) with an id; the answer comes
// back through salespider_net_complete(id, status) and its body is copied
// out of JS here, once. Every request says the active language (Accept-Language).
#include "platform/net.hpp"

#include "automation/json_writer.hpp"

#include <salespider/shared/i18n.hpp>

#include <emscripten/emscripten.h>

#include <functional>
#include <map>
#include <string>
#include <utility>

// clang-format off
// The body goes as bytes: JSON is UTF-8 already, and a print job's ESC/POS
// bytes are not text at all (NULs, bytes over 0x7F).
EM_JS(void, js_net_request, (unsigned id, const char* method, const char* url, const char* headers, const char* body, int body_size), {
  SaleSpiderBridge.request(id, UTF8ToString(method), UTF8ToString(url), UTF8ToString(headers), HEAPU8.slice(body, body + body_size));
});
EM_JS(int, js_net_status, (unsigned id), { return SaleSpiderBridge.status(id); });
EM_JS(int, js_net_body_length, (unsigned id), { return SaleSpiderBridge.bodyLength(id); });
EM_JS(void, js_net_body_copy, (unsigned id, char* out), { SaleSpiderBridge.bodyCopy(id, HEAPU8, out); });
EM_JS(int, js_net_error_length, (unsigned id), { return lengthBytesUTF8(SaleSpiderBridge.errorText(id)); });
EM_JS(void, js_net_error_copy, (unsigned id, char* out, int size), { stringToUTF8(SaleSpiderBridge.errorText(id), out, size); });
EM_JS(double, js_net_date, (unsigned id), { return SaleSpiderBridge.date(id); });
EM_JS(void, js_net_release, (unsigned id), { SaleSpiderBridge.release(id); });
EM_JS(int, js_net_online, (), { return SaleSpiderBridge.online(); });
// clang-format on

namespace salespider::platform::net {

namespace {

class FetchClient final : public sync::HttpClient {
 public:
  void send(const sync::HttpRequest& request, std::function<void(sync::HttpResponse)> done) override {
    const std::uint32_t id = next_id_++;
    pending_.emplace(id, std::move(done));
    automation::JsonWriter headers;
    headers.begin_object();
    bool has_language = false;
    for (const auto& [name, value] : request.headers) {
      headers.key(name).value(value);
      has_language = has_language || name == "Accept-Language";
    }
    // The server words its error messages in the till's active language.
    if (!has_language) headers.key("Accept-Language").value(i18n::active_language());
    headers.end_object();
    js_net_request(id, request.method.c_str(), request.url.c_str(), headers.str().c_str(), request.body.data(),
                   static_cast<int>(request.body.size()));
  }

  void complete(std::uint32_t id) {
    auto it = pending_.find(id);
    if (it == pending_.end()) {
      js_net_release(id);
      return;
    }
    std::function<void(sync::HttpResponse)> done = std::move(it->second);
    pending_.erase(it);
    sync::HttpResponse response;
    response.status = js_net_status(id);
    if (const int n = js_net_body_length(id); n > 0) {
      response.body.resize(static_cast<std::size_t>(n));
      js_net_body_copy(id, response.body.data());
    }
    if (const int n = js_net_error_length(id); n > 0) {
      std::string text(static_cast<std::size_t>(n) + 1, '\0');
      js_net_error_copy(id, text.data(), n + 1);
      text.resize(static_cast<std::size_t>(n));
      response.error = std::move(text);
    }
    if (const double date = js_net_date(id); date >= 0) response.server_date_ms = static_cast<std::int64_t>(date);
    js_net_release(id);
    if (done) done(std::move(response));
  }

 private:
  std::uint32_t next_id_ = 1;
  std::map<std::uint32_t, std::function<void(sync::HttpResponse)>> pending_;
};

FetchClient& client() {
  static FetchClient c;
  return c;
}

}  // namespace

sync::HttpClient& fetch_client() {
  return client();
}

void complete(std::uint32_t id) {
  client().complete(id);
}

bool browser_online() {
  return js_net_online() != 0;
}

}  // namespace salespider::platform::net
