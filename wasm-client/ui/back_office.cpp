// The back office's screens (ux.md "Back office"): the hub, then products,
// categories and tax rates, all online, reading the server's rows through
// state/back_office.hpp. Laid out in columns on a desktop or a tablet in
// landscape, one column on a phone. Offline, each says so in one line and
// shows what the till has locally, read-only.
//
// Ids: each screen is its own window ("BackOffice##screen" ...), fields keep
// their label after "##" ("##product-name"), rows carry the row's id, so
// the automation bridge finds them across frames. Text being typed is
// UI-local until a button turns it into a command (like screens.cpp).
// Deliberately not here: the stock and CSV screens (back_office_stock.cpp).
#include "ui/back_office.hpp"
#include "ui/server_alerts.hpp"

#include "state/server_session.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>
#include <salespider/shared/i18n.hpp>

#include <salespider/shared/i18n.hpp>

#include <salespider/shared/product_rules.hpp>
#include <salespider/shared/quantity.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace salespider::ui {

using i18n::N_;
using i18n::tr;
using i18n::trc;
using i18n::trf;

namespace {

// Columns of equal buttons: 3 on a desktop, 2 on a tablet, 1 on a phone.
int columns() {
  const float w = ImGui::GetContentRegionAvail().x;
  return w >= 900.0f ? 3 : (w >= 520.0f ? 2 : 1);
}

// --- text being typed (UI-local until a button turns it into a command) ----

void copy_text(char* buffer, std::size_t size, const std::string& text) {
  std::snprintf(buffer, size, "%s", text.c_str());
}

struct ListForm {
  char search[200] = "";
};
ListForm g_list;

struct EditorForm {
  int generation = -1;  // the editor generation the fields were filled from
  char name[256] = "";
  char sku[80] = "";
  char description[4096] = "";
  std::vector<std::string> barcodes;
  char new_barcode[80] = "";
  std::string category_id;
  char price[40] = "";
  char cost[40] = "";
  std::string tax_rate_id;
  bool weighed = false;
  bool track_stock = true;
  char low_stock[40] = "";
  bool is_active = true;
};
EditorForm g_form;

struct CategoryForm {
  std::string id;  // "" = adding
  char name[128] = "";
  std::string parent_id;
};
CategoryForm g_cat;

const char* const kTaxKinds[] = {"standard", "reduced", "zero", "exempt"};
// A tax kind as people read it (the server's value otherwise).
const char* tax_kind_label(std::string_view kind) {
  if (kind == "standard") return trc("tax kind", "standard");
  if (kind == "reduced") return trc("tax kind", "reduced");
  if (kind == "zero") return trc("tax kind", "zero");
  if (kind == "exempt") return trc("tax kind", "exempt");
  return kind.data();
}
struct TaxForm {
  std::string id;  // "" = adding
  char code[40] = "";
  char name[128] = "";
  char rate[16] = "";
  int kind = 0;
};
TaxForm g_tax;

int kind_index(const std::string& kind) {
  for (int i = 0; i < 4; ++i)
    if (kind == kTaxKinds[i]) return i;
  return 0;
}

void fill_form(const state::ProductEditor& e) {
  const state::ProductDraft& d = e.draft;
  EditorForm f;
  f.generation = e.generation;
  copy_text(f.name, sizeof f.name, d.name);
  copy_text(f.sku, sizeof f.sku, d.sku);
  copy_text(f.description, sizeof f.description, d.description);
  f.barcodes = d.barcodes;
  f.category_id = d.category_id;
  copy_text(f.price, sizeof f.price, d.price);
  copy_text(f.cost, sizeof f.cost, d.cost);
  f.tax_rate_id = d.tax_rate_id;
  f.weighed = d.weighed;
  f.track_stock = d.track_stock;
  copy_text(f.low_stock, sizeof f.low_stock, d.low_stock);
  f.is_active = d.is_active;
  g_form = std::move(f);
}

state::ProductDraft draft_from_form(const state::ProductEditor& e) {
  state::ProductDraft d;
  d.id = e.draft.id;
  d.row_version = e.draft.row_version;
  d.name = g_form.name;
  d.sku = g_form.sku;
  d.description = g_form.description;
  d.barcodes = g_form.barcodes;
  // A code typed but not yet added goes too: nobody means to lose it.
  if (g_form.new_barcode[0] != 0) d.barcodes.emplace_back(g_form.new_barcode);
  d.category_id = g_form.category_id;
  d.price = g_form.price;
  d.cost = g_form.cost;
  d.tax_rate_id = g_form.tax_rate_id;
  d.weighed = g_form.weighed;
  d.track_stock = g_form.track_stock;
  d.low_stock = g_form.low_stock;
  d.is_active = g_form.is_active;
  return d;
}

// --- reading the lists --------------------------------------------------------

const state::CatalogCategory* find_category(const state::AppState& s, const std::string& id) {
  if (id.empty()) return nullptr;
  for (const state::CatalogCategory& c : s.back_office.categories)
    if (c.id == id) return &c;
  return nullptr;
}

std::string category_name(const state::AppState& s, const std::string& id) {
  const state::CatalogCategory* c = find_category(s, id);
  return c ? c->path : std::string(tr("(unknown category)"));
}

std::vector<state::CatalogCategory> sorted_categories(const state::AppState& s) {
  std::vector<state::CatalogCategory> out = s.back_office.categories;
  std::stable_sort(out.begin(), out.end(),
                   [](const state::CatalogCategory& a, const state::CatalogCategory& b) { return a.path < b.path; });
  return out;
}

const state::CatalogTaxRate* find_tax_rate(const state::AppState& s, const std::string& id) {
  for (const state::CatalogTaxRate& t : s.back_office.tax_rates)
    if (t.id == id) return &t;
  return nullptr;
}

const char* stock_label(StockStatus st) {
  switch (st) {
    case StockStatus::in_stock:
      return tr("In stock");
    case StockStatus::low:
      return trc("stock", "Low");
    case StockStatus::out:
      return trc("stock", "Out");
    case StockStatus::not_tracked:
      return tr("Not tracked");
  }
  return "";
}

std::string stock_text(const state::CatalogProduct& p) {
  if (p.stock_status == "not_tracked") return tr("not tracked");
  Result<StockStatus> st = parse_stock_status(p.stock_status);
  return format_quantity(Quantity{p.on_hand_milli}) + (st ? std::string(" · ") + stock_label(st.value()) : "");
}

// 100000 -> "100,000".
std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  const std::string sep = i18n::money_format(i18n::active_language()).group_separator;
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), sep);
  return n < 0 ? "-" + digits : digits;
}

