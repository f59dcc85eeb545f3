// Calls of the ECR JSON 1.1 API (POST /, X-Amz-Target AmazonEC2ContainerRegistry_V20150921.<Op>,
// Content-Type application/x-amz-json-1.1), signed with SigV4 (service `ecr`) by the host's HTTP
// service, with credentials from the chain.
#pragma once

#include <string>
#include <string_view>

#include "credential_chain.hpp"
#include "iu/plugin.hpp"

namespace iu::registry_ecr {

class EcrApi {
 public:
  // `registry` names the registry in messages; `endpoint` is the API base URL; `region` scopes
  // the signature.
  EcrApi(std::string registry, std::string endpoint, std::string region, CredentialChain& chain);

  // Performs `operation` with the JSON `body`; returns the answer's JSON text (HTTP 200).
  // `op_label` is the host metric label (token, tags, ...). Throws iu::sdk::Error whose message
  // names the registry, the operation, the credential source and AWS's error code, never a
  // secret:  registry R: ECR GetAuthorizationToken (credentials from environment):
  // InvalidSignatureException: The request signature we calculated does not match ...
  // Status: RepositoryNotFoundException / ImageNotFoundException -> NOT_FOUND; signature, key
  // and token errors, AccessDenied -> UNAUTHENTICATED (the chain drops the credentials);
  // throttling -> RATE_LIMITED; 5xx -> TRANSIENT; other errors -> INVALID_ARGUMENT.
  std::string call(sdk::Call& call, std::string_view operation, const std::string& body,
                   std::string_view op_label);

  const std::string& registry() const { return registry_; }

 private:
  const std::string registry_, endpoint_, region_;
  CredentialChain& chain_;
};

}  // namespace iu::registry_ecr
