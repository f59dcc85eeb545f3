// The registry calls for one repository on one endpoint, as the selection pipeline makes them:
// credentials are resolved once, on first use, and the auth retry of SPEC §7.5 applies to every
// call: when the plugin answers UNAUTHENTICATED (401/403), the credentials are resolved again
// (refresh = true drops any cached value) and the call is retried once; a second
// UNAUTHENTICATED is final. Thread-safe (metadata is fetched from several threads).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugin_host/kinds.hpp"

namespace iu::registry {

// Resolves the credentials for a repository; refresh = true after an authentication failure.
// Throws (a std::exception whose message names the credential ref, never a secret) when the
// reference cannot be resolved.
using CredentialFn = std::function<plugin_host::Credentials(bool refresh)>;

class RepositoryClient {
 public:
  RepositoryClient(const plugin_host::RegistryInstance& registry, std::string endpoint,
                   std::string repository, CredentialFn credentials);

  const std::string& endpoint() const { return endpoint_; }
  const std::string& repository() const { return repository_; }
  // The secret-free identity of the credentials in use, for cache keys ("" = anonymous).
  std::string identity();
  // A plugin configuration value of the endpoint's instance (e.g. tagsortmode); "" when unset.
  std::string setting(const std::string& key) const;

  std::vector<plugin_host::TagInfo> list_tags();
  plugin_host::ManifestInfo manifest(std::string_view reference, uint32_t flags = 0);
  plugin_host::ImageConfigInfo image_config(std::string_view config_digest);

 private:
  // The credentials in use; with `generation` set, reads/updates the refresh generation.
  plugin_host::Credentials current(bool refresh, uint64_t* generation);
  template <typename Fn>
  auto with_auth_retry(Fn&& fn) -> decltype(fn(std::declval<const plugin_host::Credentials&>()));

  const plugin_host::RegistryInstance& registry_;
  std::string endpoint_, repository_;
  CredentialFn resolve_;
  std::mutex mu_;
  std::optional<plugin_host::Credentials> credentials_;
  uint64_t generation_ = 0;  // bumped on every refresh: concurrent failures refresh once
};

}  // namespace iu::registry