// --- the products screen's parts ----------------------------------------------

void product_table(const state::AppState& s, std::vector<state::Command>& emitted, bool wide) {
  const state::ProductList& list = s.back_office.list;
  if (list.loading && list.products.empty()) ImGui::TextColored(kMuted, "%s", tr("Loading…"));
  if (!list.loading && list.products.empty() && list.error.empty())
    ImGui::TextColored(kMuted, "%s", tr("No product matches."));
  const float pager_h = kButtonPx + 2.0f * ImGui::GetStyle().ItemSpacing.y;
  ImGui::BeginChild("##product-rows", ImVec2(0.0f, std::max(3.0f * kMinTouchPx, ImGui::GetContentRegionAvail().y - pager_h)));
  const int columns = wide ? 5 : 3;
  if (ImGui::BeginTable("##products", columns, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn(tr("Name"), 0, 3.0f);
    if (wide) ImGui::TableSetupColumn(tr("SKU"), 0, 1.2f);
    ImGui::TableSetupColumn(tr("Price"), 0, 1.2f);
    ImGui::TableSetupColumn(tr("On hand"), 0, 1.4f);
    if (wide) ImGui::TableSetupColumn(tr("Category"), 0, 1.6f);
    ImGui::TableHeadersRow();
    for (const state::CatalogProduct& p : list.products) {
      ImGui::TableNextRow(0, kMinTouchPx);
      ImGui::TableNextColumn();
      const std::string label = (p.archived ? trf("{name} (archived)", {{"name", p.name}}) : p.name) + "##product-" + p.id;
      if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_SpanAllColumns, ImVec2(0.0f, kMinTouchPx)))
        emitted.emplace_back(state::OpenProduct{p.id});
      if (wide) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(p.sku.c_str());
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(money(s, p.price_minor).c_str());
      ImGui::TableNextColumn();
      const bool short_of = p.stock_status == "low" || p.stock_status == "out";
      ImGui::TextColored(short_of ? kError : ImGui::GetStyleColorVec4(ImGuiCol_Text), "%s", stock_text(p).c_str());
      if (wide) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(p.category_name.c_str());
      }
    }
    ImGui::EndTable();
  }
  ImGui::EndChild();
}

void pager(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::ProductList& list = s.back_office.list;
  const ProductFilter& f = list.filter;
  const bool can_back = f.offset > 0 && !list.loading;
  const bool can_next = f.offset + static_cast<std::int64_t>(list.products.size()) < list.total && !list.loading;
  // Two buttons and the range between them, within a phone's width too.
  const float w = std::clamp((ImGui::GetContentRegionAvail().x - 160.0f) / 2.0f, 90.0f, 160.0f);
  if (button(lbl(tr("Previous"), "###page-previous").c_str(), w, can_back)) {
    ProductFilter p = f;
    p.offset = std::max<std::int64_t>(0, f.offset - f.limit);
    emitted.emplace_back(state::QueryProducts{p});
  }
  ImGui::SameLine();
  const std::string range =
      list.products.empty()
          ? trf("0 of {total}", {{"total", grouped(list.total)}})
          : trf("{first}-{last} of {total}", {{"first", grouped(f.offset + 1)},
                                              {"last", grouped(f.offset + static_cast<std::int64_t>(list.products.size()))},
                                              {"total", grouped(list.total)}});
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(range.c_str());
  ImGui::SameLine();
  if (button(lbl(tr("Next"), "###page-next").c_str(), w, can_next)) {
    ProductFilter p = f;
    p.offset = f.offset + f.limit;
    emitted.emplace_back(state::QueryProducts{p});
  }
}

