// The Tills screen in the reducer: opening it, the joined list, and which
// rename / retire / enrolment-code requests go to the controller
// (effects/tills.cpp).
#include "state/tills.hpp"

#include "state/app_state.hpp"
#include "state/reducers.hpp"
#include "state/server_session.hpp"

#include <salespider/shared/i18n.hpp>

#include <type_traits>

namespace salespider::state {

namespace {

using i18n::tr;

const StoreTill* find_till(const TillsState& t, const std::string& id) {
  for (const StoreTill& till : t.tills)
    if (till.id == id) return &till;
  return nullptr;
}

template <class C>
void apply(AppState& s, const C& c) {
  TillsState& t = s.tills;
  if constexpr (std::is_same_v<C, OpenTills>) {
    if (s.busy) return;
    if (!may(s, "enrol_tills")) {
      say(s, MessageKind::error, tr("Tills is for people who enrol tills."));
      return;
    }
    s.screen = Screen::Tills;
    s.message.reset();
    t.loading = true;
    t.error.clear();
    t.write_error.clear();
    t.write_field.clear();
    t.code.reset();
  } else if constexpr (std::is_same_v<C, TillsLoaded>) {
    if (s.screen != Screen::Tills) return;
    t.loading = false;
    t.error = c.error;
    if (!c.error.empty()) return;
    t.tills = c.tills;
    ++t.generation;
  } else if constexpr (std::is_same_v<C, TillAction>) {
    if (s.screen != Screen::Tills || t.writing || !server_session(s)) return;
    t.write_error.clear();
    t.write_field.clear();
    if (c.kind != TillActionKind::enrol_code) {
      const StoreTill* till = find_till(t, c.till_id);
      if (!till || till->status != "active") return;
      if (c.kind == TillActionKind::rename && (c.name.empty() || c.name == till->name)) {
        if (c.name.empty()) {
          t.write_error = tr("Type the till's new name.");
          t.write_field = "name";
        }
        return;
      }
    }
    t.writing = true;
    if (c.kind == TillActionKind::enrol_code) t.code.reset();
  } else if constexpr (std::is_same_v<C, TillActionDone>) {
    t.writing = false;
    t.write_error = c.error;
    t.write_field = c.field;
    // 409 "last reported N unsynced ops": the list is read again, so the
    // next confirmation shows that count.
    if (!c.error.empty() && c.field == "confirm") t.loading = true;
    if (!c.error.empty()) return;
    if (c.kind == TillActionKind::enrol_code) {
      t.code = c.code;
      return;
    }
    say(s, MessageKind::info,
        c.kind == TillActionKind::retire ? tr("Till retired: its credential stopped working.") : tr("Till renamed."));
    t.loading = true;  // the controller reloads the list
  }
}

}  // namespace

bool reduce_tills(AppState& state, const Command& command) {
  return reduce_listed<TillsCommands>(state, command, [](AppState& s, const auto& c) { apply(s, c); });
}

}  // namespace salespider::state
