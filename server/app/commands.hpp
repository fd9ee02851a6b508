// The salespider binary's subcommands. Each add_*_command registers its
// subcommand on the CLI11 app and the callback that runs it; a command's exit
// status is reported through set_exit_code(). One file per command group keeps
// main.cpp thin.
#pragma once

#include <CLI/CLI.hpp>

namespace salespider::app {

void add_serve_command(CLI::App& app);
void add_cert_command(CLI::App& app);  // cert_command.cpp
void add_db_command(CLI::App& app);      // db_command.cpp: db migrate | db status
void add_status_command(CLI::App& app);  // status_command.cpp

// The exit status main() returns after CLI11 has run the parsed callback.
void set_exit_code(int code);
int exit_code();

}  // namespace salespider::app
