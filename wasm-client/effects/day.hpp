// Day effects: the rest of a trading day. Shifts (open, cash in and out,
// close) recorded through the OpRecorder; the X/Z reports computed with
// shared/'s compute_shift_report from the ops this till recorded; the sales
// history and a sale's detail from the local store or, for the whole store,
// the server's API; reprints; the managers' attention list.
//
// Deliberately not here: the rules of shifts, reports and refunds (state/,
// shared/), recording a refund (selling.hpp), and parsing the server's
// answers (answers/).
#pragma once

#include "effects/context.hpp"
#include "effects/op_recorder.hpp"
#include "state/app_state.hpp"
#include "store/day_records.hpp"

#include <salespider/shared/shift_report.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace salespider::effects {

class Day {
 public:
  Day(Context& ctx, OpRecorder& recorder) : ctx_(ctx), recorder_(recorder) {}
  Day(const Day&) = delete;
  Day& operator=(const Day&) = delete;

  // The open shift and the "shift required" setting into the app state.
  void publish_shift();
  void set_shift_required(const state::AppState& s);
  // Each records under `op_id`, the id the reducer's accepted token carries
  // (fixed when the dialog asked for it): a second command records nothing,
  // and the same id twice is refused by the store.
  void open_shift(const state::SubmitOpenShift& c, const state::AppState& s, const std::string& op_id);
  void cash_movement(const state::SubmitCashMovement& c, const state::AppState& s, const std::string& op_id);
  void close_shift(const state::SubmitCloseShift& c, const state::AppState& s, const std::string& op_id);
  // The X report of the open shift (or the last report's shift).
  void request_report(const state::AppState& s);
  void print_report(const state::AppState& s);
  void load_history(const state::AppState& s, bool more);
  // The CSV of exactly the History's filtered set (GET /api/v1/sales/export).
  void export_sales(const state::AppState& s);
  void load_sale(const std::string& sale_id, bool server, const state::AppState& s);
  void load_attention();

 private:
  std::optional<state::ShiftReportView> local_report(const std::string& shift_id, std::string& error);
  std::optional<ShiftRefund> recorded_refund(const store::LocalOp& op);
  // The store's people and tills for the History's filters (managers).
  void load_history_choices(const std::string& token);
  std::optional<state::SaleDetail> local_detail(const std::string& op_id, std::string& error);

  Context& ctx_;
  OpRecorder& recorder_;
  // The local history's next page starts before this sale.
  std::int64_t history_before_ms_ = 0;
  std::string history_before_op_;
  bool exporting_ = false;  // a sales CSV is on its way
};

}  // namespace salespider::effects
