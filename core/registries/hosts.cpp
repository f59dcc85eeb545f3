#include "registries/hosts.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "model/image_ref.hpp"

namespace iu::registries {
namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool is_dns_label(std::string_view s) {
  if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '-'; });
}

bool is_dns_name(std::string_view s) {
  if (s.empty()) return false;
  while (true) {
    size_t dot = s.find('.');
    if (!is_dns_label(s.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

bool is_ipv6(const std::string& s) {
  in6_addr addr{};
  return ::inet_pton(AF_INET6, s.c_str(), &addr) == 1;
}

bool valid_port(std::string_view p) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  return !p.empty() && ec == std::errc() && end == p.data() + p.size() && value >= 1 &&
         value <= 65535;
}

template <typename T>
std::optional<T> fail(std::string* error, std::string msg) {
  if (error != nullptr) *error = std::move(msg);
  return std::nullopt;
}

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool has_space_or_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
}

}  // namespace

std::optional<HostPort> parse_host_port(std::string_view text, std::string* error) {
  HostPort out;
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos)
      return fail<HostPort>(error, "invalid host " + quote(text) + ": missing \"]\"");
    out.host = std::string(text.substr(1, close - 1));
    if (!is_ipv6(out.host))
      return fail<HostPort>(error, "invalid host " + quote(text) + ": not an IPv6 address");
    rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':')
      return fail<HostPort>(error, "invalid host " + quote(text) + ": text after \"]\"");
  } else {
    size_t colon = text.find(':');
    out.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) rest = text.substr(colon);
    if (!is_dns_name(out.host))
      return fail<HostPort>(error,
                            "invalid host " + quote(text) + ": expected a DNS name or IP address");
  }
  if (!rest.empty()) {
    out.port = std::string(rest.substr(1));
    if (!valid_port(out.port))
      return fail<HostPort>(error, "invalid host " + quote(text) + ": port " + quote(out.port) +
                                       " is not a number from 1 to 65535");
  }
  return out;
}

std::optional<ApiUrl> parse_api_url(std::string_view text, std::string* error) {
  size_t sep = text.find("://");
  if (sep == std::string_view::npos)
    return fail<ApiUrl>(error,
                        "invalid URL " + quote(text) + ": expected http(s)://host[:port][/path]");
  ApiUrl url;
  url.scheme = lower(std::string(text.substr(0, sep)));
  std::string_view rest = text.substr(sep + 3);
  size_t path_start = std::min(rest.find('/'), rest.size());
  std::string_view authority = rest.substr(0, path_start);
  // Checked before anything quotes the text: user information may hold a password.
  if (authority.find('@') != std::string_view::npos)
    return fail<ApiUrl>(error,
                        "invalid URL: user information (user:password@) is not allowed; "
                        "use the credentials key");
  if (url.scheme != "http" && url.scheme != "https")
    return fail<ApiUrl>(error, "invalid URL " + quote(text) + ": scheme must be http or https");
  if (has_space_or_control(text))
    return fail<ApiUrl>(error, "invalid URL " + quote(text) + ": contains whitespace");
  if (text.find_first_of("?#") != std::string_view::npos)
    return fail<ApiUrl>(error,
                        "invalid URL " + quote(text) + ": query and fragment are not allowed");
  if (authority.empty())
    return fail<ApiUrl>(error, "invalid URL " + quote(text) + ": missing host");
  std::string host_error;
  auto host_port = parse_host_port(authority, &host_error);
  if (!host_port) return fail<ApiUrl>(error, "invalid URL " + quote(text) + ": " + host_error);
  url.host_port = std::move(*host_port);
  url.host_port.host = lower(url.host_port.host);
  url.authority = lower(std::string(authority));
  std::string_view path = rest.substr(path_start);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  url.path = std::string(path);
  return url;
}

std::optional<std::string> canonical_prefix(std::string_view text, std::string* error) {
  if (text.find("://") != std::string_view::npos)
    return fail<std::string>(
        error, "invalid prefix " + quote(text) + ": expected host[:port][/path] without a scheme");
  if (has_space_or_control(text))
    return fail<std::string>(error, "invalid prefix " + quote(text) + ": contains whitespace");
  std::string_view s = text;
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  size_t slash = std::min(s.find('/'), s.size());
  std::string host_error;
  if (!parse_host_port(s.substr(0, slash), &host_error))
    return fail<std::string>(error, "invalid prefix " + quote(text) + ": " + host_error);
  std::string_view path = s.substr(slash);
  if (path.find("//") != std::string_view::npos)
    return fail<std::string>(error, "invalid prefix " + quote(text) + ": empty path component");
  return model::canonical_registry(s.substr(0, slash)) + std::string(path);
}

bool is_loopback_host(std::string_view host_port) {
  auto hp = parse_host_port(host_port);
  if (!hp) return false;
  if (lower(hp->host) == "localhost") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, hp->host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, hp->host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

bool is_ecr_host(std::string_view host_port) {
  auto hp = parse_host_port(host_port);
  if (!hp) return false;
  std::string_view h = hp->host;
  // <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]
  if (h.size() < 13 || h[12] != '.' ||
      !std::all_of(h.begin(), h.begin() + 12, [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  h.remove_prefix(13);
  if (h.starts_with("dkr.ecr-fips."))
    h.remove_prefix(13);
  else if (h.starts_with("dkr.ecr."))
    h.remove_prefix(8);
  else
    return false;
  if (h.ends_with(".amazonaws.com.cn"))
    h.remove_suffix(17);
  else if (h.ends_with(".amazonaws.com"))
    h.remove_suffix(14);
  else
    return false;
  return is_dns_label(h);
}

}  // namespace iu::registries
