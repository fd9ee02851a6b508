// See config_flags.hpp.
#include "app/config_flags.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

extern char** environ;

namespace salespider::app {

void add_variable_flag(CLI::App* cmd, const std::shared_ptr<ConfigFlags>& flags, const std::string& flag,
                       const std::string& name, const std::string& help) {
  cmd->add_option_function<std::string>(
         flag, [flags, name](const std::string& value) { flags->values[name] = value; }, help + " (" + name + ")")
      ->type_name("VALUE");
}

void add_config_flags(CLI::App* cmd, const std::shared_ptr<ConfigFlags>& flags) {
  cmd->add_option("--env-file", flags->env_file,
                  "The .env file to read (default: $SALESPIDER_ENV_FILE, else ./.env when present)");
  add_variable_flag(cmd, flags, "--data-path", "DATA_PATH", "Where the database, certificates and logs live");
  add_variable_flag(cmd, flags, "--database-url", "DATABASE_URL", "Use this PostgreSQL instead of the embedded one");
  add_variable_flag(cmd, flags, "--log-level", "LOG_LEVEL", "trace, debug, info, warn or error");
}

std::optional<config::Loaded> load_config_or_report(const ConfigFlags& flags) {
  config::Layers layers;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) layers.environment.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  std::string path = flags.env_file;
  bool explicit_path = !path.empty();
  if (!explicit_path) {
    if (const char* env = std::getenv("SALESPIDER_ENV_FILE"); env != nullptr && *env != '\0') {
      path = env;
      explicit_path = true;
    } else {
      path = ".env";
    }
  }
  if (std::filesystem::exists(path)) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) {
      std::cerr << "configuration error: cannot read " << path << "\n";
      return std::nullopt;
    }
    layers.dotenv_text = text.str();
    layers.dotenv_name = path;
  } else if (explicit_path) {
    std::cerr << "configuration error: the .env file " << path << " does not exist\n";
    return std::nullopt;
  }
  layers.flags = flags.values;
  auto loaded = config::load(layers);
  if (!loaded) {
    std::cerr << "configuration error (nothing was started):\n";
    std::istringstream lines(loaded.error().context);
    for (std::string line; std::getline(lines, line);) std::cerr << "  " << line << "\n";
    return std::nullopt;
  }
  return std::move(loaded).value();
}

std::optional<std::filesystem::path> env_file_in_use(const ConfigFlags& flags) {
  std::string path = flags.env_file;
  if (path.empty()) {
    const char* env = std::getenv("SALESPIDER_ENV_FILE");
    path = env != nullptr && *env != '\0' ? env : ".env";
  }
  if (!std::filesystem::is_regular_file(path)) return std::nullopt;
  return std::filesystem::absolute(path);
}

}  // namespace salespider::app
