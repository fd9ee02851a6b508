// Entry point of the till and the C functions www/app.js, www/storage.js and
// www/bridge.js call. Thin on purpose: effects/ holds the App (state and
// UI), TillStorage (the local store) and TillController (sign-in, sync,
// recording sales), platform/ the browser. Exports are listed in -sEXPORTED_FUNCTIONS
// (CMakeLists.txt), so no Emscripten header is needed here.
#include "automation/json_writer.hpp"
#include "effects/app.hpp"
#include "effects/till_controller.hpp"
#include "effects/till_storage.hpp"
#include "platform/camera.hpp"
#include "platform/crypto.hpp"
#include "platform/files.hpp"
#include "platform/net.hpp"
#include "platform/page.hpp"
#include "platform/platform.hpp"
#include "platform/printer.hpp"
#include "receipt/receipt.hpp"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#ifndef SALESPIDER_VERSION
#error "SALESPIDER_VERSION must be defined by the build"
#endif

namespace {

// Lives for the page's lifetime: the browser keeps calling back into it after
// main() returns.
std::unique_ptr<salespider::effects::App> g_app;
std::unique_ptr<salespider::effects::TillStorage> g_storage;
std::unique_ptr<salespider::effects::TillController> g_controller;
// The last answer of a debug export, valid until the next one.
std::string g_debug_json;

const char* debug_answer(const salespider::store::StoreError* error, std::uint32_t request_id,
                         const salespider::store::RecordTicket* ticket) {
  salespider::automation::JsonWriter json;
  json.begin_object();
  json.key("ok").value(error == nullptr);
  json.key("request_id").value(static_cast<std::int64_t>(request_id));
  if (ticket != nullptr) {
    json.key("op_id").value(ticket->op_id);
    json.key("receipt_seq").value(ticket->receipt_seq);
    json.key("local_seq").value(ticket->local_seq);
  }
  json.key("error");
  if (error != nullptr)
    json.value(std::string(salespider::store::to_string(error->code)) + ": " + error->context);
  else
    json.null();
  json.end_object();
  g_debug_json = json.str();
  return g_debug_json.c_str();
}

}  // namespace

int main() {
  // Each step's end is a performance mark: the cold start's breakdown
  // (docs/benchmarks.md "Till cold start").
  namespace platform = salespider::platform;
  platform::mark("salespider-main-started");
  g_app = std::make_unique<salespider::effects::App>(SALESPIDER_VERSION);
  platform::mark("salespider-main-app");
  salespider::effects::App& app = *g_app;
  // Before the first frame, so the till never shows a state the store
  // has not confirmed (www/storage.js read IndexedDB before main ran).
  g_storage = salespider::effects::TillStorage::start(
      [&app](const salespider::state::StorageStatus& s) { app.apply(salespider::state::StorageChanged{s}); });
  app.apply(salespider::state::StorageChanged{g_storage->status()});
  platform::mark("salespider-main-store-opened");
  g_controller = std::make_unique<salespider::effects::TillController>(app, *g_storage, salespider::platform::net::fetch_client(),
                                                               SALESPIDER_VERSION);
  salespider::effects::TillController& controller = *g_controller;
  app.set_effects([&controller](const salespider::state::Command& command, const salespider::state::AppState& state) {
    controller.handle(command, state);
  });
  controller.browser_online(salespider::platform::net::browser_online());
  controller.start();
  platform::mark("salespider-main-controller");
  salespider::platform::Callbacks callbacks;
  callbacks.build_fonts = [&app](ImFontAtlas& atlas, float dpr) { app.build_fonts(atlas, dpr); };
  callbacks.frame = [&app, &controller](bool first_pass) {
    // Network answers and timers once per animation frame, before its input.
    if (first_pass) controller.tick();
    return app.frame();
  };
  callbacks.presented = [&app] { app.presented(); };
  if (auto error = salespider::platform::start("#canvas", std::move(callbacks))) {
    std::fprintf(stderr, "salespider: cannot start: %s\n", error->reason.c_str());
    app.apply(salespider::state::StartupFailed{error->reason});
    // Still 0: a non-zero exit would mark the runtime as exited, and
    // state() must keep answering so the page can show the reason.
    return 0;
  }
  platform::mark("salespider-main-gl");
  return 0;
}

// JSON strings owned by the app, valid until the next call of the same
// function; app.js copies them with UTF8ToString at once.
extern "C" const char* salespider_state_json() {
  return g_app ? g_app->state_json() : "{\"ready\":false,\"screen\":\"loading\"}";
}

extern "C" const char* salespider_widgets_json() {
  return g_app ? g_app->widgets_json() : "[]";
}

// --- www/storage.js -> the store ------------------------------------------------

// An IndexedDB transaction submitted by the store completed (ok=1) or aborted.
// An op's recording (a sale now durable, or refused) is drawn at once: the
// cashier waits for "Sale complete", and the next animation frame may be up
// to a refresh away (docs/benchmarks.md, "Till: a durable sale").
extern "C" void salespider_storage_complete(unsigned request_id, int ok) {
  if (g_storage && g_storage->complete(request_id, ok != 0)) salespider::platform::frame_now();
}

