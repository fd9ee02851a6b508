// See printer.hpp.
#include "ui/printer.hpp"

#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <salespider/shared/i18n.hpp>

#include <algorithm>
#include <array>
#include <string>

namespace salespider::ui {

using i18n::tr;
using i18n::trf;

namespace {

constexpr std::array<const char*, 5> kCodePages{"cp858", "cp437", "cp850", "cp1252", "cp866"};
constexpr std::array<int, 4> kBauds{9600, 19200, 38400, 115200};

const char* code_page_label(const std::string& cp) {
  if (cp == "cp437") return tr("CP437 (USA)");
  if (cp == "cp850") return tr("CP850 (Western Europe)");
  if (cp == "cp1252") return tr("WPC1252 (Windows Western)");
  if (cp == "cp866") return tr("CP866 (Cyrillic)");
  return tr("CP858 (Western Europe with €)");
}

void link_choice(const state::AppState& s, std::vector<state::Command>& emitted, state::PrinterLink link, bool offered) {
  const state::PrinterSetup& p = s.printer.setup;
  ImGui::BeginDisabled(!offered && p.link != link);
  const std::string id = std::string("##printer-") + state::printer_link_name(link);
  if (wrapped_radio(id.c_str(), state::printer_link_label(link), p.link == link) && p.link != link) {
    state::PrinterSetup next = p;
    next.link = link;
    emitted.emplace_back(state::SetPrinterSetup{next});
  }
  ImGui::EndDisabled();
  if (!offered) {
    ImGui::SameLine();
    ImGui::TextColored(kMuted, "%s", tr("(not in this browser)"));
  }
}

void check(const state::AppState& s, std::vector<state::Command>& emitted, const char* text, const char* id,
           bool state::PrinterSetup::*field) {
  bool value = s.printer.setup.*field;
  if (ImGui::Checkbox(lbl(text, id).c_str(), &value)) {
    state::PrinterSetup next = s.printer.setup;
    next.*field = value;
    emitted.emplace_back(state::SetPrinterSetup{next});
  }
}

}  // namespace

void paper_choice(const state::AppState& s, std::vector<state::Command>& emitted) {
  ImGui::TextUnformatted(tr("Receipt paper:"));
  const std::string mm80 = lbl(tr("80 mm"), "##paper-80");
  const std::string mm58 = lbl(tr("58 mm"), "##paper-58");
  beside_if_fits(radio_width(mm80.c_str()));
  if (ImGui::RadioButton(mm80.c_str(), !s.receipt_58mm)) emitted.emplace_back(state::SetReceiptPaper{false});
  beside_if_fits(radio_width(mm58.c_str()));
  if (ImGui::RadioButton(mm58.c_str(), s.receipt_58mm)) emitted.emplace_back(state::SetReceiptPaper{true});
}

void printer_screen(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (!begin_screen("Printer##screen", true)) {
    ImGui::End();
    return;
  }
  const state::ReceiptPrinterState& pr = s.printer;
  const state::PrinterSetup& p = pr.setup;
  // Back at the top: the setup is taller than a landscape tablet's screen
  // when it is one column.
  title_with_back(tr("Receipt printer"), s, emitted);
  const bool two = ImGui::GetContentRegionAvail().x >= 900.0f;
  if (two) {
    ImGui::BeginTable("##printer-columns", 2, ImGuiTableFlags_SizingStretchSame);
    ImGui::TableNextColumn();
  }
  link_choice(s, emitted, state::PrinterLink::dialog, true);
  link_choice(s, emitted, state::PrinterLink::serial, pr.has_serial);
  link_choice(s, emitted, state::PrinterLink::usb, pr.has_usb);
  link_choice(s, emitted, state::PrinterLink::network, true);
  ImGui::Indent();
  if (p.link == state::PrinterLink::serial || p.link == state::PrinterLink::usb) {
    ImGui::TextUnformatted(p.device.empty() ? tr("No printer chosen yet.")
                                            : trf("Printer: {device}", {{"device", p.device}}).c_str());
    if (button(lbl(tr("Choose printer…"), "###printer-choose").c_str(), 240.0f, !pr.choosing && !s.busy))
      emitted.emplace_back(state::ChoosePrinterDevice{});
    if (!pr.choose_error.empty()) ImGui::TextColored(kError, "%s", pr.choose_error.c_str());
    if (p.link == state::PrinterLink::serial) {
      ImGui::SetNextItemWidth(200.0f);
      const std::string current = trf("{n} baud", {{"n", std::to_string(p.baud)}});
      if (ImGui::BeginCombo(lbl(tr("Speed"), "##printer-baud").c_str(), current.c_str())) {
        for (int b : kBauds) {
          const std::string item = trf("{n} baud", {{"n", std::to_string(b)}}) + "##baud-" + std::to_string(b);
          if (ImGui::Selectable(item.c_str(), b == p.baud) && b != p.baud) {
            state::PrinterSetup next = p;
            next.baud = b;
            emitted.emplace_back(state::SetPrinterSetup{next});
          }
        }
        ImGui::EndCombo();
      }
    }
  } else if (p.link == state::PrinterLink::network) {
    if (pr.network_loading) ImGui::TextColored(kMuted, "%s", tr("Asking the store server for its printers…"));
    if (!pr.network_error.empty()) ImGui::TextColored(kError, "%s", pr.network_error.c_str());
    if (!pr.network_loading && pr.network.empty() && pr.network_error.empty())
      ImGui::TextUnformatted(tr("The store has no network printer yet (docs/printers.md: salespider printer add)."));
    for (const state::NetworkPrinter& n : pr.network) {
      const std::string text =
          n.enabled ? trf("{name} · {paper} mm", {{"name", n.name}, {"paper", std::to_string(n.paper_mm)}})
                    : trf("{name} · switched off on the server", {{"name", n.name}});
      const std::string id = "##printer-net-" + n.id;
      ImGui::BeginDisabled(!n.enabled);
      if (wrapped_radio(id.c_str(), text.c_str(), p.network_id == n.id) && p.network_id != n.id) {
        state::PrinterSetup next = p;
        next.network_id = n.id;
        next.network_name = n.name;
        emitted.emplace_back(state::SetPrinterSetup{next});
      }
      ImGui::EndDisabled();
    }
    if (!p.network_id.empty() && pr.network.empty())
      ImGui::TextUnformatted(trf("Printer: {device}", {{"device", p.network_name}}).c_str());
    if (button(lbl(tr("Ask the server again"), "###printer-refresh").c_str(), 240.0f, !pr.network_loading))
      emitted.emplace_back(state::LoadNetworkPrinters{});
  }
  ImGui::Unindent();
  if (two) ImGui::TableNextColumn();
  paper_choice(s, emitted);
  if (p.link != state::PrinterLink::dialog) {
    ImGui::SetNextItemWidth(360.0f);
    if (ImGui::BeginCombo(lbl(tr("Code page"), "##printer-code-page").c_str(), code_page_label(p.code_page))) {
      for (const char* cp : kCodePages) {
        const std::string item = std::string(code_page_label(cp)) + "##cp-" + cp;
        if (ImGui::Selectable(item.c_str(), p.code_page == cp) && p.code_page != cp) {
          state::PrinterSetup next = p;
          next.code_page = cp;
          emitted.emplace_back(state::SetPrinterSetup{next});
        }
      }
      ImGui::EndCombo();
    }
    check(s, emitted, tr("Print the receipt number as a QR code"), "##printer-qr", &state::PrinterSetup::qr);
    check(s, emitted, tr("The printer cuts the paper"), "##printer-cut", &state::PrinterSetup::cut);
    check(s, emitted, tr("Open the cash drawer on cash sales"), "##printer-drawer", &state::PrinterSetup::drawer);
    check(s, emitted, tr("Print each receipt as the sale completes"), "##printer-auto", &state::PrinterSetup::auto_print);
  }
  if (button(lbl(tr("Print test page"), "###printer-test").c_str(), 240.0f, state::prints_escpos(p)))
    emitted.emplace_back(state::PrintTestPage{});
  print_job_line(s, emitted);
  message_line(s, emitted);
  if (two) ImGui::EndTable();
  ImGui::End();
}

void print_job_line(const state::AppState& s, std::vector<state::Command>& emitted) {
  const std::optional<state::PrintJobView>& job = s.printer.job;
  if (!job) return;
  switch (job->state) {
    case state::PrintState::sending:
      ImGui::TextColored(kMuted, "%s",
                         (s.printer.queued > 0 ? trf("Printing {what}… ({n} waiting)", {{"what", job->what}, {"n", std::to_string(s.printer.queued)}})
                                               : trf("Printing {what}…", {{"what", job->what}}))
                             .c_str());
      break;
    case state::PrintState::printed:
      ImGui::TextColored(kOnline, "%s", trf("Printed {what}.", {{"what", job->what}}).c_str());
      break;
    case state::PrintState::failed:
      ImGui::PushStyleColor(ImGuiCol_Text, kError);
      ImGui::TextWrapped("%s", trf("{what} did not print: {problem}", {{"what", job->what}, {"problem", job->error}}).c_str());
      ImGui::PopStyleColor();
      if (job->receipt) {
        if (button(lbl(tr("Print again"), "###print-again").c_str(), 200.0f)) emitted.emplace_back(state::RetryPrint{});
      }
      break;
  }
}

}  // namespace salespider::ui
