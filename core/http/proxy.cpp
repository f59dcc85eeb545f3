#include "http/proxy.hpp"

#include <arpa/inet.h>

#include <cstdlib>
#include <cstring>

namespace iu::http {
namespace {

std::string first_set(const std::function<const char*(const char*)>& getenv, const char* upper,
                      const char* lower) {
  for (const char* name : {upper, lower}) {
    const char* v = getenv(name);
    if (v != nullptr && *v != '\0') return v;
  }
  return {};
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// localhost, 127.0.0.0/8 and ::1 never go through a proxy (Go's useProxy does the same).
bool is_loopback(std::string_view host) {
  if (iequals(host, "localhost")) return true;
  std::string h(host);
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

}  // namespace

ProxySettings ProxySettings::from_environment(
    const std::function<const char*(const char*)>& getenv) {
  std::function<const char*(const char*)> get = getenv;
  if (!get) get = [](const char* name) { return std::getenv(name); };
  ProxySettings s;
  s.https_proxy = first_set(get, "HTTPS_PROXY", "https_proxy");
  s.http_proxy = first_set(get, "HTTP_PROXY", "http_proxy");
  s.no_proxy = first_set(get, "NO_PROXY", "no_proxy");
  return s;
}

std::string proxy_for(const ProxySettings& settings, std::string_view scheme,
                      std::string_view host) {
  if (is_loopback(host)) return {};
  if (iequals(scheme, "https")) return settings.https_proxy;
  if (iequals(scheme, "http")) return settings.http_proxy;
  return {};
}

}  // namespace iu::http