// Offline: the till's own catalog, as the selling screen's search finds it.
void local_products(const state::AppState& s) {
  ImGui::TextColored(kMuted, "%s", tr("What this till has (read-only):"));
  ImGui::BeginChild("##local-products");
  for (const state::ProductSnapshot& p : s.browse.products) {
    const std::string stock = p.on_hand_milli ? "  ·  " + format_quantity(Quantity{*p.on_hand_milli}) : "";
    ImGui::Text("%s  ·  %s%s", p.name.c_str(), money(s, p.unit_price).c_str(), stock.c_str());
  }
  if (s.browse.products.empty()) ImGui::TextColored(kMuted, "%s", tr("No product matches."));
  ImGui::EndChild();
}

// --- the editor's parts -----------------------------------------------------------

void editor_fields(const state::AppState& s, const state::ProductEditor& e) {
  auto error_on = [&e](const char* field) {
    if (e.error_field == field) ImGui::TextColored(kError, "%s", e.error.c_str());
  };
  field(tr("Name"), "##product-name", g_form.name, sizeof g_form.name);
  error_on("name");
  field(tr("SKU"), "##product-sku", g_form.sku, sizeof g_form.sku);
  error_on("sku");
  // The field first: adding a code must not move it (a scanner keeps going).
  ImGui::TextUnformatted(tr("Barcodes"));
  ImGui::SetNextItemWidth(std::max(120.0f, field_width() - 200.0f));
  const bool entered = ImGui::InputText("##new-barcode", g_form.new_barcode, sizeof g_form.new_barcode,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button(lbl(tr("Add barcode"), "###add-barcode").c_str(), ImVec2(190.0f, kMinTouchPx)) || entered) && g_form.new_barcode[0] != 0) {
    g_form.barcodes.emplace_back(g_form.new_barcode);
    wipe(g_form.new_barcode, sizeof g_form.new_barcode);
  }
  for (std::size_t i = 0; i < g_form.barcodes.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(g_form.barcodes[i].c_str());
    ImGui::SameLine();
    const std::string remove = std::string(tr("Remove")) + "##barcode-" + g_form.barcodes[i];
    if (ImGui::Button(remove.c_str(), ImVec2(0.0f, kMinTouchPx))) {
      g_form.barcodes.erase(g_form.barcodes.begin() + static_cast<std::ptrdiff_t>(i));
      ImGui::PopID();
      break;
    }
    ImGui::PopID();
  }
  error_on("barcodes");
  ImGui::TextUnformatted(tr("Category"));
  ImGui::SetNextItemWidth(field_width());
  const state::CatalogCategory* cat = find_category(s, g_form.category_id);
  if (ImGui::BeginCombo("##product-category", cat ? cat->path.c_str() : (g_form.category_id.empty() ? tr("None") : "…"))) {
    if (ImGui::Selectable(lbl(tr("None"), "##category-none").c_str(), g_form.category_id.empty())) g_form.category_id.clear();
    for (const state::CatalogCategory& c : sorted_categories(s)) {
      if (c.archived && c.id != g_form.category_id) continue;
      const std::string label = c.path + "##category-" + c.id;
      if (ImGui::Selectable(label.c_str(), g_form.category_id == c.id)) g_form.category_id = c.id;
    }
    ImGui::EndCombo();
  }
  ImGui::TextUnformatted(tr("Description"));
  ImGui::InputTextMultiline("##product-description", g_form.description, sizeof g_form.description,
                            ImVec2(field_width(), 3.0f * ImGui::GetTextLineHeightWithSpacing()));
}

