// The `docker-v2` registry implementation: one instance per registry endpoint, configured from
// the registries.conf entry the host hands over (api_url, prefix, name, ...), speaking the
// protocol through iu::dockerv2::Client with the credentials of each call.
#pragma once

#include <string_view>

#include "iu/dockerv2/client.hpp"
#include "iu/plugin.hpp"

namespace iu::registry_docker {

class DockerRegistry final : public sdk::Registry {
 public:
  // Reads the configuration; throws iu::sdk::Error(INVALID_ARGUMENT) naming the registry and
  // key for a missing or invalid api_url or tags_page_size.
  explicit DockerRegistry(sdk::Call& call);

  void list_tags(sdk::Call& call, const sdk::RepoRequest& req, sdk::TagSink& out) override;
  sdk::Manifest get_manifest(sdk::Call& call, const sdk::RepoRequest& req,
                             std::string_view reference, uint32_t flags) override;
  sdk::ImageConfig get_image_config(sdk::Call& call, const sdk::RepoRequest& req,
                                    std::string_view config_digest) override;

 private:
  dockerv2::Client client_;
};

// The configuration key this plugin declares beyond those the host always provides.
inline constexpr const char* kTagsPageSizeKey = "tags_page_size";

}  // namespace iu::registry_docker
