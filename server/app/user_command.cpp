// `salespider user add|list|disable|enable|reset-password|set-role|unlock`:
// staff accounts from the server's shell (the first owner, a forgotten
// owner password, a locked-out manager). Passwords come from
// --password-stdin or are generated and printed once, PINs from --pin-stdin
// or --pin-file; never from a flag value, which other users can read in the
// process list (the old `--pin VALUE` is refused with a pointer to these).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli_database.hpp"
#include "app/commands.hpp"
#include "auth/password_policy.hpp"

namespace salespider::app {
namespace {

std::string read_secret_line() {
  std::string line;
  std::getline(std::cin, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

int report(const service::Failure& f) {
  std::cerr << "refused: " << f.text() << (f.field.empty() ? "" : " (" + f.field + ")") << "\n";
  return 1;
}

struct AddOptions {
  std::string email;
  std::string username;
  std::string name;
  std::string role = "cashier";
  bool password_stdin = false;
  bool pin_stdin = false;   // the line after the password's, with --password-stdin
  std::string pin_file;     // the PIN is the file's first line
  std::string pin_on_argv;  // the refused `--pin VALUE`
};

// The PIN from stdin or a file: nullopt when none was asked for, "" when
// the file cannot be read.
std::optional<std::string> read_pin(const AddOptions& o) {
  if (o.pin_stdin) return read_secret_line();
  if (o.pin_file.empty()) return std::nullopt;
  std::ifstream in(o.pin_file);
  std::string line;
  if (!in || !std::getline(in, line)) return std::string();
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

int add(CliStore& store, const AddOptions& o) {
  const auto role = auth::role_from_string(o.role);
  if (!role) {
    std::cerr << "--role must be super_admin, manager or cashier\n";
    return 2;
  }
  service::NewUser u;
  if (!o.email.empty()) u.email = o.email;
  u.username = o.username.empty() ? o.email.substr(0, o.email.find('@')) : o.username;
  u.display_name = o.name.empty() ? u.username : o.name;
  u.role = *role;
  bool generated = false;
  if (o.password_stdin) {
    u.password = read_secret_line();
  } else {
    u.password = auth::generate_password();
    generated = true;
  }
  if (auto pin = read_pin(o)) {
    if (pin->empty()) {
      std::cerr << "user add: no PIN read from " << (o.pin_stdin ? "stdin" : o.pin_file) << "\n";
      return 2;
    }
    u.pin = *pin;
  }
  auto r = store.services().users().create(store.store_id(), u, std::nullopt, CliStore::actor());
  if (!r) return report(r.error());
  std::cout << "added " << r->username << " (" << auth::to_string(r->role) << ", id " << r->id << ")\n";
  if (generated) std::cout << "password: " << u.password << "  (shown once; ask them to change it)\n";
  return 0;
}

int list(CliStore& store, bool json) {
  const auto users = store.services().users().list(store.store_id());
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& u : users) {
      out.push_back({{"id", u.id},
                     {"email", u.email ? nlohmann::json(*u.email) : nlohmann::json()},
                     {"username", u.username},
                     {"display_name", u.display_name},
                     {"role", std::string(auth::to_string(u.role))},
                     {"status", u.status},
                     {"locked_until", u.locked_until ? nlohmann::json(*u.locked_until) : nlohmann::json()}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  for (const auto& u : users) {
    std::printf("%-36s  %-20s %-12s %-9s %s%s\n", u.id.c_str(), u.username.c_str(),
                std::string(auth::to_string(u.role)).c_str(), u.status.c_str(), u.email.value_or("").c_str(),
                u.locked_until ? (" (locked until " + *u.locked_until + ")").c_str() : "");
  }
  return 0;
}

// Resolves WHO (id, e-mail or username), then runs fn on the user's id.
int on_user(CliStore& store, const std::string& who,
            const std::function<service::Completion(const std::string&)>& fn, const std::string& done) {
  auto u = store.services().users().find(store.store_id(), who);
  if (!u) return report(u.error());
  auto r = fn(u->id);
  if (!r) return report(r.error());
  std::cout << done << " " << u->username << "\n";
  return 0;
}

}  // namespace

void add_user_command(CLI::App& app) {
  auto* user = app.add_subcommand(
      "user", "Staff accounts: add, list, disable, enable, reset-password, set-role, unlock");
  user->require_subcommand(1);

  {
    auto flags = std::make_shared<ConfigFlags>();
    auto o = std::make_shared<AddOptions>();
    auto* cmd =
        user->add_subcommand("add", "Add a person (the password is generated unless --password-stdin)");
    add_config_flags(cmd, flags);
    cmd->add_option("--email", o->email, "E-mail (also a login)");
    cmd->add_option("--username", o->username, "Username (default: the e-mail's local part)");
    cmd->add_option("--name", o->name, "Display name");
    cmd->add_option("--role", o->role, "super_admin, manager or cashier")->capture_default_str();
    cmd->add_flag("--password-stdin", o->password_stdin, "Read the password from the first line of stdin");
    cmd->add_flag("--pin-stdin", o->pin_stdin,
                  "Read a quick-switch PIN (4-8 digits) from stdin (the second line with --password-stdin)");
    cmd->add_option("--pin-file", o->pin_file, "Read a quick-switch PIN from the first line of this file");
    // Kept only to refuse it clearly: a PIN on the command line is visible to every local user.
    cmd->add_option("--pin", o->pin_on_argv, "Refused: use --pin-stdin or --pin-file")->group("");
    cmd->callback([flags, o] {
      if (!o->pin_on_argv.empty()) {
        std::cerr << "user add: --pin VALUE puts the PIN in the process list; use --pin-stdin or --pin-file\n";
        set_exit_code(2);
        return;
      }
      if (o->pin_stdin && !o->pin_file.empty()) {
        std::cerr << "user add: give --pin-stdin or --pin-file, not both\n";
        set_exit_code(2);
        return;
      }
      if (o->email.empty() && o->username.empty()) {
        std::cerr << "user add: give --email or --username\n";
        set_exit_code(2);
        return;
      }
      set_exit_code(with_store(*flags, "user add", [&](CliStore& s) { return add(s, *o); }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto json = std::make_shared<bool>(false);
    auto* cmd = user->add_subcommand("list", "List staff");
    add_config_flags(cmd, flags);
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->callback([flags, json] {
      set_exit_code(with_store(*flags, "user list", [&](CliStore& s) { return list(s, *json); }));
    });
  }
  for (const bool enable : {false, true}) {
    auto flags = std::make_shared<ConfigFlags>();
    auto who = std::make_shared<std::string>();
    auto* cmd = user->add_subcommand(
        enable ? "enable" : "disable",
        enable ? "Enable a person" : "Disable a person (their sessions and grants end at once)");
    add_config_flags(cmd, flags);
    cmd->add_option("who", *who, "Id, e-mail or username")->required();
    cmd->callback([flags, who, enable] {
      set_exit_code(with_store(*flags, enable ? "user enable" : "user disable", [&](CliStore& s) {
        return on_user(
            s, *who,
            [&](const std::string& id) {
              return s.services().users().set_enabled(s.store_id(), id, enable, std::nullopt,
                                                      CliStore::actor());
            },
            enable ? "enabled" : "disabled");
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto who = std::make_shared<std::string>();
    auto from_stdin = std::make_shared<bool>(false);
    auto* cmd = user->add_subcommand("reset-password",
                                     "Set a new password (generated unless --password-stdin); unlocks");
    add_config_flags(cmd, flags);
    cmd->add_option("who", *who, "Id, e-mail or username")->required();
    cmd->add_flag("--password-stdin", *from_stdin, "Read the password from the first line of stdin");
    cmd->callback([flags, who, from_stdin] {
      set_exit_code(with_store(*flags, "user reset-password", [&](CliStore& s) {
        const auto password = *from_stdin ? read_secret_line() : auth::generate_password();
        const int rc = on_user(
            s, *who,
            [&](const std::string& id) {
              return s.services().users().reset_password(s.store_id(), id, password, std::nullopt,
                                                         CliStore::actor());
            },
            "reset the password of");
        if (rc == 0 && !*from_stdin) std::cout << "password: " << password << "  (shown once)\n";
        return rc;
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto who = std::make_shared<std::string>();
    auto role = std::make_shared<std::string>();
    auto* cmd = user->add_subcommand("set-role", "Change a person's role (their offline grants are revoked)");
    add_config_flags(cmd, flags);
    cmd->add_option("who", *who, "Id, e-mail or username")->required();
    cmd->add_option("role", *role, "super_admin, manager or cashier")->required();
    cmd->callback([flags, who, role] {
      const auto r = auth::role_from_string(*role);
      if (!r) {
        std::cerr << "user set-role: the role must be super_admin, manager or cashier\n";
        set_exit_code(2);
        return;
      }
      set_exit_code(with_store(*flags, "user set-role", [&](CliStore& s) {
        return on_user(
            s, *who,
            [&](const std::string& id) {
              return s.services().users().set_role(s.store_id(), id, *r, std::nullopt, CliStore::actor());
            },
            "changed the role of");
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto who = std::make_shared<std::string>();
    auto* cmd = user->add_subcommand("unlock", "Unlock an account locked by failed logins");
    add_config_flags(cmd, flags);
    cmd->add_option("who", *who, "Id, e-mail or username")->required();
    cmd->callback([flags, who] {
      set_exit_code(with_store(*flags, "user unlock", [&](CliStore& s) {
        return on_user(
            s, *who,
            [&](const std::string& id) {
              return s.services().users().unlock(s.store_id(), id, std::nullopt, CliStore::actor());
            },
            "unlocked");
      }));
    });
  }
}

}  // namespace salespider::app
