// This till's receipt printer: how receipts leave the till (the browser's
// print dialog, or ESC/POS bytes without a dialog over Web Serial, WebUSB or
// the store server's relay to a network printer), what goes on the paper
// besides the receipt (code page, QR code, cut, the cash drawer's kick), and
// where the print jobs are. A job never holds up a sale: the sale is durable
// and "Sale complete" shown before anything is printed, and a failed job says
// so with a "Print again".
//
// The setup is per till, kept in the till's local settings (a tablet's USB
// printer is that tablet's); the network printers themselves are the
// store's (docs/printers.md). Deliberately not here: the ESC/POS bytes
// (receipt/escpos.hpp), the transports (platform/printer.hpp, the relay
// route), the queue (effects/receipt_printer.cpp), drawing (ui/printer.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salespider::state {

struct AppState;

enum class PrinterLink { dialog, serial, usb, network };

struct PrinterSetup {
  PrinterLink link = PrinterLink::dialog;
  std::string device;       // serial/usb: what the browser called the chosen device ("" = none chosen)
  int baud = 9600;          // serial only
  std::string network_id;   // network: the store's printer (its id on the server)
  std::string network_name;
  std::string code_page = "cp858";  // cp437 | cp850 | cp858 | cp866 | cp1252
  bool qr = true;           // the receipt number as a QR code under the receipt
  bool cut = true;          // the printer has a cutter
  bool drawer = true;       // kick the cash drawer on cash sales
  bool auto_print = true;   // print each receipt as its sale completes (ESC/POS links only)
  bool operator==(const PrinterSetup&) const = default;
};

// The store's network printers as GET /api/v1/printers lists them.
struct NetworkPrinter {
  std::string id;
  std::string name;
  int paper_mm = 80;
  std::string code_page;
  bool enabled = true;
};

enum class PrintState { sending, printed, failed };

// The newest print job of this page (one line under "Sale complete" and on
// the Device screen).
struct PrintJobView {
  std::uint32_t id = 0;
  std::string what;  // "receipt SP3-000128", "test page", "drawer"
  PrintState state = PrintState::sending;
  std::string error;  // failed: why
  bool receipt = false;  // a receipt: "Print again" reprints the sale just completed
};

struct ReceiptPrinterState {
  PrinterSetup setup;
  // What this browser offers (Web Serial, WebUSB), known from start-up.
  bool has_serial = false;
  bool has_usb = false;
  bool choosing = false;  // the browser's port/device chooser is open
  std::string choose_error;
  std::vector<NetworkPrinter> network;
  bool network_loading = false;
  std::string network_error;
  std::optional<PrintJobView> job;
  int queued = 0;  // jobs waiting behind the one sending
  // The no-sale drawer open on its way to the server (it is audited first).
  bool opening_drawer = false;
};

// Scanning with the device's camera (platform/camera.hpp): offered where the
// browser can; while it is open, each code read is a ScanCode like a
// keyboard-wedge scanner's.
struct CameraState {
  bool supported = false;
  bool open = false;
};

// ESC/POS bytes go out without a dialog: a link other than the dialog with a
// device or printer chosen.
bool prints_escpos(const PrinterSetup& setup);
// The link's name for a person ("Print dialog", "USB or Bluetooth (serial)", ...).
const char* printer_link_label(PrinterLink link);
// "dialog" | "serial" | "usb" | "network" and back (the local setting, the bridge).
const char* printer_link_name(PrinterLink link);
std::optional<PrinterLink> printer_link_from_name(const std::string& name);
// The setup as the local setting keeps it (JSON) and back; a setting that
// does not parse gives the default setup and says why in `error`.
std::string encode_printer_setup(const PrinterSetup& setup);
PrinterSetup decode_printer_setup(const std::string& json, std::string& error);
// The camera scanner may open now: the browser can, and the till is selling.
bool may_scan_with_camera(const AppState& s);
// The signed-in person may open the drawer without a sale.
bool may_open_drawer(const AppState& s);

// --- commands (in the Command variant of app_state.hpp) ---------------------
struct OpenPrinter {};  // the printer screen, from Device
struct SetPrinterSetup {
  PrinterSetup setup;  // the Device screen's choices, all at once
};
struct PrinterSetupLoaded {  // start-up: the local setting, and what the browser offers
  PrinterSetup setup;
  bool has_serial = false;
  bool has_usb = false;
  bool has_camera = false;
};
struct ChoosePrinterDevice {};  // opens the browser's chooser for setup.link
struct PrinterDeviceChosen {
  bool ok = false;
  std::string device;  // ok: the name; else empty when cancelled
  std::string error;
};
struct LoadNetworkPrinters {};
struct NetworkPrintersLoaded {
  bool ok = false;
  std::vector<NetworkPrinter> printers;
  std::string error;
};
struct PrintTestPage {};
struct RetryPrint {};  // "Print again": the failed job, as it was
struct PrintJobChanged {  // the queue's newest job and how many wait behind it
  PrintJobView job;
  int queued = 0;
};
struct OpenCustomerDisplay {};  // a window for the customer (www/customer.html)
struct OpenCamera {};  // the camera scanner over the till
struct CameraEnded {
  std::string problem;  // "" when the person closed it; else why (translated)
};
struct OpenDrawer {};  // "No sale": audited on the server, then the kick
struct DrawerOpened {
  bool ok = false;
  std::string error;
};

}  // namespace salespider::state
