// A registry endpoint: one registries.conf entry, the built-in Docker Hub entry, or an endpoint
// inferred for a host no entry covers (SPEC §7.1, §7.2). Endpoints are immutable once built;
// tables hand them out as shared_ptr<const Endpoint>, so a caller keeps a consistent view
// across a reload.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

namespace iu::registries {

enum class Origin {
  kConfigured,  // an entry of registries.conf
  kBuiltin,     // the built-in Docker Hub entry
  kInferred,    // made up for a host without entry: https://<host> (http:// for loopback)
};

struct Endpoint {
  std::string name;         // display name
  std::string prefix;       // lookup key `host[:port][/path]`, canonical (model::canonical_registry
                            // host); "" only for a default entry without prefix
  std::string api_url;      // `http(s)://host[:port][/path]`, no trailing `/`
  std::string defaultns;    // namespace for single-component repositories ("library" on Docker Hub)
  std::string credentials;  // registry-level credential reference (syntax checked); "" = none
  std::chrono::nanoseconds credsexpire{0};  // re-resolve credentials after this; 0 = never
  bool insecure = false;                    // skip TLS verification and CA loading
  std::string ca_file;  // PEM file added to the system roots (may be the /app/config/tls
                        // fallback, see TableOptions)
  std::string ca_data;  // inline PEM added to the system roots
  double limit = 20;    // requests per second; 0 = unlimited
  std::string tagsortmode = "none";  // none | latest-first | latest-last | pushed
  int max_inflight = 30;             // concurrent requests
  std::string plugin = "docker-v2";  // registry plugin; "ecr" by default for ECR hosts
  bool is_default = false;           // serves references without registry
  Origin origin = Origin::kConfigured;
  int index = -1;  // position in registries.conf (kConfigured only)

  // `host[:port]` of api_url, host lower-cased (`[::1]:5000` keeps its brackets).
  std::string api_host() const;
  // The host of api_url without port or brackets.
  std::string api_hostname() const;
};

// An invalid registries.conf. The message follows SPEC §14, e.g.
//   registries.conf: registries[2]: unknown key "limits" (line 9)
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace iu::registries
