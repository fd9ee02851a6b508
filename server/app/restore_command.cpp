// `salespider restore [--time "YYYY-MM-DD HH:MM:SS"] [--set LABEL] [--force]
// [--yes]`: the database back from the pgBackRest repository (latest, a point
// in time on the store's clock, or one backup set). The work is
// service/restore.cpp; here only flags, the confirmation and printing.
// Exit 0 done, 1 refused (tills with unsynced ops) or failed, 2 usage.
#include <unistd.h>

#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/config_flags.hpp"
#include "log/log.hpp"
#include "service/restore.hpp"

namespace salespider::app {
namespace {

struct RestoreFlags {
  std::string time;
  std::string set;
  bool force = false;
  bool yes = false;
};

bool confirmed(const std::string& what) {
  std::cout << "This replaces the store's database with " << what
            << ". Everything recorded after it is gone from the server (tills push again what they still "
               "keep). Type yes to go on: "
            << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "yes";
}

int run_restore(const ConfigFlags& flags, const RestoreFlags& r) {
  auto loaded = load_config_or_report(flags);
  if (!loaded) return kConfigErrorExit;
  log::init(log::Level::warn);
  for (const auto& w : loaded->warnings) log::warn(w);
  if (!r.time.empty() && !r.set.empty()) {
    std::cerr << "restore: give --time or --set, not both\n";
    return kConfigErrorExit;
  }
  service::restore::Request req;
  if (!r.time.empty()) {
    req.target = service::restore::Target::time;
    req.time = r.time;
  } else if (!r.set.empty()) {
    req.target = service::restore::Target::set;
    req.set = r.set;
  }
  req.force = r.force;
  const auto data_path = std::filesystem::absolute(loaded->config.data_path).lexically_normal();
  req.self_flags = {"--data-path", data_path.string()};
  if (!flags.env_file.empty()) {
    req.self_flags.push_back("--env-file");
    req.self_flags.push_back(std::filesystem::absolute(flags.env_file).string());
  }
  if (auto problem = service::restore::request_problem(loaded->config, req)) {
    std::cerr << "restore: " << *problem << "\n";
    return kConfigErrorExit;
  }
  if (!r.yes) {
    const std::string what = req.target == service::restore::Target::time  ? "its state at " + req.time
                             : req.target == service::restore::Target::set ? "backup set " + req.set
                                                                            : "the latest state in the backups";
    if (!::isatty(STDIN_FILENO)) {
      std::cerr << "restore: not confirmed; add --yes to restore without a question\n";
      return kConfigErrorExit;
    }
    if (!confirmed(what)) {
      std::cerr << "restore: cancelled, nothing changed\n";
      return 1;
    }
  }
  const auto outcome =
      service::restore::run(loaded->config, req, [](const std::string& line) { std::cout << line << std::endl; });
  return outcome.exit_code;
}

}  // namespace

void add_restore_command(CLI::App& app) {
  auto flags = std::make_shared<ConfigFlags>();
  auto r = std::make_shared<RestoreFlags>();
  auto* cmd = app.add_subcommand(
      "restore", "Restore the database from the backups: the latest state, a point in time or one backup set");
  add_config_flags(cmd, flags);
  auto* time = cmd->add_option("--time", r->time,
                               "Restore the state at this time, the store's local clock: \"YYYY-MM-DD HH:MM:SS\"");
  cmd->add_option("--set", r->set, "Restore this backup set as it was (a label from `backup info`)")->excludes(time);
  cmd->add_flag("--force", r->force, "Restore although tills report ops the server has not received");
  cmd->add_flag("--yes", r->yes, "Do not ask for confirmation");
  cmd->callback([flags, r] { set_exit_code(run_restore(*flags, *r)); });
}

}  // namespace salespider::app
