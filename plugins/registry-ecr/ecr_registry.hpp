// The `ecr` registry implementation (SPEC §7.7): one instance per ECR registry endpoint.
//  * AWS credentials from the chain (credential_chain.hpp) sign ECR API calls;
//  * GetAuthorizationToken gives the AWS:<password> Basic credentials for the Docker v2 API,
//    which iu::dockerv2::Client speaks (the same code as the docker-v2 plugin);
//  * tags come from DescribeImages with their digests and push times (config key `listing`:
//    `describe-images`, the default, or `tags-list` for the plain v2 walk), except when the host
//    passes credentials of its own (pullSecret / registry credentials win: then the v2 API).
// A registry rejection of the ECR token drops it; the operation is retried once with a fresh
// token here (the host's own auth retry comes on top). Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "auth_token.hpp"
#include "credential_chain.hpp"
#include "describe_images.hpp"
#include "ecr_api.hpp"
#include "iu/dockerv2/client.hpp"
#include "iu/plugin.hpp"
#include "location.hpp"

namespace iu::registry_ecr {

inline constexpr const char* kListingKey = "listing";
inline constexpr const char* kDescribePageSizeKey = "describe_page_size";

class EcrRegistry final : public sdk::Registry {
 public:
  // Reads the configuration and the AWS environment; throws iu::sdk::Error(INVALID_ARGUMENT)
  // naming the registry and the key or variable at fault (api_url, listing, region, endpoint
  // overrides). Credentials are looked up on first use, not here.
  explicit EcrRegistry(sdk::Call& call);
  EcrRegistry(sdk::Call& call, const AwsEnv& env);

  void list_tags(sdk::Call& call, const sdk::RepoRequest& req, sdk::TagSink& out) override;
  sdk::Manifest get_manifest(sdk::Call& call, const sdk::RepoRequest& req,
                             std::string_view reference, uint32_t flags) override;
  sdk::ImageConfig get_image_config(sdk::Call& call, const sdk::RepoRequest& req,
                                    std::string_view config_digest) override;

 private:
  template <typename Fn>
  auto with_token_retry(sdk::Call& call, const sdk::RepoRequest& req, Fn&& fn);

  struct Settings;
  // The configuration keys and the AWS location; throws as the public constructors say.
  static Settings read_settings(sdk::Call& call, const AwsEnv& env);
  EcrRegistry(sdk::Call& call, Settings settings, const AwsEnv& env);

  const std::string registry_;
  const AwsLocation location_;
  const bool describe_images_;
  const DescribeLimits limits_;
  CredentialChain chain_;
  EcrApi api_;
  std::shared_ptr<AuthTokenProvider> tokens_;
  dockerv2::Client client_;
};

}  // namespace iu::registry_ecr
