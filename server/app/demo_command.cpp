// `salespider demo seed`: fills an EMPTY store with a realistic demo
// (service/sync_demo.hpp), through the same push path as real tills. It
// refuses a store that already has products, sales or tills.
#include <iostream>

#include "app/cli_database.hpp"
#include "app/commands.hpp"
#include "service/sync_demo.hpp"

namespace salespider::app {

void add_demo_command(CLI::App& app) {
  auto* demo = app.add_subcommand("demo", "Demo data for an empty store");
  demo->require_subcommand(1);
  auto flags = std::make_shared<ConfigFlags>();
  auto options = std::make_shared<service::sync::DemoOptions>();
  auto* seed = demo->add_subcommand("seed", "Fill an empty store: catalog, staff, tills and months of trading");
  add_config_flags(seed, flags);
  seed->add_option("--products", options->products, "Products in the catalog")->check(CLI::Range(1, 100000))->capture_default_str();
  seed->add_option("--sales", options->sales, "Sales over the whole period")->check(CLI::Range(0, 10000000))->capture_default_str();
  seed->add_option("--days", options->days, "Days of trading, ending yesterday")->check(CLI::Range(1, 3650))->capture_default_str();
  seed->add_option("--seed", options->seed, "Random seed (the same seed gives the same store)")->capture_default_str();
  seed->callback([flags, options] {
    set_exit_code(with_store(*flags, "demo seed", [&](CliStore& s) {
      options->clock = s.services().clock();
      auto r = service::sync::seed_demo(s.services().pool(), *options);
      if (!r) {
        std::cerr << "demo seed: " << r.error().text() << "\n";
        return 1;
      }
      std::cout << "demo store: " << r->products << " products, " << r->staff << " staff, " << r->tills << " tills, "
                << r->shifts << " shifts, " << r->sales << " sales, " << r->refunds << " refunds, "
                << r->stock_movements << " stock movements (" << r->flagged << " flagged, " << r->rejected
                << " rejected)\n"
                << "demo staff have no password yet: salespider user reset-password demo-owner\n";
      return 0;
    }));
  });
}

}  // namespace salespider::app
