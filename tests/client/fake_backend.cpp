// FakeIndexedDb: holds each submitted write until the test completes or
// aborts it, then applies it to its maps all at once (fake_backend.hpp).
#include "fake_backend.hpp"

namespace salespider::store::testing {

void FakeIndexedDb::submit(std::uint32_t request_id, const StorageWrite& write) {
  // The page spans are read only when the test completes the write, as
  // the real backend reads them while it puts them: the store keeps them
  // unchanged until then (MemFile::pin), whatever the database does.
  held_.push_back(Held{request_id, write.strict, write.journal_puts, write.journal_deletes, write.snapshot});
}

std::uint32_t FakeIndexedDb::complete_next(Store& store, bool ok) {
  Held h = std::move(held_.front());
  held_.pop_front();
  if (ok) {
    for (auto& [id, json] : h.journal_puts) {
      bytes_written += json.size();
      journal[id] = json;
    }
    for (const std::string& id : h.journal_deletes) journal.erase(id);
    if (h.snapshot) {
      if (h.snapshot->replace_all) pages.clear();
      if (h.snapshot->drop_from > 0) pages.erase(pages.lower_bound(h.snapshot->drop_from), pages.end());
      for (const StorageWrite::Page& p : h.snapshot->pages) {
        bytes_written += p.bytes.size();
        pages[p.index].assign(p.bytes.begin(), p.bytes.end());
      }
      meta = h.snapshot->meta;
    }
  }
  last_answered_op = store.complete(h.id, ok, ok ? "" : "AbortError: test aborted the transaction");
  return h.id;
}

void FakeIndexedDb::complete_all(Store& store) {
  while (!held_.empty()) complete_next(store);
}

OpenInput FakeIndexedDb::reload_input() const {
  OpenInput in;
  if (meta) {
    PersistedImage image;
    image.meta = *meta;
    image.pages.resize(meta->page_count);
    for (std::uint32_t i = 0; i < meta->page_count; ++i) {
      auto it = pages.find(i);
      if (it != pages.end()) image.pages[i] = it->second;
    }
    in.image = std::move(image);
  }
  for (const auto& [id, json] : journal) {
    Result<JournalRecord> r = decode_record(json);
    if (r)
      in.journal.push_back(std::move(r).value());
    else
      ++in.unreadable_records;
  }
  return in;
}

}  // namespace salespider::store::testing
