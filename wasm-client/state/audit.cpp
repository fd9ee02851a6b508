// The audit log viewer and the attention list's actions in the reducer: who
// may open and act, the page cursors (older pushes the cursor, newer pops
// it), answers for a page no longer asked for dropped, one action on the
// attention list at a time. The controller (effects/audit.cpp) loads and
// writes when the reducer accepted a command. Deliberately not here: HTTP,
// drawing, the attention list's loading (day_state.cpp).
#include "state/audit.hpp"

#include "state/app_state.hpp"
#include "state/reducers.hpp"
#include "state/server_session.hpp"

#include <salespider/shared/i18n.hpp>

#include <algorithm>
#include <type_traits>
#include <utility>

namespace salespider::state {

using i18n::tr;
using i18n::trf;

namespace {

void start_loading(AuditLog& a) {
  a.loading = true;
  a.error.clear();
  a.selected = 0;
}

template <class C>
void apply(AppState& s, const C& c) {
  AuditLog& a = s.audit;
  if constexpr (std::is_same_v<C, OpenAudit>) {
    if (s.busy || !s.user) return;
    if (!may(s, "view_audit_log")) {
      say(s, MessageKind::error, tr("The audit log needs the view_audit_log permission."));
      return;
    }
    s.screen = Screen::Audit;
    const AuditFilter keep = a.filter;
    a = AuditLog{};
    a.filter = keep;
    a.people_allowed = may(s, "manage_staff");
    start_loading(a);
  } else if constexpr (std::is_same_v<C, QueryAudit>) {
    if (s.screen != Screen::Audit) return;
    a.filter = c.filter;
    a.before = 0;
    a.newer.clear();
    start_loading(a);
  } else if constexpr (std::is_same_v<C, AuditPage>) {
    if (s.screen != Screen::Audit || a.loading) return;
    if (c.older) {
      if (!a.older || a.rows.empty()) return;
      a.newer.push_back(a.before);
      a.before = a.rows.back().id;
    } else {
      if (a.newer.empty()) return;
      a.before = a.newer.back();
      a.newer.pop_back();
    }
    start_loading(a);
  } else if constexpr (std::is_same_v<C, AuditLoaded>) {
    if (c.before != a.before) return;  // a page no longer asked for
    a.loading = false;
    a.error = c.error;
    a.rows = c.rows;
    a.older = c.error.empty() && static_cast<int>(c.rows.size()) >= kAuditPage;
  } else if constexpr (std::is_same_v<C, AuditPeopleLoaded>) {
    a.people = c.people;
  } else if constexpr (std::is_same_v<C, SelectAuditRow>) {
    a.selected = c.id;
  } else if constexpr (std::is_same_v<C, VerifyAudit>) {
    if (s.screen != Screen::Audit || a.verifying) return;
    a.verifying = true;
    a.verdict.reset();
    a.verify_error.clear();
  } else if constexpr (std::is_same_v<C, AuditVerified>) {
    a.verifying = false;
    a.verdict = c.verdict;
    a.verify_error = c.error;
  } else if constexpr (std::is_same_v<C, ExportAudit>) {
    if (s.screen != Screen::Audit || a.exporting) return;
    a.exporting = true;
    a.exported.clear();
  } else if constexpr (std::is_same_v<C, AuditExported>) {
    a.exporting = false;
    a.exported = c.done;
    if (!c.error.empty()) say(s, MessageKind::error, c.error);
  } else if constexpr (std::is_same_v<C, ActOnAttention>) {
    AttentionDesk& d = s.attention_desk;
    if (s.screen != Screen::Attention || !d.acting_on.empty()) return;
    if (!may_act_on_attention(s)) {
      say(s, MessageKind::error, tr("Resolving needs the store server, an online sign-in and the resolve_attention "
                                    "permission."));
      return;
    }
    d.acting_on = c.op_id;
    d.action = c.action;
    d.answer.clear();
    d.answer_error = false;
  } else if constexpr (std::is_same_v<C, AttentionAnswered>) {
    AttentionDesk& d = s.attention_desk;
    if (d.acting_on != c.op_id) return;
    d.acting_on.clear();
    d.answer_error = !c.error.empty();
    d.answer = c.error.empty() ? c.said : c.error;
  }
}

}  // namespace

std::string_view to_string(AttentionAction a) {
  switch (a) {
    case AttentionAction::resolve:
      return "resolve";
    case AttentionAction::dismiss:
      return "dismiss";
    case AttentionAction::retry:
      return "retry";
  }
  return "resolve";
}

bool may_act_on_attention(const AppState& s) {
  return server_session(s) && may(s, "resolve_attention");
}

std::string verdict_text(const AuditVerdict& v) {
  if (v.ok) {
    std::string text = trf("Intact: {rows} rows checked, {anchors} anchors match.",
                           {{"rows", std::to_string(v.checked)}, {"anchors", std::to_string(v.anchors_checked)}});
    if (v.unsealed > 0)
      text += " " + trf("{count} newest rows are not sealed yet.", {{"count", std::to_string(v.unsealed)}});
    return text;
  }
  if (v.first_bad_position)
    return trf("Broken at position {position} (row {id}): {problem}",
               {{"position", std::to_string(*v.first_bad_position)},
                {"id", v.first_bad_id.empty() ? std::string("?") : v.first_bad_id},
                {"problem", v.problem}});
  return trf("Broken: {problem}", {{"problem", v.problem}});
}

bool oversight_back(AppState& s) {
  if (s.screen == Screen::Audit) {
    s.screen = Screen::BackOffice;
    return true;
  }
  if (s.setup.active && (s.screen == Screen::Products || s.screen == Screen::Csv)) {
    s.screen = Screen::Setup;
    return true;
  }
  return s.screen == Screen::Setup;  // the wizard has its own Back (a step back); Escape does nothing
}

bool reduce_audit(AppState& state, const Command& command) {
  return reduce_listed<AuditCommands>(state, command, [](AppState& s, const auto& c) { apply(s, c); });
}

}  // namespace salespider::state
