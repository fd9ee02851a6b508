// Fixture files of the receipt tests (tests/client/fixtures/), read through
// node's file system (NODERAWFS) in the wasm build. A test that finds its
// output differs from a fixture writes what it got beside the test's working
// directory as <name>.actual, so the difference can be read and, once checked,
// copied over the fixture. Deliberately no automatic update: a fixture changes
// only by someone reading the difference.
#pragma once

#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

#ifndef SALESPIDER_TEST_FIXTURES_DIR
#error "SALESPIDER_TEST_FIXTURES_DIR must name tests/client/fixtures (tests/client/CMakeLists.txt)"
#endif

namespace salespider::test {

inline std::string fixture_path(const std::string& name) {
  return std::string(SALESPIDER_TEST_FIXTURES_DIR) + "/" + name;
}

// The whole file, or nothing when it cannot be read.
inline std::optional<std::string> read_fixture(const std::string& name) {
  std::ifstream in(fixture_path(name), std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Writes <name>.actual in the working directory; returns its name for the
// failure message.
inline std::string write_actual(const std::string& name, const std::string& content) {
  const std::string path = name + ".actual";
  std::ofstream out(path, std::ios::binary);
  out << content;
  return path;
}

}  // namespace salespider::test
