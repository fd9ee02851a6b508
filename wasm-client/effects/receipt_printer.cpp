// See receipt_printer.hpp.
#include "effects/receipt_printer.hpp"

#include "answers/printer_answers.hpp"
#include "effects/printing.hpp"
#include "platform/camera.hpp"
#include "platform/page.hpp"
#include "platform/printer.hpp"

#include <salespider/shared/i18n.hpp>

#include <cstdio>
#include <type_traits>
#include <utility>

namespace salespider::effects {

namespace {

constexpr const char* kPrinterSetting = "receipt_printer";

receipt::CodePage code_page_of(const std::string& name) {
  if (name == "cp437") return receipt::CodePage::cp437;
  if (name == "cp850") return receipt::CodePage::cp850;
  if (name == "cp866") return receipt::CodePage::cp866;
  if (name == "cp1252") return receipt::CodePage::wpc1252;
  return receipt::CodePage::cp858;
}

// The store's network printer the setup names, when the list knows it.
const state::NetworkPrinter* network_printer(const state::AppState& s) {
  for (const state::NetworkPrinter& n : s.printer.network)
    if (n.id == s.printer.setup.network_id) return &n;
  return nullptr;
}

// Where a job goes and how, as set now: a network printer's paper and code
// page are the store's (set on the server), the rest this till's.
state::PrinterSetup job_setup(const state::AppState& s, receipt::ReceiptInput* input) {
  state::PrinterSetup setup = s.printer.setup;
  if (setup.link != state::PrinterLink::network) return setup;
  if (const state::NetworkPrinter* n = network_printer(s)) {
    if (!n->code_page.empty()) setup.code_page = n->code_page;
    if (input) input->paper = n->paper_mm == 58 ? receipt::Paper::mm58 : receipt::Paper::mm80;
  }
  return setup;
}

// A line the code page cannot show, drawn by the browser into a raster.
receipt::Raster draw_line(std::string_view line, int width_dots) {
  int height = 0;
  std::vector<std::uint8_t> dots = platform::printer::draw_line(line, width_dots, height);
  return receipt::pack_raster(dots.data(), width_dots, height);
}

}  // namespace

void ReceiptPrinter::start() {
  state::PrinterSetupLoaded loaded;
  loaded.has_serial = platform::printer::available(platform::printer::Link::serial);
  loaded.has_usb = platform::printer::available(platform::printer::Link::usb);
  loaded.has_camera = platform::camera::supported();
  if (store::Store* st = ctx_.store()) {
    if (auto kept = st->setting(kPrinterSetting); kept && kept.value()) {
      std::string error;
      loaded.setup = state::decode_printer_setup(*kept.value(), error);
      if (!error.empty()) std::fprintf(stderr, "salespider: the printer setting was not read: %s\n", error.c_str());
    }
  }
  ctx_.app.apply(std::move(loaded));
}

void ReceiptPrinter::handle(const state::Command& command, const state::AppState& s) {
  std::visit(
      [this, &s](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::SetPrinterSetup>) {
          save(s.printer.setup);
          if (s.printer.setup.link == state::PrinterLink::network && s.printer.network.empty() &&
              !s.printer.network_loading)
            ctx_.app.apply(state::LoadNetworkPrinters{});
        } else if constexpr (std::is_same_v<C, state::PrinterDeviceChosen>) {
          if (c.ok) save(s.printer.setup);
        } else if constexpr (std::is_same_v<C, state::ChoosePrinterDevice>) {
          if (!s.printer.choosing) return;
          const platform::printer::Link link =
              s.printer.setup.link == state::PrinterLink::usb ? platform::printer::Link::usb : platform::printer::Link::serial;
          platform::printer::choose(link, [this](platform::printer::Outcome o) {
            ctx_.app.apply(state::PrinterDeviceChosen{o.ok, o.ok ? o.text : std::string(), o.ok ? std::string() : o.text});
          });
        } else if constexpr (std::is_same_v<C, state::LoadNetworkPrinters>) {
          if (s.printer.network_loading) load_network();
        } else if constexpr (std::is_same_v<C, state::OpenPrinter>) {
          if (s.printer.setup.link == state::PrinterLink::network && !s.printer.network_loading)
            ctx_.app.apply(state::LoadNetworkPrinters{});
        } else if constexpr (std::is_same_v<C, state::PrintTestPage>) {
          receipt::ReceiptInput r = receipt::sample_receipt(s.receipt_58mm ? receipt::Paper::mm58 : receipt::Paper::mm80);
          const receipt::ReceiptInput store = store_receipt(s);
          r.store_name = store.store_name.empty() ? r.store_name : store.store_name;
          r.logo = store.logo;
          r.money_format = store.money_format;
          r.header = i18n::trf("Printer test ({link}): every line must fit the paper",
                               {{"link", state::printer_link_label(s.printer.setup.link)}});
          r.footer = s.printer.setup.drawer ? i18n::tr("If the drawer is plugged into the printer, it opened.") : store.footer;
          Job job;
          job.what = i18n::tr("test page");
          job.setup = job_setup(s, &r);
          job.input = std::move(r);
          enqueue(std::move(job));
        } else if constexpr (std::is_same_v<C, state::RetryPrint>) {
          if (!failed_receipt_ || !s.printer.job || s.printer.job->state != state::PrintState::failed) return;
          Job job;
          job.what = s.printer.job->what;
          job.receipt = true;
          job.input = std::move(failed_receipt_);
          failed_receipt_.reset();
          job.setup = job_setup(s, &*job.input);
          enqueue(std::move(job));
        } else if constexpr (std::is_same_v<C, state::OpenDrawer>) {
          if (s.printer.opening_drawer) open_drawer(s);
        }
      },
      command);
}

