// The configuration flags every subcommand shares (--env-file, --data-path,
// --database-url, --log-level) and loading the configuration from the .env
// file, the process environment and those flags (config::load does the
// rules; this file only gathers the inputs).
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <map>
#include <memory>
#include <string>

#include "config/config.hpp"

namespace salespider::app {

struct ConfigFlags {
  std::string env_file;  // "" = $SALESPIDER_ENV_FILE, else ./.env when it exists
  config::Variables values;  // flag values by variable name
};

// Registers the shared flags on `cmd`, writing into `flags`.
void add_config_flags(CLI::App* cmd, const std::shared_ptr<ConfigFlags>& flags);
// Registers `--<flag>` that sets variable `name` (e.g. --https-port -> HTTPS_PORT).
void add_variable_flag(CLI::App* cmd, const std::shared_ptr<ConfigFlags>& flags, const std::string& flag,
                       const std::string& name, const std::string& help);

// Loads the configuration. On error prints it to stderr (naming each
// variable) and returns nullopt; warnings are returned for the caller to log.
std::optional<config::Loaded> load_config_or_report(const ConfigFlags& flags);

// The .env file load_config_or_report() reads for these flags, or nullopt
// when there is none (the secrets archive keeps a copy of it).
std::optional<std::filesystem::path> env_file_in_use(const ConfigFlags& flags);

// Exit status for a configuration error (distinct from a runtime failure).
inline constexpr int kConfigErrorExit = 2;

}  // namespace salespider::app