// Price, cost, tax and stock: the second column on a wide screen.
void editor_money_fields(const state::AppState& s, const state::ProductEditor& e) {
  auto error_on = [&e](const char* field) {
    if (e.error_field == field) ImGui::TextColored(kError, "%s", e.error.c_str());
  };
  const bool prices = state::may(s, "manage_prices");
  ImGui::BeginDisabled(!prices && !e.draft.id.empty());
  field(trf("Price ({currency})", {{"currency", s.store.currency}}).c_str(), "##product-price", g_form.price, sizeof g_form.price,
        ImGuiInputTextFlags_CharsDecimal);
  error_on("price_minor");
  field(tr("Cost (empty: not known)"), "##product-cost", g_form.cost, sizeof g_form.cost, ImGuiInputTextFlags_CharsDecimal);
  error_on("cost_minor");
  ImGui::EndDisabled();
  ImGui::TextUnformatted(tr("Tax rate"));
  ImGui::SetNextItemWidth(field_width());
  const state::CatalogTaxRate* tax = find_tax_rate(s, g_form.tax_rate_id);
  const std::string tax_text = tax ? tax->code + " " + state::ppm_percent_text(tax->rate_ppm)
                                   : (g_form.tax_rate_id.empty() ? std::string(tr("None"))
                                                                 : (e.product ? e.product->tax_code : std::string()));
  if (ImGui::BeginCombo("##product-tax", tax_text.c_str())) {
    if (ImGui::Selectable(lbl(tr("None"), "##tax-none").c_str(), g_form.tax_rate_id.empty())) g_form.tax_rate_id.clear();
    for (const state::CatalogTaxRate& t : s.back_office.tax_rates) {
      if (!t.is_active && t.id != g_form.tax_rate_id) continue;
      const std::string label = t.code + " " + state::ppm_percent_text(t.rate_ppm) + "##tax-" + t.id;
      if (ImGui::Selectable(label.c_str(), g_form.tax_rate_id == t.id)) g_form.tax_rate_id = t.id;
    }
    ImGui::EndCombo();
  }
  ImGui::TextUnformatted(tr("Sold by"));
  ImGui::SameLine();
  if (ImGui::RadioButton(lbl(tr("Each"), "##unit-each").c_str(), !g_form.weighed)) g_form.weighed = false;
  ImGui::SameLine();
  if (ImGui::RadioButton(lbl(tr("Weight (kg)"), "##unit-weighed").c_str(), g_form.weighed)) g_form.weighed = true;
  ImGui::Checkbox(lbl(tr("Track stock"), "##track-stock").c_str(), &g_form.track_stock);
  if (g_form.track_stock) {
    field(tr("Low-stock level (empty: none)"), "##low-stock", g_form.low_stock, sizeof g_form.low_stock,
          ImGuiInputTextFlags_CharsDecimal);
    error_on("low_stock_milli");
  }
  ImGui::Checkbox(lbl(tr("Active (sold on the tills)"), "##is-active").c_str(), &g_form.is_active);
  if (e.product) {
    ImGui::TextColored(kMuted, "%s",
                       trf("On hand {on_hand} · version {version} · updated {updated}",
                           {{"on_hand", stock_text(*e.product)}, {"version", std::to_string(e.product->row_version)},
                            {"updated", e.product->updated_at}})
                           .c_str());
  }
}

// Yours / Now on the server, field by field; a differing field is marked.
void conflict_panel(const state::AppState& s, const state::ProductEditor& e, std::vector<state::Command>& emitted) {
  const state::ProductDraft& mine = e.draft;
  const state::ProductDraft theirs = state::draft_of(*e.conflict, s.store.currency);
  ImGui::TextColored(kError, "%s", tr("Someone changed this product while you were editing it."));
  auto joined = [](const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& b : v) out += (out.empty() ? "" : " ") + b;
    return out;
  };
  struct Row {
    const char* label;
    std::string mine, theirs;
  };
  const Row rows[] = {
      {N_("Name"), mine.name, theirs.name},
      {N_("SKU"), mine.sku, theirs.sku},
      {N_("Barcodes"), joined(mine.barcodes), joined(theirs.barcodes)},
      {N_("Price"), mine.price, theirs.price},
      {N_("Cost"), mine.cost, theirs.cost},
      {N_("Category"), category_name(s, mine.category_id), e.conflict->category_name},
      {N_("Low-stock level"), mine.low_stock, theirs.low_stock},
      {N_("Active"), mine.is_active ? tr("yes") : tr("no"), theirs.is_active ? tr("yes") : tr("no")},
  };
  if (ImGui::BeginTable("##conflict", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn(tr("Field"));
    ImGui::TableSetupColumn(tr("Yours"));
    ImGui::TableSetupColumn(tr("Now on the server"));
    ImGui::TableHeadersRow();
    for (const Row& r : rows) {
      if (std::string(r.label) == "Category" && mine.category_id == theirs.category_id) continue;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(tr(r.label));
      const bool differs = r.mine != r.theirs;
      ImGui::TableNextColumn();
      if (differs)
        ImGui::TextColored(kError, "%s", r.mine.c_str());
      else
        ImGui::TextUnformatted(r.mine.c_str());
      ImGui::TableNextColumn();
      if (differs)
        ImGui::TextColored(kError, "%s", r.theirs.c_str());
      else
        ImGui::TextUnformatted(r.theirs.c_str());
    }
    ImGui::EndTable();
  }
  if (button(lbl(tr("Keep mine"), "###conflict-mine").c_str(), 200.0f, !s.busy)) emitted.emplace_back(state::KeepMine{draft_from_form(e)});
  ImGui::SameLine();
  if (button(lbl(tr("Use theirs"), "###conflict-theirs").c_str(), 200.0f, !s.busy)) emitted.emplace_back(state::UseTheirs{});
  ImGui::Separator();
}

void price_history(const state::AppState& s, const state::ProductEditor& e) {
  if (e.price_history.empty()) return;
  ImGui::TextUnformatted(tr("Price history"));
  for (const state::PriceChange& c : e.price_history) {
    const std::string cost = c.cost_minor ? " · " + trf("cost {amount}", {{"amount", money(s, *c.cost_minor)}}) : "";
    const std::string by = c.changed_by.empty() ? "" : " · " + c.changed_by;
    ImGui::BulletText("%s  %s%s%s", c.effective_from.c_str(), money(s, c.price_minor).c_str(), cost.c_str(),
                      by.c_str());
  }
}
}  // namespace

