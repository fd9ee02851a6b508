// `salespider product list|show|add|edit|archive|restore`,
// `salespider category list|add|edit|archive|restore` and
// `salespider tax list|add|edit|retire|reactivate|delete`: the catalog from
// the server's shell, over the same CatalogService as the back office
// (docs/api.md "Catalog"), so the same rules and the same audit rows apply;
// the CLI acts with the authority of the shell (no role checks).
//
// Prices are decimal text in the store currency ("1500.00", shared
// parse_money with the default format); quantities as "2" or "0.5".
// A product is named by id, SKU or barcode; a category by id or path
// ("Drinks / Soft"); a tax rate by id or code. An edit without --row-version
// applies to the row as it is now (the admin on the shell means "now").
// `--json` prints the API's objects. Exit 0 done, 1 refused (not found,
// conflict), 2 bad usage (a bad argument or value, named).
// Deliberately not here: CSV import/export (product_csv_command.cpp adds
// them to the `product` command).
#include <charconv>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli_database.hpp"
#include "app/commands.hpp"
#include "db/catalog.hpp"
#include "salespider/shared/currency.hpp"
#include "salespider/shared/money_format.hpp"
#include "salespider/shared/quantity.hpp"
#include "service/catalog.hpp"

namespace salespider::app {
namespace {

using nlohmann::json;
namespace cat = db::catalog;

// A bad argument: exit 2 with the message.
struct Usage {
  std::string message;
};

int report(const service::Failure& f) {
  std::cerr << "refused: " << f.text() << (f.field.empty() ? "" : " (" + f.field + ")") << "\n";
  if (f.detail.is_object() && f.detail.contains("current"))
    std::cerr << "the row is now: " << f.detail["current"].dump() << "\n";
  const bool usage = f.problem == service::Problem::invalid || f.problem == service::Problem::bad_request;
  return usage ? 2 : 1;
}

std::int64_t parse_int(const std::string& flag, const std::string& text) {
  std::int64_t v = 0;
  const auto* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end) throw Usage{flag + ": not a whole number: " + text};
  return v;
}

std::int64_t parse_price(CliStore& store, const std::string& flag, const std::string& text) {
  const auto currency = find_currency(cat::store(store.services().pool()).currency);
  if (!currency) throw Usage{"the store's currency is unknown to this build"};
  auto m = parse_money(text, *currency, MoneyFormat{});
  if (!m) throw Usage{flag + ": not an amount in " + std::string(currency->code()) + ": " + text + " (e.g. 1500.00)"};
  return m->minor;
}

std::string money_text(const std::string& code, std::int64_t minor) {
  const auto currency = find_currency(code);
  if (!currency) return std::to_string(minor);
  MoneyFormat f;
  f.display = CurrencyDisplay::none;
  return format_money(Money{minor, *currency}, f);
}

std::int64_t parse_qty(const std::string& flag, const std::string& text) {
  auto q = parse_quantity(text, UnitKind::weighed);
  if (!q) throw Usage{flag + ": not a quantity: " + text + " (e.g. 2 or 0.5)"};
  return q->thousandths;
}

bool parse_yes_no(const std::string& flag, const std::string& text) {
  if (text == "yes" || text == "true") return true;
  if (text == "no" || text == "false") return false;
  throw Usage{flag + ": yes or no, not " + text};
}

// "none" (or "") clears a nullable field.
bool is_none(const std::string& s) { return s.empty() || s == "none"; }

template <class T>
T must(service::Outcome<T> r) {
  if (!r) throw r.error();
  return std::move(*r);
}

std::string category_id_of(CliStore& s, const std::string& key) {
  auto& c = s.services().catalog();
  if (auto byid = c.get_category(s.store_id(), key)) return byid->id;
  for (const auto& row : c.list_categories(s.store_id(), ArchivedFilter::all))
    if (row.path == key) return row.id;
  throw service::fail(service::Problem::not_found, "no category with that id or path (e.g. \"Drinks / Soft\")",
                      "category");
}

std::string tax_id_of(CliStore& s, const std::string& key) {
  return must(s.services().catalog().find_tax_rate(s.store_id(), key)).id;
}

// Runs fn with the usage and refusal answers turned into exit codes.
int guarded(const std::function<int()>& fn) {
  try {
    return fn();
  } catch (const Usage& u) {
    std::cerr << u.message << "\n";
    return 2;
  } catch (const service::Failure& f) {
    return report(f);
  }
}

void run(const std::shared_ptr<ConfigFlags>& flags, const char* what, std::function<int(CliStore&)> fn) {
  set_exit_code(with_store(*flags, what, [&](CliStore& s) { return guarded([&] { return fn(s); }); }));
}

CLI::App* command(CLI::App* parent, const char* name, const char* help, const std::shared_ptr<ConfigFlags>& flags) {
  auto* cmd = parent->add_subcommand(name, help);
  add_config_flags(cmd, flags);
  return cmd;
}

// ---------------------------------------------------------------- products

void print_products(const std::vector<cat::ProductRow>& rows) {
  std::printf("%-36s  %-16s %-32s %14s %10s  %s\n", "ID", "SKU", "NAME", "PRICE", "ON HAND", "STOCK");
  for (const auto& p : rows) {
    std::printf("%-36s  %-16s %-32s %14s %10s  %s%s\n", p.id.c_str(), p.sku.value_or("-").c_str(), p.name.c_str(),
                money_text(p.currency, p.price_minor).c_str(),
                format_quantity(Quantity{p.on_hand_milli}).c_str(),
                std::string(to_string(stock_status(p.track_stock, p.on_hand_milli, p.low_stock_milli))).c_str(),
                p.archived_at ? "  (archived)" : "");
  }
}

void print_product(CliStore& s, const cat::ProductRow& p) {
  auto line = [](const char* k, const std::string& v) { std::printf("%-14s %s\n", k, v.c_str()); };
  line("id", p.id);
  line("name", p.name);
  line("sku", p.sku.value_or("-"));
  std::string codes;
  for (const auto& b : p.barcodes) codes += (codes.empty() ? "" : " ") + b;
  line("barcodes", codes.empty() ? "-" : codes);
  line("category", p.category_name.value_or("-"));
  line("price", money_text(p.currency, p.price_minor) + " " + p.currency);
  line("cost", p.cost_minor ? money_text(p.currency, *p.cost_minor) : "-");
  line("tax", p.tax_code.value_or("-"));
  line("unit", p.unit);
  line("track stock", p.track_stock ? "yes" : "no");
  line("on hand", format_quantity(Quantity{p.on_hand_milli}));
  line("low stock at", p.low_stock_milli ? format_quantity(Quantity{*p.low_stock_milli}) : "-");
  line("active", p.is_active ? "yes" : "no");
  line("archived", p.archived_at.value_or("no"));
  line("row version", std::to_string(p.row_version));
  if (!p.description.empty()) line("description", p.description);
  std::printf("price history (newest first):\n");
  for (const auto& h : s.services().catalog().price_history(p.id)) {
    std::printf("  %s  %14s  cost %s  by %s\n", h.effective_from.c_str(), money_text(h.currency, h.price_minor).c_str(),
                h.cost_minor ? money_text(h.currency, *h.cost_minor).c_str() : "-", h.changed_by.value_or("-").c_str());
  }
}

void print_product_result(CliStore& s, const cat::ProductRow& p, bool as_json, const char* done) {
  if (as_json) {
    std::cout << service::product_json(p).dump(2) << "\n";
    return;
  }
  std::cout << done << " " << p.name << " (id " << p.id << ", row version " << p.row_version << ")\n";
  (void)s;
}

// The flags add and edit share; "" = not given.
struct ProductFlags {
  std::string name, sku, description, category, price, cost, tax, unit, track_stock, low_stock, active;
  std::vector<std::string> barcodes;
  bool clear_barcodes = false;
  std::string row_version;
  bool json = false;
};

void add_product_flags(CLI::App* cmd, ProductFlags& o, bool edit) {
  cmd->add_option("--name", o.name, "Name (1-200 bytes)");
  cmd->add_option("--sku", o.sku, edit ? "SKU (\"none\" removes it)" : "SKU (unique among live products)");
  cmd->add_option("--description", o.description, "Description (up to 4000 bytes)");
  cmd->add_option("--barcode", o.barcodes,
                  edit ? "Barcode; repeat for several; replaces the whole list" : "Barcode; repeat for several")
      ->allow_extra_args(false);  // one value per --barcode: a positional after it stays positional
  if (edit) cmd->add_flag("--no-barcodes", o.clear_barcodes, "Remove every barcode");
  cmd->add_option("--category", o.category,
                  std::string("Category id or path, e.g. \"Drinks / Soft\"") + (edit ? " (\"none\" removes it)" : ""));
  cmd->add_option("--price", o.price, "Price in the store currency, e.g. 1500.00");
  cmd->add_option("--cost", o.cost, edit ? "Cost, e.g. 900.00 (\"none\" = unknown)" : "Cost, e.g. 900.00");
  cmd->add_option("--tax", o.tax, edit ? "Tax rate code or id (\"none\" removes it)" : "Tax rate code or id");
  cmd->add_option("--unit", o.unit, "each or weighed");
  cmd->add_option("--track-stock", o.track_stock, "yes or no");
  cmd->add_option("--low-stock", o.low_stock,
                  edit ? "Low-stock level, e.g. 5 or 0.5 (\"none\" removes it)" : "Low-stock level, e.g. 5 or 0.5");
  cmd->add_option("--active", o.active, "yes or no (an inactive product is not offered at the till)");
  if (edit)
    cmd->add_option("--row-version", o.row_version,
                    "The row version you read (refused if it changed since); default: as it is now");
  cmd->add_flag("--json", o.json, "Print the product as JSON");
}

int product_add(CliStore& s, const ProductFlags& o) {
  if (o.name.empty()) throw Usage{"product add: --name is required"};
  if (o.price.empty()) throw Usage{"product add: --price is required (e.g. --price 1500.00)"};
  service::NewProduct p;
  p.name = o.name;
  if (!o.sku.empty()) p.sku = o.sku;
  p.description = o.description;
  p.barcodes = o.barcodes;
  if (!o.category.empty()) p.category_id = category_id_of(s, o.category);
  p.price_minor = parse_price(s, "--price", o.price);
  if (!o.cost.empty()) p.cost_minor = parse_price(s, "--cost", o.cost);
  if (!o.tax.empty()) p.tax_rate_id = tax_id_of(s, o.tax);
  if (!o.unit.empty()) p.unit = o.unit;
  if (!o.track_stock.empty()) p.track_stock = parse_yes_no("--track-stock", o.track_stock);
  if (!o.low_stock.empty()) p.low_stock_milli = parse_qty("--low-stock", o.low_stock);
  if (!o.active.empty()) p.is_active = parse_yes_no("--active", o.active);
  const auto row = must(s.services().catalog().create_product(s.store_id(), p, std::nullopt, CliStore::actor()));
  print_product_result(s, row, o.json, "added");
  return 0;
}

int product_edit(CliStore& s, const std::string& key, const ProductFlags& o) {
  auto& c = s.services().catalog();
  const auto current = must(c.find_product(s.store_id(), key));
  service::ProductPatch p;
  if (!o.name.empty()) p.name = o.name;
  if (!o.sku.empty()) p.sku = is_none(o.sku) ? std::nullopt : std::optional<std::string>(o.sku);
  if (!o.description.empty()) p.description = o.description;
  if (o.clear_barcodes && !o.barcodes.empty()) throw Usage{"product edit: --barcode or --no-barcodes, not both"};
  if (o.clear_barcodes) p.barcodes = std::vector<std::string>{};
  if (!o.barcodes.empty()) p.barcodes = o.barcodes;
  if (!o.category.empty())
    p.category_id = is_none(o.category) ? std::nullopt : std::optional<std::string>(category_id_of(s, o.category));
  if (!o.price.empty()) p.price_minor = parse_price(s, "--price", o.price);
  if (!o.cost.empty())
    p.cost_minor = is_none(o.cost) ? std::nullopt : std::optional<std::int64_t>(parse_price(s, "--cost", o.cost));
  if (!o.tax.empty()) p.tax_rate_id = is_none(o.tax) ? std::nullopt : std::optional<std::string>(tax_id_of(s, o.tax));
  if (!o.unit.empty()) p.unit = o.unit;
  if (!o.track_stock.empty()) p.track_stock = parse_yes_no("--track-stock", o.track_stock);
  if (!o.low_stock.empty())
    p.low_stock_milli =
        is_none(o.low_stock) ? std::nullopt : std::optional<std::int64_t>(parse_qty("--low-stock", o.low_stock));
  if (!o.active.empty()) p.is_active = parse_yes_no("--active", o.active);
  const auto version = o.row_version.empty() ? current.row_version : parse_int("--row-version", o.row_version);
  const auto row = must(c.update_product(s.store_id(), current.id, version, p, std::nullopt, CliStore::actor()));
  print_product_result(s, row, o.json, "changed");
  return 0;
}

void add_product_subcommands(CLI::App* product) {
  {
    auto flags = std::make_shared<ConfigFlags>();
    struct ListFlags {
      std::string q, category, stock, archived = "no", sort = "name", order = "asc", offset = "0", limit = "50";
      bool json = false;
    };
    auto o = std::make_shared<ListFlags>();
    auto* cmd = command(product, "list", "List products (filters as the back office list)", flags);
    cmd->add_option("--q,-q", o->q, "Text: anywhere in the name, or the start of a SKU or barcode");
    cmd->add_option("--category", o->category, "Category id or path (its subcategories included)");
    cmd->add_option("--stock", o->stock, "in_stock, low, out or not_tracked");
    cmd->add_option("--archived", o->archived, "no, only or all")->capture_default_str();
    cmd->add_option("--sort", o->sort, "name, sku, price, on_hand or updated")->capture_default_str();
    cmd->add_option("--order", o->order, "asc or desc")->capture_default_str();
    cmd->add_option("--offset", o->offset, "Rows to skip")->capture_default_str();
    cmd->add_option("--limit", o->limit, "Rows to show, 1-500")->capture_default_str();
    cmd->add_flag("--json", o->json, "Print {products, total, offset, limit} as JSON");
    cmd->callback([flags, o] {
      run(flags, "product list", [&](CliStore& s) {
        ProductFilter f;
        f.text = o->q;
        if (auto stock = parse_stock_status(o->stock); !o->stock.empty()) {
          if (!stock) throw Usage{"--stock: in_stock, low, out or not_tracked"};
          f.stock = *stock;
        }
        auto archived = parse_archived_filter(o->archived);
        if (!archived) throw Usage{"--archived: no, only or all"};
        f.archived = *archived;
        auto sort = parse_product_sort(o->sort);
        if (!sort) throw Usage{"--sort: name, sku, price, on_hand or updated"};
        f.sort = *sort;
        if (o->order != "asc" && o->order != "desc") throw Usage{"--order: asc or desc"};
        f.descending = o->order == "desc";
        f.offset = parse_int("--offset", o->offset);
        f.limit = parse_int("--limit", o->limit);
        if (!o->category.empty()) f.category_id = category_id_of(s, o->category);
        const auto page = must(s.services().catalog().list_products(s.store_id(), f));
        if (o->json) {
          json list = json::array();
          for (const auto& p : page.rows) list.push_back(service::product_json(p));
          std::cout << json{{"products", list}, {"total", page.total}, {"offset", f.offset}, {"limit", f.limit}}.dump(2)
                    << "\n";
          return 0;
        }
        print_products(page.rows);
        std::printf("%zu of %lld\n", page.rows.size(), static_cast<long long>(page.total));
        return 0;
      });
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto key = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = command(product, "show", "One product with its price history", flags);
    cmd->add_option("product", *key, "Id, SKU or barcode")->required();
    cmd->add_flag("--json", *as_json, "Print as JSON (with price_history)");
    cmd->callback([flags, key, as_json] {
      run(flags, "product show", [&](CliStore& s) {
        const auto p = must(s.services().catalog().find_product(s.store_id(), *key));
        if (!*as_json) {
          print_product(s, p);
          return 0;
        }
        auto out = service::product_json(p);
        out["price_history"] = json::array();
        for (const auto& h : s.services().catalog().price_history(p.id))
          out["price_history"].push_back({{"price_minor", h.price_minor},
                                          {"cost_minor", h.cost_minor ? json(*h.cost_minor) : json()},
                                          {"currency", h.currency},
                                          {"effective_from", h.effective_from},
                                          {"changed_by", h.changed_by ? json(*h.changed_by) : json()}});
        std::cout << out.dump(2) << "\n";
        return 0;
      });
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto o = std::make_shared<ProductFlags>();
    auto* cmd = command(product, "add", "Add a product (--name and --price required)", flags);
    add_product_flags(cmd, *o, false);
    cmd->callback([flags, o] { run(flags, "product add", [&](CliStore& s) { return product_add(s, *o); }); });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto key = std::make_shared<std::string>();
    auto o = std::make_shared<ProductFlags>();
    auto* cmd = command(product, "edit", "Change a product: only the fields given change", flags);
    cmd->add_option("product", *key, "Id, SKU or barcode")->required();
    add_product_flags(cmd, *o, true);
    cmd->callback([flags, key, o] { run(flags, "product edit", [&](CliStore& s) { return product_edit(s, *key, *o); }); });
  }
  for (const bool archive : {true, false}) {
    auto flags = std::make_shared<ConfigFlags>();
    auto key = std::make_shared<std::string>();
    auto version = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = command(product, archive ? "archive" : "restore",
                        archive ? "Archive a product (tills stop selling it; its history stays)"
                                : "Restore an archived product",
                        flags);
    cmd->add_option("product", *key, "Id, SKU or barcode")->required();
    cmd->add_option("--row-version", *version, "The row version you read; default: as it is now");
    cmd->add_flag("--json", *as_json, "Print the product as JSON");
    cmd->callback([flags, key, version, as_json, archive] {
      run(flags, archive ? "product archive" : "product restore", [&](CliStore& s) {
        auto& c = s.services().catalog();
        const auto current = must(c.find_product(s.store_id(), *key));
        const auto v = version->empty() ? current.row_version : parse_int("--row-version", *version);
        const auto row = must(c.set_product_archived(s.store_id(), current.id, v, archive, CliStore::actor()));
        print_product_result(s, row, *as_json, archive ? "archived" : "restored");
        return 0;
      });
    });
  }
}

// ---------------------------------------------------------------- categories

void print_category_result(const cat::CategoryRow& c, bool as_json, const char* done) {
  if (as_json) {
    std::cout << service::category_json(c).dump(2) << "\n";
    return;
  }
  std::cout << done << " " << c.path << " (id " << c.id << ", row version " << c.row_version << ")\n";
}

// ---------------------------------------------------------------- tax rates

std::string percent(std::int64_t ppm) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%04lld%%", static_cast<long long>(ppm / 10000),
                static_cast<long long>(ppm % 10000));
  return buf;
}

void print_tax_result(const cat::TaxRateRow& t, bool as_json, const char* done) {
  if (as_json) {
    std::cout << service::tax_rate_json(t).dump(2) << "\n";
    return;
  }
  std::cout << done << " " << t.code << " (id " << t.id << ", row version " << t.row_version << ")\n";
}

}  // namespace

CLI::App* add_product_command(CLI::App& app) {
  auto* product = app.add_subcommand("product", "Products: list, show, add, edit, archive, restore");
  product->require_subcommand(1);
  add_product_subcommands(product);
  return product;
}

void add_category_command(CLI::App& app) {
  auto* category = app.add_subcommand("category", "Categories: list, add, edit, archive, restore");
  category->require_subcommand(1);
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto archived = std::make_shared<std::string>("no");
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = command(category, "list", "The category tree, parents before children", flags);
    cmd->add_option("--archived", *archived, "no, only or all")->capture_default_str();
    cmd->add_flag("--json", *as_json, "Print {categories} as JSON");
    cmd->callback([flags, archived, as_json] {
      run(flags, "category list", [&](CliStore& s) {
        const auto which = parse_archived_filter(*archived);
        if (!which) throw Usage{"--archived: no, only or all"};
        const auto rows = s.services().catalog().list_categories(s.store_id(), *which);
        if (*as_json) {
          json list = json::array();
          for (const auto& c : rows) list.push_back(service::category_json(c));
          std::cout << json{{"categories", list}}.dump(2) << "\n";
          return 0;
        }
        std::printf("%-36s  %-40s %8s %9s\n", "ID", "PATH", "PRODUCTS", "ORDER");
        for (const auto& c : rows)
          std::printf("%-36s  %-40s %8lld %9d%s\n", c.id.c_str(), c.path.c_str(), static_cast<long long>(c.product_count),
                      c.sort_order, c.archived ? "  (archived)" : "");
        return 0;
      });
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto name = std::make_shared<std::string>();
    auto parent = std::make_shared<std::string>();
    auto order = std::make_shared<std::string>("0");
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = command(category, "add", "Add a category", flags);
    cmd->add_option("name", *name, "Name (1-100 bytes)")->required();
    cmd->add_option("--parent", *parent, "Parent category id or path (default: top level)");
    cmd->add_option("--sort-order", *order, "Position among its siblings (smaller first)")->capture_default_str();
    cmd->add_flag("--json", *as_json, "Print the category as JSON");
    cmd->callback([flags, name, parent, order, as_json] {
      run(flags, "category add", [&](CliStore& s) {
        const auto sort_order = parse_int("--sort-order", *order);
        if (sort_order < INT32_MIN || sort_order > INT32_MAX) throw Usage{"--sort-order: out of range"};
        std::optional<std::string> parent_id;
        if (!parent->empty()) parent_id = category_id_of(s, *parent);
        const auto row = must(s.services().catalog().create_category(s.store_id(), *name, parent_id,
                                                                      static_cast<int>(sort_order), CliStore::actor()));
        print_category_result(row, *as_json, "added");
        return 0;
      });
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto key = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    auto parent = std::make_shared<std::string>();
    auto order = std::make_shared<std::string>();
    auto version = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = command(category, "edit", "Rename or move a category", flags);
    cmd->add_option("category", *key, "Id or path")->required();
    cmd->add_option("--name", *name, "New name");
    cmd->add_option("--parent", *parent, "New parent id or path (\"none\" = top level)");
    cmd->add_option("--sort-order", *order, "Position among its siblings");
    cmd->add_option("--row-version", *version, "The row version you read; default: as it is now");
    cmd->add_flag("--json", *as_json, "Print the category as JSON");
    cmd->callback([flags, key, name, parent, order, version, as_json] {
      run(flags, "category edit", [&](CliStore& s) {
        auto& c = s.services().catalog();
        const auto current = must(c.get_category(s.store_id(), category_id_of(s, *key)));
        service::CategoryPatch p;
        if (!name->empty()) p.name = *name;
        if (!parent->empty())
          p.parent_id = is_none(*parent) ? std::nullopt : std::optional<std::string>(category_id_of(s, *parent));
        if (!order->empty()) {
          const auto v = parse_int("--sort-order", *order);
          if (v < INT32_MIN || v > INT32_MAX) throw Usage{"--sort-order: out of range"};
          p.sort_order = static_cast<int>(v);
        }
        const auto v = version->empty() ? current.row_version : parse_int("--row-version", *version);
        print_category_result(must(c.update_category(s.store_id(), current.id, v, p, CliStore::actor())), *as_json,
                              "changed");
        return 0;
      });
    });
  }
  for (const bool archive : {true, false}) {
    auto flags = std::make_shared<ConfigFlags>();
    auto key = std::make_shared<std::string>();
    auto version = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = command(category, archive ? "archive" : "restore",
                        archive ? "Archive a category (its products stay sellable)" : "Restore an archived category",
                        flags);
    cmd->add_option("category", *key, "Id or path")->required();
    cmd->add_option("--row-version", *version, "The row version you read; default: as it is now");
    cmd->add_flag("--json", *as_json, "Print the category as JSON");
    cmd->callback([flags, key, version, as_json, archive] {
      run(flags, archive ? "category archive" : "category restore", [&](CliStore& s) {
        auto& c = s.services().catalog();
        const auto current = must(c.get_category(s.store_id(), category_id_of(s, *key)));
        const auto v = version->empty() ? current.row_version : parse_int("--row-version", *version);
        print_category_result(must(c.set_category_archived(s.store_id(), current.id, v, archive, CliStore::actor())),
                              *as_json, archive ? "archived" : "restored");
        return 0;
      });
    });
  }
}

void add_tax_command(CLI::App& app) {
  auto* tax = app.add_subcommand("tax", "Tax rates: list, add, edit, retire, reactivate, delete");
  tax->require_subcommand(1);
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = command(tax, "list", "Tax rates, how many products use each, and the store's price mode", flags);
    cmd->add_flag("--json", *as_json, "Print {tax_rates, price_mode} as JSON");
    cmd->callback([flags, as_json] {
      run(flags, "tax list", [&](CliStore& s) {
        const auto list = s.services().catalog().list_tax_rates(s.store_id());
        if (*as_json) {
          json rates = json::array();
          for (const auto& t : list.rates) rates.push_back(service::tax_rate_json(t));
          std::cout << json{{"tax_rates", rates}, {"price_mode", list.price_mode}}.dump(2) << "\n";
          return 0;
        }
        std::printf("%-36s  %-12s %-20s %-9s %10s %9s\n", "ID", "CODE", "NAME", "KIND", "RATE", "PRODUCTS");
        for (const auto& t : list.rates)
          std::printf("%-36s  %-12s %-20s %-9s %10s %9lld%s\n", t.id.c_str(), t.code.c_str(), t.name.c_str(),
                      t.kind.c_str(), percent(t.rate_ppm).c_str(), static_cast<long long>(t.products_using),
                      t.is_active ? "" : "  (retired)");
        std::printf("prices are %s\n", list.price_mode == "tax_exclusive" ? "before tax" : "tax inclusive");
        return 0;
      });
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto code = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    auto kind = std::make_shared<std::string>();
    auto rate = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = command(tax, "add", "Add a tax rate", flags);
    cmd->add_option("code", *code, "Short code printed on receipts, e.g. VAT")->required();
    cmd->add_option("--name", *name, "Name");
    cmd->add_option("--kind", *kind, "standard, reduced, zero or exempt")->required();
    cmd->add_option("--rate-ppm", *rate, "Rate in parts per million (75000 = 7.5%); 0 for zero and exempt")
        ->required();
    cmd->add_flag("--json", *as_json, "Print the tax rate as JSON");
    cmd->callback([flags, code, name, kind, rate, as_json] {
      run(flags, "tax add", [&](CliStore& s) {
        const service::NewTaxRate t{*code, *name, *kind, parse_int("--rate-ppm", *rate)};
        print_tax_result(must(s.services().catalog().create_tax_rate(s.store_id(), t, CliStore::actor())), *as_json,
                         "added");
        return 0;
      });
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto key = std::make_shared<std::string>();
    auto code = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    auto kind = std::make_shared<std::string>();
    auto rate = std::make_shared<std::string>();
    auto version = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = command(tax, "edit", "Change a tax rate (products using it follow)", flags);
    cmd->add_option("tax", *key, "Id or code")->required();
    cmd->add_option("--code", *code, "New code");
    cmd->add_option("--name", *name, "New name");
    cmd->add_option("--kind", *kind, "standard, reduced, zero or exempt");
    cmd->add_option("--rate-ppm", *rate, "Rate in parts per million");
    cmd->add_option("--row-version", *version, "The row version you read; default: as it is now");
    cmd->add_flag("--json", *as_json, "Print the tax rate as JSON");
    cmd->callback([flags, key, code, name, kind, rate, version, as_json] {
      run(flags, "tax edit", [&](CliStore& s) {
        auto& c = s.services().catalog();
        const auto current = must(c.find_tax_rate(s.store_id(), *key));
        service::TaxRatePatch p;
        if (!code->empty()) p.code = *code;
        if (!name->empty()) p.name = *name;
        if (!kind->empty()) p.kind = *kind;
        if (!rate->empty()) p.rate_ppm = parse_int("--rate-ppm", *rate);
        const auto v = version->empty() ? current.row_version : parse_int("--row-version", *version);
        print_tax_result(must(c.update_tax_rate(s.store_id(), current.id, v, p, CliStore::actor())), *as_json, "changed");
        return 0;
      });
    });
  }
  for (const char* verb : {"retire", "reactivate", "delete"}) {
    auto flags = std::make_shared<ConfigFlags>();
    auto key = std::make_shared<std::string>();
    auto version = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    const std::string v(verb);
    auto* cmd = command(tax, verb,
                        v == "retire"       ? "Retire a tax rate (tills stop offering it; products keep it)"
                        : v == "reactivate" ? "Reactivate a retired tax rate"
                                            : "Delete a tax rate no product uses (otherwise retire it)",
                        flags);
    cmd->add_option("tax", *key, "Id or code")->required();
    cmd->add_option("--row-version", *version, "The row version you read; default: as it is now");
    if (v != "delete") cmd->add_flag("--json", *as_json, "Print the tax rate as JSON");
    cmd->callback([flags, key, version, as_json, v] {
      run(flags, ("tax " + v).c_str(), [&](CliStore& s) {
        auto& c = s.services().catalog();
        const auto current = must(c.find_tax_rate(s.store_id(), *key));
        const auto ver = version->empty() ? current.row_version : parse_int("--row-version", *version);
        if (v == "delete") {
          const auto done = c.delete_tax_rate(s.store_id(), current.id, ver, CliStore::actor());
          if (!done) throw done.error();
          std::cout << "deleted " << current.code << "\n";
          return 0;
        }
        print_tax_result(must(c.set_tax_rate_active(s.store_id(), current.id, ver, v == "reactivate", CliStore::actor())),
                         *as_json, v == "retire" ? "retired" : "reactivated");
        return 0;
      });
    });
  }
}

}  // namespace salespider::app
