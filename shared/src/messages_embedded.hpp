// The .po files the build embedded (shared/embed_messages.cmake writes the
// definition): top-level shared/messages/<lang>.po first, then
// shared/messages/parts/<name>.<lang>.po, each group in file-name order.
#pragma once

#include <cstddef>

namespace salespider::i18n::detail {

struct EmbeddedPo {
  const char* language;  // "fr": the file name's last dot-segment before .po
  const char* path;      // relative to shared/messages, for messages
  const char* text;
};

extern const EmbeddedPo kEmbeddedPo[];
extern const std::size_t kEmbeddedPoCount;

}  // namespace salespider::i18n::detail
