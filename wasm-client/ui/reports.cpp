// The Dashboard and Reorder screens. The Dashboard: a period picker (radio
// buttons; Custom opens From/To fields), the figures as tiles with their
// change against the previous period, and charts (ui/charts.hpp) in one
// column on a phone and two on a desktop. Reorder: lead and safety days, a
// filter by class, one row per product with a coloured class chip and the
// suggestion explained in the person's language (state::reorder_explanation,
// never the server's English `reason`).
//
// Ids for the automation bridge: "##dash-today" ... "##dash-custom",
// "##dash-from", "##dash-to", "##dash-apply"; "##reorder-lead",
// "##reorder-safety", "##reorder-apply", "##reorder-all" ... "##reorder-dead".
// Deliberately not here: HTTP (effects/reports.cpp), the rules and the
// period's dates (state/reports.cpp).
#include "ui/reports.hpp"

#include "state/server_session.hpp"
#include "ui/back_office.hpp"
#include "ui/charts.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <salespider/shared/i18n.hpp>
#include <salespider/shared/payment.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace salespider::ui {

using i18n::tr;
using i18n::N_;
using i18n::trf;

namespace {

const ImVec4 kBar(0.16f, 0.42f, 0.66f, 1.0f);
const ImVec4 kSlow(0.80f, 0.50f, 0.05f, 1.0f);

// Radio buttons that wrap to the next line when the row is full (a phone).
class RadioRow {
 public:
  bool operator()(const std::string& label, bool active) {
    const float w = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
                    ImGui::CalcTextSize(label.c_str(), nullptr, true).x;
    if (used_ > 0.0f && used_ + ImGui::GetStyle().ItemSpacing.x + w <= avail_)
      ImGui::SameLine();
    else
      used_ = 0.0f;
    used_ += (used_ > 0.0f ? ImGui::GetStyle().ItemSpacing.x : 0.0f) + w;
    return ImGui::RadioButton(label.c_str(), active);
  }

