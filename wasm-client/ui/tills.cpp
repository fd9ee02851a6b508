// The Tills screen (docs/back-office.md "Tills"): the store's tills with
// their health (last sync, outbox depth, app version, clock skew, open
// attention), retired tills apart; rename and retire (confirmed: its
// credential stops at once); "Enrol code" makes a single-use code and shows
// it big with its expiry and where the new device goes. Also the Enrol
// screen's "Enrol with a code" form.
//
// Ids: "Tills##screen"; rows "<name>##till-<id>"; buttons keep a fixed id
// after "###" so tests find them in every language.
#include "ui/staff.hpp"

#include "state/server_session.hpp"
#include "ui/back_office.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "state/clock_off.hpp"

#include <imgui.h>

#include <salespider/shared/i18n.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace salespider::ui {

namespace {

using i18n::tr;
using i18n::trf;

std::string labelled(const char* text, const char* id) {
  return std::string(text) + "###" + id;
}

struct TillsForm {
  char code_name[101] = "";
  std::string selected;  // the till open for rename / retire
  int generation = -1;
  char name[101] = "";
  bool confirming_retire = false;
  // Enrol screen.
  char code[32] = "";
  char till_name[101] = "";
};
TillsForm g_tills;

// "ABCD EFGH": two groups read aloud more easily.
std::string grouped(const std::string& code) {
  return code.size() == 8 ? code.substr(0, 4) + " " + code.substr(4) : code;
}

std::string skew_text(const std::optional<std::int64_t>& ms) {
  if (!ms) return "–";
  const std::int64_t seconds = *ms / 1000;
  return trf("{seconds} s", {{"seconds", (seconds > 0 ? "+" : "") + std::to_string(seconds)}});
}

void code_panel(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::TillsState& t = s.tills;
  const bool can = state::server_session(s) && !t.writing;
  field(tr("Name for the new till (optional)"), "##enrol-code-name", g_tills.code_name, sizeof g_tills.code_name);
  if (primary_button(labelled(tr("Enrol code"), "tills-enrol-code").c_str(), ImVec2(field_width(), kPrimaryButtonPx),
                     can))
    emitted.emplace_back(state::TillAction{state::TillActionKind::enrol_code, "", g_tills.code_name});
  if (!t.code) return;
  ImGui::SetWindowFontScale(3.0f);
  ImGui::TextUnformatted(grouped(t.code->code).c_str());
  ImGui::SetWindowFontScale(1.0f);
  ImGui::TextWrapped("%s", trf("Valid until {time} (UTC), for one till.", {{"time", t.code->expires_at}}).c_str());
  ImGui::TextWrapped("%s", trf("On the new device open {url}, tap \"Enrol with a code\" and type the code.",
                               {{"url", t.code->till_url}})
                               .c_str());
  ImGui::TextWrapped("%s", trf("A device that does not trust the store yet: open {setup} first.",
                               {{"setup", t.code->till_url + "setup"}})
                               .c_str());
}

void active_tills(const state::AppState& s) {
  const state::TillsState& t = s.tills;
  if (!ImGui::BeginTable("##tills", 7, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) return;
  ImGui::TableSetupColumn(tr("Name"), 0, 2.0f);
  ImGui::TableSetupColumn(tr("Code"), 0, 0.8f);
  ImGui::TableSetupColumn(tr("Last sync"), 0, 2.0f);
  ImGui::TableSetupColumn(tr("Outbox"), 0, 0.8f);
  ImGui::TableSetupColumn(tr("Version"), 0, 1.0f);
  ImGui::TableSetupColumn(tr("Clock"), 0, 0.8f);
  ImGui::TableSetupColumn(tr("Attention"), 0, 0.8f);
  ImGui::TableHeadersRow();
  for (const state::StoreTill& till : t.tills) {
    if (till.status != "active") continue;
    ImGui::TableNextRow(0, kMinTouchPx);
    ImGui::TableNextColumn();
    const std::string label = till.name + "##till-" + till.id;
    if (ImGui::Selectable(label.c_str(), g_tills.selected == till.id, ImGuiSelectableFlags_SpanAllColumns,
                          ImVec2(0.0f, kMinTouchPx))) {
      g_tills.selected = till.id;
      g_tills.generation = -1;
      g_tills.confirming_retire = false;
    }
    const state::TillHealth* h = till.health ? &*till.health : nullptr;
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(till.code.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(h && !h->last_sync_at.empty() ? h->last_sync_at.c_str() : tr("never"));
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(h && h->outbox_depth ? std::to_string(*h->outbox_depth).c_str() : "–");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(h && !h->app_version.empty() ? h->app_version.c_str() : "–");
    ImGui::TableNextColumn();
    // More than a minute off says so in words; the server corrects op
    // times by it, but someone should set the till's clock.
    const auto off = state::clock_off(h ? h->clock_skew_ms : std::nullopt);
    ImGui::TextColored(off ? kError : ImGui::GetStyleColorVec4(ImGuiCol_Text), "%s",
                       off ? state::clock_off_text(*off).c_str() : skew_text(h ? h->clock_skew_ms : std::nullopt).c_str());
    ImGui::TableNextColumn();
    const std::int64_t open = h ? h->open_attention : 0;
    ImGui::TextColored(open > 0 ? kError : ImGui::GetStyleColorVec4(ImGuiCol_Text), "%s",
                       std::to_string(open).c_str());
  }
  ImGui::EndTable();
}

void retired_tills(const state::TillsState& t) {
  bool any = false;
  for (const state::StoreTill& till : t.tills) any |= till.status != "active";
  if (!any) return;
  ImGui::Separator();
  ImGui::TextUnformatted(tr("Retired tills"));
  for (const state::StoreTill& till : t.tills) {
    if (till.status == "active") continue;
    ImGui::TextColored(kMuted, "%s", trf("{name} ({code}), retired {when}",
                                         {{"name", till.name}, {"code", till.code}, {"when", till.retired_at}})
                                         .c_str());
  }
}

void selected_till(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::TillsState& t = s.tills;
  const state::StoreTill* till = nullptr;
  for (const state::StoreTill& x : t.tills)
    if (x.id == g_tills.selected && x.status == "active") till = &x;
  if (!till) return;
  if (g_tills.generation != t.generation) {
    g_tills.generation = t.generation;
    std::snprintf(g_tills.name, sizeof g_tills.name, "%s", till->name.c_str());
  }
  const bool can = state::server_session(s) && !t.writing;
  ImGui::Separator();
  title(trf("Till {code}", {{"code", till->code}}).c_str());
  // While a retirement is being confirmed, the question takes the rename
  // field's place, so it and its buttons stay on screen.
  if (g_tills.confirming_retire) {
    // What the till last reported: its unsynced ops are not lost by retiring
    // it (they can be handed over), but they are not on the server yet.
    const std::int64_t unsynced = till->health && till->health->outbox_depth ? *till->health->outbox_depth : 0;
    if (unsynced > 0)
      ImGui::TextColored(kError, "%s",
                         trf("Till {code} last reported {n} unsynced ops. Retire anyway?",
                             {{"code", till->code}, {"n", std::to_string(unsynced)}})
                             .c_str());
    ImGui::TextWrapped("%s", trf("Retire {name}? Its credential stops working at once: it cannot sync or sign "
                                 "anyone in any more.",
                                 {{"name", till->name}})
                                 .c_str());
    if (button(labelled(unsynced > 0 ? tr("Retire anyway") : tr("Yes, retire"), "till-retire-confirm").c_str(), 200.0f,
               can)) {
      emitted.emplace_back(state::TillAction{state::TillActionKind::retire, till->id, "", unsynced > 0});
      g_tills.confirming_retire = false;
    }
    ImGui::SameLine();
    if (button(labelled(tr("Cancel"), "till-retire-cancel").c_str(), 160.0f)) g_tills.confirming_retire = false;
    return;
  }
  field(tr("Till name"), "##till-rename", g_tills.name, sizeof g_tills.name);
  if (t.write_field == "name" && !t.write_error.empty()) ImGui::TextColored(kError, "%s", t.write_error.c_str());
  if (button(labelled(tr("Rename"), "till-rename-save").c_str(), 200.0f, can))
    emitted.emplace_back(state::TillAction{state::TillActionKind::rename, till->id, g_tills.name});
  ImGui::SameLine();
  if (button(labelled(tr("Retire"), "till-retire").c_str(), 200.0f, can)) g_tills.confirming_retire = true;
}

}  // namespace

void tills(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Tills##screen", true)) {
    const state::TillsState& t = s.tills;
    back_office_title(tr("Tills"), s, emitted);
    needs_server_notice(s);
    message_line(s, emitted);
    if (!t.error.empty()) ImGui::TextColored(kError, "%s", t.error.c_str());
    if (!t.write_error.empty() && t.write_field != "name") ImGui::TextColored(kError, "%s", t.write_error.c_str());
    if (t.loading && t.tills.empty()) ImGui::TextColored(kMuted, "%s", tr("Loading…"));
    code_panel(s, emitted);
    ImGui::Separator();
    active_tills(s);
    selected_till(s, emitted);
    retired_tills(t);
  }
  ImGui::End();
}

void enrol_with_code(const state::AppState& s, std::vector<state::Command>& emitted) {
  ImGui::Separator();
  ImGui::TextUnformatted(tr("Or enrol with a code"));
  ImGui::TextWrapped("%s", tr("A manager makes the code on Back office → Tills → Enrol code. It works once, "
                              "for 15 minutes."));
  field(tr("Enrolment code"), "##enrol-code", g_tills.code, sizeof g_tills.code);
  field(tr("Name of this till"), "##enrol-code-till-name", g_tills.till_name, sizeof g_tills.till_name);
  const bool ready = !s.busy && g_tills.code[0] != 0;
  if (primary_button(labelled(tr("Enrol with a code"), "enrol-with-code").c_str(),
                     ImVec2(field_width(), kPrimaryButtonPx), ready)) {
    state::SubmitEnrol e;
    e.till_name = g_tills.till_name;
    e.code = g_tills.code;
    emitted.emplace_back(std::move(e));
    wipe(g_tills.code, sizeof g_tills.code);
  }
}

}  // namespace salespider::ui
