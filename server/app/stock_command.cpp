// `salespider stock receive|adjust|write-off|count|movements|low|value`: the
// stock ledger from the server's shell. A movement written here is one
// transaction with a fresh op id, audited, the level moved like a till's
// (service/stock.hpp); a count takes what was counted and moves stock by
// counted - the ledger now. Reads print a table, or JSON with --json.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "app/cli_database.hpp"
#include "app/commands.hpp"
#include "db/catalog.hpp"
#include "salespider/shared/money_format.hpp"
#include "salespider/shared/quantity.hpp"

namespace salespider::app {
namespace {

constexpr int kBadUsage = 2;

int refused(const char* what, const service::Failure& f) {
  std::cerr << what << ": " << f.text() << "\n";
  return f.problem == service::Problem::bad_request ? kBadUsage : 1;
}

// "5", "-2", "0.5" as thousandths ("0" allowed: a count of nothing).
std::optional<std::int64_t> quantity_of(std::string text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.erase(text.begin());
  static const std::regex kZero("^0+(\\.0{1,3})?$");
  if (std::regex_match(text, kZero)) return 0;
  const auto q = parse_quantity(text, UnitKind::weighed);
  if (!q) return std::nullopt;
  return negative ? -q->thousandths : q->thousandths;
}

struct WriteOptions {
  std::string product, quantity, cost, reason, note;
  bool json = false;
};

int write(CliStore& s, const std::string& kind, const WriteOptions& o) {
  const std::string what = "stock " + kind;
  const auto quantity = quantity_of(o.quantity);
  if (!quantity) {
    std::cerr << what << ": --quantity: a number like 5, 0.5 or -2 (at most three decimals)\n";
    return kBadUsage;
  }
  service::StockWrite w;
  w.product_key = o.product;
  w.kind = kind;
  w.quantity_milli = *quantity;
  w.reason = o.reason;
  w.note = o.note;
  if (!o.cost.empty()) {
    const auto store = db::catalog::store(s.services().pool());
    const auto currency = find_currency(store.currency);
    MoneyFormat plain;
    plain.group_separator = ",";
    plain.display = CurrencyDisplay::none;
    const auto cost = currency ? parse_money(o.cost, *currency, plain) : Result<Money>(currency.error());
    if (!cost || cost->minor < 0) {
      std::cerr << what << ": --cost: an amount like 12.50 in " << store.currency << "\n";
      return kBadUsage;
    }
    w.unit_cost_minor = cost->minor;
  }
  auto r = s.services().stock().record(s.store_id(), w, CliStore::actor());
  if (!r) return refused(what.c_str(), r.error());
  if (o.json) {
    std::cout << nlohmann::json{{"id", r->id},
                                {"op_id", r->op_id},
                                {"quantity_milli", r->quantity_milli},
                                {"expected_milli",
                                 r->expected_milli ? nlohmann::json(*r->expected_milli) : nlohmann::json()},
                                {"on_hand_milli", r->on_hand_milli}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << kind << ": " << format_quantity(Quantity{r->quantity_milli}) << ", on hand now "
              << format_quantity(Quantity{r->on_hand_milli}) << "\n";
  }
  return 0;
}

void add_write(CLI::App* stock, const std::string& kind, const std::string& help) {
  auto flags = std::make_shared<ConfigFlags>();
  auto o = std::make_shared<WriteOptions>();
  auto* cmd = stock->add_subcommand(kind, help);
  add_config_flags(cmd, flags);
  cmd->add_option("--product", o->product, "Product id, SKU or barcode")->required();
  cmd->add_option("--quantity", o->quantity,
                  kind == "count"       ? "What was counted"
                  : kind == "write-off" ? "How much is written off"
                                        : "How much")
      ->required();
  if (kind == "receive")
    cmd->add_option("--cost", o->cost, "Unit cost of this receipt (the product's cost is unchanged)");
  if (kind == "write-off")
    cmd->add_option("--reason", o->reason, "damaged, expired, stolen, lost, returned_to_supplier, other")
        ->required();
  cmd->add_option("--note", o->note, "A note (e.g. the supplier's delivery note)");
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->callback([flags, o, kind] {
    set_exit_code(
        with_store(*flags, ("stock " + kind).c_str(), [&](CliStore& s) { return write(s, kind, *o); }));
  });
}

}  // namespace

void add_stock_command(CLI::App& app) {
  auto* stock = app.add_subcommand(
      "stock", "The stock ledger: receive, adjust, write off, count; movements, low, value");
  stock->require_subcommand(1);
  add_write(stock, "receive", "Goods received (positive quantity, optional --cost)");
  add_write(stock, "adjust", "A correction either way (non-zero quantity)");
  add_write(stock, "write-off", "Stock written off with a reason");
  add_write(stock, "count", "A stock count: what is on the shelf; the difference to the ledger is recorded");
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto product = std::make_shared<std::string>();
    auto limit = std::make_shared<std::string>("50");
    auto json = std::make_shared<bool>(false);
    auto* cmd = stock->add_subcommand("movements", "Stock movements, newest first");
    add_config_flags(cmd, flags);
    cmd->add_option("--product", *product, "Only this product (id, SKU or barcode)");
    cmd->add_option("--limit", *limit, "How many (1-500)")->capture_default_str();
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->callback([flags, product, limit, json] {
      set_exit_code(with_store(*flags, "stock movements", [&](CliStore& s) {
        service::MovementsRequest q;
        q.limit = *limit;
        if (!product->empty()) {
          const auto id = db::find_product_id(s.services().pool(), s.store_id(), *product);
          if (!id) {
            std::cerr << "stock movements: no product with that id, SKU or barcode\n";
            return 1;
          }
          q.product_id = *id;
        }
        auto a = s.services().stock().movements(s.store_id(), q);
        if (!a) return refused("stock movements", a.error());
        if (*json) {
          nlohmann::json out = nlohmann::json::array();
          for (const auto& m : a->movements)
            out.push_back({{"id", m.id},
                           {"product_id", m.product_id},
                           {"product_name", m.product_name},
                           {"kind", m.kind},
                           {"quantity_milli", m.quantity_milli},
                           {"reason", m.reason},
                           {"note", m.note},
                           {"user", m.user_name},
                           {"till_code", m.till_code},
                           {"op_id", m.op_id},
                           {"occurred_at", m.occurred_at}});
          std::cout << out.dump(2) << "\n";
          return 0;
        }
        for (const auto& m : a->movements)
          std::printf("%s  %-9s %10s  %-30s %s\n", m.occurred_at.c_str(), m.kind.c_str(),
                      format_quantity(Quantity{m.quantity_milli}).c_str(), m.product_name.c_str(),
                      m.note.c_str());
        return 0;
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto json = std::make_shared<bool>(false);
    auto* cmd = stock->add_subcommand("low", "Tracked products low or out of stock, the most short first");
    add_config_flags(cmd, flags);
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->callback([flags, json] {
      set_exit_code(with_store(*flags, "stock low", [&](CliStore& s) {
        const auto low = s.services().stock().low(s.store_id());
        if (*json) {
          nlohmann::json out = nlohmann::json::array();
          for (const auto& p : low)
            out.push_back({{"id", p.id},
                           {"name", p.name},
                           {"sku", p.sku ? nlohmann::json(*p.sku) : nlohmann::json()},
                           {"on_hand_milli", p.on_hand_milli},
                           {"low_stock_milli",
                            p.low_stock_milli ? nlohmann::json(*p.low_stock_milli) : nlohmann::json()}});
          std::cout << out.dump(2) << "\n";
          return 0;
        }
        for (const auto& p : low)
          std::printf("%-16s %-30s on hand %s\n", p.sku.value_or("").c_str(), p.name.c_str(),
                      format_quantity(Quantity{p.on_hand_milli}).c_str());
        return 0;
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto json = std::make_shared<bool>(false);
    auto* cmd = stock->add_subcommand("value", "The stock on hand valued at cost and at price");
    add_config_flags(cmd, flags);
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->callback([flags, json] {
      set_exit_code(with_store(*flags, "stock value", [&](CliStore& s) {
        const auto v = s.services().stock().value(s.store_id());
        if (*json) {
          std::cout << nlohmann::json{{"currency", v.currency},
                                      {"at_cost_minor", v.at_cost.decimal},
                                      {"at_price_minor", v.at_price.decimal},
                                      {"products", v.products},
                                      {"products_without_cost", v.products_without_cost},
                                      {"products_below_zero", v.products_below_zero}}
                           .dump(2)
                    << "\n";
          return 0;
        }
        std::cout << "at cost:  " << v.at_cost.decimal << " (minor units, " << v.currency << ")\n"
                  << "at price: " << v.at_price.decimal << "\n"
                  << "products: " << v.products << ", without cost: " << v.products_without_cost
                  << ", below zero: " << v.products_below_zero << "\n";
        return 0;
      }));
    });
  }
}

}  // namespace salespider::app
