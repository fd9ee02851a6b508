// Selling effects: what the selling screen needs from the outside world.
// Barcode and SKU lookups and the product grid's search in the local
// catalog (store/catalog.hpp), the categories and glyphs the grid shows
// after each pull, a sale id for a new cart, and recording a completed
// sale, a void of a parked sale and a refund through the OpRecorder; the
// receipt goes to the printer (effects/printing.hpp, platform/page.hpp).
//
// It acts on what the reducer already accepted. Deliberately not here: the
// rules of a sale, a settlement or a refund (shared/, state/), and the
// payload shapes (shared/payloads.hpp).
#pragma once

#include "effects/context.hpp"
#include "effects/op_recorder.hpp"
#include "state/app_state.hpp"

#include <cstddef>
#include <string>

namespace salespider::effects {

class Selling {
 public:
  Selling(Context& ctx, OpRecorder& recorder) : ctx_(ctx), recorder_(recorder) {}
  Selling(const Selling&) = delete;
  Selling& operator=(const Selling&) = delete;

  void scan(const std::string& code);
  void search(std::string text, std::string category_id, std::size_t offset);
  // Categories, glyphs and the grid after the catalog changed; at most once
  // a second unless forced.
  void publish_catalog(bool force);
  // A cart that got its first line (or came back from the drafts without
  // one) gets its sale id: the op id its sale is recorded under.
  void issue_sale_id(const state::AppState& s);
  // At start-up: a restored cart whose sale the journal already holds (the
  // tab died between the journal commit and "Sale complete") is cleared.
  void settle_restored_cart(const state::AppState& s);
  // Each runs once per token the reducer accepted, under the token's op id
  // (a sale's is the cart's sale id).
  void complete_sale(const state::AppState& s);
  void record_void(const state::PendingVoid& v, const state::AppState& s, const std::string& op_id);
  void record_refund(const state::AppState& s, const std::string& op_id);

 private:
  Context& ctx_;
  OpRecorder& recorder_;
  double last_catalog_publish_ms_ = -1e9;
  std::size_t glyph_count_ = 0;
};

}  // namespace salespider::effects
