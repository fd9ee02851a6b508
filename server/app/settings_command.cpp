// `salespider settings show [--json]` and `salespider settings set
// KEY=VALUE ...`: the store settings from the server's shell, over the same
// service as PATCH /api/v1/settings (docs/api.md "Settings"), so the same
// rules and the same audit row apply; the CLI acts with the authority of the
// shell (no role check) and on the settings as they are now (no row_version
// to give).
//
// Values are typed by the field: yes/no for true/false fields, whole numbers,
// a comma list for enabled_tenders ("cash,card,voucher"), none (or nothing)
// for no logo or no default tax rate, tender_names.KIND=NAME for one tender's
// name, and logo=@FILE to read a PNG or JPEG file. Exit 0 done, 1 refused
// (stale, the currency of a store with sales), 2 bad usage (a key or value,
// named). Deliberately no interactive editing.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "app/cli_database.hpp"
#include "app/commands.hpp"
#include "auth/crypto.hpp"
#include "service/settings.hpp"

namespace salespider::app {
namespace {

using nlohmann::json;

struct Usage {
  std::string message;
};

int report(const service::Failure& f) {
  std::cerr << "refused: " << f.text() << (f.field.empty() ? "" : " (" + f.field + ")") << "\n";
  const bool usage = f.problem == service::Problem::invalid || f.problem == service::Problem::bad_request;
  return usage ? 2 : 1;
}

// Standard base64 with padding, from the one base64url encoder.
std::string base64(const std::string& bytes) {
  auto s = auth::base64url_encode(bytes);
  for (char& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (s.size() % 4 != 0) s += '=';
  return s;
}

json logo_from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Usage{"logo: cannot read " + path};
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const char* type = bytes.rfind("\x89PNG", 0) == 0 ? "png" : bytes.rfind("\xFF\xD8\xFF", 0) == 0 ? "jpeg" : nullptr;
  if (type == nullptr) throw Usage{"logo: " + path + " is not a PNG or JPEG file"};
  return std::string("data:image/") + type + ";base64," + base64(bytes);
}

// KEY=VALUE as a JSON field, typed by what the settings object holds there.
void add_assignment(const json& current, json& patch, const std::string& arg) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos) throw Usage{"expected KEY=VALUE, not " + arg};
  const auto key = arg.substr(0, eq), value = arg.substr(eq + 1);
  if (key.rfind("tender_names.", 0) == 0) {
    if (!patch.contains("tender_names")) patch["tender_names"] = current["tender_names"];
    patch["tender_names"][key.substr(13)] = value;
    return;
  }
  const auto& fields = service::writable_settings_fields();
  if (std::find(fields.begin(), fields.end(), key) == fields.end())
    throw Usage{"unknown setting: " + key + " (see `salespider settings show`)"};
  const auto& now = current[key];
  if (key == "logo") {
    patch[key] = value.empty() || value == "none" ? json() : value[0] == '@' ? logo_from_file(value.substr(1)) : json(value);
  } else if (key == "default_tax_rate_id") {
    patch[key] = value.empty() || value == "none" ? json() : json(value);
  } else if (now.is_boolean()) {
    if (value != "yes" && value != "no" && value != "true" && value != "false")
      throw Usage{key + ": yes or no, not " + value};
    patch[key] = value == "yes" || value == "true";
  } else if (now.is_number_integer()) {
    try {
      std::size_t used = 0;
      const auto n = std::stoll(value, &used);
      if (used != value.size()) throw std::invalid_argument(value);
      patch[key] = n;
    } catch (const std::exception&) {
      throw Usage{key + ": not a whole number: " + value};
    }
  } else if (now.is_array()) {
    json list = json::array();
    std::size_t from = 0;
    while (from <= value.size() && !value.empty()) {
      const auto comma = value.find(',', from);
      list.push_back(value.substr(from, comma == std::string::npos ? std::string::npos : comma - from));
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    patch[key] = list;
  } else {
    patch[key] = value;
  }
}

void print(const json& s) {
  for (const auto& [key, value] : s.items()) {
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (key == "logo" && value.is_string()) text = std::to_string(text.size()) + " characters (data: URL)";
    std::printf("%-32s %s\n", key.c_str(), text.c_str());
  }
}

int guarded(const std::function<int()>& fn) {
  try {
    return fn();
  } catch (const Usage& u) {
    std::cerr << u.message << "\n";
    return 2;
  }
}

}  // namespace

void add_settings_command(CLI::App& app) {
  auto* settings = app.add_subcommand("settings", "Show or change the store settings");
  settings->require_subcommand(1);

  auto flags = std::make_shared<ConfigFlags>();
  auto as_json = std::make_shared<bool>(false);
  auto* show = settings->add_subcommand("show", "Print the store settings");
  add_config_flags(show, flags);
  show->add_flag("--json", *as_json, "The API's settings object");
  show->callback([flags, as_json] {
    set_exit_code(with_store(*flags, "settings show", [&](CliStore& s) {
      auto got = service::read_settings(s.services().pool(), s.store_id());
      if (!got) return report(got.error());
      if (*as_json)
        std::cout << service::settings_json(*got).dump(2) << "\n";
      else
        print(service::settings_json(*got));
      return 0;
    }));
  });

  auto set_flags = std::make_shared<ConfigFlags>();
  auto assignments = std::make_shared<std::vector<std::string>>();
  auto set_json = std::make_shared<bool>(false);
  auto* set = settings->add_subcommand("set", "Change settings: KEY=VALUE ... (e.g. currency=EUR time_zone=Europe/Paris)");
  add_config_flags(set, set_flags);
  set->add_option("assignments", *assignments, "KEY=VALUE pairs")->required();
  set->add_flag("--json", *set_json, "Print the API's settings object afterwards");
  set->callback([set_flags, assignments, set_json] {
    set_exit_code(with_store(*set_flags, "settings set", [&](CliStore& s) {
      return guarded([&] {
        auto now = service::read_settings(s.services().pool(), s.store_id());
        if (!now) return report(now.error());
        const auto current = service::settings_json(*now);
        json patch{{"row_version", now->row_version}};
        for (const auto& a : *assignments) add_assignment(current, patch, a);
        auto done = service::update_settings(s.services().pool(), s.store_id(), patch, CliStore::actor());
        if (!done) return report(done.error());
        if (*set_json)
          std::cout << service::settings_json(*done).dump(2) << "\n";
        else
          std::cout << "settings saved (row version " << done->row_version << ")\n";
        return 0;
      });
    }));
  });
}

}  // namespace salespider::app