extern "C" void salespider_storage_tick() {
  if (g_storage) g_storage->tick();
}

extern "C" void salespider_storage_page_hidden() {
  if (g_storage) g_storage->page_hidden();
}

// persisted: 1 / 0, or -1 when the browser did not say.
extern "C" void salespider_storage_info(int persisted, double usage, double quota) {
  if (g_storage) g_storage->storage_info(persisted, usage, quota);
}

// www/storage.js: another tab holds the till's lease now (no Web Locks).
extern "C" void salespider_storage_lost_till() {
  if (g_storage) g_storage->lost_till();
}

extern "C" void salespider_export_pending_ops() {
  if (g_storage) g_storage->export_pending_ops();
}

extern "C" void salespider_identity_saved(int ok) {
  if (g_controller) g_controller->identity_saved(ok != 0);
}

extern "C" void salespider_reset_refused() {
  if (g_controller) g_controller->reset_refused();
}

// --- www/bridge.js -> fetch and WebCrypto answers ---------------------------------

extern "C" void salespider_net_complete(unsigned request_id, int /*status*/) {
  salespider::platform::net::complete(request_id);
}

// The file chooser `request_id` answered (platform/files_browser.cpp).
extern "C" void salespider_file_picked(unsigned request_id) {
  salespider::platform::files::complete_pick(request_id);
}

extern "C" void salespider_camera_event(unsigned event_id) {
  salespider::platform::camera::deliver(event_id);
}

extern "C" void salespider_printer_done(unsigned request_id) {
  salespider::platform::printer::complete(request_id);
}

extern "C" void salespider_crypto_complete(unsigned request_id, int ok) {
  salespider::platform::crypto::complete(request_id, ok != 0);
}

// Returns 1 while sync work is waiting: bridge.js calls again at once
// (yielding to input and frames in between), else after a pause.
extern "C" int salespider_background_work(double budget_ms) {
  return g_controller && g_controller->background_work(budget_ms) ? 1 : 0;
}

extern "C" void salespider_browser_online(int online) {
  if (g_controller) g_controller->browser_online(online != 0);
}

// A fixed sample receipt through the real print path (receipt/ -> page.hpp
// -> bridge.js): checks the printer and paper width; the browser test's
// entry too. Changes no data. mm58: 1 for 58 mm paper, 0 for 80 mm.
extern "C" void salespider_print_test_receipt(int mm58) {
  using salespider::receipt::Paper;
  const auto input = salespider::receipt::sample_receipt(mm58 != 0 ? Paper::mm58 : Paper::mm80);
  salespider::platform::page::print_html(salespider::receipt::receipt_html(input));
  salespider::platform::page::announce("Test receipt sent to the printer");
}

// --- test-only hooks (window.salespider.debug; refused without ?automation=1) ---

extern "C" const char* salespider_debug_record_test_op() {
  using salespider::store::StoreErrc;
  if (!g_storage) {
    const salespider::store::StoreError e{StoreErrc::read_only, "the till has not started"};
    return debug_answer(&e, 0, nullptr);
  }
  auto ticket = g_storage->record_test_op();
  if (!ticket) return debug_answer(&ticket.error(), 0, nullptr);
  return debug_answer(nullptr, ticket.value().request_id, &ticket.value());
}

extern "C" const char* salespider_debug_seed_products(int count) {
  using salespider::store::StoreErrc;
  if (!g_storage) {
    const salespider::store::StoreError e{StoreErrc::read_only, "the till has not started"};
    return debug_answer(&e, 0, nullptr);
  }
  auto status = g_storage->seed_test_products(count);
  return debug_answer(status ? nullptr : &status.error(), 0, nullptr);
}

extern "C" const char* salespider_debug_bulk_insert_limit(int count) {
  using salespider::store::StoreErrc;
  if (!g_storage) {
    const salespider::store::StoreError e{StoreErrc::read_only, "the till has not started"};
    return debug_answer(&e, 0, nullptr);
  }
  auto answer = g_storage->bulk_insert_limit(count);
  if (!answer) return debug_answer(&answer.error(), 0, nullptr);
  g_debug_json = answer.value();
  return g_debug_json.c_str();
}

extern "C" const char* salespider_debug_seed_sales(int count) {
  using salespider::store::StoreErrc;
  if (!g_storage) {
    const salespider::store::StoreError e{StoreErrc::read_only, "the till has not started"};
    return debug_answer(&e, 0, nullptr);
  }
  auto status = g_storage->seed_test_sales(count);
  return debug_answer(status ? nullptr : &status.error(), 0, nullptr);
}

extern "C" const char* salespider_debug_flush() {
  using salespider::store::StoreErrc;
  if (!g_storage || !g_storage->automation()) {
    const salespider::store::StoreError e{StoreErrc::read_only, "test hooks need ?automation=1"};
    return debug_answer(&e, 0, nullptr);
  }
  auto id = g_storage->flush_now();
  if (!id) return debug_answer(&id.error(), 0, nullptr);
  return debug_answer(nullptr, id.value(), nullptr);
}
