// `salespider`: the store server (`salespider serve`) and the admin CLI.
// Thin: registers the subcommands (app/*_command.cpp), parses, runs one, and
// is the one boundary where the process's infrastructure exceptions are caught.
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "salespider/version.hpp"

namespace salespider::app {
namespace {
int g_exit_code = 0;
}
void set_exit_code(int code) { g_exit_code = code; }
int exit_code() { return g_exit_code; }
}  // namespace salespider::app

int main(int argc, char** argv) {
  CLI::App app{"SaleSpider store server and admin CLI"};
  app.set_version_flag("--version", std::string(salespider::kVersion));
  app.require_subcommand(1);

  salespider::app::add_serve_command(app);
  salespider::app::add_cert_command(app);
  salespider::app::add_db_command(app);
  salespider::app::add_status_command(app);
  salespider::app::add_user_command(app);
  salespider::app::add_session_command(app);
  salespider::app::add_till_command(app);
  salespider::app::add_audit_command(app);
  salespider::app::add_ops_command(app);
  salespider::app::add_demo_command(app);
  salespider::app::add_product_csv_commands(salespider::app::add_product_command(app));
  salespider::app::add_category_command(app);
  salespider::app::add_tax_command(app);
  salespider::app::add_stock_command(app);
  salespider::app::add_settings_command(app);
  salespider::app::add_printer_command(app);
  salespider::app::add_backup_command(app);
  salespider::app::add_service_commands(app);
  salespider::app::add_update_command(app);
  salespider::app::add_restore_command(app);

  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      // CLI11 prints the message (or the help); a wrong command line is a
      // usage error like every other bad argument: exit status 2.
      return app.exit(e) == 0 ? 0 : 2;
    }
  } catch (const std::exception& e) {
    std::cerr << nlohmann::json({{"level", "error"}, {"msg", "fatal"}, {"what", e.what()}}).dump() << '\n';
    return 1;
  }
  return salespider::app::exit_code();
}
