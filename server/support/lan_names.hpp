// Which address tablets should open (docs/operations.md "LAN and names").
// DOMAIN (default salespider.local) only works on a device whose resolver
// knows it: mDNS, the router's DNS or a hosts-file line. Phones rarely do, so
// when DOMAIN does not resolve to an address of this machine and HOST_IP is
// set, the /setup QR code and the HTTP->HTTPS redirects use HOST_IP, and
// /setup shows both addresses with the hosts-file line.
// Deliberately no mDNS announcing and no DNS changes: we only choose.
#pragma once

#include <string>

namespace salespider::support {

// The pure choice: DOMAIN when it resolves here (or there is no HOST_IP),
// else HOST_IP; "" only when both are empty.
std::string choose_public_host(const std::string& domain, const std::string& host_ip,
                               bool domain_resolves_here);

// True when getaddrinfo(name) gives at least one non-loopback address of
// this machine's interfaces. A name that resolves only to 127.x here (the
// server's own hosts file) is no help to a phone, so it does not count.
bool resolves_to_this_machine(const std::string& name);

// "192.168.1.100  salespider.local": the line a hosts file needs.
std::string hosts_file_line(const std::string& host_ip, const std::string& domain);

}  // namespace salespider::support
