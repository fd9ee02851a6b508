// The Back office's stock screens in the reducer: who may open them, the
// product picker, receive / adjust / write-off, the stock count (lines,
// variances, applying it as one count movement per line), the server's lists
// and the CSV screen. The controller (effects/stock_ops.cpp) records and
// loads what was accepted here. See stock_ops.hpp.
#include "state/stock_ops.hpp"

#include "json/fields.hpp"
#include "state/app_state.hpp"
#include "state/reducers.hpp"

#include <salespider/shared/money_format.hpp>
#include <salespider/shared/rounding.hpp>

#include <algorithm>
#include <limits>
#include <type_traits>
#include <utility>

namespace salespider::state {

namespace {

using json = jsonio::Json;

constexpr const char* kAdjustStock = "adjust_stock";
// A count record is a few KB; anything far bigger is not ours.
constexpr std::size_t kMaxCountBytes = 1024 * 1024;

std::int64_t clamp_wide(Wide v) {
  if (v > std::numeric_limits<std::int64_t>::max()) return std::numeric_limits<std::int64_t>::max();
  if (v < std::numeric_limits<std::int64_t>::min()) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(v);
}

std::string quantity_text(std::int64_t milli) {
  return format_quantity(Quantity{milli});
}

// The quantity a stock operation or count line may carry for this product:
// within the shared limit, whole for products sold by the piece.
std::string quantity_problem(const StockProduct& p, std::int64_t milli, bool zero_ok) {
  const std::int64_t mag = milli < 0 ? -milli : milli;
  if (mag == 0 && !zero_ok) return tr("Enter a quantity other than 0.");
  if (mag > kMaxQuantityThousandths) return tr("That quantity is too large.");
  if (p.unit == UnitKind::each && mag % kQuantityScale != 0)
    return trf("{product} is counted in whole units.", {{"product", p.name}});
  return "";
}

bool refuse_unless_stock(AppState& s) {
  if (!s.user) return true;
  if (!may(s, kAdjustStock)) {
    say(s, MessageKind::error, tr("You may not change stock: that needs the adjust_stock permission."));
    return true;
  }
  return false;
}

json product_json(const StockProduct& p) {
  json j{{"id", p.id},
         {"name", p.name},
         {"sku", p.sku},
         {"barcode", p.barcode},
         {"unit", p.unit == UnitKind::weighed ? "weighed" : "each"},
         {"price_minor", p.price_minor},
         {"track_stock", p.track_stock},
         {"active", p.active}};
  j["on_hand_milli"] = p.on_hand_milli ? json(*p.on_hand_milli) : json(nullptr);
  return j;
}

bool decode_product(const json& j, StockProduct& p) {
  if (!j.is_object()) return false;
  p.id = jsonio::text(j, "id");
  p.name = jsonio::text(j, "name");
  p.sku = jsonio::text(j, "sku");
  p.barcode = jsonio::text(j, "barcode");
  p.unit = jsonio::text(j, "unit") == "weighed" ? UnitKind::weighed : UnitKind::each;
  p.price_minor = jsonio::integer(j, "price_minor");
  if (auto t = j.find("track_stock"); t != j.end() && t->is_boolean()) p.track_stock = t->get<bool>();
  if (auto a = j.find("active"); a != j.end() && a->is_boolean()) p.active = a->get<bool>();
  std::int64_t on_hand = 0;
  if (jsonio::read_integer(j, "on_hand_milli", on_hand)) p.on_hand_milli = on_hand;
  return !p.id.empty();
}

void add_count_line(AppState& s, const StockProduct& p) {
  StockCount& count = *s.stock.count;
  for (std::size_t i = 0; i < count.lines.size(); ++i)
    if (count.lines[i].product.id == p.id) {
      say(s, MessageKind::info, trf("{product} is already line {line} of this count.",
                                    {{"product", p.name}, {"line", std::to_string(i + 1)}}));
      return;
    }
  if (count.lines.size() >= kMaxCountLines) {
    say(s, MessageKind::error, trf("A count holds at most {n} lines: apply this one first.",
                                   {{"n", std::to_string(kMaxCountLines)}}));
    return;
  }
  StockCountLine line;
  line.product = p;
  line.expected_milli = p.on_hand_milli.value_or(0);
  count.lines.push_back(std::move(line));
  s.stock.picker.found.clear();
  s.stock.picker.text.clear();
  s.message.reset();
}

void reduce_picker(AppState& s, const StockSearch& c) {
  s.stock.picker.text = c.text;
  s.stock.picker.error.clear();
}

void reduce_picker(AppState& s, const StockSearchResults& c) {
  if (c.text != s.stock.picker.text) return;  // an older search's answer
  s.stock.picker.found = c.products;
  s.stock.picker.error = c.error;
  if (c.error.empty() && c.products.empty() && !c.text.empty())
    s.stock.picker.error = trf("Nothing on this till matches “{text}”.", {{"text", c.text}});
}

void reduce_pick(AppState& s, const PickStockProduct& c) {
  if (s.screen == Screen::StockLists) {  // the movements of this product
    s.stock.lists.tab = StockListTab::movements;
    s.stock.lists.filter.product_id = c.product.id;
    s.stock.lists.filter.product_name = c.product.name;
    s.stock.lists.loading = true;
    s.stock.lists.error.clear();
    s.stock.picker.found.clear();
    return;
  }
  if (s.screen == Screen::StockCount) {
    if (!s.stock.count) {
      say(s, MessageKind::error, tr("Start a count first."));
      return;
    }
    if (s.stock.count->applying) return;
    add_count_line(s, c.product);
    return;
  }
  s.stock.product = c.product;
  s.stock.picker.found.clear();
  s.stock.done.clear();
}

void reduce_submit(AppState& s, const SubmitStockOp& c) {
  if (s.stock.recording || refuse_unless_stock(s)) return;
  if (!s.stock.product) {
    say(s, MessageKind::error, tr("Pick a product first."));
    return;
  }
  Result<StockMovement> m = stock_movement_of(c, *s.stock.product);
  if (!m) {
    say(s, MessageKind::error, m.error().context);
    return;
  }
  s.stock.recording = true;
  s.stock.pending = c;
  ++s.stock.submit_seq;
  s.stock.done.clear();
  s.message.reset();
}

void reduce_apply(AppState& s) {
  if (refuse_unless_stock(s)) return;
  if (!s.stock.count || s.stock.count->applying) return;
  StockCount& count = *s.stock.count;
  if (count.count_id.empty()) {
    say(s, MessageKind::error, tr("The count has no id yet; try again in a moment."));
    return;
  }
  if (count.lines.empty()) {
    say(s, MessageKind::error, tr("Add the products you counted first."));
    return;
  }
  int awaiting = 0;
  for (std::size_t i = 0; i < count.lines.size(); ++i) {
    const StockCountLine& l = count.lines[i];
    if (l.recorded) continue;
    if (!l.counted_milli) {
      say(s, MessageKind::error, trf("Line {line} ({product}) is not counted yet.",
                                     {{"line", std::to_string(i + 1)}, {"product", l.product.name}}));
      return;
    }
    ++awaiting;
  }
  count.applying = true;
  count.awaiting = awaiting;
  ++count.apply_seq;
  s.message.reset();
}

void reduce_line_recorded(AppState& s, const CountLineRecorded& c) {
  if (!s.stock.count || s.stock.count->count_id != c.count_id) return;
  StockCount& count = *s.stock.count;
  if (c.line >= 0 && static_cast<std::size_t>(c.line) < count.lines.size() && c.error.empty())
    count.lines[static_cast<std::size_t>(c.line)].recorded = true;
  if (!c.error.empty()) count.apply_error = c.error;
  if (count.awaiting > 0) --count.awaiting;
  if (count.awaiting > 0) return;
  count.applying = false;
  const bool all = std::all_of(count.lines.begin(), count.lines.end(), [](const StockCountLine& l) { return l.recorded; });
  if (all) {
    const std::size_t n = count.lines.size();
    s.stock.count.reset();
    say(s, MessageKind::info,
        i18n::format(i18n::trn("Count applied: {n} movement recorded; it reaches the server with the next sync.",
                               "Count applied: {n} movements recorded; they reach the server with the next sync.",
                               static_cast<std::int64_t>(n)),
                     {{"n", std::to_string(n)}}));
  } else {
    say(s, MessageKind::error,
        trf("Some lines could not be recorded ({problem}). Apply again records only those.",
            {{"problem", count.apply_error}}));
    count.apply_error.clear();
  }
}

void reduce_count(AppState& s, const SetCountedQuantity& c) {
  if (!s.stock.count || s.stock.count->applying) return;
  StockCount& count = *s.stock.count;
  if (c.line < 0 || static_cast<std::size_t>(c.line) >= count.lines.size()) return;
  StockCountLine& l = count.lines[static_cast<std::size_t>(c.line)];
  if (l.recorded) {
    say(s, MessageKind::error, trf("{product} was already applied.", {{"product", l.product.name}}));
    return;
  }
  if (c.counted_milli) {
    if (*c.counted_milli < 0) {
      say(s, MessageKind::error, tr("A count cannot be negative."));
      return;
    }
    const std::string problem = quantity_problem(l.product, *c.counted_milli, true);
    if (!problem.empty()) {
      say(s, MessageKind::error, problem);
      return;
    }
  }
  l.counted_milli = c.counted_milli;
}

void reduce_csv(AppState& s, const CsvAnswered& c) {
  CsvState& csv = s.stock.csv;
  if (c.dry_run) {
    csv.checking = false;
    csv.check = c.check;
    csv.error_page = 0;
  } else {
    csv.importing = false;
    if (c.check && c.check->applied) {
      csv.result = c.check;
      csv.check.reset();
      csv.done = trf("Imported: {created} created, {updated} updated, {unchanged} unchanged.",
                     {{"created", std::to_string(c.check->created)}, {"updated", std::to_string(c.check->updated)},
                      {"unchanged", std::to_string(c.check->unchanged)}});
    } else if (c.check) {
      csv.check = c.check;  // refused: the errors as the server found them now
      csv.error_page = 0;
    }
  }
  csv.error = c.error;
}

bool may_csv(const AppState& s) {
  return may(s, "manage_products") || may(s, "export_data");
}

}  // namespace

std::string_view stock_op_name(StockOpKind kind) {
  switch (kind) {
    case StockOpKind::receive:
      return "receive";
    case StockOpKind::adjust:
      return "adjust";
    case StockOpKind::write_off:
      return "write_off";
  }
  return "adjust";
}

std::int64_t variance_milli(const StockCountLine& line) {
  return line.counted_milli ? *line.counted_milli - line.expected_milli : 0;
}

std::int64_t variance_value_minor(const StockCountLine& line) {
  Result<std::int64_t> v = extend_price(line.product.price_minor, Quantity{variance_milli(line)});
  return v ? v.value() : 0;
}

CountTotals count_totals(const StockCount& count) {
  CountTotals t;
  Wide value = 0;
  for (const StockCountLine& l : count.lines) {
    ++t.lines;
    t.expected_milli += l.expected_milli;
    if (!l.counted_milli) continue;
    ++t.counted;
    t.counted_milli += *l.counted_milli;
    t.variance_milli += variance_milli(l);
    value += variance_value_minor(l);
  }
  t.variance_value_minor = clamp_wide(value);
  return t;
}

Result<StockMovement> count_movement(const StockCount& count, const StockCountLine& line) {
  if (!line.counted_milli) return make_error(Errc::invalid_stock_movement, trf("{product} is not counted", {{"product", line.product.name}}));
  StockMovement m;
  m.product_id = line.product.id;
  m.kind = StockMovementKind::count;
  m.counted_thousandths = *line.counted_milli;
  m.delta_thousandths = variance_milli(line);
  m.count_id = count.count_id;
  if (Status ok = validate(m); !ok) return ok.error();
  return m;
}

Result<StockMovement> stock_movement_of(const SubmitStockOp& c, const StockProduct& p) {
  StockMovement m;
  m.product_id = p.id;
  m.note = c.note;
  const bool signed_ok = c.kind == StockOpKind::adjust;
  if (!signed_ok && c.quantity_milli < 0)
    return make_error(Errc::invalid_stock_movement, tr("Enter the quantity without a sign."));
  if (std::string problem = quantity_problem(p, c.quantity_milli, false); !problem.empty())
    return make_error(Errc::invalid_stock_movement, problem);
  switch (c.kind) {
    case StockOpKind::receive:
      m.kind = StockMovementKind::receive;
      m.delta_thousandths = c.quantity_milli;
      if (c.unit_cost_minor) {
        if (*c.unit_cost_minor < 0) return make_error(Errc::invalid_stock_movement, "A unit cost cannot be negative.");
        m.unit_cost_minor = c.unit_cost_minor;
      }
      break;
    case StockOpKind::adjust:
      m.kind = StockMovementKind::adjust;
      m.delta_thousandths = c.quantity_milli;
      if (c.note.empty()) return make_error(Errc::invalid_stock_movement, tr("Say why the stock is adjusted."));
      break;
    case StockOpKind::write_off:
      m.kind = StockMovementKind::write_off;
      m.delta_thousandths = -c.quantity_milli;
      if (!c.reason) return make_error(Errc::invalid_stock_movement, tr("Choose why the stock is written off."));
      m.reason = c.reason;
      break;
  }
  if (m.note.size() > kMaxStockNoteBytes)
    return make_error(Errc::invalid_stock_movement, tr("The note is too long (at most 500 bytes)."));
  if (Status ok = validate(m); !ok) return ok.error();
  return m;
}

std::string stock_op_done(const SubmitStockOp& c, const StockProduct& p) {
  switch (c.kind) {
    case StockOpKind::receive:
      return trf("Received {quantity} × {product}.", {{"quantity", quantity_text(c.quantity_milli)}, {"product", p.name}});
    case StockOpKind::adjust:
      return trf("Adjusted {product} by {quantity}.",
                 {{"product", p.name}, {"quantity", (c.quantity_milli > 0 ? "+" : "") + quantity_text(c.quantity_milli)}});
    case StockOpKind::write_off:
      return trf("Wrote off {quantity} × {product}.", {{"quantity", quantity_text(c.quantity_milli)}, {"product", p.name}});
  }
  return tr("Recorded.");
}

std::string encode_stock_count(const StockCount& count) {
  json lines = json::array();
  for (const StockCountLine& l : count.lines) {
    json j{{"product", product_json(l.product)}, {"expected_milli", l.expected_milli}, {"recorded", l.recorded}};
    j["counted_milli"] = l.counted_milli ? json(*l.counted_milli) : json(nullptr);
    lines.push_back(std::move(j));
  }
  return json{{"version", 1}, {"count_id", count.count_id}, {"started_ms", count.started_ms}, {"lines", std::move(lines)}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<StockCount> decode_stock_count(std::string_view text) {
  std::optional<json> doc = jsonio::parse_object(text, kMaxCountBytes);
  if (!doc || jsonio::integer(*doc, "version") != 1) return std::nullopt;
  StockCount count;
  count.count_id = jsonio::text(*doc, "count_id");
  count.started_ms = jsonio::integer(*doc, "started_ms");
  const json* lines = jsonio::array(*doc, "lines");
  if (!lines || lines->size() > kMaxCountLines) return std::nullopt;
  for (const json& j : *lines) {
    if (!j.is_object()) return std::nullopt;
    StockCountLine l;
    auto p = j.find("product");
    if (p == j.end() || !decode_product(*p, l.product)) return std::nullopt;
    l.expected_milli = jsonio::integer(j, "expected_milli");
    std::int64_t counted = 0;
    if (jsonio::read_integer(j, "counted_milli", counted)) l.counted_milli = counted;
    if (auto r = j.find("recorded"); r != j.end() && r->is_boolean()) l.recorded = r->get<bool>();
    count.lines.push_back(std::move(l));
  }
  return count;
}

Screen back_office_screen(const AppState&) {
  return Screen::BackOffice;
}

bool reduce_stock(AppState& s, const Command& command) {
  return reduce_listed<StockCommands>(s, command, [](AppState& s, const auto& c) {
    using C = std::decay_t<decltype(c)>;
    if constexpr (std::is_same_v<C, OpenStock> || std::is_same_v<C, OpenStockCount> ||
                  std::is_same_v<C, OpenStockLists>) {
      if (s.busy || refuse_unless_stock(s)) return;
      s.screen = std::is_same_v<C, OpenStock>        ? Screen::Stock
                 : std::is_same_v<C, OpenStockCount> ? Screen::StockCount
                                                     : Screen::StockLists;
      s.stock.picker = StockPicker{};
      s.stock.done.clear();
      if constexpr (std::is_same_v<C, OpenStockLists>) {
        s.stock.lists.loading = true;
        s.stock.lists.error.clear();
      }
    } else if constexpr (std::is_same_v<C, OpenCsv>) {
      if (s.busy || !s.user) return;
      if (!may_csv(s)) {
        say(s, MessageKind::error, "CSV import and export need the manage_products or export_data permission.");
        return;
      }
      s.screen = Screen::Csv;
    } else if constexpr (std::is_same_v<C, StockSearch> || std::is_same_v<C, StockSearchResults>) {
      reduce_picker(s, c);
    } else if constexpr (std::is_same_v<C, PickStockProduct>) {
      reduce_pick(s, c);
    } else if constexpr (std::is_same_v<C, SubmitStockOp>) {
      reduce_submit(s, c);
    } else if constexpr (std::is_same_v<C, StockOpRecorded>) {
      s.stock.recording = false;
      s.stock.pending.reset();
      if (c.error.empty()) {
        s.stock.done = c.done;
        say(s, MessageKind::info, c.done);
      } else {
        say(s, MessageKind::error, c.error);
      }
    } else if constexpr (std::is_same_v<C, StartStockCount>) {
      if (refuse_unless_stock(s)) return;
      if (s.stock.count) {
        say(s, MessageKind::error, "A count is already in progress: apply or discard it first.");
        return;
      }
      s.stock.count = StockCount{};
      s.stock.count->started_ms = s.sync.now_ms;
      s.message.reset();
    } else if constexpr (std::is_same_v<C, StockCountIdIssued>) {
      if (s.stock.count && s.stock.count->count_id.empty()) s.stock.count->count_id = c.count_id;
    } else if constexpr (std::is_same_v<C, SetCountedQuantity>) {
      reduce_count(s, c);
    } else if constexpr (std::is_same_v<C, RemoveCountLine>) {
      if (!s.stock.count || s.stock.count->applying) return;
      auto& lines = s.stock.count->lines;
      if (c.line < 0 || static_cast<std::size_t>(c.line) >= lines.size()) return;
      if (lines[static_cast<std::size_t>(c.line)].recorded) {
        say(s, MessageKind::error, "That line was already applied.");
        return;
      }
      lines.erase(lines.begin() + c.line);
    } else if constexpr (std::is_same_v<C, DiscardStockCount>) {
      if (!s.stock.count || s.stock.count->applying) return;
      const bool partly = std::any_of(s.stock.count->lines.begin(), s.stock.count->lines.end(),
                                      [](const StockCountLine& l) { return l.recorded; });
      s.stock.count.reset();
      say(s, MessageKind::info, partly ? tr("Count closed; the lines already applied stay recorded.") : tr("Count discarded."));
    } else if constexpr (std::is_same_v<C, ApplyStockCount>) {
      reduce_apply(s);
    } else if constexpr (std::is_same_v<C, CountLineRecorded>) {
      reduce_line_recorded(s, c);
    } else if constexpr (std::is_same_v<C, StockCountRestored>) {
      s.stock.count_restored = true;
      if (!s.stock.count && c.count) {
        s.stock.count = c.count;
        s.stock.count->applying = false;
        s.stock.count->awaiting = 0;
      }
    } else if constexpr (std::is_same_v<C, ShowStockList>) {
      StockLists& l = s.stock.lists;
      if (c.more && l.next.empty()) return;
      l.tab = c.tab;
      l.filter = c.filter;
      l.loading = true;
      l.error.clear();
    } else if constexpr (std::is_same_v<C, StockListLoaded>) {
      StockLists& l = s.stock.lists;
      if (c.tab != l.tab) return;  // the person moved to another tab meanwhile
      l.loading = false;
      l.error = c.error;
      if (!c.error.empty()) return;
      switch (c.tab) {
        case StockListTab::low:
          l.low = c.low;
          break;
        case StockListTab::movements:
          if (!c.append) l.movements.clear();
          l.movements.insert(l.movements.end(), c.movements.begin(), c.movements.end());
          l.next = c.next;
          break;
        case StockListTab::value:
          l.value = c.value;
          break;
      }
    } else if constexpr (std::is_same_v<C, PickCsvFile>) {
      s.stock.csv.picking = true;
    } else if constexpr (std::is_same_v<C, CsvFileChosen>) {
      CsvState& csv = s.stock.csv;
      csv.picking = false;
      csv.error = c.error;
      if (c.name.empty()) return;
      csv.file_name = c.name;
      csv.text = c.text;
      csv.check.reset();
      csv.result.reset();
      csv.done.clear();
    } else if constexpr (std::is_same_v<C, CheckCsv>) {
      CsvState& csv = s.stock.csv;
      if (csv.text.empty() || csv.checking || csv.importing) return;
      if (!may(s, "manage_products")) {
        csv.error = tr("Importing products needs the manage_products permission.");
        return;
      }
      csv.checking = true;
      csv.check.reset();
      csv.result.reset();
      csv.error.clear();
      csv.done.clear();
    } else if constexpr (std::is_same_v<C, ImportCsv>) {
      CsvState& csv = s.stock.csv;
      if (!csv.check || csv.check->errors != 0 || csv.checking || csv.importing) return;
      csv.importing = true;
      csv.error.clear();
    } else if constexpr (std::is_same_v<C, CsvAnswered>) {
      reduce_csv(s, c);
    } else if constexpr (std::is_same_v<C, CsvErrorPage>) {
      s.stock.csv.error_page = std::max(0, c.page);
    } else if constexpr (std::is_same_v<C, ExportCsv>) {
      CsvState& csv = s.stock.csv;
      if (csv.exporting) return;
      if (!may(s, "export_data")) {
        csv.error = tr("Exports need the export_data permission.");
        return;
      }
      csv.exporting = true;
      csv.error.clear();
      csv.done.clear();
    } else if constexpr (std::is_same_v<C, CsvExported>) {
      s.stock.csv.exporting = false;
      s.stock.csv.error = c.error;
      s.stock.csv.done = c.done;
    }
  });
}

}  // namespace salespider::state