 private:
  float avail_ = ImGui::GetContentRegionAvail().x;
  float used_ = 0.0f;
};

// --- Dashboard ----------------------------------------------------------------

struct DashForm {
  char from[16] = "";
  char to[16] = "";
};
DashForm g_dash;

std::string sum_text(const state::AppState& s, const state::Sum& v) {
  if (!v.exact()) return trf("{amount} (minor units)", {{"amount", v.decimal}});
  return money(s, v.minor);
}

std::string count_text(std::int64_t n) {
  return std::to_string(n);
}

struct Tile {
  const char* label;
  std::string value;
  state::Change change;
  bool up_is_good = true;
  bool compared = true;  // false: a figure of now only (low stock)
  std::string note;
};

Tile tile(const char* label, std::string value, state::Change change, bool up_is_good = true) {
  Tile t;
  t.label = label;
  t.value = std::move(value);
  t.change = std::move(change);
  t.up_is_good = up_is_good;
  return t;
}

void tiles(const std::vector<Tile>& list) {
  const float w = ImGui::GetContentRegionAvail().x;
  const int n = w >= 900.0f ? 5 : (w >= 520.0f ? 3 : 2);
  if (!ImGui::BeginTable("##dash-tiles", n, ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_BordersInner |
                                               ImGuiTableFlags_BordersOuter | ImGuiTableFlags_PadOuterX))
    return;
  for (const Tile& t : list) {
    ImGui::TableNextColumn();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kMuted, "%s", t.label);
    ImGui::TextUnformatted(t.value.c_str());
    const ImVec4 colour = t.change.direction == 0 ? kMuted
                          : (t.change.direction > 0) == t.up_is_good ? kOnline
                                                                     : kError;
    if (t.compared)
      ImGui::TextColored(colour, "%s", trf("{change} vs before", {{"change", t.change.text}}).c_str());
    if (!t.note.empty()) ImGui::TextColored(kMuted, "%s", t.note.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::EndTable();
}

std::vector<Tile> figure_tiles(const state::AppState& s, const state::DashboardData& d) {
  const state::DashFigures& f = d.figures;
  const state::DashFigures p = d.previous.value_or(state::DashFigures{});
  const bool compare = d.previous.has_value();
  auto ch = [compare](const state::Sum& now, const state::Sum& before) {
    return compare ? state::change_of(now, before) : state::Change{"—", 0};
  };
  auto chn = [compare](std::int64_t now, std::int64_t before) {
    return compare ? state::change_of(now, before) : state::Change{"—", 0};
  };
  std::vector<Tile> out;
  out.push_back(tile(tr("Revenue"), sum_text(s, f.revenue), ch(f.revenue, p.revenue)));
  out.push_back(tile(tr("Tax"), sum_text(s, f.tax), ch(f.tax, p.tax)));
  out.push_back(tile(tr("Discounts"), sum_text(s, f.discounts), ch(f.discounts, p.discounts), false));
  out.push_back(tile(tr("Refunds"), sum_text(s, f.refunds), ch(f.refunds, p.refunds), false));
  out.push_back(tile(tr("Net"), sum_text(s, f.net), ch(f.net, p.net)));
  out.push_back(tile(tr("Sales"), count_text(f.sales), chn(f.sales, p.sales)));
  out.push_back(tile(tr("Average basket"), sum_text(s, f.average_basket), ch(f.average_basket, p.average_basket)));
  out.push_back(tile(tr("Items sold"),
                 f.items_sold_milli.exact() ? state::milli_text(f.items_sold_milli.minor) : f.items_sold_milli.decimal,
                 ch(f.items_sold_milli, p.items_sold_milli)));
  Tile margin = tile(tr("Gross margin"), "—", {"—", 0});
  if (f.gross_margin) {
    margin.value = sum_text(s, *f.gross_margin);
    margin.change = p.gross_margin && compare ? state::change_of(*f.gross_margin, *p.gross_margin)
                                              : state::Change{"—", 0};
    const std::int64_t pct = (f.margin_coverage_ppm + 5'000) / 10'000;
    margin.note = trf("(costs known for {percent}% of revenue)", {{"percent", std::to_string(pct)}});
  }
  out.push_back(margin);
  Tile low = tile(tr("Low stock"), f.low_stock ? count_text(*f.low_stock) : std::string("—"), {"—", 0}, false);
  low.compared = false;
  low.note = tr("products at or below their level, now");
  out.push_back(low);
  return out;
}

void period_picker(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::Dashboard& d = s.dashboard;
  struct Choice {
    state::Period period;
    const char* label;
    const char* id;
  };
  const Choice choices[] = {{state::Period::today, N_("Today"), "##dash-today"},
                            {state::Period::yesterday, N_("Yesterday"), "##dash-yesterday"},
                            {state::Period::week, N_("This week"), "##dash-week"},
                            {state::Period::month, N_("This month"), "##dash-month"},
                            {state::Period::year, N_("This year"), "##dash-year"},
                            {state::Period::custom, N_("Custom"), "##dash-custom"}};
  RadioRow row;
  for (const Choice& c : choices) {
    if (row(lbl(tr(c.label), c.id), d.period == c.period) && d.period != c.period) {
      if (c.period == state::Period::custom) {
        // The fields start from the period shown, so Custom is one edit away.
        std::snprintf(g_dash.from, sizeof g_dash.from, "%s", d.from.c_str());
        std::snprintf(g_dash.to, sizeof g_dash.to, "%s", d.to.c_str());
      }
      emitted.emplace_back(state::QueryDashboard{c.period, g_dash.from, g_dash.to});
    }
  }
  if (d.period == state::Period::custom) {
    bool enter = false;
    ImGui::BeginGroup();
    enter |= field(tr("From (YYYY-MM-DD)"), "##dash-from", g_dash.from, sizeof g_dash.from);
    ImGui::EndGroup();
    if (ImGui::GetContentRegionAvail().x >= 2.0f * field_width() + 40.0f) ImGui::SameLine();
    ImGui::BeginGroup();
    enter |= field(tr("To (YYYY-MM-DD)"), "##dash-to", g_dash.to, sizeof g_dash.to);
    ImGui::EndGroup();
    if (button(lbl(tr("Show"), "##dash-apply").c_str(), 160.0f, !d.loading) || enter)
      emitted.emplace_back(state::QueryDashboard{state::Period::custom, g_dash.from, g_dash.to});
  }
}

// "Mon 02" would need a weekday name per language; the day of the month says enough under a column.
std::string day_label(const std::string& date) {
  return date.size() == 10 ? date.substr(8, 2) : date;
}

void section(const char* heading) {
  ImGui::Dummy(ImVec2(0.0f, 4.0f));
  ImGui::TextUnformatted(heading);
}

void ranked(const state::AppState& s, const char* id, const char* heading,
            const std::vector<state::RankedRow>& rows, bool quantities = false) {
  section(heading);
  if (rows.empty()) {
    ImGui::TextColored(kMuted, "%s", tr("Nothing in this period."));
    return;
  }
  std::vector<HBar> bars;
  for (const state::RankedRow& r : rows) {
    HBar b;
    b.label = r.name.empty() ? std::string(tr("(none)")) : r.name;
    b.value_text = sum_text(s, r.amount);
    b.value = r.amount.minor;
    if (quantities) b.value_text = state::milli_text(r.quantity_milli) + " · " + b.value_text;
    bars.push_back(std::move(b));
  }
  bar_list(id, bars, kBar);
}

void tender_names(const state::AppState& s, std::vector<state::RankedRow>& rows) {
  for (state::RankedRow& r : rows) {
    Result<TenderKind> k = parse_tender_kind(r.name);
    if (!k) continue;
    const std::string& custom = s.store.tender_names[static_cast<std::size_t>(k.value())];
    r.name = custom.empty() ? tender_label(k.value()) : custom;
  }
}

void charts(const state::AppState& s, const state::DashboardData& d) {
  const float w = ImGui::GetContentRegionAvail().x;
  const int n = w >= 900.0f ? 2 : 1;
  if (!ImGui::BeginTable("##dash-charts", n, ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_PadOuterX)) return;
  auto axis = [&s](std::int64_t v) { return money(s, v); };
  const float height = w >= 900.0f ? 220.0f : 180.0f;

  ImGui::TableNextColumn();
  section(tr("Revenue by day"));
  std::vector<Column> days;
  for (const state::DayPoint& p : d.by_day) days.push_back({day_label(p.date), p.revenue.minor});
  column_chart("##by-day", days, height, axis, kBar);

  ImGui::TableNextColumn();
  section(tr("Revenue by hour of day"));
  std::vector<Column> hours(24);
  for (int h = 0; h < 24; ++h) {
    char label[4];
    std::snprintf(label, sizeof label, "%02d", h);
    hours[static_cast<std::size_t>(h)].label = label;
  }
  for (const state::HourPoint& p : d.by_hour) hours[static_cast<std::size_t>(p.hour)].value = p.revenue.minor;
  column_chart("##by-hour", hours, height, axis, kBar);

  std::vector<state::RankedRow> tenders = d.by_tender;
  tender_names(s, tenders);
  ImGui::TableNextColumn();
  ranked(s, "##by-tender", tr("By payment method"), tenders);
  ImGui::TableNextColumn();
  ranked(s, "##by-cashier", tr("By cashier"), d.by_cashier);
  ImGui::TableNextColumn();
  ranked(s, "##by-till", tr("By till"), d.by_till);
  ImGui::TableNextColumn();
  ranked(s, "##by-category", tr("By category"), d.by_category);
  ImGui::TableNextColumn();
  ranked(s, "##top-products", tr("Top products (quantity · revenue)"), d.top_products, true);
  ImGui::TableNextColumn();
  ranked(s, "##slow-products", tr("Slowest products (quantity · revenue)"), d.slow_products, true);
  ImGui::EndTable();
}

// --- Reorder ------------------------------------------------------------------

struct ReorderForm {
  char lead[8] = "7";
  char safety[8] = "3";
};
ReorderForm g_reorder;

const char* class_label(const std::string& cls) {
  if (cls == "reorder") return tr("Reorder");
  if (cls == "slow") return tr("Slow");
  if (cls == "dead") return tr("Dead");
  return tr("OK");
}

ImVec4 class_colour(const std::string& cls) {
  if (cls == "reorder") return kError;
  if (cls == "slow") return kSlow;
  if (cls == "dead") return kMuted;
  return kOnline;
}

// A coloured chip with the class in words (ux.md: never colour only).
void chip(const std::string& cls) {
  const char* text = class_label(cls);
  const ImVec2 size = ImGui::CalcTextSize(text);
  const ImVec2 pad(8.0f, 2.0f);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(at, ImVec2(at.x + size.x + 2 * pad.x, at.y + size.y + 2 * pad.y),
                      ImGui::ColorConvertFloat4ToU32(class_colour(cls)), 6.0f);
  draw->AddText(ImVec2(at.x + pad.x, at.y + pad.y), IM_COL32(255, 255, 255, 255), text);
  ImGui::Dummy(ImVec2(size.x + 2 * pad.x, size.y + 2 * pad.y));
}

std::string cover_text(const state::ReorderItem& i) {
  if (!i.days_of_cover) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", *i.days_of_cover);
  return buf;
}

void reorder_inputs(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::Reorder& r = s.reorder;
  bool enter = false;
  const bool wide = ImGui::GetContentRegionAvail().x >= 2.0f * field_width() + 40.0f;
  ImGui::BeginGroup();
  enter |= field(tr("Lead days (order to delivery)"), "##reorder-lead", g_reorder.lead, sizeof g_reorder.lead,
                 ImGuiInputTextFlags_CharsDecimal);
  ImGui::EndGroup();
  if (wide) ImGui::SameLine();
  ImGui::BeginGroup();
  enter |= field(tr("Safety days"), "##reorder-safety", g_reorder.safety, sizeof g_reorder.safety,
                 ImGuiInputTextFlags_CharsDecimal);
  ImGui::EndGroup();
  if (button(lbl(tr("Recompute"), "##reorder-apply").c_str(), 200.0f, !r.loading) || enter) {
    char* end = nullptr;
    const long lead = std::strtol(g_reorder.lead, &end, 10);
    const bool lead_ok = end != g_reorder.lead && *end == 0;
    const long safety = std::strtol(g_reorder.safety, &end, 10);
    const bool safety_ok = end != g_reorder.safety && *end == 0;
    emitted.emplace_back(state::QueryReorder{lead_ok ? static_cast<int>(lead) : -1,
                                             safety_ok ? static_cast<int>(safety) : -1});
  }
  const char* filters[][3] = {{"all", N_("All"), "##reorder-all"},
                              {"reorder", N_("Reorder"), "##reorder-reorder"},
                              {"slow", N_("Slow"), "##reorder-slow"},
                              {"dead", N_("Dead"), "##reorder-dead"}};
  RadioRow row;
  for (const auto& f : filters)
    if (row(lbl(tr(f[1]), f[2]), r.filter == f[0]) && r.filter != f[0])
      emitted.emplace_back(state::FilterReorder{f[0]});
}

void reorder_rows(const state::AppState& s) {
  const state::Reorder& r = s.reorder;
  if (!r.data) return;
  const std::vector<const state::ReorderItem*> shown = state::reorder_shown(r);
  if (shown.empty()) ImGui::TextColored(kMuted, "%s", tr("No product in this list."));
  for (const state::ReorderItem* i : shown) {
    ImGui::Separator();
    chip(i->cls);
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(i->name.c_str());
    ImGui::TextUnformatted(trf("On hand {on_hand} · cover {days} days · order {order}",
                               {{"on_hand", state::milli_text(i->on_hand_milli)},
                                {"days", cover_text(*i)},
                                {"order", state::milli_text(i->suggested_order_milli)}})
                               .c_str());
    ImGui::TextColored(kMuted, "%s", state::reorder_explanation(*i, *r.data).c_str());
    ImGui::PopTextWrapPos();
  }
}

}  // namespace

void dashboard(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Dashboard##screen", true)) {
    title_with_back(tr("Dashboard"), s, emitted);
    message_line(s, emitted);
    if (!needs_server_notice(s)) {
      const state::Dashboard& d = s.dashboard;
      period_picker(s, emitted);
      if (!d.from.empty())
        ImGui::TextColored(kMuted, "%s",
                           (d.from == d.to ? d.from : trf("{from} to {to}", {{"from", d.from}, {"to", d.to}})).c_str());
      if (d.loading) ImGui::TextColored(kMuted, "%s", tr("Loading…"));
      if (!d.error.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(kError, "%s", d.error.c_str());
        ImGui::PopTextWrapPos();
      }
      if (d.data) {
        tiles(figure_tiles(s, *d.data));
        charts(s, *d.data);
      }
    }
  }
  ImGui::End();
}

void reorder(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Reorder##screen", true)) {
    title_with_back(tr("Reorder"), s, emitted);
    message_line(s, emitted);
    if (!needs_server_notice(s)) {
      const state::Reorder& r = s.reorder;
      reorder_inputs(s, emitted);
      if (r.data)
        ImGui::TextColored(kMuted, "%s",
                           trf("As of {date}, from the last {days} days of sales.",
                               {{"date", r.data->as_of}, {"days", std::to_string(r.data->history_days)}})
                               .c_str());
      if (r.loading) ImGui::TextColored(kMuted, "%s", tr("Loading…"));
      if (!r.error.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(kError, "%s", r.error.c_str());
        ImGui::PopTextWrapPos();
      }
      reorder_rows(s);
    }
  }
  ImGui::End();
}

}  // namespace salespider::ui
