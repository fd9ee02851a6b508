// `salespider ops list|show|resolve|dismiss|retry`: the "needs attention"
// list from the server's shell (the same service as /api/v1/ops), and the
// till-health table `salespider till list` prints. Every resolution is
// audited with the CLI as its actor.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli_database.hpp"
#include "app/commands.hpp"
#include "service/sync_attention.hpp"
#include "service/sync_grants.hpp"
#include "service/sync_push.hpp"
#include "service/till_handover.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace salespider::app {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

nlohmann::json op_json(const db::OpInfo& o) {
  nlohmann::json flags = nlohmann::json::array();
  for (const auto& f : o.flag_rows)
    flags.push_back({{"kind", f.kind}, {"detail", nlohmann::json::parse(f.detail, nullptr, false)},
                     {"sale_id", f.sale_id ? nlohmann::json(*f.sale_id) : nlohmann::json()}});
  return {{"op_id", o.op_id},       {"till_code", o.till_code},   {"kind", o.kind},
          {"status", o.status},     {"reject_code", o.reject_code}, {"reject_message", o.reject_message},
          {"flags", o.flags},       {"user_id", o.user_id},       {"occurred_at", o.occurred_at},
          {"received_at", o.received_at}, {"resolution", o.resolution}, {"resolution_note", o.resolution_note},
          {"resolved_at", o.resolved_at}, {"retried_at", o.retried_at},
          {"payload", o.payload.empty() ? nlohmann::json() : nlohmann::json::parse(o.payload, nullptr, false)},
          {"flag_details", flags}};
}

// The sync services over the CLI's store, for one command.
struct Attention {
  explicit Attention(CliStore& s)
      : push(s.services().pool(), service::sync::grant_check(s.services().grants())),
        attention(s.services().pool(), push) {}
  service::sync::PushService push;
  service::sync::AttentionService attention;
};

void add_close(CLI::App* ops, const char* name, const char* resolution, const char* help) {
  auto flags = std::make_shared<ConfigFlags>();
  auto id = std::make_shared<std::string>();
  auto note = std::make_shared<std::string>();
  auto* cmd = ops->add_subcommand(name, help);
  add_config_flags(cmd, flags);
  cmd->add_option("op", *id, "Op id")->required();
  cmd->add_option("--note", *note, "Why (kept in the op and the audit log)");
  cmd->callback([flags, id, note, resolution, name] {
    set_exit_code(with_store(*flags, name, [&](CliStore& s) {
      Attention a(s);
      auto r = a.attention.close(s.store_id(), *id, resolution, *note, CliStore::actor());
      if (!r) {
        std::cerr << "ops " << name << ": " << r.error().text() << "\n";
        return 1;
      }
      std::cout << r->op_id << " " << r->resolution << "\n";
      return 0;
    }));
  });
}

}  // namespace

int print_till_health(CliStore& s, std::int64_t stale_after_seconds, bool as_json) {
  Attention a(s);
  const auto tills = a.attention.till_health(s.store_id());
  int stale = 0;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& h : tills) {
    const bool is_stale = service::sync::till_sync_stale(h, stale_after_seconds);
    stale += is_stale;
    if (as_json) {
      out.push_back({{"till_id", h.till_id}, {"code", h.code}, {"name", h.name}, {"status", h.status},
                     {"last_push_at", h.last_push_at}, {"last_pull_at", h.last_pull_at},
                     {"seconds_since_sync", h.seconds_since_sync},
                     {"outbox_depth", h.outbox_depth ? nlohmann::json(*h.outbox_depth) : nlohmann::json()},
                     {"oldest_op_age_ms", h.oldest_op_age_ms ? nlohmann::json(*h.oldest_op_age_ms) : nlohmann::json()},
                     {"app_version", h.app_version},
                     {"clock_skew_ms", h.clock_skew_ms ? nlohmann::json(*h.clock_skew_ms) : nlohmann::json()},
                     {"open_attention", h.open_attention}, {"stale", is_stale}});
      continue;
    }
    std::printf("%-8s %-8s push %-20s pull %-20s outbox %-5s oldest %-9s app %-10s skew %-8s attention %lld%s\n",
                h.code.c_str(), h.status.c_str(), h.last_push_at.empty() ? "never" : h.last_push_at.c_str(),
                h.last_pull_at.empty() ? "never" : h.last_pull_at.c_str(),
                h.outbox_depth ? std::to_string(*h.outbox_depth).c_str() : "-",
                h.oldest_op_age_ms ? (std::to_string(*h.oldest_op_age_ms / 1000) + "s").c_str() : "-",
                h.app_version.empty() ? "-" : h.app_version.c_str(),
                h.clock_skew_ms ? (std::to_string(*h.clock_skew_ms / 1000) + "s").c_str() : "-",
                static_cast<long long>(h.open_attention), is_stale ? "  WARNING: not synced recently" : "");
  }
  if (as_json) {
    std::cout << out.dump(2) << "\n";
  } else if (stale > 0) {
    std::cerr << "warning: " << stale << " active till(s) have not synced for more than " << stale_after_seconds
              << " s\n";
  }
  return 0;
}