void ReceiptPrinter::print(const receipt::ReceiptInput& r, const state::AppState& s) {
  if (!state::prints_escpos(s.printer.setup)) {
    platform::page::print_html(receipt::receipt_html(r));
    return;
  }
  Job job;
  job.what = i18n::trf("receipt {number}", {{"number", r.receipt_number}});
  job.receipt = true;
  job.input = r;
  job.setup = job_setup(s, &*job.input);
  enqueue(std::move(job));
}

void ReceiptPrinter::save(const state::PrinterSetup& setup) {
  if (ctx_.writable()) (void)ctx_.store()->set_setting(kPrinterSetting, state::encode_printer_setup(setup));
}

void ReceiptPrinter::load_network() {
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::NetworkPrintersLoaded{false, {}, offline_text()});
    return;
  }
  ctx_.http.send(bearer_get("/api/v1/printers", token), [this](sync::HttpResponse r) {
    if (r.status != 200) {
      ctx_.app.apply(state::NetworkPrintersLoaded{false, {}, refusal_text(r)});
      return;
    }
    std::optional<std::vector<state::NetworkPrinter>> list = answers::parse_printers(r.body);
    if (!list) {
      ctx_.app.apply(state::NetworkPrintersLoaded{false, {}, i18n::tr("The store server's answer was not understood.")});
      return;
    }
    ctx_.app.apply(state::NetworkPrintersLoaded{true, std::move(*list), ""});
  });
}

// "No sale": the server records who opened the drawer and why before the
// kick is sent, so an open the server never heard of cannot happen through
// the till. Offline there is no record, so no open.
void ReceiptPrinter::open_drawer(const state::AppState& s) {
  if (!state::prints_escpos(s.printer.setup)) {
    ctx_.app.apply(state::DrawerOpened{false, i18n::tr("no receipt printer is set up on this till (Device screen)")});
    return;
  }
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::DrawerOpened{false, offline_text()});
    return;
  }
  const std::string id = ctx_.ids.next().to_string();
  sync::HttpRequest request = json_post("/api/v1/drawer/no-sale", "{\"id\":\"" + id + "\",\"reason\":\"no sale\"}");
  request.headers.emplace_back("Authorization", "Bearer " + token);
  const state::PrinterSetup setup = s.printer.setup;
  ctx_.http.send(request, [this, setup](sync::HttpResponse r) {
    if (r.status != 200 && r.status != 201) {
      ctx_.app.apply(state::DrawerOpened{false, refusal_text(r)});
      return;
    }
    Job job;
    job.what = i18n::tr("drawer");
    job.bytes = receipt::drawer_kick_escpos();
    job.setup = setup;
    enqueue(std::move(job));
    ctx_.app.apply(state::DrawerOpened{true, ""});
  });
}

void ReceiptPrinter::enqueue(Job job) {
  job.id = next_id_++;
  queue_.push_back(std::move(job));
  if (!sending_) send_next();
  else report(state::PrintState::sending, "");
}

