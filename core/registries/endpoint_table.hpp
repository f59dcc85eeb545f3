// The endpoint table (SPEC §7.2): registries.conf entries plus the built-in Docker Hub entry,
// lookup by registry and repository, and endpoints inferred for hosts no entry covers.
//
// A table is a snapshot of one registries.conf version: its configured endpoints never change.
// Reloading builds a new table (ConfigWatcher swaps it in); callers holding the old table or its
// endpoints keep a consistent view. Thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "registries/endpoint.hpp"

namespace iu::registries {

struct TableOptions {
  // Where per-host CA bundles live: for an https endpoint that is not insecure and sets neither
  // ca_file nor ca_data, `<tls_dir>/<api hostname>` becomes its ca_file when that file exists
  // at the time the endpoint is built. Empty = no fallback.
  std::filesystem::path tls_dir = "/app/config/tls";
};

class EndpointTable {
 public:
  // Builds a table from parsed entries (registries_conf.hpp). The built-in Docker Hub entry
  // (prefix docker.io, https://registry-1.docker.io, defaultns library, limit 10) is added
  // unless an entry's prefix is Docker Hub. The default endpoint is the entry with
  // `default: true`, else the Docker Hub entry (configured or built-in).
  // Inferred endpoints of `previous` whose host is still not covered by a prefix are kept, so
  // an inferred endpoint is created once for the life of the process.
  static std::shared_ptr<EndpointTable> with_builtins(std::vector<Endpoint> configured,
                                                      TableOptions options = {},
                                                      const EndpointTable* previous = nullptr);

  // The endpoint for `registry/repository` (registry as in the image's updater view, any
  // Docker Hub alias; repository as written, may be empty):
  //  * empty registry ⇒ the default endpoint;
  //  * else the entry with the longest prefix matching at a component boundary
  //    (`ghcr.io/acme` matches `ghcr.io/acme/x`, not `ghcr.io/acmecorp/x`);
  //  * else the inferred endpoint of the host (made on first use, then kept): `https://<host>`,
  //    `http://` for loopback hosts, limit 20, plugin ecr for ECR hosts.
  // Throws std::invalid_argument for a registry that is not a valid `host[:port]`.
  std::shared_ptr<const Endpoint> lookup(std::string_view registry,
                                         std::string_view repository = {}) const;

  std::shared_ptr<const Endpoint> default_endpoint() const { return default_; }

  // Configured and built-in endpoints, longest prefix first (the default without prefix last).
  const std::vector<std::shared_ptr<const Endpoint>>& endpoints() const { return endpoints_; }

  // Inferred endpoints made so far, by host.
  std::vector<std::shared_ptr<const Endpoint>> inferred() const;

 private:
  EndpointTable() = default;
  std::shared_ptr<const Endpoint> infer(std::string_view registry) const;
  std::shared_ptr<const Endpoint> match_prefix(std::string_view key) const;

  TableOptions options_;
  std::vector<std::shared_ptr<const Endpoint>> endpoints_;
  std::shared_ptr<const Endpoint> default_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::shared_ptr<const Endpoint>, std::less<>> inferred_;
};

// The built-in Docker Hub endpoint as SPEC §7.2 defines it.
Endpoint docker_hub_builtin();

}  // namespace iu::registries
