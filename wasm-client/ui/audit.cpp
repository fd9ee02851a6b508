// The managers' oversight screens: the audit log (filters, pages of rows,
// a row's detail with its old and new values, export, the chain's verdict)
// and the needs-attention list with its actions (resolve, dismiss, retry,
// with a note). Each reads state and emits commands only; text being typed
// stays UI-local until a button turns it into a command.
//
// Ids for the automation bridge: rows are "…##audit-<id>" and
// "…##op-<op id>", fields "##audit-action", "##attention-note"...
// Deliberately not here: HTTP (effects/audit.cpp), the rules (state/audit.cpp).
#include "ui/audit.hpp"

#include "state/server_session.hpp"
#include "ui/back_office.hpp"
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

// "Label###id": the label translated, the id stable across languages.
std::string with_id(const char* label, const char* id) {
  return std::string(label) + "###" + id;
}

struct AuditForm {
  char login[80] = "";
  std::string user_id;
  char action[64] = "";
  char entity[64] = "";
  char from[16] = "";
  char to[16] = "";
};
AuditForm g_audit;

struct AttentionForm {
  std::string op_id;  // the op whose actions are open
  char note[1000] = "";
};
AttentionForm g_attention;

state::AuditFilter filter_from_form() {
  state::AuditFilter f;
  f.actor_user_id = g_audit.user_id;
  f.actor_login = g_audit.user_id.empty() ? g_audit.login : "";
  f.action = g_audit.action;
  f.entity = g_audit.entity;
  f.from = g_audit.from;
  f.to = g_audit.to;
  return f;
}

void actor_picker(const state::AuditLog& a) {
  if (a.people_allowed && !a.people.empty()) {
    std::string shown = tr("Anyone");
    for (const state::AuditPerson& p : a.people)
      if (p.id == g_audit.user_id) shown = p.name;
    ImGui::TextUnformatted(tr("Person"));
    ImGui::SetNextItemWidth(field_width());
    if (ImGui::BeginCombo("##audit-actor", shown.c_str())) {
      const std::string anyone = with_id(tr("Anyone"), "actor-any");
      if (ImGui::Selectable(anyone.c_str(), g_audit.user_id.empty())) g_audit.user_id.clear();
      for (const state::AuditPerson& p : a.people) {
        const std::string label = p.name + " (" + p.username + ")##actor-" + p.id;
        if (ImGui::Selectable(label.c_str(), g_audit.user_id == p.id)) g_audit.user_id = p.id;
      }
      ImGui::EndCombo();
    }
    return;
  }
  g_audit.user_id.clear();
  field(tr("Person (login)"), "##audit-login", g_audit.login, sizeof g_audit.login);
}

void filters(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::AuditLog& a = s.audit;
  bool enter = false;
  ImGui::BeginGroup();
  actor_picker(a);
  enter |= field(tr("Action (or a prefix ending in '.')"), "##audit-action", g_audit.action, sizeof g_audit.action);
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  enter |= field(tr("Entity"), "##audit-entity", g_audit.entity, sizeof g_audit.entity);
  enter |= field(tr("From (YYYY-MM-DD)"), "##audit-from", g_audit.from, sizeof g_audit.from);
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  enter |= field(tr("To (YYYY-MM-DD)"), "##audit-to", g_audit.to, sizeof g_audit.to);
  ImGui::Dummy(ImVec2(0.0f, 2.0f));
  const bool can = state::server_session(s) && !a.loading;
  if (primary_button(with_id(tr("Apply filters"), "audit-apply").c_str(), ImVec2(200.0f, kButtonPx), can) ||
      (enter && can))
    emitted.emplace_back(state::QueryAudit{filter_from_form()});
  ImGui::SameLine();
  if (button(with_id(tr("Clear"), "audit-clear").c_str(), 120.0f, can)) {
    g_audit = AuditForm{};
    emitted.emplace_back(state::QueryAudit{state::AuditFilter{}});
  }
  ImGui::EndGroup();
}

