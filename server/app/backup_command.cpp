// `salespider backup [--type full|diff|incr]`, `backup info [--json]`,
// `backup check` and `backup secrets --out FILE`: pgBackRest backups of the
// embedded database (service/backups.hpp does the work). They run whether or
// not the server runs. Exit 0 ok, 1 failed or needs attention, 2 not
// applicable (no repository, external DATABASE_URL) or a configuration error.
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/config_flags.hpp"
#include "log/log.hpp"
#include "service/backups.hpp"

namespace fs = std::filesystem;
namespace backups = salespider::service::backups;

namespace salespider::app {
namespace {

std::optional<config::Config> load(const ConfigFlags& flags) {
  auto loaded = load_config_or_report(flags);
  if (!loaded) return std::nullopt;
  log::init(log::Level::warn);
  for (const auto& w : loaded->warnings) log::warn(w);
  return loaded->config;
}

int report(const backups::Outcome& o) {
  (o.exit_code == 0 ? std::cout : std::cerr) << o.message << (o.message.empty() || o.message.back() == '\n' ? "" : "\n");
  return o.exit_code;
}

int run_backup(const ConfigFlags& flags, const std::string& type) {
  const auto config = load(flags);
  if (!config) return kConfigErrorExit;
  return report(backups::backup(*config, type, env_file_in_use(flags)).outcome);
}

int run_info(const ConfigFlags& flags, bool as_json) {
  const auto config = load(flags);
  if (!config) return kConfigErrorExit;
  const auto r = backups::info(*config);
  if (!r.info) return report(r.outcome);
  std::cout << (as_json ? backups::to_json(*r.info, *config) + "\n"
                        : backups::describe(*r.info, *config, std::time(nullptr)));
  // No backup at all needs attention.
  return r.info->sets.empty() ? 1 : 0;
}

int run_check(const ConfigFlags& flags) {
  const auto config = load(flags);
  if (!config) return kConfigErrorExit;
  return report(backups::check(*config));
}

int run_secrets(const ConfigFlags& flags, const std::string& out) {
  const auto config = load(flags);
  if (!config) return kConfigErrorExit;
  const auto pass = config->pgbackrest_options.count("repo1-cipher-pass") != 0
                        ? config->pgbackrest_options.at("repo1-cipher-pass")
                        : std::string();
  try {
    backups::write_secrets_archive({fs::absolute(config->data_path).lexically_normal(), env_file_in_use(flags)}, pass,
                                   out);
  } catch (const std::exception& e) {
    std::cerr << "backup secrets: " << e.what() << "\n";
    return 1;
  }
  std::cout << "wrote the store's secrets (CA key and certificates, signing keys, .env) to " << out
            << (pass.empty() ? " (NOT encrypted: keep it somewhere only you can read)"
                             : " (encrypted with PGBACKREST_REPO1_CIPHER_PASS)")
            << "\n";
  return 0;
}

}  // namespace

void add_backup_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("backup", "Back up the embedded database with pgBackRest; info, check, secrets");
  cmd->require_subcommand(0, 1);
  auto flags = std::make_shared<ConfigFlags>();
  auto type = std::make_shared<std::string>();
  add_config_flags(cmd, flags);
  cmd->add_option("--type", *type, "full, diff or incr (default: full when none in the last 7 days, else diff)")
      ->check(CLI::IsMember({"full", "diff", "incr"}));
  cmd->callback([cmd, flags, type] {
    if (cmd->get_subcommands().empty()) set_exit_code(run_backup(*flags, *type));
  });

  auto info_flags = std::make_shared<ConfigFlags>();
  auto json = std::make_shared<bool>(false);
  auto* info = cmd->add_subcommand("info", "Backup sets, sizes and the point-in-time recovery window");
  add_config_flags(info, info_flags);
  info->add_flag("--json", *json, "Print JSON");
  info->callback([info_flags, json] { set_exit_code(run_info(*info_flags, *json)); });

  auto check_flags = std::make_shared<ConfigFlags>();
  auto* check = cmd->add_subcommand("check", "Prove that WAL archiving reaches the repository (exit 1 if not)");
  add_config_flags(check, check_flags);
  check->callback([check_flags] { set_exit_code(run_check(*check_flags)); });

  auto secrets_flags = std::make_shared<ConfigFlags>();
  auto out = std::make_shared<std::string>();
  auto* secrets = cmd->add_subcommand("secrets", "Write the store's secrets archive (CA, signing keys, .env) to FILE");
  add_config_flags(secrets, secrets_flags);
  secrets->add_option("--out", *out, "Where to write it")->required();
  secrets->callback([secrets_flags, out] { set_exit_code(run_secrets(*secrets_flags, *out)); });
}

}  // namespace salespider::app