void back_office(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("BackOffice##screen", true)) {
    title_with_back(tr("Back office"), s, emitted);
    needs_server_notice(s);
    message_line(s, emitted);
    server_alerts_banner(s, emitted);
    struct Entry {
      const char* label;
      const char* hint;
      bool allowed;
      state::Command command;
    };
    const bool products = state::may(s, "manage_products");
    const bool prices = state::may(s, "manage_prices");
    const bool stock = state::may(s, "adjust_stock");
    const Entry entries[] = {
        {N_("Products"), N_("Add, edit, price and archive products"), products, state::OpenProducts{}},
        {N_("Categories"), N_("The category tree the tiles and reports use"), products, state::OpenCategories{}},
        {N_("Tax rates"), N_("The store's tax rates and which products use them"), prices, state::OpenTaxRates{}},
        {N_("Stock"), N_("Receive, adjust and write off stock"), stock, state::OpenStock{}},
        {N_("Stock count"), N_("Count the shelves and post the differences"), stock, state::OpenStockCount{}},
        {N_("Stock lists"), N_("Low stock, movements and stock value"), stock, state::OpenStockLists{}},
        {N_("CSV import/export"), N_("Products in and out as a spreadsheet"), products, state::OpenCsv{}},
        {N_("Staff"), N_("People, roles, passwords, PINs and sessions"), state::may(s, "manage_staff"),
         state::OpenStaff{}},
        {N_("Tills"), N_("Enrolled tills, their health, enrolment codes"), state::may(s, "enrol_tills"),
         state::OpenTills{}},
        {N_("Audit log"), N_("Who changed what, and whether the record is intact"),
         state::may(s, "view_audit_log"), state::OpenAudit{}},
        {N_("Needs attention"), N_("What the store server set aside or flagged: resolve it"),
         state::is_manager_role(s.user ? s.user->role : ""), state::OpenAttention{}},
        {N_("Shifts"), N_("Closed shifts, their Z reports, over/short by cashier"),
         state::shifts_archive_allowed(s), state::OpenShiftsArchive{}},
        {N_("Dashboard"), N_("Sales, money and trends of a period"), state::may(s, "view_dashboard"),
         state::OpenDashboard{}},
        {N_("Reorder"), N_("What to order, what sells slowly or not at all"), state::may(s, "view_dashboard"),
         state::OpenReorder{}},
    };
    const int n = columns();
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - static_cast<float>(n - 1) * gap) / static_cast<float>(n);
    int col = 0;
    for (const Entry& e : entries) {
      if (col != 0) ImGui::SameLine();
      ImGui::BeginGroup();
      if (primary_button(tr(e.label), ImVec2(w, kPrimaryButtonPx), e.allowed && !s.busy)) emitted.push_back(e.command);
      ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
      ImGui::TextColored(kMuted, "%s", e.allowed ? tr(e.hint) : tr("Not allowed for your role."));
      ImGui::PopTextWrapPos();
      ImGui::EndGroup();
      col = (col + 1) % n;
    }
    // The owner's only: not shown to anyone else (ux.md, docs/back-office.md "Store settings").
    if (state::may(s, "manage_settings")) {
      if (col != 0) ImGui::SameLine();
      ImGui::BeginGroup();
      if (primary_button((std::string(i18n::tr("Settings")) + "###hub-settings").c_str(), ImVec2(w, kPrimaryButtonPx),
                         !s.busy))
        emitted.emplace_back(state::OpenSettings{});
      ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
      ImGui::TextColored(kMuted, "%s", i18n::tr("Store details, money, tenders, receipts, time and rules"));
      ImGui::PopTextWrapPos();
      ImGui::EndGroup();
    }
  }
  ImGui::End();
}

