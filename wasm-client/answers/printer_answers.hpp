// GET /api/v1/printers: {printers: [{id, name, host, port, paper_mm,
// code_page, enabled, row_version, ...}]} (docs/api.md "Printers"), the
// fields a till picks a printer by. Strict about those: a malformed answer
// is nullopt. No I/O.
#pragma once

#include "state/printer.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace salespider::answers {

std::optional<std::vector<state::NetworkPrinter>> parse_printers(std::string_view body);

}  // namespace salespider::answers
