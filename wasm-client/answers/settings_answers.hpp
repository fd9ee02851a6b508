// The store server's settings object (GET and PATCH /api/v1/settings,
// docs/api.md "Settings") read into the Settings screen's StoreSettings, and
// the PATCH body the screen sends: only the fields that differ from what it
// read, with that row_version. Forgiving about fields it does not need,
// strict about the ones it uses (a malformed answer is nullopt). No I/O.
#pragma once

#include "state/settings.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::answers {

std::optional<state::StoreSettings> parse_settings(std::string_view body);

// A refused PATCH: the field it names and, for a stale one, the settings now.
struct SettingsRefusal {
  std::string field;
  std::optional<state::StoreSettings> current;
};
SettingsRefusal parse_settings_refusal(std::string_view body);

// GET /api/v1/tax-rates as the default tax rate picker lists them (active ones).
std::vector<state::TaxChoice> parse_tax_choices(std::string_view body);

// {"row_version": read.row_version, <each field of `draft` that differs from `read`>}.
std::string settings_patch_body(const state::StoreSettings& read, const state::StoreSettings& draft);

}  // namespace salespider::answers
