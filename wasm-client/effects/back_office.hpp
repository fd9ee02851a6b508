// Back-office effects: the catalog screens' calls to the store server's
// API (docs/api.md "Catalog") with the signed-in person's session, answered
// with the *Loaded / *Saved / CatalogWritten commands of
// state/back_office.hpp. Offline (no answer, or an offline sign-in) the
// product list falls back to the till's own catalog search, read-only.
//
// Acts only on what the reducer accepted (state.busy or
// back_office.writing set, the screen opened). Deliberately not here: the
// rules (state/, shared/product_rules.hpp), parsing (answers/), the stock
// and CSV screens' calls.
#pragma once

#include "effects/context.hpp"
#include "effects/selling.hpp"
#include "state/app_state.hpp"

#include <string>

namespace salespider::effects {

class BackOfficeEffects {
 public:
  BackOfficeEffects(Context& ctx, Selling& selling) : ctx_(ctx), selling_(selling) {}
  BackOfficeEffects(const BackOfficeEffects&) = delete;
  BackOfficeEffects& operator=(const BackOfficeEffects&) = delete;

  // `s` is the state right after the command was reduced.
  void handle(const state::Command& command, const state::AppState& s);

 private:
  void load_products(const state::AppState& s);
  void load_product(const std::string& id);
  void load_categories();
  void load_tax_rates();
  void save_product(const state::AppState& s);
  void archive_product(const state::AppState& s, bool restore);
  // Sends a write and answers CatalogWritten, then reloads with `reload`.
  void write(sync::HttpRequest request, std::string done, bool categories);

  Context& ctx_;
  Selling& selling_;
};

}  // namespace salespider::effects
