// The shifts archive: a period (From/To, this month by default) and a till,
// the closed shifts of it with their count and over/short (coloured, and
// said in words: "over", "short"), the selected shift's Z report as the
// server computed it with Reprint, and over/short by cashier for the
// period. Reads state and emits commands only; typed dates stay UI-local
// until Apply.
//
// Ids for the automation bridge: "##shifts-from", "##shifts-to",
// "###shifts-apply", "##shifts-till-any", "##shifts-till-<id>",
// "##shift-<id>" (a row), "###shifts-more", "###shift-reprint".
// Deliberately not here: HTTP (effects/shifts_archive.cpp), the report's
// rows (ui/day.cpp shift_report_rows, shared with the Shift screen).
#include "ui/shifts_archive.hpp"

#include "state/sales_dates.hpp"
#include "state/server_session.hpp"
#include "ui/day.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <salespider/shared/i18n.hpp>

#include <algorithm>
#include <cstdio>
#include <string>

namespace salespider::ui {

using i18n::tr;
using i18n::trf;

namespace {

struct ShiftsForm {
  char from[16] = "";
  char to[16] = "";
  state::ShiftsFilter shown;  // the filter the fields were last filled from
};
ShiftsForm g_shifts;

// Over/short in words and colour: never colour only (ux.md).
void over_short_text(const state::AppState& s, std::int64_t d) {
  const std::string text = d == 0   ? std::string(tr("exact"))
                           : d > 0 ? trf("over {amount}", {{"amount", money(s, d)}})
                                   : trf("short {amount}", {{"amount", money(s, -d)}});
  ImGui::TextColored(d == 0 ? kOnline : kError, "%s", text.c_str());
}

void filters(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::ShiftsArchive& a = s.shifts_archive;
  if (!(g_shifts.shown == a.filter)) {  // "this month" filled in by the effects, or a new query
    g_shifts.shown = a.filter;
    std::snprintf(g_shifts.from, sizeof g_shifts.from, "%s", a.filter.from.c_str());
    std::snprintf(g_shifts.to, sizeof g_shifts.to, "%s", a.filter.to.c_str());
  }
  bool enter = false;
  const float w = std::min(180.0f, (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f);
  date_field(tr("From"), "##shifts-from", g_shifts.from, sizeof g_shifts.from, enter, w);
  ImGui::SameLine();
  date_field(tr("To"), "##shifts-to", g_shifts.to, sizeof g_shifts.to, enter, w);
  const bool ok = state::date_problem(g_shifts.from).empty() && state::date_problem(g_shifts.to).empty() &&
                  g_shifts.from[0] != 0 && g_shifts.to[0] != 0;
  if (ImGui::GetContentRegionAvail().x > 300.0f) ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::Dummy(ImVec2(0.0f, ImGui::GetTextLineHeight()));
  state::ShiftsFilter next = a.filter;
  bool changed = false;
  if (button(lbl(tr("Apply"), "###shifts-apply").c_str(), 140.0f, ok && state::server_session(s))) enter = true;
  ImGui::EndGroup();
  if (enter && ok) {
    next.from = g_shifts.from;
    next.to = g_shifts.to;
    changed = true;
  }
  if (!a.tills.empty()) {
    ImGui::TextUnformatted(tr("Till"));
    if (ImGui::RadioButton(lbl(tr("Every till"), "##shifts-till-any").c_str(), next.till.empty())) {
      next.till.clear();
      changed = true;
    }
    for (const auto& [id, code] : a.tills) {
      const std::string label = code + "##shifts-till-" + id;
      const float need = ImGui::CalcTextSize(code.c_str()).x + ImGui::GetFrameHeight() * 2.0f;
      ImGui::SameLine();
      if (ImGui::GetContentRegionAvail().x < need) ImGui::NewLine();
      if (ImGui::RadioButton(label.c_str(), next.till == id)) {
        next.till = id;
        changed = true;
      }
    }
  }
  if (changed && state::server_session(s)) emitted.emplace_back(state::QueryShiftsArchive{next});
}

void shift_list(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::ShiftsArchive& a = s.shifts_archive;
  if (!a.error.empty()) ImGui::TextColored(kError, "%s", a.error.c_str());
  if (a.items.empty() && !a.loading && a.error.empty())
    ImGui::TextColored(kMuted, "%s", tr("No closed shifts in this period."));
  for (const state::ArchivedShift& it : a.items) {
    // The closing time without its date when the shift closed the day it opened.
    const bool same_day = it.closed_text.size() >= 16 && it.closed_text.compare(0, 10, it.opened_text, 0, 10) == 0;
    const std::string closed = same_day ? it.closed_text.substr(11) : it.closed_text;
    // The times under the till and the cashier: a row no wider than a phone.
    const std::string label = it.till_code + " · " + it.cashier + "##shift-" + it.id;
    if (ImGui::Selectable(label.c_str(), a.selected == it.id, 0, ImVec2(0.0f, kMinTouchPx)))
      emitted.emplace_back(state::SelectArchivedShift{it.id});
    ImGui::Indent();
    ImGui::TextColored(kMuted, "%s", (it.opened_text + " – " + closed).c_str());
    ImGui::TextColored(kMuted, "%s",
                       trf("expected {expected} · counted {counted}",
                           {{"expected", it.expected ? money(s, *it.expected) : std::string("—")},
                            {"counted", it.counted ? money(s, *it.counted) : std::string("—")}})
                           .c_str());
    if (it.over_short) {
      ImGui::SameLine();
      over_short_text(s, *it.over_short);
    }
    ImGui::Unindent();
  }
  if (a.loading) ImGui::TextColored(kMuted, "%s", tr("Loading…"));
  if (!a.next.empty() && button(lbl(tr("More"), "###shifts-more").c_str(), 200.0f, !a.loading))
    emitted.emplace_back(state::MoreShiftsArchive{});
}

void report(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::ShiftsArchive& a = s.shifts_archive;
  if (a.selected.empty()) {
    ImGui::TextColored(kMuted, "%s", tr("Choose a shift to see its Z report."));
    return;
  }
  if (a.report_loading) ImGui::TextColored(kMuted, "%s", tr("Loading…"));
  if (!a.report_error.empty()) ImGui::TextColored(kError, "%s", a.report_error.c_str());
  if (!a.report) return;
  const state::ArchivedShiftReport& r = *a.report;
  ImGui::PushFont(title_font());
  ImGui::TextUnformatted(r.report.closed ? tr("Z report") : tr("X report"));
  ImGui::PopFont();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(kMuted, "%s",
                     trf("Till {till} · {cashier} · {time} · computed by the store server",
                         {{"till", r.till_code}, {"cashier", r.cashier}, {"time", r.time_text}})
                         .c_str());
  ImGui::PopTextWrapPos();
  shift_report_rows(s, r.report);
  if (button(lbl(tr("Reprint"), "###shift-reprint").c_str(), 220.0f)) emitted.emplace_back(state::PrintArchivedShift{});
}

void over_short_table(const state::AppState& s) {
  const state::ShiftsArchive& a = s.shifts_archive;
  ImGui::Separator();
  ImGui::TextUnformatted(tr("Over/short by cashier"));
  if (a.over_short_loading) ImGui::TextColored(kMuted, "%s", tr("Loading…"));
  if (!a.over_short_error.empty()) ImGui::TextColored(kError, "%s", a.over_short_error.c_str());
  if (!a.over_short) return;
  const state::OverShort& o = *a.over_short;
  if (!ImGui::BeginTable("##over-short", 5, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) return;
  ImGui::TableSetupColumn(tr("Cashier"));
  ImGui::TableSetupColumn(tr("Shifts"));
  ImGui::TableSetupColumn(tr("Over"));
  ImGui::TableSetupColumn(tr("Short"));
  ImGui::TableSetupColumn(tr("Net"));
  ImGui::TableHeadersRow();
  auto line = [&s](const std::string& name, std::int64_t shifts, std::int64_t over, std::int64_t short_, std::int64_t net) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(name.c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%lld", static_cast<long long>(shifts));
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(money(s, over).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(money(s, short_).c_str());
    ImGui::TableNextColumn();
    ImGui::TextColored(net == 0 ? kOnline : kError, "%s", money(s, net).c_str());
  };
  for (const state::OverShortRow& r : o.cashiers) line(r.name, r.shifts, r.over, r.short_, r.net);
  line(tr("Total"), o.shifts, o.over, o.short_, o.net);
  ImGui::EndTable();
}

}  // namespace

void shifts_archive(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("ShiftsArchive##screen", true)) {
    title_with_back(tr("Shifts"), s, emitted);
    if (!state::server_session(s))
      ImGui::TextColored(kOffline, "%s", tr("Needs the store server — you are offline, or signed in offline."));
    message_line(s, emitted);
    filters(s, emitted);
    ImGui::Separator();
    if (ImGui::GetContentRegionAvail().x >= 900.0f) {
      // Desktop: the list beside the report; each side scrolls by itself.
      const float h = std::max(240.0f, ImGui::GetContentRegionAvail().y * 0.62f);
      ImGui::BeginChild("##shifts-list", ImVec2(ImGui::GetContentRegionAvail().x * 0.5f, h));
      shift_list(s, emitted);
      ImGui::EndChild();
      ImGui::SameLine();
      ImGui::BeginChild("##shift-report", ImVec2(0.0f, h), ImGuiChildFlags_Border);
      report(s, emitted);
      ImGui::EndChild();
    } else {
      // Phone: one column, the screen scrolls.
      shift_list(s, emitted);
      ImGui::Separator();
      report(s, emitted);
    }
    over_short_table(s);
  }
  ImGui::End();
}

}  // namespace salespider::ui