Result<std::vector<std::uint8_t>> ReceiptPrinter::build(const Job& job) {
  if (!job.input) return job.bytes;
  receipt::EscPosOptions o;
  o.code_page = code_page_of(job.setup.code_page);
  o.code = job.setup.qr ? receipt::ReceiptCode::qr : receipt::ReceiptCode::none;
  o.cut = job.setup.cut ? receipt::Cut::partial : receipt::Cut::none;
  o.drawer_kick = job.setup.drawer && receipt::kicks_drawer(*job.input);
  o.rasterize = draw_line;
  if (logo_ && logo_source_ == job.input->logo) o.logo = *logo_;
  // A logo wider than this paper (decoded for 80 mm, printed on 58 mm) is
  // left out rather than failing the receipt.
  if (o.logo.width > receipt::paper_dots(job.input->paper)) o.logo = receipt::Raster{};
  return receipt::receipt_escpos(*job.input, o);
}

void ReceiptPrinter::send_next() {
  if (queue_.empty()) {
    sending_ = false;
    return;
  }
  sending_ = true;
  const Job& job = queue_.front();
  report(state::PrintState::sending, "");
  // The logo first, once per logo: the browser decodes it asynchronously.
  if (job.input && !job.input->logo.empty() && logo_source_ != job.input->logo) {
    if (decoding_) return;
    decoding_ = true;
    const std::string source = job.input->logo;
    platform::printer::decode_image(source, [this, source](platform::printer::Image image) {
      decoding_ = false;
      logo_source_ = source;
      logo_.reset();
      if (!image.rgba.empty())
        logo_ = receipt::threshold_rgba(image.rgba.data(), image.width, image.height,
                                        receipt::paper_dots(receipt::Paper::mm58));
      else
        std::fprintf(stderr, "salespider: the logo is not printed: %s\n", image.error.c_str());
      send_next();
    });
    return;
  }
  Result<std::vector<std::uint8_t>> bytes = build(job);
  if (!bytes) {
    finished(false, bytes.error().context);
    return;
  }
  send_bytes(job, std::move(bytes).value());
}

void ReceiptPrinter::send_bytes(const Job& job, std::vector<std::uint8_t> bytes) {
  const state::PrinterSetup& setup = job.setup;
  auto done = [this](platform::printer::Outcome o) { finished(o.ok, o.text); };
  switch (setup.link) {
    case state::PrinterLink::serial:
      platform::printer::send(platform::printer::Link::serial, std::move(bytes), setup.baud, done);
      return;
    case state::PrinterLink::usb:
      platform::printer::send(platform::printer::Link::usb, std::move(bytes), setup.baud, done);
      return;
    case state::PrinterLink::network: {
      const std::string token = ctx_.session_token();
      if (token.empty()) {
        finished(false, offline_text());
        return;
      }
      sync::HttpRequest r;
      r.method = "POST";
      r.url = "/api/v1/printers/" + sync::url_encode(setup.network_id) + "/print";
      r.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/octet-stream"}};
      r.body.assign(bytes.begin(), bytes.end());
      ctx_.http.send(r, [this](sync::HttpResponse answer) {
        finished(answer.status == 200, answer.status == 200 ? std::string() : refusal_text(answer));
      });
      return;
    }
    case state::PrinterLink::dialog:
      break;
  }
  finished(false, i18n::tr("no receipt printer is set up on this till (Device screen)"));
}

void ReceiptPrinter::finished(bool ok, const std::string& error) {
  if (queue_.empty()) return;
  if (!ok && queue_.front().receipt) failed_receipt_ = queue_.front().input;
  report(ok ? state::PrintState::printed : state::PrintState::failed, error);
  queue_.pop_front();
  send_next();
}

void ReceiptPrinter::report(state::PrintState st, const std::string& error) {
  if (queue_.empty()) return;
  // The job at the front is the one on its way; a finished one is reported
  // before it leaves the queue.
  const Job& job = queue_.front();
  state::PrintJobView view;
  view.id = job.id;
  view.what = job.what;
  view.state = st;
  view.error = error;
  view.receipt = job.receipt;
  ctx_.app.apply(state::PrintJobChanged{std::move(view), static_cast<int>(queue_.size()) - 1});
}

}  // namespace salespider::effects
