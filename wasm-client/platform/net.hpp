// What the till needs from the browser's network: an HttpClient (sync/http.hpp)
// on fetch, same-origin only, and the browser's own idea of being online.
//
// Free of Emscripten; net_browser.cpp is the browser (www/bridge.js).
// Implemented:
//  [X] fetch with a 20 s timeout, no HTTP cache, no redirects, the Date header.
//  [X] navigator.onLine at start; online/offline events reach
//      salespider_browser_online() (main.cpp).
//  [ ] Cancelling a request in flight (nothing needs it yet).
#pragma once

#include "sync/http.hpp"

#include <cstdint>
#include <memory>

namespace salespider::platform::net {

// The one fetch client of the page (answers are routed by request id).
sync::HttpClient& fetch_client();

// From www/bridge.js: request `id` got an answer (status 0: none).
void complete(std::uint32_t id);

bool browser_online();

}  // namespace salespider::platform::net
