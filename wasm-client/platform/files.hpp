// Files the person hands to the till or takes away from it: a text file
// chosen through the browser's file chooser (the CSV import), and text
// downloaded as a file (the CSV exports, fetched with the session's bearer
// token first, since a plain link cannot carry it).
//
// Browser implementation: files_browser.cpp (an <input type=file> and a
// Blob + <a download>, all in EM_JS there). Free of Emscripten so effects/
// stays portable. Deliberately not here: what a file holds (the server
// parses CSV; the till only carries the text) and reading binary files.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace salespider::platform::files {

struct Picked {
  std::string name;  // empty: nothing chosen (cancelled)
  std::string text;  // the file's content, read as UTF-8 text
  std::string error;
};

// Opens the file chooser for `accept` (".csv"); `done` runs once with what
// was chosen. Must follow a click (browsers open choosers only then).
void pick_text_file(std::string_view accept, std::function<void(Picked)> done);
// The same for a binary file (the store's logo): `text` is its data: URL
// ("data:image/png;base64,...").
void pick_data_url_file(std::string_view accept, std::function<void(Picked)> done);

// From salespider_file_picked() (main.cpp): the chooser `id` answered.
void complete_pick(std::uint32_t id);

// Saves `text` as a download named `name` of type `mime`.
void download_text(std::string_view name, std::string_view mime, std::string_view text);

}  // namespace salespider::platform::files
