// AWS STS AssumeRoleWithWebIdentity (query protocol, unsigned, XML answer): exchanges a web
// identity token (the Kubernetes service-account token of IRSA) for temporary credentials.
#pragma once

#include <string>
#include <string_view>

#include "credentials.hpp"
#include "iu/plugin.hpp"

namespace iu::registry_ecr {

struct WebIdentityRequest {
  std::string sts_endpoint;  // e.g. https://sts.eu-west-1.amazonaws.com
  std::string role_arn;
  std::string session_name;
  std::string token;   // the JWT (secret)
  std::string source;  // "web identity" or "profile <name>", for messages and the result
};

// Calls STS. Throws iu::sdk::Error naming `registry`, the source and the STS error code
// (AccessDenied, InvalidIdentityToken, ExpiredTokenException, ...) but never the token:
// UNAUTHENTICATED for a rejection (4xx), RATE_LIMITED for throttling, TRANSIENT for 5xx,
// INTERNAL for an answer without credentials.
AwsCredentials assume_role_with_web_identity(sdk::Call& call, std::string_view registry,
                                             const WebIdentityRequest& request);

}  // namespace iu::registry_ecr
