#include "registry/repository_client.hpp"

#include "log/log.hpp"

namespace iu::registry {

RepositoryClient::RepositoryClient(const plugin_host::RegistryInstance& registry,
                                   std::string endpoint, std::string repository,
                                   CredentialFn credentials)
    : registry_(registry),
      endpoint_(std::move(endpoint)),
      repository_(std::move(repository)),
      resolve_(std::move(credentials)) {}

plugin_host::Credentials RepositoryClient::current(bool refresh, uint64_t* generation) {
  std::lock_guard lock(mu_);
  // After a failure, refresh only if nobody refreshed since the failed call read them.
  if (refresh && generation != nullptr && *generation != generation_) refresh = false;
  if (!credentials_ || refresh) {
    credentials_ = resolve_ ? resolve_(refresh) : plugin_host::Credentials{};
    if (refresh) ++generation_;
  }
  if (generation != nullptr) *generation = generation_;
  return *credentials_;
}

std::string RepositoryClient::identity() { return current(false, nullptr).identity; }

std::string RepositoryClient::setting(const std::string& key) const {
  auto it = registry_.config().find(key);
  return it == registry_.config().end() ? std::string() : it->second;
}

template <typename Fn>
auto RepositoryClient::with_auth_retry(Fn&& fn)
    -> decltype(fn(std::declval<const plugin_host::Credentials&>())) {
  uint64_t generation = 0;
  plugin_host::Credentials creds = current(false, &generation);
  try {
    return fn(creds);
  } catch (const plugin_host::PluginError& e) {
    if (e.status() != IU_STATUS_UNAUTHENTICATED) throw;
    log::debug("registry refused the credentials; resolving them again and retrying once",
               {{"registry", endpoint_}, {"repository", repository_}});
  }
  creds = current(true, &generation);
  return fn(creds);
}

std::vector<plugin_host::TagInfo> RepositoryClient::list_tags() {
  return with_auth_retry(
      [&](const plugin_host::Credentials& c) { return registry_.list_tags(repository_, c); });
}

plugin_host::ManifestInfo RepositoryClient::manifest(std::string_view reference, uint32_t flags) {
  return with_auth_retry([&](const plugin_host::Credentials& c) {
    return registry_.get_manifest(repository_, c, reference, flags);
  });
}

plugin_host::ImageConfigInfo RepositoryClient::image_config(std::string_view config_digest) {
  return with_auth_retry([&](const plugin_host::Credentials& c) {
    return registry_.get_image_config(repository_, c, config_digest);
  });
}

}  // namespace iu::registry
