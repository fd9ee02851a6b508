// `salespider audit verify|export|anchors`: check the audit chain against the
// anchors outside the database, write the (filtered) log as CSV, and copy
// the signed anchors off the server.
// verify exits 1 and names the first bad row when the chain was tampered with.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli_database.hpp"
#include "app/commands.hpp"
#include "auth/crypto.hpp"
#include "service/audit.hpp"

namespace salespider::app {

void add_audit_command(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "The audit log: verify the chain, export CSV, copy the anchors");
  audit->require_subcommand(1);
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto anchor = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto* cmd = audit->add_subcommand("verify", "Recompute the hash chain and compare it with the anchors");
    add_config_flags(cmd, flags);
    cmd->add_option("--anchor-file", *anchor,
                    "Anchors to check against (default DATA_PATH/audit-anchor.jsonl)");
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->callback([flags, anchor, json] {
      set_exit_code(with_store(*flags, "audit verify", [&](CliStore& s) {
        auto& svc = s.services().audit();
        int skipped = 0;
        const auto anchors = service::read_anchors(
            anchor->empty() ? svc.anchor_file() : std::filesystem::path(*anchor), &skipped);
        const auto r = svc.verify(anchors);
        if (*json) {
          std::cout << nlohmann::json{{"ok", r.ok},
                                      {"checked", r.checked},
                                      {"unsealed", r.unsealed},
                                      {"head_position", r.head.position},
                                      {"head_hash", auth::to_hex(r.head.hash)},
                                      {"anchors_checked", r.anchors_checked},
                                      {"anchors_unsigned", r.anchors_unsigned},
                                      {"first_bad_position", r.first_bad_position
                                                                 ? nlohmann::json(*r.first_bad_position)
                                                                 : nlohmann::json()},
                                      {"first_bad_id",
                                       r.first_bad_id ? nlohmann::json(*r.first_bad_id) : nlohmann::json()},
                                      {"problem", r.problem}}
                           .dump(2)
                    << "\n";
        } else if (r.ok) {
          std::cout << "audit chain OK: " << r.checked << " rows, head " << r.head.position << " "
                    << auth::to_hex(r.head.hash) << ", " << r.anchors_checked << " anchors match, "
                    << r.unsealed << " not sealed yet\n";
          if (r.anchors_checked == 0)
            std::cout << "warning: no anchors found: a rewritten chain cannot be detected\n";
        } else {
          std::cout << "audit chain BROKEN: " << r.problem << "\n";
          if (r.first_bad_position) std::cout << "first bad position: " << *r.first_bad_position << "\n";
          if (r.first_bad_id) std::cout << "first bad row id: " << *r.first_bad_id << "\n";
        }
        if (r.anchors_unsigned > 0)
          std::cerr << "warning: " << r.anchors_unsigned << " unsigned anchor lines were not trusted\n";
        if (skipped > 0) std::cerr << "warning: " << skipped << " malformed anchor lines were skipped\n";
        return r.ok ? 0 : 1;
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto dir = std::make_shared<std::string>();
    auto* cmd = audit->add_subcommand("anchors", "Copy the signed chain-head anchors off the server");
    add_config_flags(cmd, flags);
    cmd->add_option("--export", *dir, "Directory to copy audit-anchor.jsonl and audit-anchor.pub into")->required();
    cmd->callback([flags, dir] {
      // No database needed: the anchors are files under DATA_PATH.
      auto loaded = load_config_or_report(*flags);
      if (!loaded) {
        set_exit_code(kConfigErrorExit);
        return;
      }
      try {
        const auto data_path = std::filesystem::absolute(loaded->config.data_path).lexically_normal();
        const auto n = service::export_anchors(data_path, *dir);
        std::cout << "copied " << n << " anchors and the public key to " << *dir << "\n";
        set_exit_code(0);
      } catch (const std::exception& e) {
        std::cerr << "audit anchors: " << e.what() << "\n";
        set_exit_code(1);
      }
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto out_file = std::make_shared<std::string>();
    auto filter = std::make_shared<db::AuditFilter>();
    auto action = std::make_shared<std::string>();
    auto from = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    auto* cmd = audit->add_subcommand("export", "Write every matching audit row as CSV (never cut)");
    add_config_flags(cmd, flags);
    cmd->add_option("--out,-o", *out_file, "File to write (default: stdout)");
    cmd->add_option("--action", *action, "Action, or a prefix ending in '.' (user.)");
    cmd->add_option("--from", *from, "From this time (ISO 8601), inclusive");
    cmd->add_option("--to", *to, "Until this time (ISO 8601), exclusive");
    cmd->callback([flags, out_file, filter, action, from, to] {
      set_exit_code(with_store(*flags, "audit export", [&](CliStore& s) {
        if (!action->empty()) filter->action_prefix = *action;
        if (!from->empty()) filter->from = *from;
        if (!to->empty()) filter->to = *to;
        std::int64_t rows = 0;
        if (out_file->empty()) {
          rows = s.services().audit().export_csv(s.store_id(), *filter, std::cout);
        } else {
          std::ofstream out(*out_file, std::ios::binary);
          rows = s.services().audit().export_csv(s.store_id(), *filter, out);
          out.flush();
          if (!out) throw std::runtime_error("cannot write " + *out_file);
          std::cerr << "wrote " << rows << " rows to " << *out_file << "\n";
        }
        s.services().audit().record_export(s.store_id(), CliStore::actor(), "cli audit export", rows);
        return 0;
      }));
    });
  }
}

}  // namespace salespider::app
