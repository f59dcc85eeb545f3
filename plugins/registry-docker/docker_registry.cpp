#include "docker_registry.hpp"

#include <charconv>

namespace iu::registry_docker {
namespace {

// The name errors use for the registry: the registries.conf prefix (what users write in image
// names), else the entry's name, else the API host (filled in by the client).
std::string display_name(sdk::Call& call) {
  if (auto prefix = call.config("prefix"); prefix && !prefix->empty()) return *prefix;
  if (auto name = call.config("name"); name && !name->empty()) return *name;
  return {};
}

dockerv2::ClientOptions options_from(sdk::Call& call) {
  dockerv2::ClientOptions o;
  o.registry = display_name(call);
  std::optional<std::string> api = call.config("api_url");
  if (!api || api->empty())
    throw sdk::Error(IU_STATUS_INVALID_ARGUMENT,
                     "registry " + (o.registry.empty() ? std::string("<unnamed>") : o.registry) +
                         ": api_url: required by the docker-v2 registry plugin");
  o.api_url = *api;
  if (auto n = call.config(kTagsPageSizeKey); n && !n->empty()) {
    int64_t v = -1;
    auto [end, ec] = std::from_chars(n->data(), n->data() + n->size(), v);
    if (ec != std::errc() || end != n->data() + n->size() || v < 0 || v > 100000)
      throw sdk::Error(IU_STATUS_INVALID_ARGUMENT,
                       "registry " + (o.registry.empty() ? o.api_url : o.registry) + ": " +
                           kTagsPageSizeKey + ": \"" + *n +
                           "\" is not a page size between 0 and 100000");
    o.tags_page_size = static_cast<uint32_t>(v);
  }
  return o;
}

}  // namespace

DockerRegistry::DockerRegistry(sdk::Call& call) : client_(options_from(call)) {}

void DockerRegistry::list_tags(sdk::Call& call, const sdk::RepoRequest& req, sdk::TagSink& out) {
  client_.list_tags(call, req, [&out](std::string_view tag) { out.put(tag); });
}

sdk::Manifest DockerRegistry::get_manifest(sdk::Call& call, const sdk::RepoRequest& req,
                                           std::string_view reference, uint32_t flags) {
  return client_.get_manifest(call, req, reference, (flags & IU_MANIFEST_HEAD_ONLY) != 0);
}

sdk::ImageConfig DockerRegistry::get_image_config(sdk::Call& call, const sdk::RepoRequest& req,
                                                  std::string_view config_digest) {
  return client_.get_image_config(call, req, config_digest);
}

}  // namespace iu::registry_docker