void add_ops_command(CLI::App& app) {
  auto* ops = app.add_subcommand("ops", "Ops that need attention: list, show, resolve, dismiss, retry; import a till's export file");
  ops->require_subcommand(1);
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto query = std::make_shared<db::OpQuery>();
    auto json = std::make_shared<bool>(false);
    auto* cmd = ops->add_subcommand("list", "List ops (default: rejected or flagged, not resolved)");
    add_config_flags(cmd, flags);
    cmd->add_option("--state", query->state, "open | rejected | flagged | resolved | all")->capture_default_str();
    cmd->add_option("--till", query->till_id, "Only this till (id)");
    cmd->add_option("--kind", query->kind, "Only this op kind (sale, refund, ...)");
    cmd->add_option("--limit", query->limit, "At most this many (1-1000)")->capture_default_str();
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->callback([flags, query, json] {
      set_exit_code(with_store(*flags, "ops list", [&](CliStore& s) {
        Attention a(s);
        auto list = a.attention.list(s.store_id(), *query);
        if (!list) {
          std::cerr << "ops list: " << list.error().text() << "\n";
          return 1;
        }
        if (*json) {
          nlohmann::json out = nlohmann::json::array();
          for (const auto& o : *list) out.push_back(op_json(o));
          std::cout << out.dump(2) << "\n";
          return 0;
        }
        for (const auto& o : *list) {
          std::printf("%s  %-6s %-14s %-8s %-24s %s%s\n", o.op_id.c_str(), o.till_code.c_str(), o.kind.c_str(),
                      o.status.c_str(), o.received_at.c_str(),
                      o.status == "rejected" ? (o.reject_code + ": " + o.reject_message).c_str()
                                             : ("flags: " + join(o.flags)).c_str(),
                      o.resolution.empty() ? "" : ("  [" + o.resolution + "]").c_str());
        }
        if (list->empty()) std::cout << "nothing needs attention\n";
        return 0;
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto id = std::make_shared<std::string>();
    auto* cmd = ops->add_subcommand("show", "Show one op: envelope, payload, flags, resolution (JSON)");
    add_config_flags(cmd, flags);
    cmd->add_option("op", *id, "Op id")->required();
    cmd->callback([flags, id] {
      set_exit_code(with_store(*flags, "ops show", [&](CliStore& s) {
        Attention a(s);
        auto op = a.attention.show(s.store_id(), *id);
        if (!op) {
          std::cerr << "ops show: " << op.error().text() << "\n";
          return 1;
        }
        std::cout << op_json(*op).dump(2) << "\n";
        return 0;
      }));
    });
  }
  add_close(ops, "resolve", "resolved", "Mark an op handled by other means (audited)");
  add_close(ops, "dismiss", "dismissed", "Dismiss an op: nothing to do (audited)");
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto id = std::make_shared<std::string>();
    auto* cmd = ops->add_subcommand("retry", "Record a rejected op again, through the same checks (audited)");
    add_config_flags(cmd, flags);
    cmd->add_option("op", *id, "Op id")->required();
    cmd->callback([flags, id] {
      set_exit_code(with_store(*flags, "ops retry", [&](CliStore& s) {
        Attention a(s);
        auto r = a.attention.retry(s.store_id(), *id, CliStore::actor(), s.services().clock().now_ms());
        if (!r) {
          std::cerr << "ops retry: " << r.error().text() << "\n";
          return 1;
        }
        std::cout << r->op_id << " " << to_string(r->status) << (r->code.empty() ? "" : " (" + r->code + ")") << " "
                  << r->message << "\n";
        return r->status == OpStatus::applied ? 0 : 1;
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto path = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto* cmd = ops->add_subcommand(
        "import", "Import a till's export file (its unsynced ops) through the push checks; idempotent (audited)");
    add_config_flags(cmd, flags);
    cmd->add_option("file", *path, "The till's export file (salespider-pending-ops-*.json)")->required();
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->callback([flags, path, json] {
      std::ifstream in(*path, std::ios::binary);
      if (!in) {
        std::cerr << "ops import: cannot read " << *path << "\n";
        return set_exit_code(2);
      }
      std::stringstream text;
      text << in.rdbuf();
      const char* user = std::getenv("SUDO_USER");
      if (user == nullptr) user = std::getenv("USER");
      set_exit_code(with_store(*flags, "ops import", [&](CliStore& s) {
        Attention a(s);
        auto r = service::sync::import_export_file(s.services().pool(), a.push, s.store_id(), text.str(),
                                                   CliStore::actor(), user ? user : "",
                                                   s.services().clock().now_ms());
        if (!r) {
          std::cerr << "ops import: " << r.error().text() << "\nnothing was imported\n";
          return 2;
        }
        if (*json) {
          std::cout << nlohmann::json{{"ops", r->ops},
                                      {"applied", r->applied},
                                      {"new", r->fresh},
                                      {"rejected", r->rejected},
                                      {"tills", r->tills}}
                           .dump(2)
                    << "\n";
        } else {
          std::cout << r->applied << " applied, " << r->fresh << " new";
          if (r->rejected > 0) std::cout << ", " << r->rejected << " rejected (see `salespider ops list`)";
          std::cout << "\n";
        }
        return r->rejected > 0 ? 1 : 0;
      }));
    });
  }
}

}  // namespace salespider::app
