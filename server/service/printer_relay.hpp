// Sends raw bytes to a network printer (raw TCP, "port 9100" / JetDirect)
// and says whether the printer took them all: connect with a deadline, write
// everything, wait until the printer's TCP stack has acknowledged every byte
// (so "sent" means the printer has them, not that our kernel buffered them),
// close. POSIX sockets; the server runs on Linux (SIOCOUTQ).
//
// Deliberately not here: which hosts may be targets (service/printers.cpp
// only passes configured printers), serialising prints to one printer (the
// caller's lock), ESC/POS itself (the bytes are opaque), reading anything the
// printer sends back (status bytes are drained and dropped), and DNS
// deadlines (getaddrinfo blocks as long as the resolver does; LAN printers
// are normally addressed by IP or a name in /etc/hosts or mDNS).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace salespider::service {

struct RelayLimits {
  // Connecting, over every address the host name resolves to.
  std::chrono::milliseconds connect{3000};
  // The longest the printer may take no byte (write stalled, or bytes
  // written but not acknowledged) before the print is given up.
  std::chrono::milliseconds stall{10000};
};

enum class RelayResult {
  sent,         // every byte acknowledged by the printer
  unreachable,  // name unknown, connection refused or not made in time, or dropped by the printer
  timeout,      // connected, but the printer stopped taking bytes for longer than `stall`
};

struct RelayOutcome {
  RelayResult result = RelayResult::sent;
  std::size_t bytes = 0;  // written to the socket (all of them when sent)
  std::string detail;     // for the log: what failed (errno text, resolver text); never sent to a client
};

RelayOutcome send_to_printer(const std::string& host, int port, std::string_view bytes, const RelayLimits& limits);

}  // namespace salespider::service
