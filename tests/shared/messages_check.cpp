// The messages_catalogue test's checker: every msgid of the template xgettext
// just extracted (cmake/messages.cmake) must have, in every language (its
// shared/messages/<lang>.po plus parts/*.<lang>.po), a non-empty, non-fuzzy
// translation whose {placeholders} are the msgid's (each plural form's are
// within the singular's and plural's, the last form's are the plural's).
// Prints what is wrong, one line each; exit 1 when anything is.
//   messages_check <template.pot> <shared/messages>
// Native only (reads files); the .po reader is shared/'s (po.hpp).
#include "salespider/shared/po.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using salespider::i18n::parse_po;
using salespider::i18n::PoEntry;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string key_of(const PoEntry& e) { return (e.context ? *e.context + "\x04" : std::string()) + e.msgid; }

std::string describe(const PoEntry& e) {
  return (e.context ? "[" + *e.context + "] " : std::string()) + "\"" + e.msgid + "\"";
}

// {name} placeholders ("{{" and "}}" are literal braces).
std::set<std::string> placeholders(const std::string& text) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      ++i;
      continue;
    }
    if (text[i] != '{') continue;
    const auto close = text.find('}', i + 1);
    if (close == std::string::npos) break;
    names.insert(text.substr(i + 1, close - i - 1));
    i = close;
  }
  return names;
}

bool is_subset(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const auto& x : a) {
    if (!b.count(x)) return false;
  }
  return true;
}

// "" when the translation is usable, else why not.
std::string problem_with(const PoEntry& wanted, const PoEntry* have) {
  if (!have) return "missing";
  if (have->fuzzy) return "fuzzy";
  if (have->msgstr.empty()) return "empty translation";
  for (const auto& form : have->msgstr) {
    if (form.empty()) return "empty translation";
  }
  const auto singular = placeholders(wanted.msgid);
  if (!wanted.msgid_plural) {
    if (placeholders(have->msgstr[0]) != singular) return "placeholders differ: \"" + have->msgstr[0] + "\"";
    return {};
  }
  if (!have->msgid_plural) return "no plural forms";
  const auto plural = placeholders(*wanted.msgid_plural);
  auto either = singular;
  either.insert(plural.begin(), plural.end());
  for (const auto& form : have->msgstr) {
    if (!is_subset(placeholders(form), either)) return "placeholders differ: \"" + form + "\"";
  }
  if (placeholders(have->msgstr.back()) != plural) return "placeholders differ: \"" + have->msgstr.back() + "\"";
  return {};
}

bool usable(const PoEntry& e) {
  if (e.fuzzy || e.msgstr.empty()) return false;
  for (const auto& form : e.msgstr) {
    if (form.empty()) return false;
  }
  return true;
}

// language -> its files, top-level first (the loader's order).
std::map<std::string, std::vector<fs::path>> catalogue_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto* sub : {"", "parts"}) {
    std::vector<fs::path> group;
    std::error_code ec;
    for (const auto& f : fs::directory_iterator(dir / sub, ec)) {
      if (f.path().extension() == ".po") group.push_back(f.path());
    }
    std::sort(group.begin(), group.end());
    files.insert(files.end(), group.begin(), group.end());
  }
  std::map<std::string, std::vector<fs::path>> by_language;
  for (const auto& f : files) {
    auto stem = f.stem().string();  // "settings.fr"
    const auto dot = stem.rfind('.');
    by_language[dot == std::string::npos ? stem : stem.substr(dot + 1)].push_back(f);
  }
  by_language.erase("en");
  return by_language;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: messages_check <template.pot> <shared/messages>\n";
    return 2;
  }
  std::vector<PoEntry> wanted;
  for (auto& e : parse_po(read_file(argv[1]))) {
    if (!e.msgid.empty()) wanted.push_back(std::move(e));
  }
  if (wanted.empty()) {
    std::cerr << "the template " << argv[1] << " holds no msgid: is xgettext working?\n";
    return 1;
  }
  const auto languages = catalogue_files(argv[2]);
  if (languages.empty()) {
    std::cerr << "no catalogue in " << argv[2] << "\n";
    return 1;
  }
  std::size_t problems = 0;
  for (const auto& [lang, files] : languages) {
    // Keep every entry (fuzzy ones too) to say why one does not count; the
    // first usable one of a key wins, as in the loader.
    std::map<std::string, PoEntry> have;
    for (const auto& f : files) {
      for (auto& e : parse_po(read_file(f))) {
        auto key = key_of(e);
        auto it = have.find(key);
        if (it == have.end()) {
          have.emplace(std::move(key), std::move(e));
        } else if (usable(e) && !usable(it->second)) {
          it->second = std::move(e);
        }
      }
    }
    std::size_t missing = 0;
    for (const auto& w : wanted) {
      const auto it = have.find(key_of(w));
      const auto why = problem_with(w, it == have.end() ? nullptr : &it->second);
      if (why.empty()) continue;
      if (missing++ == 0) std::cout << "== " << lang << " (" << files.size() << " files)\n";
      std::cout << lang << ": " << describe(w) << ": " << why << "\n";
    }
    if (missing) std::cout << lang << ": " << missing << " of " << wanted.size() << " messages need work\n";
    problems += missing;
  }
  if (problems) {
    std::cout << "\nAdd the translations to shared/messages/parts/<name>.<lang>.po (or run `make messages` "
                 "and fill shared/messages/<lang>.po).\n";
    return 1;
  }
  std::cout << wanted.size() << " messages translated in " << languages.size() << " languages\n";
  return 0;
}
