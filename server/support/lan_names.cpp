// See lan_names.hpp.
#include "support/lan_names.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <set>

namespace salespider::support {
namespace {

// An address as text, the same for getaddrinfo and getifaddrs.
std::string address_text(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  } else {
    return "";
  }
  return buf;
}

std::set<std::string> local_addresses() {
  std::set<std::string> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (auto* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr) continue;
    if (auto text = address_text(i->ifa_addr); !text.empty()) out.insert(text);
  }
  freeifaddrs(list);
  return out;
}

bool is_loopback_text(const std::string& a) { return a.rfind("127.", 0) == 0 || a == "::1"; }

}  // namespace

std::string choose_public_host(const std::string& domain, const std::string& host_ip, bool domain_resolves_here) {
  if (domain.empty()) return host_ip;
  if (host_ip.empty() || domain_resolves_here) return domain;
  return host_ip;
}

bool resolves_to_this_machine(const std::string& name) {
  if (name.empty()) return false;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(name.c_str(), nullptr, &hints, &found) != 0) return false;
  const auto mine = local_addresses();
  bool here = false;
  for (auto* a = found; a != nullptr && !here; a = a->ai_next) {
    const auto text = address_text(a->ai_addr);
    here = !text.empty() && !is_loopback_text(text) && mine.count(text) > 0;
  }
  freeaddrinfo(found);
  return here;
}

std::string hosts_file_line(const std::string& host_ip, const std::string& domain) {
  return host_ip + "  " + domain;
}

}  // namespace salespider::support
