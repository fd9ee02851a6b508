// A stand-in for the browser's fetch: every request is queued until the
// test answers it (in any order), so a test decides exactly what the server
// said and when — and can check that nothing was sent.
#pragma once

#include "sync/http.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>

namespace salespider::sync::testing {

class FakeHttp : public HttpClient {
 public:
  struct Held {
    HttpRequest request;
    std::function<void(HttpResponse)> done;
  };

  void send(const HttpRequest& request, std::function<void(HttpResponse)> done) override {
    ++sent;
    held.push_back(Held{request, std::move(done)});
  }

  std::size_t size() const { return held.size(); }
  bool empty() const { return held.empty(); }
  const HttpRequest& front() const { return held.front().request; }

  // The oldest request whose url starts with `prefix`, if any.
  const HttpRequest* find(const std::string& prefix) const {
    for (const Held& h : held)
      if (h.request.url.rfind(prefix, 0) == 0) return &h.request;
    return nullptr;
  }

  // Answers the oldest request whose url starts with `prefix`; false if none.
  bool answer(const std::string& prefix, int status, std::string body,
              std::optional<std::int64_t> date_ms = std::nullopt) {
    for (auto it = held.begin(); it != held.end(); ++it) {
      if (it->request.url.rfind(prefix, 0) != 0) continue;
      Held h = std::move(*it);
      held.erase(it);
      HttpResponse r;
      r.status = status;
      r.body = std::move(body);
      r.server_date_ms = date_ms;
      if (status == 0) r.error = "TypeError: Failed to fetch";
      h.done(std::move(r));
      return true;
    }
    return false;
  }

  // Every held request fails with a network error.
  void fail_all() {
    while (!held.empty()) {
      Held h = std::move(held.front());
      held.pop_front();
      HttpResponse r;
      r.error = "TypeError: Failed to fetch";
      h.done(std::move(r));
    }
  }

  std::deque<Held> held;
  std::size_t sent = 0;
};

}  // namespace salespider::sync::testing
