// Where an ECR registry lives and which AWS API endpoints serve it (SPEC §7.7): the account and
// region named by an ECR host `<12-digit account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`,
// the region from the environment where the host does not say, and the ECR/STS endpoints with
// the AWS SDK overrides AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "aws_env.hpp"

namespace iu::registry_ecr {

struct EcrHost {
  std::string account;  // 12 digits
  std::string region;   // e.g. "eu-west-1"
  bool fips = false;    // dkr.ecr-fips
  bool china = false;   // .amazonaws.com.cn
};

// Parses `host[:port]` (case-insensitive); nullopt when it is not an ECR registry host.
std::optional<EcrHost> parse_ecr_host(std::string_view host_port);

// The host[:port] part of an http(s) URL ("" when the text is not one).
std::string url_authority(std::string_view url);

struct AwsLocation {
  std::string account;  // "" when no ECR host names it: the caller's default registry
  std::string region;
  std::string ecr_endpoint;   // e.g. https://api.ecr.eu-west-1.amazonaws.com
  std::string sts_endpoint;   // e.g. https://sts.eu-west-1.amazonaws.com
  std::string region_source;  // "registry host", "AWS_REGION", ... (for messages)
};

// Resolves the location of the registry whose api_url host and prefix host are given: the first
// of them that is an ECR host names account and region; else AWS_REGION, AWS_DEFAULT_REGION,
// else `profile_region()` (the shared config file's `region`; called only then). Throws
// iu::sdk::Error (INVALID_ARGUMENT) naming `registry` when no region can be found or an endpoint
// override is not an http(s) URL.
AwsLocation resolve_location(std::string_view registry, std::string_view api_host,
                             std::string_view prefix_host, const AwsEnv& env,
                             const std::function<std::optional<std::string>()>& profile_region);

}  // namespace iu::registry_ecr
