// An in-memory stand-in for IndexedDB with the same object stores (journal,
// pages, meta) and one-transaction-at-a-time semantics: a submitted write is
// held until the test completes or aborts it, and only then is it applied,
// all at once, like an IndexedDB transaction.
#pragma once

#include "store/store.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace salespider::store::testing {

class FakeIndexedDb : public StorageBackend {
 public:
  struct Held {
    std::uint32_t id;
    bool strict;
    std::vector<std::pair<std::string, std::string>> journal_puts;
    std::vector<std::string> journal_deletes;
    std::optional<StorageWrite::Snapshot> snapshot;  // its spans: pinned in the store's file until completed
  };

  void submit(std::uint32_t request_id, const StorageWrite& write) override;

  // Completes (or aborts) the oldest held transaction and tells the store.
  std::uint32_t complete_next(Store& store, bool ok = true);
  void complete_all(Store& store);
  std::size_t held() const { return held_.size(); }
  const Held& front() const { return held_.front(); }

  // What a reload would read: the image (if meta exists) and the journal.
  OpenInput reload_input() const;

  std::map<std::string, std::string> journal;  // op_id -> record JSON
  std::map<std::uint32_t, std::vector<std::uint8_t>> pages;
  std::optional<ImageMeta> meta;
  std::size_t bytes_written = 0;
  // What Store::complete returned for the last complete_next().
  bool last_answered_op = false;

 private:
  std::deque<Held> held_;
};

}  // namespace salespider::store::testing
