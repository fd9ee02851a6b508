// `salespider session list|revoke`: people's sessions from the server's shell.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli_database.hpp"
#include "app/commands.hpp"

namespace salespider::app {

void add_session_command(CLI::App& app) {
  auto* session = app.add_subcommand("session", "People's sessions: list, revoke");
  session->require_subcommand(1);
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto who = std::make_shared<std::string>();
    auto all = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    auto* cmd = session->add_subcommand("list", "List live sessions (--all: ended ones too)");
    add_config_flags(cmd, flags);
    cmd->add_option("--user", *who, "Only this person's (id, e-mail or username)");
    cmd->add_flag("--all", *all, "Include ended sessions");
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->callback([flags, who, all, json] {
      set_exit_code(with_store(*flags, "session list", [&](CliStore& s) {
        std::optional<std::string> user;
        if (!who->empty()) {
          auto u = s.services().users().find(s.store_id(), *who);
          if (!u) {
            std::cerr << "session list: " << u.error().text() << "\n";
            return 1;
          }
          user = u->id;
        }
        const auto sessions = s.services().auth().list_sessions(s.store_id(), user, *all);
        if (*json) {
          nlohmann::json out = nlohmann::json::array();
          for (const auto& x : sessions) {
            out.push_back({{"id", x.id},
                           {"username", x.username},
                           {"created_at", x.created_at},
                           {"last_seen_at", x.last_seen_at},
                           {"expires_at", x.expires_at},
                           {"active", x.active},
                           {"till_id", x.till_id ? nlohmann::json(*x.till_id) : nlohmann::json()},
                           {"client_ip", x.client_ip ? nlohmann::json(*x.client_ip) : nlohmann::json()}});
          }
          std::cout << out.dump(2) << "\n";
          return 0;
        }
        for (const auto& x : sessions) {
          std::printf("%-36s  %-20s %-7s last seen %s  expires %s  %s\n", x.id.c_str(), x.username.c_str(),
                      x.active ? "active" : "ended", x.last_seen_at.c_str(), x.expires_at.c_str(),
                      x.client_ip.value_or("").c_str());
        }
        return 0;
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto id = std::make_shared<std::string>();
    auto* cmd = session->add_subcommand("revoke", "End a session at once");
    add_config_flags(cmd, flags);
    cmd->add_option("id", *id, "Session id")->required();
    cmd->callback([flags, id] {
      set_exit_code(with_store(*flags, "session revoke", [&](CliStore& s) {
        auto r = s.services().auth().revoke_session(s.store_id(), *id, std::nullopt, CliStore::actor());
        if (!r) {
          std::cerr << "session revoke: " << r.error().text() << "\n";
          return 1;
        }
        std::cout << "revoked " << *id << "\n";
        return 0;
      }));
    });
  }
}

}  // namespace salespider::app
