#include "registry/registry_service.hpp"

#include <cmath>

#include "http/http_service.hpp"
#include "log/log.hpp"
#include "plugin_host/kinds.hpp"

namespace iu::registry {
namespace {

// Registry configuration keys the host provides to every registry instance (plugin.h).
const std::vector<std::string> kHostKeys = {"api_url",   "prefix",   "name",
                                            "defaultns", "insecure", "tagsortmode"};

plugin_host::ConfigMap host_config(const registries::Endpoint& e) {
  return {{"api_url", e.api_url},
          {"prefix", e.prefix},
          {"name", e.name},
          {"defaultns", e.defaultns},
          {"insecure", e.insecure ? "true" : "false"},
          {"tagsortmode", e.tagsortmode}};
}

// Everything an instance is created from: a change means a new instance.
std::string fingerprint(const registries::Endpoint& e) {
  std::string out = e.plugin;
  for (const auto& [k, v] : host_config(e)) out += '\n' + k + '=' + v;
  return out;
}

}  // namespace

std::string endpoint_key(const registries::Endpoint& e) {
  return e.prefix.empty() ? e.api_host() : e.prefix;
}

struct RegistryService::EndpointRuntime {
  std::string key;
  std::unique_ptr<plugin_host::RegistryInstance> instance;
};

RegistryService::RegistryService(
    const plugin_host::Catalog& catalog,
    std::function<std::shared_ptr<registries::EndpointTable>()> endpoints,
    std::shared_ptr<credentials::CredentialCache> credentials, RegistryServiceOptions options)
    : catalog_(catalog),
      endpoints_(std::move(endpoints)),
      credentials_(std::move(credentials)),
      options_(std::move(options)),
      store_({options_.cache_dir, options_.cache_max_entries}),
      tag_lists_({options_.tag_list_ttl, options_.now_ms}),
      selector_(store_, tag_lists_,
                {TagDigestPolicy{options_.tag_digest_ttl, options_.now_ms},
                 options_.metadata_concurrency}) {}

RegistryService::~RegistryService() = default;

RegistryService::EndpointRuntime& RegistryService::runtime_for(const registries::Endpoint& e) {
  const std::string fp = fingerprint(e);
  std::lock_guard lock(mu_);
  auto it = runtimes_.find(fp);
  if (it != runtimes_.end()) return *it->second;

  auto rt = std::make_unique<EndpointRuntime>();
  rt->key = endpoint_key(e);
  if (options_.http != nullptr) {
    http::EndpointPolicy policy;
    policy.key = rt->key;
    policy.rate_limit_rps = options_.rate_limit_override.value_or(e.limit);
    policy.max_inflight = e.max_inflight;
    policy.insecure = e.insecure;
    policy.ca_file = e.ca_file;
    policy.ca_data = e.ca_data;
    policy.max_retries = options_.registry_max_retries;
    policy.max_retry_after = options_.registry_max_retry_after;
    try {
      options_.http->set_policy(policy);
    } catch (const std::invalid_argument& err) {
      throw std::runtime_error("registry " + rt->key + ": " + err.what());
    }
  }
  const plugin_host::Implementation* impl = nullptr;
  try {
    impl = &catalog_.resolve(plugin_host::Kind::registry, e.plugin);
  } catch (const plugin_host::UnknownImplementation& err) {
    throw std::runtime_error("registry " + rt->key + ": plugin: " + err.what());
  }
  auto config =
      plugin_host::validate_config(*impl, host_config(e), "registry " + rt->key, kHostKeys);
  rt->instance = std::make_unique<plugin_host::RegistryInstance>(*impl, std::move(config), rt->key);
  log::debug("registry plugin instance created",
             {{"registry", rt->key}, {"plugin", impl->name}, {"api_url", e.api_url}});
  return *runtimes_.emplace(fp, std::move(rt)).first->second;
}

CredentialFn RegistryService::credential_fn(const registries::Endpoint& e,
                                            const std::string& repository,
                                            const std::string& pull_secret) const {
  auto cache = credentials_;
  const std::string host = e.api_host();
  if (pull_secret.empty() && e.credentials.empty())
    return [](bool) { return plugin_host::Credentials{}; };
  if (cache == nullptr)
    throw std::runtime_error("registry " + endpoint_key(e) +
                             ": credentials are configured but no resolver is available");
  const std::string registry_ref = e.credentials;
  const auto expire = e.credsexpire;
  return [cache, host, repository, pull_secret, registry_ref, expire](bool refresh) {
    credentials::Credential c;
    if (!pull_secret.empty()) {
      if (refresh) cache->invalidate(pull_secret);
      c = cache->pass_credential(pull_secret, host, repository);
    } else {
      if (refresh) cache->invalidate(registry_ref);
      c = cache->registry_credential(registry_ref, host, expire);
    }
    return plugin_host::Credentials{c.username, c.password, c.identity};
  };
}

CheckResult RegistryService::check(const ImageCheck& c) {
  auto table = endpoints_();
  CheckResult out;
  out.endpoint = table->lookup(c.image.registry, c.image.name);
  const auto& e = *out.endpoint;
  out.repository = model::api_repository(
      c.image, model::EndpointDefaults{table->default_endpoint()->prefix, e.defaultns});
  auto& rt = runtime_for(e);
  RepositoryClient client(*rt.instance, rt.key, out.repository,
                          credential_fn(e, out.repository, c.pull_secret));
  SelectionRequest req;
  req.image = model::full_name(c.image);
  req.version = c.image.version;
  req.strategy = c.strategy;
  req.filter = c.filter;
  req.platforms = c.platforms;
  req.live_tag = c.live_tag;
  req.fresh_tags = c.fresh_tags;
  req.bypass_tag_list_cache = c.webhook;
  req.confirm_winner = c.confirm_winner;
  out.selection = selector_.select(client, req);
  return out;
}

void RegistryService::begin_pass() {
  tag_lists_.begin_pass();
  if (credentials_) credentials_->begin_pass();
}

}  // namespace iu::registry
