// `salespider printer list|add|remove|test`: the store's network receipt
// printers from the server's shell, over the same PrinterService as the
// back office (docs/printers.md, docs/api.md "Printers"), so the same rules
// and the same audit rows apply; the CLI acts with the authority of the
// shell (no role check) and on the rows as they are now (no row_version to
// give). `test` sends a short test page (printer_test_page) through the same
// relay as a till's print, whether the printer is enabled or not, and says
// how long it took.
//
// Output is English, like every command of the binary. Exit 0 done, 1
// refused or the printer failed (not found, name taken, unreachable, timed
// out), 2 bad usage (a bad value, named). Deliberately no `edit` (remove and
// add, or PUT /api/v1/printers/{id}).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli_database.hpp"
#include "app/commands.hpp"
#include "service/printers.hpp"

namespace salespider::app {
namespace {

using nlohmann::json;

int report(const service::Failure& f) {
  std::cerr << "refused: " << f.text() << (f.field.empty() ? "" : " (" + f.field + ")") << "\n";
  const bool usage = f.problem == service::Problem::invalid || f.problem == service::Problem::bad_request;
  return usage ? 2 : 1;
}

CLI::App* command(CLI::App* parent, const char* name, const char* help, const std::shared_ptr<ConfigFlags>& flags) {
  auto* cmd = parent->add_subcommand(name, help);
  add_config_flags(cmd, flags);
  return cmd;
}

void print_row(const service::PrinterRow& p) {
  std::printf("%-36s  %-20s %-28s %5d %3d mm  %-6s %s\n", p.id.c_str(), p.name.c_str(), p.host.c_str(), p.port,
              p.paper_mm, p.code_page.c_str(), p.enabled ? "enabled" : "disabled");
}

}  // namespace

void add_printer_command(CLI::App& app) {
  auto* printer = app.add_subcommand("printer", "Network receipt printers: list, add, remove, test");
  printer->require_subcommand(1);
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = command(printer, "list", "The store's network printers", flags);
    cmd->add_flag("--json", *as_json, "Print {printers: [...]} as the API does");
    cmd->callback([flags, as_json] {
      set_exit_code(with_store(*flags, "printer list", [&](CliStore& s) {
        const auto list = s.services().printers().list(s.store_id());
        if (*as_json) {
          json rows = json::array();
          for (const auto& p : list) rows.push_back(service::printer_json(p));
          std::cout << json{{"printers", rows}}.dump(2) << "\n";
          return 0;
        }
        if (list.empty()) {
          std::cout << "no printers (add one: salespider printer add NAME HOST)\n";
          return 0;
        }
        std::printf("%-36s  %-20s %-28s %5s %6s  %-6s %s\n", "ID", "NAME", "HOST", "PORT", "PAPER", "CODES", "STATE");
        for (const auto& p : list) print_row(p);
        return 0;
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto in = std::make_shared<service::PrinterInput>();
    auto disabled = std::make_shared<bool>(false);
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = command(printer, "add", "Add a network printer (raw TCP, port 9100 unless told)", flags);
    cmd->add_option("name", in->name, "What cashiers see, e.g. \"Front counter\"")->required();
    cmd->add_option("host", in->host, "The printer's IP address or host name (no http://, no port)")->required();
    cmd->add_option("--port", in->port, "TCP port (default 9100)");
    cmd->add_option("--paper", in->paper_mm, "Paper width in mm: 58 or 80 (default 80)");
    cmd->add_option("--code-page", in->code_page, "cp437 (default), cp850, cp858, cp866 or cp1252");
    cmd->add_flag("--disabled", *disabled, "Add it switched off");
    cmd->add_flag("--json", *as_json, "Print the printer as JSON");
    cmd->callback([flags, in, disabled, as_json] {
      set_exit_code(with_store(*flags, "printer add", [&](CliStore& s) {
        auto input = *in;
        input.enabled = !*disabled;
        const auto done = s.services().printers().create(s.store_id(), input, CliStore::actor());
        if (!done) return report(done.error());
        if (*as_json)
          std::cout << service::printer_json(*done).dump(2) << "\n";
        else
          std::cout << "printer added: " << done->name << " at " << done->host << ":" << done->port << " (id "
                    << done->id << ")\n";
        return 0;
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto key = std::make_shared<std::string>();
    auto* cmd = command(printer, "remove", "Remove a printer", flags);
    cmd->add_option("printer", *key, "Id or name")->required();
    cmd->callback([flags, key] {
      set_exit_code(with_store(*flags, "printer remove", [&](CliStore& s) {
        auto& printers = s.services().printers();
        const auto found = printers.find(s.store_id(), *key);
        if (!found) return report(found.error());
        const auto done = printers.remove(s.store_id(), found->id, found->row_version, CliStore::actor());
        if (!done) return report(done.error());
        std::cout << "printer removed: " << found->name << "\n";
        return 0;
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto key = std::make_shared<std::string>();
    auto* cmd = command(printer, "test", "Print a test page on a printer (through the server, as tills do)", flags);
    cmd->add_option("printer", *key, "Id or name")->required();
    cmd->callback([flags, key] {
      set_exit_code(with_store(*flags, "printer test", [&](CliStore& s) {
        auto& printers = s.services().printers();
        const auto found = printers.find(s.store_id(), *key);
        if (!found) return report(found.error());
        const auto started = std::chrono::steady_clock::now();
        const auto done = printers.print_to(*found, service::printer_test_page(*found), "cli");
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
        if (!done) {
          std::cerr << "test page not printed: " << done.error().text() << " (after " << ms << " ms)\n";
          std::cerr << "see docs/printers.md, \"Troubleshooting\"\n";
          return 1;
        }
        std::cout << "test page sent to " << found->name << " (" << done->bytes << " bytes in " << ms << " ms)"
                  << (found->enabled ? "" : "; the printer is disabled: tills cannot print to it") << "\n";
        return 0;
      }));
    });
  }
}

}  // namespace salespider::app
