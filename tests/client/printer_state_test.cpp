// The receipt printer in the reducer (state/printer.hpp): the setup kept as
// a local setting round-trips and a bad one falls back to the dialog; a new
// link forgets the old device; the chooser's answers; who may open the
// drawer; the printer screen's way in and out; when bytes go out without a
// dialog.
#include "state/printer.hpp"

#include "state/app_state.hpp"

#include <gtest/gtest.h>

namespace salespider::state {
namespace {

AppState signed_in(std::vector<std::string> permissions) {
  AppState s;
  s.user = User{};
  s.user->id = "u1";
  s.user->permissions = std::move(permissions);
  return s;
}

TEST(PrinterSetup, TheLocalSettingRoundTrips) {
  PrinterSetup p;
  p.link = PrinterLink::network;
  p.network_id = "0190c2a4-0000-7000-8000-000000000001";
  p.network_name = "Front counter";
  p.code_page = "cp866";
  p.baud = 115200;
  p.qr = false;
  p.cut = false;
  p.drawer = false;
  p.auto_print = false;
  std::string error;
  EXPECT_EQ(decode_printer_setup(encode_printer_setup(p), error), p);
  EXPECT_EQ(error, "");
}

TEST(PrinterSetup, ABadSettingFallsBackToTheDialogAndSaysWhy) {
  std::string error;
  EXPECT_EQ(decode_printer_setup("{not json", error), PrinterSetup{});
  EXPECT_NE(error, "");
  error.clear();
  EXPECT_EQ(decode_printer_setup(R"({"link":"carrier pigeon"})", error), PrinterSetup{});
  EXPECT_NE(error, "");
  error.clear();
  // Known link, unknown code page and a silly speed: those keep their defaults.
  const PrinterSetup p = decode_printer_setup(R"({"link":"serial","device":"x","code_page":"cp999","baud":-5})", error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(p.link, PrinterLink::serial);
  EXPECT_EQ(p.code_page, "cp858");
  EXPECT_EQ(p.baud, 9600);
  error.clear();
  EXPECT_EQ(decode_printer_setup("", error), PrinterSetup{});
  EXPECT_EQ(error, "");
}

TEST(PrinterSetup, BytesGoOutWithoutADialogOnlyToAChosenPrinter) {
  PrinterSetup p;
  EXPECT_FALSE(prints_escpos(p));
  p.link = PrinterLink::serial;
  EXPECT_FALSE(prints_escpos(p));
  p.device = "USB serial port 0416:5011";
  EXPECT_TRUE(prints_escpos(p));
  p.link = PrinterLink::network;
  EXPECT_FALSE(prints_escpos(p));
  p.network_id = "id";
  EXPECT_TRUE(prints_escpos(p));
}

TEST(PrinterSetup, AnotherLinkForgetsTheDeviceChosenForTheOld) {
  AppState s;
  PrinterSetup p;
  p.link = PrinterLink::serial;
  s = reduce(s, SetPrinterSetup{p});
  s = reduce(s, ChoosePrinterDevice{});
  EXPECT_TRUE(s.printer.choosing);
  s = reduce(s, PrinterDeviceChosen{true, "USB serial port 0416:5011", ""});
  EXPECT_FALSE(s.printer.choosing);
  EXPECT_EQ(s.printer.setup.device, "USB serial port 0416:5011");
  // Same link, another option: the device stays.
  PrinterSetup q = s.printer.setup;
  q.cut = false;
  s = reduce(s, SetPrinterSetup{q});
  EXPECT_EQ(s.printer.setup.device, "USB serial port 0416:5011");
  // WebUSB now: that port is not a WebUSB device.
  q.link = PrinterLink::usb;
  s = reduce(s, SetPrinterSetup{q});
  EXPECT_EQ(s.printer.setup.device, "");
  EXPECT_FALSE(prints_escpos(s.printer.setup));
}

TEST(PrinterSetup, ACancelledChooserIsNoError) {
  AppState s;
  PrinterSetup p;
  p.link = PrinterLink::usb;
  s = reduce(s, SetPrinterSetup{p});
  s = reduce(s, ChoosePrinterDevice{});
  s = reduce(s, PrinterDeviceChosen{false, "", ""});
  EXPECT_FALSE(s.printer.choosing);
  EXPECT_EQ(s.printer.choose_error, "");
  s = reduce(s, ChoosePrinterDevice{});
  s = reduce(s, PrinterDeviceChosen{false, "", "this USB device is not a printer"});
  EXPECT_EQ(s.printer.choose_error, "this USB device is not a printer");
  // The dialog has nothing to choose.
  p.link = PrinterLink::dialog;
  s = reduce(s, SetPrinterSetup{p});
  s = reduce(s, ChoosePrinterDevice{});
  EXPECT_FALSE(s.printer.choosing);
}

TEST(PrinterSetup, OnlyPeopleWithOpenDrawerOpenItWithoutASale) {
  AppState cashier = reduce(signed_in({"sell"}), OpenDrawer{});
  EXPECT_FALSE(cashier.printer.opening_drawer);
  AppState manager = reduce(signed_in({"sell", "open_drawer"}), OpenDrawer{});
  EXPECT_TRUE(manager.printer.opening_drawer);
  // One at a time; the answer ends it and says what happened.
  manager = reduce(manager, DrawerOpened{false, "Needs the store server — you are offline."});
  EXPECT_FALSE(manager.printer.opening_drawer);
  ASSERT_TRUE(manager.message.has_value());
  EXPECT_EQ(manager.message->kind, MessageKind::error);
  EXPECT_NE(manager.message->text.find("offline"), std::string::npos);
}

TEST(PrinterSetup, ThePrinterScreenOpensFromDeviceAndGoesBackThere) {
  AppState s;
  s.screen = Screen::Till;
  s = reduce(s, OpenPrinter{});
  EXPECT_EQ(s.screen, Screen::Till) << "only from the Device screen";
  s.screen = Screen::Device;
  s = reduce(s, OpenPrinter{});
  EXPECT_EQ(s.screen, Screen::Printer);
  EXPECT_EQ(screen_name(s.screen), "printer");
  s = reduce(s, Back{});
  EXPECT_EQ(s.screen, Screen::Device);
}

TEST(PrinterSetup, ARenamedNetworkPrinterShowsItsNewName) {
  AppState s;
  PrinterSetup p;
  p.link = PrinterLink::network;
  p.network_id = "a";
  p.network_name = "Old name";
  s = reduce(s, SetPrinterSetup{p});
  s = reduce(s, LoadNetworkPrinters{});
  EXPECT_TRUE(s.printer.network_loading);
  s = reduce(s, NetworkPrintersLoaded{true, {NetworkPrinter{"a", "Bar", 58, "cp850", true}}, ""});
  EXPECT_FALSE(s.printer.network_loading);
  EXPECT_EQ(s.printer.setup.network_name, "Bar");
  // A failed fetch keeps the list and says why.
  s = reduce(s, NetworkPrintersLoaded{false, {}, "offline"});
  EXPECT_EQ(s.printer.network.size(), 1u);
  EXPECT_EQ(s.printer.network_error, "offline");
}

}  // namespace
}  // namespace salespider::state
