// Stock effects: what the Back office's stock screens need from the outside
// world. Looking products up in the local catalog (scan or search, the
// same lookups the selling screen uses, inactive products included: stock
// of a product no longer sold still counts); recording receive, adjust and
// write-off, and each line of an applied count, as one stock_movement op
// through the OpRecorder (offline too, exactly once: invariants 1-5 of
// architecture.md); issuing a count's id; keeping the count in progress in
// the drafts record; and the online parts: the server's stock lists and the
// products CSV import (dry run first) and exports.
//
// It acts on what the reducer (state/stock_ops.cpp) already accepted.
// Deliberately not here: the rules (state/, shared/stock.hpp), parsing the
// server's answers (answers/stock_answers.cpp), the browser (platform/files).
#pragma once

#include "effects/context.hpp"
#include "effects/op_recorder.hpp"
#include "state/app_state.hpp"

#include <string>

namespace salespider::effects {

class StockOps {
 public:
  StockOps(Context& ctx, OpRecorder& recorder) : ctx_(ctx), recorder_(recorder) {}
  StockOps(const StockOps&) = delete;
  StockOps& operator=(const StockOps&) = delete;

  // A command was reduced: do what it asks of the outside world.
  void handle(const state::Command& command, const state::AppState& s);

  // The count in progress inside the drafts record (written by the
  // controller): added to / read from its JSON text.
  static std::string with_count(std::string drafts_json, const state::AppState& s);
  static std::optional<state::StockCount> count_of(const std::string& drafts_json);

 private:
  void search(const std::string& text);
  void record_op(const state::AppState& s);
  void apply_count(const state::AppState& s);
  void load_list(const state::AppState& s, bool more);
  void send_csv(const state::AppState& s, bool dry_run);
  void export_csv(state::CsvExport what, const state::AppState& s);

  Context& ctx_;
  OpRecorder& recorder_;
  int recorded_submit_seq_ = 0;
  int applied_count_seq_ = 0;
  std::string applied_count_id_;
};

}  // namespace salespider::effects