void tools(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::AuditLog& a = s.audit;
  const bool can = state::server_session(s);
  if (button(with_id(tr("Newer"), "audit-newer").c_str(), 140.0f, can && !a.loading && !a.newer.empty()))
    emitted.emplace_back(state::AuditPage{false});
  beside_if_fits(140.0f);
  if (button(with_id(tr("Older"), "audit-older").c_str(), 140.0f, can && !a.loading && a.older))
    emitted.emplace_back(state::AuditPage{true});
  beside_if_fits(200.0f);
  if (button(with_id(a.exporting ? tr("Exporting…") : tr("Export CSV"), "audit-export").c_str(), 200.0f,
             can && !a.exporting))
    emitted.emplace_back(state::ExportAudit{});
  beside_if_fits(200.0f);
  if (button(with_id(a.verifying ? tr("Verifying…") : tr("Verify chain"), "audit-verify").c_str(), 200.0f,
             can && !a.verifying))
    emitted.emplace_back(state::VerifyAudit{});
  if (!a.exported.empty()) ImGui::TextColored(kMuted, "%s", a.exported.c_str());
  if (a.verdict)
    ImGui::TextColored(a.verdict->ok ? kOnline : kError, "%s", state::verdict_text(*a.verdict).c_str());
  if (!a.verify_error.empty()) ImGui::TextColored(kError, "%s", a.verify_error.c_str());
}

void detail(const state::AuditRow& r) {
  ImGui::Indent();
  auto line = [](const char* label, const std::string& value) {
    ImGui::TextColored(kMuted, "%s", label);
    ImGui::SameLine(200.0f);
    ImGui::TextWrapped("%s", value.empty() ? "—" : value.c_str());
  };
  line(tr("Entity"), r.entity + (r.entity_id.empty() ? "" : " " + r.entity_id));
  line(tr("Request id"), r.request_id);
  line(tr("Till"), r.actor_till_id);
  line(tr("Address"), r.client_ip);
  line(tr("Chain position"), r.chain_pos ? std::to_string(*r.chain_pos) : std::string());
  line(tr("Chain hash"), r.hash.empty() ? std::string(tr("not sealed yet")) : r.hash);
  if (!r.changes.empty()) {
    ImGui::TextUnformatted(tr("What changed"));
    if (ImGui::BeginTable("##audit-changes", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn(tr("Field"), 0, 1.0f);
      ImGui::TableSetupColumn(tr("Old value"), 0, 2.0f);
      ImGui::TableSetupColumn(tr("New value"), 0, 2.0f);
      ImGui::TableHeadersRow();
      for (const state::AuditRow::Change& c : r.changes) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(c.field.c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", c.before.c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", c.after.c_str());
      }
      ImGui::EndTable();
    }
  } else {
    line(tr("Detail"), r.detail);
  }
  ImGui::Unindent();
}

void rows(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::AuditLog& a = s.audit;
  if (a.loading && a.rows.empty()) ImGui::TextColored(kMuted, "%s", tr("Loading…"));
  if (!a.error.empty()) ImGui::TextColored(kError, "%s", a.error.c_str());
  if (!a.loading && a.rows.empty() && a.error.empty()) ImGui::TextColored(kMuted, "%s", tr("No row matches."));
  ImGui::BeginChild("##audit-rows", ImVec2(0.0f, std::max(3.0f * kMinTouchPx, ImGui::GetContentRegionAvail().y)));
  for (const state::AuditRow& r : a.rows) {
    const std::string who = !r.actor_name.empty()       ? r.actor_name
                            : !r.actor_user_id.empty()  ? r.actor_user_id.substr(0, 8)
                            : !r.actor_till_id.empty() ? std::string(tr("a till"))
                                                        : std::string(tr("the system"));
    const std::string label = r.time_text + "  " + r.action + "  " + who + "##audit-" + std::to_string(r.id);
    const bool open = a.selected == r.id;
    if (ImGui::Selectable(label.c_str(), open, 0, ImVec2(0.0f, kMinTouchPx)))
      emitted.emplace_back(state::SelectAuditRow{open ? 0 : r.id});
    if (open) detail(r);
  }
  ImGui::EndChild();
}

const char* action_label(state::AttentionAction a) {
  switch (a) {
    case state::AttentionAction::resolve:
      return tr("Resolving…");
    case state::AttentionAction::dismiss:
      return tr("Dismissing…");
    case state::AttentionAction::retry:
      return tr("Retrying…");
  }
  return "";
}

