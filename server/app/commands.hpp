// The salespider binary's subcommands. Each add_*_command registers its
// subcommand on the CLI11 app and the callback that runs it; a command's exit
// status is reported through set_exit_code(). One file per command group keeps
// main.cpp thin.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>

namespace salespider::app {

void add_serve_command(CLI::App& app);
void add_cert_command(CLI::App& app);  // cert_command.cpp
void add_db_command(CLI::App& app);      // db_command.cpp: db migrate | db status
void add_status_command(CLI::App& app);  // status_command.cpp
void add_user_command(CLI::App& app);     // user_command.cpp: user add|list|disable|enable|reset-password|set-role|unlock
void add_session_command(CLI::App& app);  // session_command.cpp: session list|revoke
void add_till_command(CLI::App& app);     // till_command.cpp: till list|rename|retire|enrol-code
void add_audit_command(CLI::App& app);    // audit_command.cpp: audit verify|export
void add_ops_command(CLI::App& app);      // ops_command.cpp: ops list|show|resolve|dismiss|retry
void add_demo_command(CLI::App& app);     // demo_command.cpp: demo seed
// product_command.cpp: product list|show|add|edit|archive|restore; returns the
// `product` subcommand so product_csv_command.cpp can add import|export to it.
CLI::App* add_product_command(CLI::App& app);
void add_category_command(CLI::App& app);  // product_command.cpp: category list|add|edit|archive|restore
void add_tax_command(CLI::App& app);       // product_command.cpp: tax list|add|edit|retire|reactivate|delete
void add_stock_command(CLI::App& app);    // stock_command.cpp: stock receive|adjust|write-off|count|movements|low|value
// product_csv_command.cpp: product import|export, under the `product` subcommand.
void add_product_csv_commands(CLI::App* product);
void add_settings_command(CLI::App& app);  // settings_command.cpp: settings show|set
void add_printer_command(CLI::App& app);   // printer_command.cpp: printer list|add|remove|test
void add_backup_command(CLI::App& app);    // backup_command.cpp: backup [--type], backup info|check|secrets
// service_command.cpp: deploy|start|stop|restart|logs|vacuum|supervise, and
// `db shell` under the `db` subcommand (so after add_db_command).
void add_service_commands(CLI::App& app);
void add_update_command(CLI::App& app);    // update_command.cpp: bundle, update --from FILE
void add_restore_command(CLI::App& app);   // restore_command.cpp: restore [--time T | --set S] [--force] [--yes]

class CliStore;
// The till-health table (ops_command.cpp), for `till list`: warns about
// active tills that have not synced for more than stale_after_seconds.
int print_till_health(CliStore& store, std::int64_t stale_after_seconds, bool as_json);

// The exit status main() returns after CLI11 has run the parsed callback.
void set_exit_code(int code);
int exit_code();

}  // namespace salespider::app
