// `salespider product import FILE [--dry-run] [--json]` and `salespider
// product export [--out FILE] [--q ..] [--category ..] [--stock ..]
// [--archived ..]`: the product CSV of docs/csv.md from the shell, over the
// same service as the HTTP endpoints. An import with any error writes
// nothing and exits 1; a file that cannot be read, or bad flags, exit 2.
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "app/cli_database.hpp"
#include "app/commands.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/product_rules.hpp"
#include "service/csv.hpp"
#include "service/product_csv.hpp"

namespace salespider::app {
namespace {

namespace pc = service::product_csv;

void print_report(const pc::ImportResult& r, bool as_json) {
  const auto& s = r.analysis.summary;
  if (as_json) {
    auto rows = nlohmann::json::array();
    for (const auto& row : r.analysis.rows) {
      auto errors = nlohmann::json::array();
      for (const auto& e : row.errors) errors.push_back({{"column", e.column}, {"message", e.message}});
      rows.push_back({{"line", row.line},
                      {"outcome", pc::to_string(row.outcome)},
                      {"sku", row.sku},
                      {"name", row.name},
                      {"errors", std::move(errors)}});
    }
    std::cout << nlohmann::json{{"dry_run", r.dry_run},
                                {"applied", r.applied},
                                {"file_sha256", r.file_sha256},
                                {"summary",
                                 {{"created", s.created},
                                  {"updated", s.updated},
                                  {"unchanged", s.unchanged},
                                  {"errors", s.errors},
                                  {"categories_created", s.categories_created}}},
                                {"rows", std::move(rows)}}
                     .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
    return;
  }
  for (const auto& row : r.analysis.rows) {
    for (const auto& e : row.errors) {
      std::cerr << "line " << row.line << (e.column.empty() ? "" : ", " + e.column) << ": " << e.message << "\n";
    }
  }
  std::cout << (r.dry_run ? "dry run: " : r.applied ? "imported: " : "nothing written: ") << s.created
            << " created, " << s.updated << " updated, " << s.unchanged << " unchanged, " << s.errors
            << " with errors, " << s.categories_created << " new categories\n";
}

}  // namespace

void add_product_csv_commands(CLI::App* product) {
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto file = std::make_shared<std::string>();
    auto dry_run = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    auto* cmd = product->add_subcommand("import", "Create or update products from a CSV file (docs/csv.md)");
    add_config_flags(cmd, flags);
    cmd->add_option("file", *file, "The CSV file (UTF-8)")->required();
    cmd->add_flag("--dry-run", *dry_run, "Report every row's outcome; write nothing");
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->callback([flags, file, dry_run, json] {
      std::ifstream in(*file, std::ios::binary);
      if (!in) {
        std::cerr << "product import: cannot read " << *file << "\n";
        return set_exit_code(2);
      }
      std::string text;
      text.resize(service::csv::kMaxFileBytes + 1);
      in.read(text.data(), static_cast<std::streamsize>(text.size()));
      text.resize(static_cast<std::size_t>(in.gcount()));
      set_exit_code(with_store(*flags, "product import", [&](CliStore& s) {
        const auto r = pc::import_products(s.services().pool(), s.store_id(), CliStore::actor(), text, *dry_run);
        if (r.conflict) {
          std::cerr << "product import: the catalog changed while the import ran; nothing was written: run it again\n";
          return 1;
        }
        print_report(r, *json);
        return r.analysis.ok() ? 0 : 1;
      }));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto out_file = std::make_shared<std::string>();
    auto q = std::make_shared<std::string>();
    auto category = std::make_shared<std::string>();
    auto stock = std::make_shared<std::string>();
    auto archived = std::make_shared<std::string>();
    auto* cmd = product->add_subcommand("export", "Write the product list as CSV (docs/csv.md)");
    add_config_flags(cmd, flags);
    cmd->add_option("--out,-o", *out_file, "File to write (default: stdout)");
    cmd->add_option("--q", *q, "Text in the name, or the start of a SKU or barcode");
    cmd->add_option("--category", *category, "A category id (its subcategories included)");
    cmd->add_option("--stock", *stock, "in_stock, low, out or not_tracked");
    cmd->add_option("--archived", *archived, "no (default), only or all");
    cmd->callback([flags, out_file, q, category, stock, archived] {
      ProductFilter filter;
      filter.text = *q;
      filter.category_id = *category;
      const auto usage = [](const std::string& message) {
        std::cerr << "product export: " << message << "\n";
        set_exit_code(2);
      };
      if (!stock->empty()) {
        const auto s = parse_stock_status(*stock);
        if (!s) return usage("--stock: in_stock, low, out or not_tracked");
        filter.stock = *s;
      }
      if (!archived->empty()) {
        const auto a = parse_archived_filter(*archived);
        if (!a) return usage("--archived: no, only or all");
        filter.archived = *a;
      }
      if (!category->empty() && !parse_uuid(*category)) return usage("--category: a category id");
      if (const auto v = validate(filter); !v) return usage(v.error().context);
      set_exit_code(with_store(*flags, "product export", [&](CliStore& s) {
        std::ofstream file;
        if (!out_file->empty()) {
          file.open(*out_file, std::ios::binary);
          if (!file) throw std::runtime_error("cannot write " + *out_file);
        }
        std::ostream& out = out_file->empty() ? std::cout : file;
        const auto rows = pc::export_products(s.services().pool(), s.store_id(), CliStore::actor(), filter,
                                              [&out](std::string_view piece) {
                                                out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
                                                return static_cast<bool>(out);
                                              });
        out.flush();
        if (!out) throw std::runtime_error("cannot write " + (out_file->empty() ? "stdout" : *out_file));
        if (!out_file->empty()) std::cerr << "wrote " << rows << " products to " << *out_file << "\n";
        return 0;
      }));
    });
  }
}

}  // namespace salespider::app
