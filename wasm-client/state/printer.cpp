// The receipt printer in the reducer: the Device screen's choices, the
// chooser, the store's network printers, the newest job, the no-sale drawer.
// See printer.hpp.
#include "state/printer.hpp"

#include "json/fields.hpp"
#include "state/app_state.hpp"
#include "state/reducers.hpp"

#include <salespider/shared/i18n.hpp>

#include <array>
#include <type_traits>
#include <utility>

namespace salespider::state {

namespace {

constexpr std::array<const char*, 5> kCodePages{"cp437", "cp850", "cp858", "cp866", "cp1252"};

bool known_code_page(const std::string& name) {
  for (const char* p : kCodePages)
    if (name == p) return true;
  return false;
}

template <class C>
void apply(AppState& s, const C& c) {
  ReceiptPrinterState& p = s.printer;
  if constexpr (std::is_same_v<C, OpenPrinter>) {
    if (s.screen == Screen::Device && !s.busy) s.screen = Screen::Printer;
  } else if constexpr (std::is_same_v<C, SetPrinterSetup>) {
    PrinterSetup next = c.setup;
    // Another kind of link: what was chosen for the old one does not carry over.
    if (next.link != p.setup.link) {
      if (next.device == p.setup.device) next.device.clear();
      p.choose_error.clear();
    }
    if (!known_code_page(next.code_page)) next.code_page = p.setup.code_page;
    if (next.baud <= 0) next.baud = p.setup.baud;
    p.setup = std::move(next);
  } else if constexpr (std::is_same_v<C, PrinterSetupLoaded>) {
    p.setup = c.setup;
    p.has_serial = c.has_serial;
    p.has_usb = c.has_usb;
    s.camera.supported = c.has_camera;
  } else if constexpr (std::is_same_v<C, ChoosePrinterDevice>) {
    if (p.setup.link == PrinterLink::serial || p.setup.link == PrinterLink::usb) {
      p.choosing = true;
      p.choose_error.clear();
    }
  } else if constexpr (std::is_same_v<C, PrinterDeviceChosen>) {
    p.choosing = false;
    if (c.ok)
      p.setup.device = c.device;
    else
      p.choose_error = c.error;  // empty: the person cancelled
  } else if constexpr (std::is_same_v<C, LoadNetworkPrinters>) {
    p.network_loading = true;
  } else if constexpr (std::is_same_v<C, NetworkPrintersLoaded>) {
    p.network_loading = false;
    if (!c.ok) {
      p.network_error = c.error;
      return;
    }
    p.network_error.clear();
    p.network = c.printers;
    // The chosen printer was renamed on the server: show its new name.
    for (const NetworkPrinter& n : p.network)
      if (n.id == p.setup.network_id) p.setup.network_name = n.name;
  } else if constexpr (std::is_same_v<C, PrintTestPage> || std::is_same_v<C, RetryPrint> ||
                       std::is_same_v<C, OpenCustomerDisplay>) {
    // The effect queues it; PrintJobChanged reports it.
  } else if constexpr (std::is_same_v<C, PrintJobChanged>) {
    p.job = c.job;
    p.queued = c.queued;
  } else if constexpr (std::is_same_v<C, OpenCamera>) {
    if (may_scan_with_camera(s)) s.camera.open = true;
  } else if constexpr (std::is_same_v<C, CameraEnded>) {
    s.camera.open = false;
    if (!c.problem.empty()) s.message = Message{MessageKind::error, c.problem};
  } else if constexpr (std::is_same_v<C, OpenDrawer>) {
    if (may_open_drawer(s) && !p.opening_drawer) p.opening_drawer = true;
  } else if constexpr (std::is_same_v<C, DrawerOpened>) {
    p.opening_drawer = false;
    s.message = c.ok ? Message{MessageKind::info, tr("Drawer opened (no sale, recorded).")}
                     : Message{MessageKind::error, trf("The drawer was not opened: {problem}", {{"problem", c.error}})};
  }
}

}  // namespace

bool prints_escpos(const PrinterSetup& setup) {
  switch (setup.link) {
    case PrinterLink::dialog:
      return false;
    case PrinterLink::serial:
    case PrinterLink::usb:
      return !setup.device.empty();
    case PrinterLink::network:
      return !setup.network_id.empty();
  }
  return false;
}

const char* printer_link_label(PrinterLink link) {
  switch (link) {
    case PrinterLink::dialog:
      return tr("Browser print dialog");
    case PrinterLink::serial:
      return tr("USB or Bluetooth printer (serial port)");
    case PrinterLink::usb:
      return tr("USB printer (WebUSB)");
    case PrinterLink::network:
      return tr("Network printer (through the store server)");
  }
  return "";
}

const char* printer_link_name(PrinterLink link) {
  switch (link) {
    case PrinterLink::dialog:
      return "dialog";
    case PrinterLink::serial:
      return "serial";
    case PrinterLink::usb:
      return "usb";
    case PrinterLink::network:
      return "network";
  }
  return "dialog";
}

std::optional<PrinterLink> printer_link_from_name(const std::string& name) {
  for (PrinterLink l : {PrinterLink::dialog, PrinterLink::serial, PrinterLink::usb, PrinterLink::network})
    if (name == printer_link_name(l)) return l;
  return std::nullopt;
}

std::string encode_printer_setup(const PrinterSetup& p) {
  jsonio::Json j = {{"link", printer_link_name(p.link)}, {"device", p.device},         {"baud", p.baud},
                    {"network_id", p.network_id},        {"network_name", p.network_name},
                    {"code_page", p.code_page},          {"qr", p.qr},                 {"cut", p.cut},
                    {"drawer", p.drawer},                {"auto_print", p.auto_print}};
  return j.dump(-1, ' ', false, jsonio::Json::error_handler_t::replace);
}

PrinterSetup decode_printer_setup(const std::string& json, std::string& error) {
  PrinterSetup out;
  if (json.empty()) return out;
  std::optional<jsonio::Json> j = jsonio::parse_object(json, 64 * 1024);
  if (!j) {
    error = "the printer setting is not a JSON object";
    return out;
  }
  std::optional<PrinterLink> link = printer_link_from_name(jsonio::text(*j, "link"));
  if (!link) {
    error = "the printer setting has no known link";
    return out;
  }
  out.link = *link;
  out.device = jsonio::text(*j, "device");
  if (const std::int64_t b = jsonio::integer(*j, "baud"); b > 0 && b <= 4000000) out.baud = static_cast<int>(b);
  out.network_id = jsonio::text(*j, "network_id");
  out.network_name = jsonio::text(*j, "network_name");
  if (const std::string cp = jsonio::text(*j, "code_page"); known_code_page(cp)) out.code_page = cp;
  out.qr = jsonio::flag(*j, "qr", out.qr);
  out.cut = jsonio::flag(*j, "cut", out.cut);
  out.drawer = jsonio::flag(*j, "drawer", out.drawer);
  out.auto_print = jsonio::flag(*j, "auto_print", out.auto_print);
  return out;
}

bool may_open_drawer(const AppState& s) { return may(s, "open_drawer"); }

bool may_scan_with_camera(const AppState& s) {
  return s.camera.supported && !s.camera.open && s.screen == Screen::Till && s.user.has_value() && !s.busy;
}

bool reduce_printer(AppState& state, const Command& command) {
  return reduce_listed<PrinterCommands>(state, command, [](AppState& s, const auto& c) { apply(s, c); });
}

}  // namespace salespider::state
