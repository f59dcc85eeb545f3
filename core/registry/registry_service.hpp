// The registry service: everything between "check this image" and "this tag was chosen".
// It ties together
//   * the endpoint table (registries.conf, built-ins, inferred hosts): which endpoint serves an
//     image, its repository path and settings;
//   * one registry plugin instance per endpoint, created from the catalog by the endpoint's
//     `plugin` name with the host-provided keys api_url, prefix, name, defaultns, insecure,
//     tagsortmode (a reloaded endpoint with other settings gets a new instance);
//   * the endpoint's HTTP policy (rate limit, in-flight cap, TLS, retries) in the HTTP service;
//   * credentials (image pullSecret > registry credentials > anonymous) with the auth retry;
//   * the caches (tag lists, tag -> digest, digest-keyed metadata) and the selection pipeline.
// Thread-safe: the engine checks many images at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "credentials/credential_cache.hpp"
#include "model/image_ref.hpp"
#include "plugin_host/catalog.hpp"
#include "registries/endpoint_table.hpp"
#include "registry/image_selector.hpp"
#include "registry/metadata_store.hpp"
#include "registry/tag_list_cache.hpp"

namespace iu::http {
class HttpService;
}

namespace iu::registry {

struct RegistryServiceOptions {
  std::filesystem::path cache_dir;         // --cache-dir; empty = memory only
  std::size_t cache_max_entries = 100000;  // --cache-max-entries
  std::chrono::milliseconds tag_digest_ttl = std::chrono::hours(24);  // --tag-digest-ttl
  std::chrono::milliseconds tag_list_ttl{0};  // continuous loop: --tag-list-ttl; 0 = per pass
  std::size_t metadata_concurrency = 20;      // --metadata-concurrency
  // HTTP policies are registered here for every endpoint used (null: the caller does it).
  http::HttpService* http = nullptr;
  int registry_max_retries = 3;                               // --registry-max-retries
  std::chrono::milliseconds registry_max_retry_after{60000};  // --registry-max-retry-after
  std::optional<double> rate_limit_override;                  // `test --rate-limit`
  std::function<int64_t()> now_ms;  // Unix ms; default: the system clock (tests inject one)
};

// One image to check: an application's image with its effective settings.
struct ImageCheck {
  model::ImageRef image;  // as configured (imageName); version = constraint or tracked tag
  const plugin_host::StrategyInstance* strategy = nullptr;
  model::TagFilter filter;
  std::vector<model::Platform> platforms;  // explicit setting; empty = runtime platform
  std::string pull_secret;                 // image-level credential ref; "" = none
  std::string live_tag;                    // deployed tag, checked fresh; "" = none
  std::vector<std::string> fresh_tags;     // webhook-named tags
  bool webhook = false;                    // bypass the tag-list cache
  bool confirm_winner = true;              // see SelectionRequest::confirm_winner
};

struct CheckResult {
  std::shared_ptr<const registries::Endpoint> endpoint;
  std::string repository;  // API repository, e.g. library/nginx
  Selection selection;
};

class RegistryService {
 public:
  // `endpoints` returns the table in effect (e.g. ConfigWatcher::table); each check keeps the
  // snapshot it got. `credentials` may be null when no check uses credentials.
  RegistryService(const plugin_host::Catalog& catalog,
                  std::function<std::shared_ptr<registries::EndpointTable>()> endpoints,
                  std::shared_ptr<credentials::CredentialCache> credentials,
                  RegistryServiceOptions options);
  ~RegistryService();

  // Resolves the endpoint, credentials and tags of the image and runs the selection pipeline.
  // Throws on registry, plugin, credential and endpoint errors (the caller skips the image for
  // this attempt); messages name the registry, repository and operation, never a secret.
  CheckResult check(const ImageCheck& check);

  // Starts a pass: pass-scoped tag lists and image-level credentials are forgotten.
  void begin_pass();

  MetadataStore& metadata() { return store_; }

 private:
  struct EndpointRuntime;
  EndpointRuntime& runtime_for(const registries::Endpoint& endpoint);
  CredentialFn credential_fn(const registries::Endpoint& endpoint, const std::string& repository,
                             const std::string& pull_secret) const;

  const plugin_host::Catalog& catalog_;
  std::function<std::shared_ptr<registries::EndpointTable>()> endpoints_;
  std::shared_ptr<credentials::CredentialCache> credentials_;
  RegistryServiceOptions options_;
  MetadataStore store_;
  TagListCache tag_lists_;
  ImageSelector selector_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<EndpointRuntime>> runtimes_;  // by settings fingerprint
};

// The identity of an endpoint for caches, HTTP policies and the `registry` metric label: its
// prefix, or the API host for a default entry without prefix.
std::string endpoint_key(const registries::Endpoint& endpoint);

}  // namespace iu::registry