void products(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Products##screen", true)) {
    const state::ProductList& list = s.back_office.list;
    const ProductFilter& f = list.filter;
    title_with_back(tr("Products"), s, emitted);
    needs_server_notice(s);
    message_line(s, emitted);
    ProductFilter next = f;
    bool changed = false;
    // Search: every change asks again (older answers are dropped by the reducer).
    const bool wide = ImGui::GetContentRegionAvail().x >= 900.0f;
    ImGui::TextUnformatted(tr("Search name, SKU or barcode"));
    ImGui::SetNextItemWidth(wide ? 420.0f : ImGui::GetContentRegionAvail().x);
    if (ImGui::InputText("##product-search", g_list.search, sizeof g_list.search)) {
      next.text = g_list.search;
      changed = true;
    }
    if (wide) ImGui::SameLine();
    // The list's own answer may know first that the server is gone (sync
    // notices at its next round): either way, nothing is created offline.
    if (button(tr("New product"), 200.0f, state::server_session(s) && !s.back_office.list.offline && !s.busy))
      emitted.emplace_back(state::OpenProduct{""});
    // Filters and sort: one row on a desktop, wrapped on a phone.
    const float combo_w = wide ? 200.0f : std::max(140.0f, (ImGui::GetContentRegionAvail().x - 12.0f) / 2.0f);
    int n_on_row = 0;
    auto row_item = [&] {
      if (n_on_row++ > 0 && (wide || n_on_row % 2 == 0)) ImGui::SameLine();
    };
    row_item();
    ImGui::SetNextItemWidth(combo_w);
    if (ImGui::BeginCombo("##category-filter", f.category_id.empty() ? tr("All categories")
                                                                      : category_name(s, f.category_id).c_str())) {
      if (ImGui::Selectable(lbl(tr("All categories"), "##cat-any").c_str(), f.category_id.empty())) {
        next.category_id.clear();
        changed = true;
      }
      for (const state::CatalogCategory& c : s.back_office.categories) {
        if (c.archived) continue;
        const std::string label = std::string(static_cast<std::size_t>(state::category_depth(c)) * 2, ' ') + c.name +
                                  "##cat-" + c.id;
        if (ImGui::Selectable(label.c_str(), f.category_id == c.id)) {
          next.category_id = c.id;
          changed = true;
        }
      }
      ImGui::EndCombo();
    }
    row_item();
    ImGui::SetNextItemWidth(combo_w);
    if (ImGui::BeginCombo("##stock-filter", f.stock ? stock_label(*f.stock) : tr("Any stock"))) {
      if (ImGui::Selectable(lbl(tr("Any stock"), "##stock-any").c_str(), !f.stock)) {
        next.stock.reset();
        changed = true;
      }
      for (StockStatus st : {StockStatus::in_stock, StockStatus::low, StockStatus::out, StockStatus::not_tracked}) {
        const std::string label = std::string(stock_label(st)) + "##stock-" + std::string(to_string(st));
        if (ImGui::Selectable(label.c_str(), f.stock == st)) {
          next.stock = st;
          changed = true;
        }
      }
      ImGui::EndCombo();
    }
    row_item();
    ImGui::SetNextItemWidth(combo_w);
    static const char* const kArchived[] = {N_("Active products"), N_("Archived only"), N_("Active and archived")};
    if (ImGui::BeginCombo("##archived-filter", tr(kArchived[static_cast<int>(f.archived)]))) {
      for (int i = 0; i < 3; ++i)
        if (ImGui::Selectable(tr(kArchived[i]), static_cast<int>(f.archived) == i)) {
          next.archived = static_cast<ArchivedFilter>(i);
          changed = true;
        }
      ImGui::EndCombo();
    }
    row_item();
    ImGui::SetNextItemWidth(combo_w);
    static const char* const kSort[] = {N_("Sort by name"), N_("Sort by SKU"), N_("Sort by price"),
                                        N_("Sort by on hand"), N_("Sort by updated")};
    if (ImGui::BeginCombo("##sort", tr(kSort[static_cast<int>(f.sort)]))) {
      for (int i = 0; i < 5; ++i)
        if (ImGui::Selectable(tr(kSort[i]), static_cast<int>(f.sort) == i)) {
          next.sort = static_cast<ProductSort>(i);
          changed = true;
        }
      ImGui::EndCombo();
    }
    row_item();
    if (ImGui::Button(lbl(f.descending ? tr("Descending") : tr("Ascending"), "###order").c_str(), ImVec2(combo_w, kMinTouchPx))) {
      next.descending = !f.descending;
      changed = true;
    }
    if (changed) {
      next.offset = 0;
      emitted.emplace_back(state::QueryProducts{next});
    }
    if (!list.error.empty()) ImGui::TextColored(kError, "%s", list.error.c_str());
    if (list.offline) {
      local_products(s);
    } else {
      product_table(s, emitted, wide);
      pager(s, emitted);
    }
  }
  ImGui::End();
}

void product_editor(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("ProductEditor##screen", true)) {
    const std::optional<state::ProductEditor>& e = s.back_office.editing;
    const bool creating = !e || e->draft.id.empty();
    title_with_back(creating ? tr("New product") : tr("Product"), s, emitted);
    needs_server_notice(s);
    message_line(s, emitted);
    if (!e) {
      ImGui::End();
      return;
    }
    if (e->generation != g_form.generation) fill_form(*e);
    if (e->loading) ImGui::TextColored(kMuted, "%s", tr("Loading…"));
    if (!e->error.empty() && e->error_field != "row_version") ImGui::TextColored(kError, "%s", e->error.c_str());
    if (e->conflict) conflict_panel(s, *e, emitted);
    // The actions above the form: always in sight, however long the form.
    const bool can = !s.busy && !e->loading && state::server_session(s);
    if (primary_button(lbl(creating ? tr("Create") : tr("Save"), "###product-save").c_str(), ImVec2(200.0f, kButtonPx),
                       can && g_form.name[0] != 0 && !e->conflict))
      emitted.emplace_back(state::SaveProduct{draft_from_form(*e)});
    if (e->product) {
      const bool archived = e->product->archived;
      ImGui::SameLine();
      if (button(lbl(archived ? tr("Restore") : tr("Archive"), "###product-archive").c_str(), 200.0f, can))
        emitted.emplace_back(state::ArchiveProduct{archived});
      if (archived) {
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(kMuted, "%s", tr("Archived: not sold, kept for reports."));
      }
    }
    ImGui::Separator();
    // Two columns on a desktop or a tablet in landscape, one on a phone.
    const bool wide = ImGui::GetContentRegionAvail().x >= 900.0f;
    if (wide) {
      ImGui::BeginTable("##editor-columns", 2, ImGuiTableFlags_SizingStretchSame);
      ImGui::TableNextColumn();
    }
    editor_fields(s, *e);
    if (wide) ImGui::TableNextColumn();
    editor_money_fields(s, *e);
    price_history(s, *e);
    if (wide) ImGui::EndTable();
  }
  ImGui::End();
}