void attention_actions(const state::AppState& s, const state::AttentionItem& a,
                       std::vector<state::Command>& emitted) {
  const state::AttentionDesk& d = s.attention_desk;
  ImGui::Indent();
  field(tr("Note (what was done, for the audit log)"), "##attention-note", g_attention.note, sizeof g_attention.note);
  const bool can = d.acting_on.empty() && !s.busy;
  auto act = [&](state::AttentionAction action) {
    emitted.emplace_back(state::ActOnAttention{a.op_id, action, g_attention.note});
  };
  if (button(with_id(tr("Resolve"), "attention-resolve").c_str(), 160.0f, can)) act(state::AttentionAction::resolve);
  ImGui::SameLine();
  if (button(with_id(tr("Dismiss"), "attention-dismiss").c_str(), 160.0f, can)) act(state::AttentionAction::dismiss);
  ImGui::SameLine();
  // Only a rejection can be recorded again; a flagged op was applied.
  if (button(with_id(tr("Retry"), "attention-retry").c_str(), 160.0f, can && a.status == "rejected"))
    act(state::AttentionAction::retry);
  if (!d.acting_on.empty()) ImGui::TextColored(kMuted, "%s", action_label(d.action));
  ImGui::TextColored(kMuted, "%s", tr("Resolve: handled. Dismiss: nothing to do. Retry: record it again (the note "
                                      "is not kept for a retry)."));
  ImGui::Unindent();
}

}  // namespace

void audit_log(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Audit##screen", true)) {
    title_with_back(tr("Audit log"), s, emitted);
    needs_server_notice(s);
    message_line(s, emitted);
    filters(s, emitted);
    ImGui::Separator();
    tools(s, emitted);
    ImGui::Separator();
    rows(s, emitted);
  }
  ImGui::End();
}

void attention(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Attention##screen", true)) {
    title_with_back(tr("Needs attention"), s, emitted);
    const bool may_act = state::may_act_on_attention(s);
    if (may_act)
      ImGui::TextWrapped("%s", tr("What the store server set aside or flagged. Tap one to resolve, dismiss or "
                                  "retry it."));
    else if (!s.sync.online || (s.user && s.user->offline))
      ImGui::TextColored(kOffline, "%s", tr("Needs the store server — you are offline. The list is read only."));
    else
      ImGui::TextWrapped("%s", tr("What the store server set aside or flagged, read only: resolving needs the "
                                  "resolve_attention permission."));
    message_line(s, emitted);
    const state::AttentionDesk& d = s.attention_desk;
    if (!d.answer.empty()) ImGui::TextColored(d.answer_error ? kError : kOnline, "%s", d.answer.c_str());
    if (!s.attention_error.empty()) ImGui::TextColored(kError, "%s", s.attention_error.c_str());
    if (s.attention.empty() && s.attention_error.empty()) ImGui::TextColored(kMuted, "%s", tr("Nothing waiting."));
    for (const state::AttentionItem& a : s.attention) {
      ImGui::Separator();
      const std::string label = a.time_text + " · " + a.till_code + " · " + a.kind + " · " + a.status + "##op-" + a.op_id;
      const bool open = may_act && g_attention.op_id == a.op_id;
      if (may_act) {
        if (ImGui::Selectable(label.c_str(), open, 0, ImVec2(0.0f, kMinTouchPx))) {
          g_attention.op_id = open ? std::string() : a.op_id;
          wipe(g_attention.note, sizeof g_attention.note);
        }
      } else {
        ImGui::TextUnformatted(label.substr(0, label.find("##")).c_str());
      }
      ImGui::TextColored(kError, "%s", a.code.c_str());
      if (!a.message.empty()) ImGui::TextWrapped("%s", a.message.c_str());
      if (open) attention_actions(s, a, emitted);
    }
    // The op left the list (resolved, or gone after a retry): its actions close.
    const bool listed = std::any_of(s.attention.begin(), s.attention.end(),
                                    [](const state::AttentionItem& a) { return a.op_id == g_attention.op_id; });
    if (!listed && d.acting_on.empty() && !s.attention.empty()) g_attention.op_id.clear();
  }
  ImGui::End();
}

}  // namespace salespider::ui
