// `salespider till list|rename|retire|enrol-code`: enrolled tills from the
// server's shell. Enrolment itself happens in the browser being enrolled (it
// must receive the credential), through POST /api/v1/tills or, with a code
// made here or on the back office, POST /api/v1/tills/enrol-with-code.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli_database.hpp"
#include "app/commands.hpp"
#include "app/config_flags.hpp"
#include "service/sync_attention.hpp"

namespace salespider::app {
namespace {

// Where a new device finds the till app, from the configuration.
std::string till_url(const config::Config& c) {
  const std::string host = c.host_ip.empty() ? c.domain : c.host_ip;
  return "https://" + host + (c.https_port == 443 ? "" : ":" + std::to_string(c.https_port)) + "/";
}

std::string setup_url(const config::Config& c) {
  const std::string host = c.host_ip.empty() ? c.domain : c.host_ip;
  return "http://" + host + (c.http_port == 80 ? "" : ":" + std::to_string(c.http_port)) + "/setup";
}

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
  auto* till = app.add_subcommand("till", "Enrolled tills: list, rename, retire, enrolment codes");
  till->require_subcommand(1);
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto json = std::make_shared<bool>(false);
    auto stale_after = std::make_shared<std::int64_t>(service::sync::kDefaultStaleAfterSeconds);
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
    auto force = std::make_shared<bool>(false);
    auto* cmd =
        till->add_subcommand("retire", "Retire a till: its credential, grants and sessions end at once");
    add_config_flags(cmd, flags);
    cmd->add_option("till", *key, "Till id or code")->required();
    cmd->add_flag("--force", *force, "Retire even though the till last reported unsynced ops");
    cmd->callback([flags, key, force] {
      set_exit_code(with_store(*flags, "till retire", [&](CliStore& s) {
        const auto id = till_id(s, *key);
        if (!id) return 1;
        auto r = s.services().tills().retire(s.store_id(), *id, CliStore::actor(), *force);
        if (!r) {
          std::cerr << "till retire: " << r.error().text() << "\n";
          if (r.error().field == "confirm")
            std::cerr << "its ops are not on the server yet: let it sync first, or retire it with --force and hand "
                         "its ops over (re-enrol that browser, or export them there and `salespider ops import "
                         "FILE`)\n";
          return 1;
        }
        std::cout << "retired " << *key << "\n";
        return 0;
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto json = std::make_shared<bool>(false);
    auto name = std::make_shared<std::string>();
    auto* cmd = till->add_subcommand(
        "enrol-code", "Make a single-use code (valid 15 minutes) that enrols one new till without a sign-in");
    add_config_flags(cmd, flags);
    cmd->add_option("--name", *name, "The name the till gets unless it types another");
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->callback([flags, json, name] {
      const auto loaded = load_config_or_report(*flags);
      if (!loaded) return set_exit_code(2);
      set_exit_code(with_store(*flags, "till enrol-code", [&](CliStore& s) {
        auto code = s.services().tills().create_enrol_code(s.store_id(), *name, CliStore::actor());
        if (!code) {
          std::cerr << "till enrol-code: " << (code.error().field.empty() ? "" : code.error().field + ": ")
                    << code.error().message << "\n";
          return code.error().problem == service::Problem::invalid ? 2 : 1;
        }
        const auto& c = loaded->config;
        if (*json) {
          std::cout << nlohmann::json{{"code", code->code},
                                      {"expires_at", code->expires_at},
                                      {"till_url", till_url(c)},
                                      {"setup_url", setup_url(c)}}
                           .dump(2)
                    << "\n";
          return 0;
        }
        std::cout << "enrolment code: " << code->code << "\n"
                  << "valid until " << code->expires_at << ", for one till\n"
                  << "on the new device: trust the store's CA (" << setup_url(c) << "), open " << till_url(c)
                  << ", tap \"Enrol with a code\" and type the code\n";
        return 0;
      }));
    });
  }
}

}  // namespace salespider::app
