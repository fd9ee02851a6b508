// What the customer sees: the cart, the total, what was paid and the change,
// as one JSON message for the customer display (www/customer.html, a second
// window or screen of the same browser), which draws it with no server and
// no wasm of its own. Every text in it is finished here (translated, money
// in the store's currency and the language's format), so the display has
// no words of its own.
//
// {"state": "idle"|"cart"|"pay"|"complete", "store": name, "lang": "fr",
//  "lines": [{"name", "qty", "total"}], "total", "paid", "due", "change",
//  "labels": {"total", "paid", "due", "change", "welcome", "thanks", "offline"},
//  "receipt": "SP3-000128"}
// Deliberately not here: carrying it (platform/page.hpp's customer_display()),
// when it is sent (the controller: after each command, when it changed).
#pragma once

#include "state/app_state.hpp"

#include <string>

namespace salespider::effects {

std::string customer_display_json(const state::AppState& s);

}  // namespace salespider::effects
