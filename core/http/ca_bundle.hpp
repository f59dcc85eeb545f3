// The trust store of an endpoint with its own CA (registries.conf `ca_file` / `ca_data`, SPEC
// §7.1): the system roots PLUS those certificates. With the OpenSSL backend, libcurl's
// CURLOPT_CAINFO / CURLOPT_CAINFO_BLOB replace its default CA file instead of adding to it
// (Debian's build still consults its CApath, /etc/ssl/certs, but not every build has one), so
// we hand libcurl one PEM blob holding the system bundle followed by the endpoint's
// certificates. libcurl compares that blob when it considers reusing a connection, so two
// endpoints with different CAs never share a verified connection.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace iu::http {

// The system CA bundle libcurl uses by default (CURLINFO_CAINFO), e.g.
// /etc/ssl/certs/ca-certificates.crt; "" when libcurl has none built in.
std::string system_ca_bundle_path();

// Builds the bundle for endpoint `key`. Returns null when neither ca_file nor ca_data is set.
// Every certificate in ca_file / ca_data must parse; errors throw std::invalid_argument as
// `registry <key>: ca_file: ...` / `registry <key>: ca_data: ...` (ca_data itself is never
// echoed). An unreadable system bundle is skipped: the endpoint's own CAs still apply.
std::shared_ptr<const std::string> build_ca_bundle(std::string_view key, const std::string& ca_file,
                                                   const std::string& ca_data,
                                                   const std::string& system_bundle_path);

}  // namespace iu::http
