// This till's receipt printer at work: the setup kept in the local settings,
// the browser's chooser, the store's network printers, and one queue of
// print jobs sent one at a time (a receipt, a reprint, the test page, the
// drawer's kick), each answered with PrintJobChanged. Printing never holds
// up a sale: the sale is durable and shown complete first; a failed job is
// reported and "Print again" queues it anew.
//
// ESC/POS bytes are built just before a job is sent, with the store's logo
// decoded once (platform/printer.hpp) and lines the printer's code page
// cannot show drawn by the browser. With the print dialog as the link,
// receipts go to platform/page.hpp as before.
// Deliberately not here: what a receipt says (effects/printing.cpp,
// receipt/), the bytes (receipt/escpos.hpp), the transports themselves.
#pragma once

#include "effects/context.hpp"
#include "receipt/escpos.hpp"
#include "state/app_state.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace salespider::effects {

class ReceiptPrinter {
 public:
  explicit ReceiptPrinter(Context& ctx) : ctx_(ctx) {}
  ReceiptPrinter(const ReceiptPrinter&) = delete;
  ReceiptPrinter& operator=(const ReceiptPrinter&) = delete;

  // Reads the setup from the local settings (start-up).
  void start();
  void handle(const state::Command& command, const state::AppState& s);
  // A receipt, through the dialog or the queue (the sale just completed, a
  // reprint from the history).
  void print(const receipt::ReceiptInput& r, const state::AppState& s);

 private:
  struct Job {
    std::uint32_t id = 0;
    std::string what;
    bool receipt = false;
    std::optional<receipt::ReceiptInput> input;  // a receipt or the test page
    std::vector<std::uint8_t> bytes;            // anything else (the drawer's kick)
    state::PrinterSetup setup;                   // where it goes, as set when it was queued
  };

  void save(const state::PrinterSetup& setup);
  void load_network();
  void open_drawer(const state::AppState& s);
  void enqueue(Job job);
  void send_next();
  void send_bytes(const Job& job, std::vector<std::uint8_t> bytes);
  void finished(bool ok, const std::string& error);
  void report(state::PrintState state, const std::string& error);
  Result<std::vector<std::uint8_t>> build(const Job& job);

  Context& ctx_;
  std::deque<Job> queue_;  // front: the job sending
  bool sending_ = false;
  std::uint32_t next_id_ = 1;
  // The store's logo decoded, for the logo it was decoded from.
  std::string logo_source_;
  std::optional<receipt::Raster> logo_;
  bool decoding_ = false;
  // A receipt that failed, for "Print again".
  std::optional<receipt::ReceiptInput> failed_receipt_;
};

}  // namespace salespider::effects
