// Registry host names and addresses as they appear in registries.conf and image references:
// validation, normalization, loopback and AWS ECR detection. Pure functions, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iu::registries {

// `host[:port]` split into its parts; an IPv6 host loses its brackets (`[::1]:5000` gives
// host `::1`, port `5000`). `port` is empty when absent.
struct HostPort {
  std::string host;
  std::string port;
};

// Splits and checks `host[:port]`: a DNS name as in image references (dot-separated labels of
// letters, digits and inner `-`), an IPv4 address or a bracketed IPv6 address; a port of
// 1..65535. Returns nullopt and sets *error (when given) to the problem otherwise.
std::optional<HostPort> parse_host_port(std::string_view text, std::string* error = nullptr);

// A parsed `http(s)://host[:port][/path]` URL.
struct ApiUrl {
  std::string scheme;     // "http" or "https", lower case
  std::string authority;  // host[:port] as written (host lower-cased)
  HostPort host_port;
  std::string path;  // "" or "/a/b" without trailing '/'
  std::string text() const { return scheme + "://" + authority + path; }
};

// Parses a registries.conf `api_url`: scheme http or https, a host as for parse_host_port, an
// optional path; trailing `/` trimmed. User information, queries, fragments and whitespace are
// errors. Error messages never repeat user information.
std::optional<ApiUrl> parse_api_url(std::string_view text, std::string* error = nullptr);

// Normalizes a lookup prefix `host[:port][/path]`: checks it like parse_host_port plus
// non-empty path components, trims trailing `/`, and maps the host through
// model::canonical_registry (lower case; Docker Hub aliases become `docker.io`).
std::optional<std::string> canonical_prefix(std::string_view text, std::string* error = nullptr);

// True for `localhost`, 127.0.0.0/8 and ::1 (also IPv4-mapped), with or without a port.
bool is_loopback_host(std::string_view host_port);

// True for `<12 digits>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`, with or without a port.
bool is_ecr_host(std::string_view host_port);

}  // namespace iu::registries
