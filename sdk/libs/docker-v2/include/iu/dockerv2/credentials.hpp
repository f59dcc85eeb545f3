// Where the protocol client gets the Basic credentials it sends (directly for a Basic challenge,
// or to the token endpoint for a Bearer challenge). Pluggable so that a registry plugin with its
// own credential source (ECR's GetAuthorizationToken) reuses the whole protocol client.
#pragma once

#include <string>

#include "iu/plugin.hpp"

namespace iu::dockerv2 {

struct BasicCredentials {
  std::string username, password;  // both empty = anonymous; never logged
  // Stable, secret-free identity: part of token cache keys and named in error messages. The
  // client derives one (a hash) when a provider leaves it empty for non-empty credentials.
  std::string identity;

  bool anonymous() const noexcept { return username.empty() && password.empty(); }
};

class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;

  // The credentials for one operation (list tags, get a manifest, get a config blob) on
  // `request.repository`. Called once per operation, on the operation's thread; may block
  // (e.g. on an API call through call.http). Throw iu::sdk::Error to fail the operation.
  virtual BasicCredentials credentials(sdk::Call& call, const sdk::RepoRequest& request) = 0;

  // The registry (or its token endpoint) rejected `rejected` even with a fresh token. Drop any
  // cached copy so that the next credentials() call produces new ones; the operation itself
  // fails with IU_STATUS_UNAUTHENTICATED, which makes the host retry it once.
  virtual void rejected(sdk::Call& call, const BasicCredentials& rejected);
};

// The default provider: the credentials the host resolved for the call (image pullSecret >
// registry credentials > anonymous), as carried by the RepoRequest.
class RequestCredentials final : public CredentialProvider {
 public:
  BasicCredentials credentials(sdk::Call& call, const sdk::RepoRequest& request) override;
};

}  // namespace iu::dockerv2