void categories(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Categories##screen", true)) {
    const state::BackOffice& bo = s.back_office;
    title_with_back(tr("Categories"), s, emitted);
    needs_server_notice(s);
    message_line(s, emitted);
    if (!bo.categories_error.empty()) ImGui::TextColored(kError, "%s", bo.categories_error.c_str());
    const bool wide = ImGui::GetContentRegionAvail().x >= 900.0f;
    const state::CatalogCategory* selected = find_category(s, g_cat.id);
    if (!g_cat.id.empty() && !selected) g_cat = CategoryForm{};
    if (wide) {
      ImGui::BeginTable("##category-columns", 2, ImGuiTableFlags_SizingStretchSame);
      ImGui::TableNextColumn();
    }
    // The tree, as the server orders it by path; indented by depth.
    if (bo.categories.empty() && bo.categories_error.empty()) ImGui::TextColored(kMuted, "%s", tr("No categories yet."));
    if (!state::server_session(s) && bo.categories.empty()) {
      ImGui::TextColored(kMuted, "%s", tr("On this till:"));
      for (const state::Category& c : s.browse.categories) ImGui::BulletText("%s", c.name.c_str());
    }
    for (const state::CatalogCategory& c : sorted_categories(s)) {
      ImGui::SetCursorPosX(ImGui::GetCursorPosX() + 24.0f * static_cast<float>(state::category_depth(c)));
      const std::string label = c.name + "  ·  " +
                                i18n::format(i18n::trn("{n} product", "{n} products", c.product_count),
                                             {{"n", std::to_string(c.product_count)}}) +
                                (c.archived ? std::string("  ·  ") + tr("archived") : "") + "##category-" + c.id;
      if (ImGui::Selectable(label.c_str(), g_cat.id == c.id, 0, ImVec2(0.0f, kMinTouchPx))) {
        g_cat.id = c.id;
        copy_text(g_cat.name, sizeof g_cat.name, c.name);
        g_cat.parent_id = c.parent_id;
      }
    }
    if (wide) ImGui::TableNextColumn();
    ImGui::Separator();
    selected = find_category(s, g_cat.id);
    ImGui::TextUnformatted(selected ? trf("Edit {category}", {{"category", selected->path}}).c_str() : tr("Add a category"));
    field(tr("Name"), "##category-name", g_cat.name, sizeof g_cat.name);
    ImGui::TextUnformatted(tr("Parent"));
    ImGui::SetNextItemWidth(field_width());
    const state::CatalogCategory* parent = find_category(s, g_cat.parent_id);
    if (ImGui::BeginCombo("##category-parent", parent ? parent->path.c_str() : tr("Top level"))) {
      if (ImGui::Selectable(lbl(tr("Top level"), "##parent-top").c_str(), g_cat.parent_id.empty())) g_cat.parent_id.clear();
      for (const state::CatalogCategory& c : sorted_categories(s)) {
        // Not itself nor one of its own subcategories (the server refuses a cycle too).
        if (c.archived || (selected && (c.id == selected->id || c.path.rfind(selected->path + " / ", 0) == 0)))
          continue;
        const std::string label = c.path + "##parent-" + c.id;
        if (ImGui::Selectable(label.c_str(), g_cat.parent_id == c.id)) g_cat.parent_id = c.id;
      }
      ImGui::EndCombo();
    }
    const bool can = !bo.writing && state::server_session(s);
    if (primary_button(lbl(selected ? tr("Save category") : tr("Add category"), "###category-save").c_str(),
                       ImVec2(field_width(), kPrimaryButtonPx), can && g_cat.name[0] != 0)) {
      emitted.emplace_back(state::SaveCategory{g_cat.id, g_cat.name, g_cat.parent_id,
                                               selected ? selected->row_version : 0});
      if (!selected) g_cat = CategoryForm{};
    }
    if (selected) {
      if (button(lbl(selected->archived ? tr("Restore") : tr("Archive"), "###category-archive").c_str(), 200.0f, can))
        emitted.emplace_back(state::ArchiveCategory{selected->id, selected->archived, selected->row_version});
      ImGui::SameLine();
      if (button(lbl(tr("Cancel"), "###category-cancel").c_str(), 160.0f)) g_cat = CategoryForm{};
      if (!selected->archived)
        ImGui::TextColored(kMuted, "%s", tr("Archiving hides the category; its products stay on sale."));
    }
    if (wide) ImGui::EndTable();
  }
  ImGui::End();
}

