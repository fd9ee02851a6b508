// The browser implementation of files.hpp. The chooser is one hidden
// <input type=file id="salespider-file"> kept in the page (tests may set
// its files directly); its change (or cancel) event reads the file with
// File.text(), keeps the result by id and calls salespider_file_picked(id),
// after which the C++ side copies name and text out, once.
//
//  [X] choosing a text file, cancel reported as "nothing chosen"
//  [X] choosing an image, read as a data: URL (the store's logo)
//  [X] downloading text as a file (Blob URL, revoked after a minute)
//  [ ] dragging a file onto the till
#include "platform/files.hpp"

#include <emscripten/emscripten.h>

#include <map>
#include <utility>

// clang-format off
EM_JS(void, sp_js_pick_file, (unsigned id, const char* accept, int accept_length, int as_data_url), {
  const files = globalThis.SaleSpiderFiles || (globalThis.SaleSpiderFiles = { results: new Map() });
  let input = document.getElementById("salespider-file");
  if (!input) {
    input = document.createElement("input");
    input.type = "file";
    input.id = "salespider-file";
    input.style.display = "none";
    document.body.appendChild(input);
  }
  input.accept = UTF8ToString(accept, accept_length);
  input.value = "";
  let answered = false;
  const finish = (result) => {
    if (answered) return;
    answered = true;
    files.results.set(id, result);
    Module._salespider_file_picked(id);
  };
  input.oncancel = () => finish({ name: "", text: "", error: "" });
  input.onchange = () => {
    const file = input.files && input.files[0];
    if (!file) { finish({ name: "", text: "", error: "" }); return; }
    if (as_data_url) {
      const reader = new FileReader();
      reader.onload = () => finish({ name: file.name, text: String(reader.result), error: "" });
      reader.onerror = () => finish({ name: "", text: "", error: "the file could not be read" });
      reader.readAsDataURL(file);
      return;
    }
    file.text().then((text) => finish({ name: file.name, text, error: "" }))
        .catch((e) => finish({ name: "", text: "", error: "the file could not be read: " + String(e) }));
  };
  input.click();
});
EM_JS(int, sp_js_picked_length, (unsigned id, int field), {
  const r = globalThis.SaleSpiderFiles && globalThis.SaleSpiderFiles.results.get(id);
  if (!r) return 0;
  return lengthBytesUTF8([r.name, r.text, r.error][field]);
});
EM_JS(void, sp_js_picked_copy, (unsigned id, int field, char* out, int size), {
  const r = globalThis.SaleSpiderFiles.results.get(id);
  stringToUTF8([r.name, r.text, r.error][field], out, size);
});
EM_JS(void, sp_js_picked_release, (unsigned id), {
  if (globalThis.SaleSpiderFiles) globalThis.SaleSpiderFiles.results.delete(id);
});
EM_JS(void, sp_js_download, (const char* name, int name_length, const char* mime, int mime_length, const char* text, int text_length), {
  const bytes = HEAPU8.slice(text, text + text_length);
  const url = URL.createObjectURL(new Blob([bytes], { type: UTF8ToString(mime, mime_length) }));
  const a = document.createElement("a");
  a.href = url;
  a.download = UTF8ToString(name, name_length);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
});
// clang-format on

namespace salespider::platform::files {

namespace {

std::map<std::uint32_t, std::function<void(Picked)>> g_pending;
std::uint32_t g_next_id = 1;

std::string picked_field(std::uint32_t id, int field) {
  const int n = sp_js_picked_length(id, field);
  if (n <= 0) return {};
  std::string out(static_cast<std::size_t>(n) + 1, '\0');
  sp_js_picked_copy(id, field, out.data(), n + 1);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace

void pick_text_file(std::string_view accept, std::function<void(Picked)> done) {
  const std::uint32_t id = g_next_id++;
  g_pending.emplace(id, std::move(done));
  sp_js_pick_file(id, accept.data(), static_cast<int>(accept.size()), 0);
}

void pick_data_url_file(std::string_view accept, std::function<void(Picked)> done) {
  const std::uint32_t id = g_next_id++;
  g_pending.emplace(id, std::move(done));
  sp_js_pick_file(id, accept.data(), static_cast<int>(accept.size()), 1);
}

void complete_pick(std::uint32_t id) {
  auto it = g_pending.find(id);
  if (it == g_pending.end()) {
    sp_js_picked_release(id);
    return;
  }
  std::function<void(Picked)> done = std::move(it->second);
  g_pending.erase(it);
  Picked p{picked_field(id, 0), picked_field(id, 1), picked_field(id, 2)};
  sp_js_picked_release(id);
  done(std::move(p));
}

void download_text(std::string_view name, std::string_view mime, std::string_view text) {
  sp_js_download(name.data(), static_cast<int>(name.size()), mime.data(), static_cast<int>(mime.size()), text.data(),
                 static_cast<int>(text.size()));
}

}  // namespace salespider::platform::files
