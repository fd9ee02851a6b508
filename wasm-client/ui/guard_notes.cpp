// guard_notes.hpp: the wording of the storage and kept-changes warnings.
#include "ui/guard_notes.hpp"

#include "ui/theme.hpp"

#include <salespider/shared/i18n.hpp>

#include <imgui.h>

namespace salespider::ui {

using i18n::tr;
using i18n::trf;

namespace {

// Eviction only loses what the server has not got yet: warn while ops wait.
bool storage_unprotected(const state::AppState& s) {
  return s.storage.persisted && !*s.storage.persisted && s.storage.pending_ops > 0;
}

bool kept_changes_for_manager(const state::AppState& s) {
  return s.sync.deferred_changes > 0 && s.user && state::is_manager_role(s.user->role);
}

std::string kept_changes_text(const state::AppState& s) {
  return trf("{n} changes from the server could not be applied yet", {{"n", std::to_string(s.sync.deferred_changes)}});
}

}  // namespace

std::vector<std::string> guard_status_notes(const state::AppState& s) {
  std::vector<std::string> notes;
  if (storage_unprotected(s)) notes.emplace_back(tr("Storage not protected"));
  if (kept_changes_for_manager(s)) notes.push_back(kept_changes_text(s));
  return notes;
}

void guard_device_notes(const state::AppState& s) {
  if (s.storage.persisted && !*s.storage.persisted)
    ImGui::TextWrapped("%s", tr("This browser may delete the till's data when the device runs short of space. "
                                "Install the app (the browser menu's \"Install\" or \"Add to Home screen\"): an "
                                "installed app keeps its storage, so sales not yet sent to the server stay safe."));
  if (kept_changes_for_manager(s)) {
    const std::string text = kept_changes_text(s) + " — " +
                             tr("they are kept on this till and applied after the app is updated; nothing else "
                                "is held up.");
    ImGui::TextWrapped("%s", text.c_str());
  }
}

}  // namespace salespider::ui
