#include "registries/endpoint_table.hpp"

#include <algorithm>
#include <stdexcept>

#include "model/image_ref.hpp"
#include "registries/hosts.hpp"

namespace iu::registries {
namespace {

constexpr double kInferredLimit = 20;

bool is_hub_prefix(const Endpoint& e) {
  return !e.prefix.empty() && model::is_docker_hub(e.prefix.substr(0, e.prefix.find('/')));
}

// `<tls_dir>/<api hostname>` as ca_file when the endpoint names no CA and the file exists.
void apply_tls_fallback(Endpoint& e, const TableOptions& options) {
  if (e.insecure || !e.ca_file.empty() || !e.ca_data.empty() || options.tls_dir.empty()) return;
  if (!e.api_url.starts_with("https://")) return;
  const std::filesystem::path candidate = options.tls_dir / e.api_hostname();
  std::error_code ec;
  if (std::filesystem::is_regular_file(candidate, ec)) e.ca_file = candidate.string();
}

// True when `prefix` equals `key` or is its prefix ending at a `/`.
bool prefix_matches(std::string_view prefix, std::string_view key) {
  if (!key.starts_with(prefix)) return false;
  return key.size() == prefix.size() || key[prefix.size()] == '/';
}

}  // namespace

Endpoint docker_hub_builtin() {
  Endpoint e;
  e.name = "Docker Hub";
  e.prefix = std::string(model::kDockerHub);
  e.api_url = "https://registry-1.docker.io";
  e.defaultns = "library";
  e.limit = 10;
  e.is_default = true;
  e.origin = Origin::kBuiltin;
  return e;
}

std::shared_ptr<EndpointTable> EndpointTable::with_builtins(std::vector<Endpoint> configured,
                                                            TableOptions options,
                                                            const EndpointTable* previous) {
  std::shared_ptr<EndpointTable> table(new EndpointTable());
  table->options_ = std::move(options);
  const bool has_default = std::any_of(configured.begin(), configured.end(),
                                       [](const Endpoint& e) { return e.is_default; });
  auto hub = std::find_if(configured.begin(), configured.end(), is_hub_prefix);
  if (hub == configured.end()) {
    configured.push_back(docker_hub_builtin());
    configured.back().is_default = false;
    hub = std::prev(configured.end());
  }
  // The Docker Hub entry holds the default role unless another entry claims it.
  if (!has_default) hub->is_default = true;

  for (Endpoint& e : configured) {
    apply_tls_fallback(e, table->options_);
    auto ptr = std::make_shared<const Endpoint>(std::move(e));
    if (ptr->is_default) table->default_ = ptr;
    table->endpoints_.push_back(std::move(ptr));
  }
  std::stable_sort(
      table->endpoints_.begin(), table->endpoints_.end(),
      [](const auto& a, const auto& b) { return a->prefix.size() > b->prefix.size(); });

  if (previous != nullptr) {
    std::lock_guard lock(previous->mu_);
    for (const auto& [host, endpoint] : previous->inferred_)
      if (table->match_prefix(host) == nullptr) table->inferred_.emplace(host, endpoint);
  }
  return table;
}

std::shared_ptr<const Endpoint> EndpointTable::match_prefix(std::string_view key) const {
  // endpoints_ is sorted by prefix length, longest first: the first match is the longest.
  for (const auto& e : endpoints_)
    if (!e->prefix.empty() && prefix_matches(e->prefix, key)) return e;
  return nullptr;
}

std::shared_ptr<const Endpoint> EndpointTable::lookup(std::string_view registry,
                                                      std::string_view repository) const {
  if (registry.empty()) return default_;
  std::string key = model::canonical_registry(registry);
  if (!repository.empty()) key += "/" + std::string(repository);
  if (auto e = match_prefix(key)) return e;
  return infer(registry);
}

std::shared_ptr<const Endpoint> EndpointTable::infer(std::string_view registry) const {
  std::string error;
  if (!parse_host_port(registry, &error))
    throw std::invalid_argument("invalid registry \"" + std::string(registry) + "\": " + error);
  const std::string host = model::canonical_registry(registry);
  std::lock_guard lock(mu_);
  if (auto it = inferred_.find(host); it != inferred_.end()) return it->second;
  Endpoint e;
  e.name = host;
  e.prefix = host;
  e.api_url = (is_loopback_host(host) ? "http://" : "https://") + host;
  e.limit = kInferredLimit;
  if (is_ecr_host(host)) e.plugin = "ecr";
  e.origin = Origin::kInferred;
  apply_tls_fallback(e, options_);
  auto ptr = std::make_shared<const Endpoint>(std::move(e));
  inferred_.emplace(host, ptr);
  return ptr;
}

std::vector<std::shared_ptr<const Endpoint>> EndpointTable::inferred() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<const Endpoint>> out;
  for (const auto& [host, endpoint] : inferred_) out.push_back(endpoint);
  return out;
}

}  // namespace iu::registries
