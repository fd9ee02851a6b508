// The pieces every screen is built from: a full-viewport screen window,
// buttons sized for fingers, labelled text fields, the message line, money
// in the store's currency, and the on-screen numeric keypad.
//
// Sizes follow ux.md (touch targets >= 44 px, primary actions >= 56 px,
// keypad keys >= 64 px); the browser tests check them from widgets() rects.
// Deliberately no state: callers pass what to show and read what was pressed.
#pragma once

#include "state/app_state.hpp"
#include "state/tender_label.hpp"

#include <imgui.h>

#include <cstddef>
#include <functional>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salespider::ui {

inline constexpr float kKeypadKeyPx = 64.0f;

extern const ImVec4 kOnline;
extern const ImVec4 kOffline;
extern const ImVec4 kError;
extern const ImVec4 kMuted;
// The one primary action of a screen (primary_button): white on green.
extern const ImVec4 kPrimary;
extern const ImVec4 kPrimaryHovered;
extern const ImVec4 kPrimaryActive;
extern const ImVec4 kOnPrimary;

// The status bar's height in the last frame: screens start below it.
float status_bar_height();
void set_status_bar_height(float h);

bool begin_screen(const char* name, bool with_status_bar);
void title(const char* text);
void centered_text(const char* text);
bool primary_button(const char* label, ImVec2 size, bool enabled = true);
bool button(const char* label, float width = 0.0f, bool enabled = true);
float field_width();
// A screen's title with Back beside it on the right (Escape too, unless a
// manager's approval is open), or under it where both do not fit (a phone).
void title_with_back(const char* text, const state::AppState& s, std::vector<state::Command>& emitted);
// The next item `width` wide goes beside the last one when the screen has
// room for it there, else on the next line (a phone): nothing runs off
// the right edge.
void beside_if_fits(float width);
// The width a button draws its label in, with the style's padding; a
// radio button's (its circle, a gap, its words).
float button_width(const char* label);
float radio_width(const char* label);
// A radio button whose words wrap at the screen's edge (a long choice on a
// phone): the circle carries `id` ("##printer-serial") and is named `text`
// for the automation bridge and screen readers; a tap on the words chooses
// too. True when chosen this frame.
bool wrapped_radio(const char* id, const char* text, bool active);
// A label above a text field; returns true when Enter was pressed in it.
bool field(const char* label, const char* id, char* buffer, std::size_t size, ImGuiInputTextFlags flags = 0);
// A "YYYY-MM-DD" field with its label above and what is wrong with the typed
// date under it (state/sales_dates.hpp); `enter` becomes true on Enter.
void date_field(const char* label, const char* id, char* buffer, std::size_t size, bool& enter, float width);
// The screen's error with its Dismiss button, where a screen puts it; a
// confirmation ("Shift open.") is no line of the screen but a toast.
void message_line(const state::AppState& s, std::vector<state::Command>& emitted);
// A confirmation drawn over the top of whatever screen is shown (it moves
// nothing; effects/till_controller dismisses it after a few seconds).
void toast(const state::AppState& s, std::vector<state::Command>& emitted);
void wipe(char* buffer, std::size_t size);
// Another tab owns the till: said plainly, in words (ux.md: never colour only).
void read_only_notice(const state::AppState& state);

std::string money(const state::AppState& s, std::int64_t minor);
// The amount as parse_money reads it back: no symbol, no grouping.
std::string plain_money(const state::AppState& s, std::int64_t minor);
std::optional<std::int64_t> typed_amount(const state::AppState& s, const char* text);

// Amounts are shown in the active language's number format (i18n::money_format).
// A 3 x 4 keypad (7 8 9 / 4 5 6 / 1 2 3 / . 0 ⌫) editing `buffer`; keys are
// kKeypadKeyPx square or larger (up to max_key_px when there is room).
// `id` keeps two keypads apart.
void keypad(const char* id, char* buffer, std::size_t size, bool allow_dot, float max_key_px = 96.0f);

// Whether the till is used with fingers (the last pointer was a touch):
// then no field takes focus by itself (it would pop up the phone keyboard)
// and key hints are left off the buttons.
bool touch_input();
// "Card", "Bank transfer" ...: a tender as the screens (and receipts) name it.
using state::tender_label;
// "Pay (F6)" on desktop, "Pay" on a touch screen; the ### id stays the same.
std::string with_key(const char* label, const char* key, const char* id);

// The name of the text field drawn next with the id label `id_label`
// ("##login"), for a screen reader (www/a11y.js) and tests: the words
// field() draws above it, or an input's hint. Goes to the sink effects/App
// sets (the automation bridge's collector); nothing when none is set.
void name_field(const char* id_label, const char* name);
void set_field_name_sink(std::function<void(ImGuiID, std::string)> sink);
// A translated label with a fixed id suffix ("##message"): tests find the
// widget by the suffix whatever the language.
std::string lbl(const char* text, const char* id);

}  // namespace salespider::ui