void tax_rates(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("TaxRates##screen", true)) {
    const state::BackOffice& bo = s.back_office;
    title_with_back(tr("Tax rates"), s, emitted);
    needs_server_notice(s);
    message_line(s, emitted);
    if (!bo.tax_rates_error.empty()) ImGui::TextColored(kError, "%s", bo.tax_rates_error.c_str());
    if (!bo.price_mode.empty())
      ImGui::TextWrapped("%s", bo.price_mode == "tax_exclusive"
                                   ? tr("Price mode: tax-exclusive — tax is added on top of the shelf price.")
                                   : tr("Price mode: tax-inclusive — shelf prices include tax."));
    const state::CatalogTaxRate* selected = nullptr;
    for (const state::CatalogTaxRate& t : bo.tax_rates)
      if (t.id == g_tax.id) selected = &t;
    if (!g_tax.id.empty() && !selected) g_tax = TaxForm{};
    const bool phone = ImGui::GetContentRegionAvail().x < 600.0f;
    if (ImGui::BeginTable("##tax-rates", phone ? 3 : 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn(tr("Code"));
      if (!phone) ImGui::TableSetupColumn(tr("Name"));
      if (!phone) ImGui::TableSetupColumn(tr("Kind"));
      ImGui::TableSetupColumn(tr("Rate"));
      ImGui::TableSetupColumn(tr("In use by"));
      if (!phone) ImGui::TableSetupColumn(tr("Active"));
      ImGui::TableHeadersRow();
      for (const state::CatalogTaxRate& t : bo.tax_rates) {
        ImGui::TableNextRow(0, kMinTouchPx);
        ImGui::TableNextColumn();
        const std::string label = t.code + "##tax-" + t.id;
        if (ImGui::Selectable(label.c_str(), g_tax.id == t.id, ImGuiSelectableFlags_SpanAllColumns,
                              ImVec2(0.0f, kMinTouchPx))) {
          g_tax.id = t.id;
          copy_text(g_tax.code, sizeof g_tax.code, t.code);
          copy_text(g_tax.name, sizeof g_tax.name, t.name);
          std::string rate = state::ppm_percent_text(t.rate_ppm);
          rate.pop_back();  // the "%"
          copy_text(g_tax.rate, sizeof g_tax.rate, rate);
          g_tax.kind = kind_index(t.kind);
        }
        if (!phone) {
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(t.name.c_str());
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(tax_kind_label(t.kind));
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(state::ppm_percent_text(t.rate_ppm).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(i18n::format(i18n::trn("{n} product", "{n} products", t.products_using),
                                            {{"n", std::to_string(t.products_using)}})
                                   .c_str());
        if (!phone) {
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(t.is_active ? tr("yes") : tr("retired"));
        }
      }
      ImGui::EndTable();
    }
    ImGui::Separator();
    ImGui::TextUnformatted(selected ? trf("Edit {tax}", {{"tax", selected->code}}).c_str() : tr("Add a tax rate"));
    field(tr("Code"), "##tax-code", g_tax.code, sizeof g_tax.code);
    field(tr("Name"), "##tax-name", g_tax.name, sizeof g_tax.name);
    ImGui::TextUnformatted(tr("Kind"));
    ImGui::SetNextItemWidth(field_width());
    const char* kinds[4] = {tax_kind_label(kTaxKinds[0]), tax_kind_label(kTaxKinds[1]), tax_kind_label(kTaxKinds[2]),
                            tax_kind_label(kTaxKinds[3])};
    ImGui::Combo("##tax-kind", &g_tax.kind, kinds, 4);
    field(tr("Rate (%)"), "##tax-rate", g_tax.rate, sizeof g_tax.rate, ImGuiInputTextFlags_CharsDecimal);
    const bool can = !bo.writing && state::server_session(s);
    if (primary_button(lbl(selected ? tr("Save tax rate") : tr("Add tax rate"), "###tax-save").c_str(),
                       ImVec2(field_width(), kPrimaryButtonPx), can && g_tax.code[0] != 0)) {
      emitted.emplace_back(state::SaveTaxRate{g_tax.id, g_tax.code, g_tax.name, kTaxKinds[g_tax.kind], g_tax.rate,
                                              selected ? selected->row_version : 0});
      if (!selected) g_tax = TaxForm{};
    }
    if (selected) {
      if (button(lbl(selected->is_active ? tr("Retire") : tr("Reactivate"), "###tax-retire").c_str(), 200.0f, can))
        emitted.emplace_back(state::RetireTaxRate{selected->id, !selected->is_active, selected->row_version});
      ImGui::SameLine();
      if (button(lbl(tr("Delete"), "###tax-delete").c_str(), 160.0f, can))
        emitted.emplace_back(state::DeleteTaxRate{selected->id, selected->row_version});
      ImGui::SameLine();
      if (button(lbl(tr("Cancel"), "###tax-cancel").c_str(), 160.0f)) g_tax = TaxForm{};
    }
  }
  ImGui::End();
}

void back_office_title(const char* text, const state::AppState& s, std::vector<state::Command>& emitted) {
  title_with_back(text, s, emitted);
}
bool needs_server_notice(const state::AppState& s) {
  if (state::server_session(s)) return false;
  ImGui::TextColored(kOffline, "%s",
                     s.user && s.user->offline && s.sync.online
                         ? tr("Needs the store server — you signed in offline: sign in again online.")
                         : tr("Needs the store server — you are offline."));
  return true;
}

}  // namespace salespider::ui
