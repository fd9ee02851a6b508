// See printers.hpp.
#include "service/printers.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "log/log.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/text.hpp"
#include "service/audit_entry.hpp"

namespace salespider::service {
namespace {

namespace pr = db::printers;

bool is_ipv4(const std::string& s) {
  in_addr a{};
  return ::inet_pton(AF_INET, s.c_str(), &a) == 1;
}
bool is_ipv6(const std::string& s) {
  in6_addr a{};
  return ::inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

// RFC 1123 host name: labels of letters, digits and hyphens, 1 to 63
// characters, no hyphen at either end; a last label of digits only is an
// IPv4 address gone wrong ("192.168.1.300"), not a name.
bool is_host_name(const std::string& s) {
  std::string name = s;
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (name.empty() || name.size() > 253) return false;
  std::size_t start = 0;
  bool last_all_digits = false;
  while (start <= name.size()) {
    const auto dot = name.find('.', start);
    const auto label = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    last_all_digits = true;
    for (const char c : label) {
      const auto u = static_cast<unsigned char>(c);
      if (!std::isalnum(u) && c != '-') return false;
      if (!std::isdigit(u)) last_all_digits = false;
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return !last_all_digits;
}

std::optional<Failure> check_input(PrinterInput& in) {
  if (!is_valid_utf8(in.name)) return fail(Problem::invalid, "name: not valid UTF-8 text", "name");
  // Trimmed: "Kitchen " and "Kitchen" are one printer to a cashier.
  while (!in.name.empty() && in.name.back() == ' ') in.name.pop_back();
  while (!in.name.empty() && in.name.front() == ' ') in.name.erase(in.name.begin());
  if (in.name.empty()) return fail(Problem::invalid, "name: required", "name");
  std::size_t chars = 0;
  for (const char c : in.name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return fail(Problem::invalid, "name: no control characters", "name");
    if ((u & 0xC0) != 0x80) ++chars;
  }
  if (chars > 60) return fail(Problem::invalid, "name: at most {max} characters", "name", {{"max", "60"}});
  auto host = normalise_printer_host(in.host);
  if (!host) return host.error();
  in.host = *host;
  if (in.port < 1 || in.port > 65535) return fail(Problem::invalid, "port: 1 to 65535", "port");
  if (in.paper_mm != 58 && in.paper_mm != 80) return fail(Problem::invalid, "paper_mm: 58 or 80", "paper_mm");
  const auto& pages = printer_code_pages();
  if (std::find(pages.begin(), pages.end(), in.code_page) == pages.end())
    return fail(Problem::invalid, "code_page: one of cp437, cp850, cp858, cp866, cp1252", "code_page");
  return std::nullopt;
}

Failure write_failure(const pr::PrinterWrite& w) {
  switch (w.status) {
    case pr::WriteStatus::not_found:
      return fail(Problem::not_found, "no such printer");
    case pr::WriteStatus::stale:
      return stale(printer_json(*w.row));
    case pr::WriteStatus::name_taken:
      return fail(Problem::conflict, "another printer has that name", "name");
    case pr::WriteStatus::ok:
      break;
  }
  return fail(Problem::invalid, "the printer could not be saved");
}

std::int64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

const std::vector<std::string>& printer_code_pages() {
  static const std::vector<std::string> pages{"cp437", "cp850", "cp858", "cp866", "cp1252"};
  return pages;
}

Outcome<std::string> normalise_printer_host(std::string_view text) {
  std::string host(text);
  if (host.empty()) return fail(Problem::invalid, "host: required", "host");
  if (host.size() > 253) return fail(Problem::invalid, "host: at most {max} characters", "host", {{"max", "253"}});
  if (host.find("://") != std::string::npos || host.find('/') != std::string::npos)
    return fail(Problem::invalid, "host: a host name or IP address only, without a scheme or path", "host");
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (is_ipv6(host)) return host;
    return fail(Problem::invalid, "host: not a valid IPv6 address", "host");
  }
  if (is_ipv4(host) || is_ipv6(host)) return host;
  if (host.find(':') != std::string::npos)
    return fail(Problem::invalid, "host: give the port in its own field, not after the host", "host");
  if (!is_host_name(host))
    return fail(Problem::invalid, "host: not a valid host name or IP address", "host");
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  return host;
}

std::string printer_test_page(const PrinterRow& p) {
  // Only ASCII goes out as text: it prints the same in every code page.
  auto ascii = [](const std::string& s) {
    std::string out;
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u >= 0x20 && u < 0x7F) out += c;
      else if ((u & 0xC0) != 0x80) out += '?';  // one '?' per UTF-8 character
    }
    return out;
  };
  const std::size_t columns = p.paper_mm == 58 ? 32 : 42;
  std::string page = "\x1b@";                  // ESC @: initialise
  page += "\x1b" "a\x01";                       // ESC a 1: centred
  page += "SaleSpider test page\n";
  page += std::string("\x1b" "a\x00", 3);      // ESC a 0: left
  page += "Printer: " + ascii(p.name) + "\n";
  page += "Address: " + ascii(p.host) + ":" + std::to_string(p.port) + "\n";
  page += "Paper: " + std::to_string(p.paper_mm) + " mm, code page " + p.code_page + "\n";
  page += "The ruler below fills one line:\n";
  for (std::size_t i = 1; i <= columns; ++i) page += static_cast<char>('0' + i % 10);
  page += "\n";
  page += "\x1b" "d\x03";  // ESC d 3: feed three lines
  page += std::string("\x1dVB\x00", 4);  // GS V 66 0: feed to the cutter, partial cut
  return page;
}

PrinterService::PrinterService(db::Pool& pool) : pool_(pool) {}

RelayLimits PrinterService::relay_limits() const {
  std::lock_guard lock(mutex_);
  return limits_;
}

void PrinterService::set_relay_limits(RelayLimits limits) {
  std::lock_guard lock(mutex_);
  limits_ = limits;
}

std::shared_ptr<std::timed_mutex> PrinterService::lock_of(const std::string& printer_id) {
  std::lock_guard lock(mutex_);
  auto& slot = locks_[printer_id];
  if (!slot) slot = std::make_shared<std::timed_mutex>();
  return slot;
}

std::vector<PrinterRow> PrinterService::list(const std::string& store_id) {
  return pr::list_printers(pool_, store_id);
}

Outcome<PrinterRow> PrinterService::get(const std::string& store_id, const std::string& id) {
  if (!parse_uuid(id)) return fail(Problem::not_found, "no such printer");
  auto p = pr::find_printer(pool_, store_id, id);
  if (!p) return fail(Problem::not_found, "no such printer");
  return *p;
}

Outcome<PrinterRow> PrinterService::find(const std::string& store_id, const std::string& key) {
  if (parse_uuid(key)) return get(store_id, key);
  std::string wanted = key;
  std::transform(wanted.begin(), wanted.end(), wanted.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& p : list(store_id)) {
    std::string name = p.name;
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (name == wanted) return p;
  }
  return fail(Problem::not_found, "no printer with that id or name");
}

Outcome<PrinterRow> PrinterService::create(const std::string& store_id, const PrinterInput& input,
                                           const auth::Actor& actor) {
  PrinterInput in = input;
  if (auto e = check_input(in)) return *e;
  const pr::PrinterFields f{in.name, in.host, in.port, in.paper_mm, in.code_page, in.enabled};
  const auto w = pr::insert_printer(pool_, store_id, f, audit_entry(store_id, actor, "printer.create"));
  if (w.status != pr::WriteStatus::ok) return write_failure(w);
  return *w.row;
}

Outcome<PrinterRow> PrinterService::replace(const std::string& store_id, const std::string& id,
                                            std::int64_t row_version, const PrinterInput& input,
                                            const auth::Actor& actor) {
  if (!parse_uuid(id)) return fail(Problem::not_found, "no such printer");
  PrinterInput in = input;
  if (auto e = check_input(in)) return *e;
  const pr::PrinterFields f{in.name, in.host, in.port, in.paper_mm, in.code_page, in.enabled};
  const auto w = pr::update_printer(pool_, store_id, id, row_version, f, audit_entry(store_id, actor, "printer.update"));
  if (w.status != pr::WriteStatus::ok) return write_failure(w);
  return *w.row;
}

Completion PrinterService::remove(const std::string& store_id, const std::string& id, std::int64_t row_version,
                                  const auth::Actor& actor) {
  if (!parse_uuid(id)) return fail(Problem::not_found, "no such printer");
  const auto w = pr::delete_printer(pool_, store_id, id, row_version, audit_entry(store_id, actor, "printer.delete"));
  if (w.status != pr::WriteStatus::ok) return write_failure(w);
  return Done{};
}

Outcome<PrintDone> PrinterService::print(const std::string& store_id, const std::string& id, std::string_view bytes,
                                         const std::string& request_id) {
  auto printer = get(store_id, id);
  if (!printer) return printer.error();
  if (!printer->enabled)
    return fail(Problem::printer_disabled, "the printer {name} is switched off in the settings", "",
                {{"name", printer->name}});
  return print_to(*printer, bytes, request_id);
}

Outcome<PrintDone> PrinterService::print_to(const PrinterRow& printer, std::string_view bytes,
                                            const std::string& request_id) {
  const auto limits = relay_limits();
  const auto started = std::chrono::steady_clock::now();
  const nlohmann::json where{{"request_id", request_id}, {"printer_id", printer.id}, {"host", printer.host},
                             {"port", printer.port}, {"bytes", bytes.size()}};
  // One connection at a time per printer, so two tills' jobs never
  // interleave. A job waits for the one before it at most as long as that
  // one may take; then the printer is as good as stuck.
  auto lock = lock_of(printer.id);
  std::unique_lock held(*lock, std::defer_lock);
  if (!held.try_lock_for(limits.connect + limits.stall)) {
    log::warn("print not sent: the printer is still busy with another job", where);
    return fail(Problem::printer_timeout, "the printer {name} is busy with another print; try again", "",
                {{"name", printer.name}});
  }
  const auto waited = elapsed_ms(started);
  const auto sent = send_to_printer(printer.host, printer.port, bytes, limits);
  auto fields = where;
  fields["queued_ms"] = waited;
  fields["ms"] = elapsed_ms(started) - waited;
  if (!sent.detail.empty()) fields["detail"] = sent.detail;
  switch (sent.result) {
    case RelayResult::sent:
      log::info("printed", fields);
      return PrintDone{sent.bytes};
    case RelayResult::unreachable:
      log::warn("print not sent: printer unreachable", fields);
      return fail(Problem::printer_unreachable, "the printer {name} cannot be reached at {address}", "",
                  {{"name", printer.name}, {"address", printer.host + ":" + std::to_string(printer.port)}});
    case RelayResult::timeout:
      fields["written"] = sent.bytes;
      log::warn("print not finished: the printer stopped taking data", fields);
      return fail(Problem::printer_timeout,
                  "the printer {name} stopped taking data (out of paper, cover open or busy?)", "",
                  {{"name", printer.name}});
  }
  return fail(Problem::printer_unreachable, "the printer {name} cannot be reached at {address}", "",
              {{"name", printer.name}, {"address", printer.host + ":" + std::to_string(printer.port)}});
}

Outcome<db::printers::DrawerOpenRow> PrinterService::record_drawer_open(const std::string& store_id,
                                                                        const DrawerOpenRequest& request,
                                                                        const auth::Actor& actor) {
  const auto id = parse_uuid(request.id);
  if (!id || id->to_string() != request.id) return fail(Problem::bad_request, "id: a UUID made by the till", "id");
  if (!actor.user_id) return fail(Problem::bad_request, "a drawer is opened by a person");
  if (!is_valid_utf8(request.reason)) return fail(Problem::invalid, "reason: not valid UTF-8 text", "reason");
  std::size_t chars = 0;
  for (const char c : request.reason) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (chars > 200) return fail(Problem::invalid, "reason: at most {max} characters", "reason", {{"max", "200"}});
  pr::DrawerOpen open{request.id, actor.till_id, *actor.user_id, request.reason};
  auto row = pr::record_drawer_open(pool_, store_id, open, audit_entry(store_id, actor, "drawer.no_sale"));
  if (!row) return fail(Problem::conflict, "id: already used for another drawer open", "id");
  return *row;
}

}  // namespace salespider::service
