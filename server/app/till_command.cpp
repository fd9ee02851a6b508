// `salespider till list|rename|retire`: enrolled tills from the server's
// shell. Enrolment itself happens in the browser being enrolled (it must
// receive the credential), through POST /api/v1/tills.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli_database.hpp"
#include "app/commands.hpp"

namespace salespider::app {
namespace {

// Id or code -> id.
std::optional<std::string> till_id(CliStore& s, const std::string& key) {
  auto t = s.services().tills().get(s.store_id(), key);
  if (!t) {
    std::cerr << "no till with that id or code\n";
    return std::nullopt;
  }
  return t->id;
}

}  // namespace

void add_till_command(CLI::App& app) {
  auto* till = app.add_subcommand("till", "Enrolled tills: list, rename, retire");
  till->require_subcommand(1);
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto json = std::make_shared<bool>(false);
    auto stale_after = std::make_shared<std::int64_t>(3600);
    auto* cmd = till->add_subcommand("list", "List tills, with their sync health");
    add_config_flags(cmd, flags);
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->add_option("--stale-after", *stale_after, "Warn about tills not synced for this many seconds")
        ->capture_default_str();
    cmd->callback([flags, json, stale_after] {
      set_exit_code(with_store(*flags, "till list", [&](CliStore& s) {
        const auto tills = s.services().tills().list(s.store_id());
        if (*json) {
          nlohmann::json out = nlohmann::json::array();
          for (const auto& t : tills) {
            out.push_back(
                {{"id", t.id},
                 {"name", t.name},
                 {"code", t.code},
                 {"status", t.status},
                 {"enrolled_at", t.enrolled_at},
                 {"last_seen_at", t.last_seen_at ? nlohmann::json(*t.last_seen_at) : nlohmann::json()},
                 {"highest_receipt_seq", t.highest_receipt_seq}});
          }
          std::cout << out.dump(2) << "\n";
          return 0;
        }
        for (const auto& t : tills) {
          std::printf("%-36s  %-8s %-8s %-30s last seen %s\n", t.id.c_str(), t.code.c_str(), t.status.c_str(),
                      t.name.c_str(), t.last_seen_at.value_or("never").c_str());
        }
        if (!tills.empty()) std::cout << "\nsync health:\n";
        return print_till_health(s, *stale_after, false);
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto key = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    auto* cmd = till->add_subcommand("rename", "Rename a till");
    add_config_flags(cmd, flags);
    cmd->add_option("till", *key, "Till id or code")->required();
    cmd->add_option("name", *name, "New name")->required();
    cmd->callback([flags, key, name] {
      set_exit_code(with_store(*flags, "till rename", [&](CliStore& s) {
        const auto id = till_id(s, *key);
        if (!id) return 1;
        auto r = s.services().tills().rename(s.store_id(), *id, *name, CliStore::actor());
        if (!r) {
          std::cerr << "till rename: " << r.error().text() << "\n";
          return 1;
        }
        std::cout << "renamed " << *key << "\n";
        return 0;
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto key = std::make_shared<std::string>();
    auto* cmd =
        till->add_subcommand("retire", "Retire a till: its credential, grants and sessions end at once");
    add_config_flags(cmd, flags);
    cmd->add_option("till", *key, "Till id or code")->required();
    cmd->callback([flags, key] {
      set_exit_code(with_store(*flags, "till retire", [&](CliStore& s) {
        const auto id = till_id(s, *key);
        if (!id) return 1;
        auto r = s.services().tills().retire(s.store_id(), *id, CliStore::actor());
        if (!r) {
          std::cerr << "till retire: " << r.error().text() << "\n";
          return 1;
        }
        std::cout << "retired " << *key << "\n";
        return 0;
      }));
    });
  }
}

}  // namespace salespider::app
