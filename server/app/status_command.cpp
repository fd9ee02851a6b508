// `salespider status`: server, database, disk and certificate at a glance
// (service/status.hpp gathers it). Exit 0 when everything is fine, 1 when
// something needs attention, 2 for a configuration error.
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/config_flags.hpp"
#include "log/log.hpp"
#include "service/status.hpp"

namespace salespider::app {

void add_status_command(CLI::App& app) {
  auto flags = std::make_shared<ConfigFlags>();
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("status", "Show whether the server, its database, disk and certificate are fine");
  add_config_flags(cmd, flags);
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([flags, json] {
    auto loaded = load_config_or_report(*flags);
    if (!loaded) {
      set_exit_code(kConfigErrorExit);
      return;
    }
    log::init(log::Level::error);
    const auto report = service::collect_status(loaded->config);
    if (*json) {
      std::cout << service::to_json(report).dump(2) << "\n";
    } else {
      std::cout << service::to_text(report);
    }
    set_exit_code(report.ok() ? 0 : 1);
  });
}

}  // namespace salespider::app
