// The till's drafts: the cart in progress and the parked sales, as one JSON
// record the controller writes to IndexedDB after every change and reads
// back after a reload (ux.md: nothing is lost on reload).
//
// Drafts are not ops: they never reach the server, so the record is small and
// rewritten whole. Decoding is forgiving about what it skips and strict about
// what it keeps: a damaged record yields no drafts (and says why), never a
// crash or a half-read line. Deliberately not here: where the record lives
// (platform/storage) and when it is written (effects/till_controller.cpp).
#pragma once

#include "state/app_state.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace salespider::state {

struct Drafts {
  CartState cart;  // sale_id, lines, discounts, approver
  std::vector<ParkedSale> parked;
};

std::string encode_drafts(const CartState& cart, const std::vector<ParkedSale>& parked);

// Empty drafts when `json` is empty; an error text in `error` when it is damaged.
Drafts decode_drafts(std::string_view json, std::string& error);

}  // namespace salespider::state
